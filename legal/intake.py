"""Guideline 1-2b/1-2c: the complaint date the hotline tells the caller, from what was typed on the call.

Read-only arithmetic on the hub's Intake (`learned_of_images_on`, `offender_known`, `knew_offender_on`),
no legal record: the integrator shows it on the intake page through the hub's registry. The attributes
are read with getattr so this works on any object carrying them.
"""

from __future__ import annotations

from django.utils import timezone

from cases.rocdate import format_roc
from legal import rules
from legal.restdays import art122_notes

TITLE = "告訴期限（告訴乃論之罪，指引 1-2c）"


def intake_complaint_hint(intake, *, today=None) -> dict | None:
    """What the intake page shows about the six-month complaint period, or None when nothing was typed.

    Returns {"state", "title", "text", "due", "warning", "note"}: state is "running" (the offender is
    known and dated), "provisional" (not known, or not asked: no period runs, the date if known today),
    or "missing_date" (known but no date: ask for it). `warning` is True whenever the date is not one
    the caller can rely on as is. A date already past is never worded as "too late" to the caller.
    """
    learned = getattr(intake, "learned_of_images_on", None)
    known = getattr(intake, "offender_known", None)
    knew = getattr(intake, "knew_offender_on", None)
    if learned is None and known is None and knew is None:
        return None
    today = today or timezone.localdate()
    if known and knew is not None:
        start = rules.complaint_start(offender_known=True, knew_offender_on=knew)
        due = start.due
        note = art122_notes([due])[due]
        if due < today:
            text = (
                f"依所填知悉犯人日期（{format_roc(knew)}）計算，告訴期間末日為 {format_roc(due)}，已過。"
                "日期可能不精確，案件也可能有非告訴乃論的罪名：請勿告知被害人「來不及」，交由社工與律師確認。"
            )
            return {
                "state": "running",
                "title": TITLE,
                "text": text,
                "due": due,
                "warning": True,
                "note": note,
            }
        text = (
            f"告訴期間至 {format_roc(due)} 止（自知悉犯人 {format_roc(knew)} 之翌日起算6個月，"
            f"剩 {(due - today).days} 天）。"
        )
        return {"state": "running", "title": TITLE, "text": text, "due": due, "warning": False, "note": note}
    due = rules.provisional_complaint_due(today)
    note = art122_notes([due])[due]
    if known:
        text = (
            "已知悉犯人但沒有填日期：請詢問被害人何時知道是誰，才能計算告訴期間。"
            f"若今天知悉犯人，告訴期間將至 {format_roc(due)} 止（暫估）。"
        )
        return {
            "state": "missing_date",
            "title": TITLE,
            "text": text,
            "due": due,
            "warning": True,
            "note": note,
        }
    prefix = "尚未詢問是否知悉犯人。" if known is None else ""
    text = f"{prefix}{rules.provisional_text('offender', today)}"
    return {"state": "provisional", "title": TITLE, "text": text, "due": due, "warning": True, "note": note}
