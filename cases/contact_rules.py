"""The rules of a contact record (指引 2-1, 7-1a, 1-3b) as a plain function: no database, no Django.

The service and the form both ask it, so the page and any other caller refuse the same things with the
same words.
"""

from __future__ import annotations

import datetime as dt

REACHED = "reached"
NOT_REACHED = "not_reached"
NO_WISH = "no_wish"
DANGER_YES, DANGER_NO, DANGER_NOT_ASKED = "yes", "no", "not_asked"

# A clock a few minutes fast on someone's phone is not a mistake worth refusing.
FUTURE_SLACK = dt.timedelta(minutes=10)


def reached_victim(result: str) -> bool:
    """The victim was spoken to (a victim who says they want no service now was reached too)."""
    return result in (REACHED, NO_WISH)


def contact_errors(
    *,
    result: str,
    immediate_danger: str,
    danger_not_asked_reason: str,
    contacted_at: dt.datetime | None,
    now: dt.datetime,
    next_contact_on: dt.date | None,
    send_resource_sms: bool,
    has_mobile: bool,
) -> dict[str, str]:
    """Field name -> zh-Hant message for everything wrong with a contact; empty when it may be saved."""
    errors: dict[str, str] = {}
    if reached_victim(result):
        if not immediate_danger:
            errors["immediate_danger"] = (
                "這次有聯繫到被害人：請記錄是否有立即人身安全危險（指引 7-1，每次接觸都要詢問）。"
            )
        elif immediate_danger == DANGER_NOT_ASKED and not danger_not_asked_reason.strip():
            errors["danger_not_asked_reason"] = "請說明這次未能詢問立即危險的原因。"
    elif immediate_danger:
        errors["immediate_danger"] = "聯繫未果時沒有詢問到危險狀況，請將此欄留空。"
    if contacted_at is not None:
        if contacted_at > now + FUTURE_SLACK:
            errors["contacted_at"] = "聯繫時間不能晚於現在。"
        elif next_contact_on is not None and next_contact_on < contacted_at.date():
            errors["next_contact_on"] = "下次聯繫日期不能早於這次聯繫的日期。"
    if send_resource_sms:
        if reached_victim(result) and result != NO_WISH:
            errors["send_resource_sms"] = (
                "服務資源簡訊只在「聯繫未果」或「被害人暫無意願」時傳送（指引 1-3）。"
            )
        elif not has_mobile:
            errors["send_resource_sms"] = "被害人沒有可接收簡訊的手機號碼，請先補上手機。"
    return errors
