"""Pure takedown rules (guideline items 5-2 and 8-1-T), no Django: unit-tested without the database."""

from __future__ import annotations

import datetime as dt

MINOR_HOURS = 24  # 8-1-T: 兒少案件24小時
ADULT_HOURS = 72  # 8-1-T: 成人案件72小時


def takedown_due(filed_at: dt.datetime, minor: bool | None) -> dt.datetime:
    """When the takedown centre should have removed the images: 24 h for a minor, 72 h for an adult.

    An unknown age counts as a minor (the shorter period): following up early does no harm, late does.
    """
    hours = ADULT_HOURS if minor is False else MINOR_HOURS
    return filed_at + dt.timedelta(hours=hours)


def minor_from_answer(answer: str) -> bool | None:
    """The complaint form's "person depicted was a minor at the time" answer: yes / no / unknown."""
    return {"yes": True, "no": False}.get(answer)


def answer_from_minor(minor: bool | None) -> str:
    return {True: "yes", False: "no"}.get(minor, "unknown")


def stopncii_eligible(minor: bool | None, holds_images: bool, already_spread: bool) -> tuple[bool, str]:
    """Guideline 5-2 / 8-1-3A: StopNCII is for an adult who holds the images and whose images have not spread.

    Returns (eligible, reason in zh-Hant); the reason is empty when eligible.
    """
    if minor is None:
        return False, "被害人年齡不明：StopNCII 僅適用成年被害人，請先確認出生日期（未確認前不建議申請）。"
    if minor:
        return False, "被害人未成年：StopNCII 僅適用成年被害人，請改向性影像處理中心申訴下架。"
    if not holds_images:
        return False, "被害人未持有該性影像：StopNCII 須由被害人在自己的設備上以影像產生代碼。"
    if already_spread:
        return False, "性影像已遭散布：請改向性影像處理中心申訴下架（指引 8-1-3B）。"
    return True, ""


def sla_state(*, due: dt.datetime, resolved_at: dt.datetime | None, now: dt.datetime) -> str:
    """ "met" (resolved by the due time), "late" (resolved after it), "overdue" (open past it) or "open"."""
    if resolved_at is not None:
        return "met" if resolved_at <= due else "late"
    return "overdue" if now > due else "open"
