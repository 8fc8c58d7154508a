"""Pure rules of psychological support and accompaniment (guideline items 2 and 3). No Django here.

- BSRS-5 scoring (指引 2-1-1a) with the published cut-offs and the suicide-item urgent flag;
- the PTSD self-check result against a cut-off kept as data (2-1-1b) and the psychiatry suggestion (2-1-1c);
- counselling-programme eligibility by age and sessions used (2-2c);
- the record-form due dates after an escort (3-1-3D; Civil Code art. 120: the day of the escort is not
  counted, so an escort on 115.11.30 makes the form due on 115.12.03);
- the court meeting-point rule (3-2-1D) and the worker-statement rule (3-2-2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Published BSRS-5 wording: 「最近一星期（包括今天）」 each item 0–4.
BSRS5_ITEMS = (
    "感覺緊張不安",
    "覺得容易苦惱或動怒",
    "感覺憂鬱、心情低落",
    "覺得比不上別人",
    "睡眠困難，譬如難以入睡、易醒或早醒",
)
BSRS5_SUICIDE_ITEM = "有自殺的想法"
BSRS5_ANSWERS = ((0, "不會"), (1, "輕微"), (2, "中等程度"), (3, "厲害"), (4, "非常厲害"))

# (lowest total, label); the first band whose lowest total is reached, from the top.
BSRS5_BANDS = (
    (15, "重度情緒困擾"),
    (10, "中度情緒困擾"),
    (6, "輕度情緒困擾"),
    (0, "身心適應狀況良好"),
)
MODERATE_TOTAL = 10  # 中度情緒困擾 and above: suggest a psychiatric visit (2-1-1c)
SUICIDE_URGENT = 2  # 中等程度 or more on the suicide item: urgent, whatever the total

SERVICE_RECORD_DAYS = 3  # 指引 3-1-3D: 陪偵後3日內須完成出勤服務工作紀錄表


@dataclass(frozen=True)
class Bsrs5Result:
    total: int
    band: str
    urgent: bool
    suggest_psychiatry: bool


def _score(value, what: str) -> int:
    # bool is an int in Python; a ticked box is not an answer on a 0–4 scale.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 4:
        raise ValueError(f"{what} must be an integer 0–4, got {value!r}")
    return value


def bsrs5(items, suicide) -> Bsrs5Result:
    """Score a BSRS-5: five items 0–4 (total 0–20) and the suicide item 0–4."""
    try:
        values = list(items)
    except TypeError:
        raise ValueError(f"items must be five integers 0–4, got {items!r}") from None
    if len(values) != 5:
        raise ValueError(f"items must be five integers 0–4, got {len(values)}")
    total = sum(_score(v, f"item {i}") for i, v in enumerate(values, start=1))
    suicide = _score(suicide, "suicide item")
    band = next(label for lowest, label in BSRS5_BANDS if total >= lowest)
    urgent = suicide >= SUICIDE_URGENT
    return Bsrs5Result(
        total=total,
        band=band,
        urgent=urgent,
        suggest_psychiatry=urgent or total >= MODERATE_TOTAL,
    )


def ptsd_result(answers, cutoff: int) -> tuple[int, bool]:
    """A yes/no self-check: the score is the number of yes answers; positive at or above the cut-off."""
    values = list(answers)
    if any(not isinstance(v, bool) for v in values):
        raise ValueError("PTSD answers must be yes/no")
    if not isinstance(cutoff, int) or isinstance(cutoff, bool) or not 1 <= cutoff <= max(len(values), 1):
        raise ValueError(f"cut-off must be between 1 and the number of questions, got {cutoff!r}")
    score = sum(values)
    return score, score >= cutoff


def psychiatry_suggested(bsrs: Bsrs5Result | None, ptsd_positive: bool | None) -> bool:
    """指引 2-1-1c: a high depression or trauma score suggests seeing a psychiatrist first."""
    return bool((bsrs and bsrs.suggest_psychiatry) or ptsd_positive)


def service_record_due(escort_date: dt.date, days: int = SERVICE_RECORD_DAYS) -> dt.date:
    """The record form is due `days` days after the escort, the escort's own day not counted (民法120)."""
    if days < 0:
        raise ValueError("days must not be negative")
    return escort_date + dt.timedelta(days=days)


@dataclass(frozen=True)
class Eligibility:
    eligible: bool | None  # None: the victim's age is unknown
    reason: str  # zh-Hant, "" when eligible


def programme_eligibility(
    *,
    age: int | None,
    min_age: int | None,
    max_age: int | None,
    free_sessions: int | None,
    sessions_used: int,
) -> Eligibility:
    """Age on the referral date within the programme's range (inclusive), free sessions left this year."""
    if min_age is not None or max_age is not None:
        if age is None:
            return Eligibility(None, "未登錄被害人出生日期，無法判斷年齡資格")
        if (min_age is not None and age < min_age) or (max_age is not None and age > max_age):
            low = "" if min_age is None else str(min_age)
            high = "" if max_age is None else str(max_age)
            return Eligibility(False, f"年齡不符（{low}-{high}歲，轉介日 {age} 歲）")
    if free_sessions is not None and sessions_used >= free_sessions:
        return Eligibility(False, f"已用完次數（每年{free_sessions}次，已使用{sessions_used}次）")
    return Eligibility(True, "")


MEETING_POINT_BAILIFF = "法警室"


def meeting_point_error(*, defendant_present: bool, meeting_point: str) -> str:
    """指引 3-2-1D: when the defendant attends at the same time, meet early at the bailiffs' office."""
    if defendant_present and meeting_point != MEETING_POINT_BAILIFF:
        return "被告同時到庭時，請與被害人約在法警室碰面，並提早到達（指引 3-2-1D）。"
    return ""


def worker_statement_error(*, statement_made: bool, requested_by: str) -> str:
    """指引 3-2-2: the worker speaks only when arranged beforehand or asked by the judge or prosecutor."""
    if statement_made and not requested_by:
        return "社工於庭上陳述意見時，請註明是事先安排，或由法官、檢察官請社工陳述（指引 3-2-2）。"
    return ""


# 指引 3-3-2: requests outside the escort service, and what the worker offers instead.
OUT_OF_SCOPE_ALTERNATIVES = {
    "fetch_belongings": "請找警察陪同返家取物",
    "meet_respondent": "不陪同與相對人見面；如需協調，轉介法律諮詢或由警方處理",
    "companionship": "說明社工陪同的範圍；情緒支持可由心理諮商或支持團體提供",
}
