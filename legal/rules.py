"""Pure rules of the legal track (docs/legal.md): when a period runs, and what a police report needs.

No Django here: plain values in, plain values out, unit-tested without the database
(tests/legal/test_rules.py, tests/legal/test_scenarios.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cases.rocdate import format_roc
from legal.deadlines import complaint_deadline

# --- the complaint period (CCP art. 237, 釋字108) ---------------------------------------------------


@dataclass(frozen=True)
class ComplaintStart:
    """When the six months start counting, or why they have not started yet.

    `starts_after` is the day the period counts from (CCP 65 → Civil Code 120 §2: that day itself is
    not counted). None while the law has not started the clock; `waiting_for` then says what for.
    """

    starts_after: dt.date | None
    waiting_for: str = ""  # "offender" | "conduct_end" | ""

    @property
    def running(self) -> bool:
        return self.starts_after is not None

    @property
    def due(self) -> dt.date | None:
        return complaint_deadline(self.starts_after) if self.starts_after else None


def complaint_start(
    *,
    offender_known: bool,
    knew_offender_on: dt.date | None,
    continuing: bool = False,
    conduct_ended_on: dt.date | None = None,
) -> ComplaintStart:
    """CCP art. 237: six months from knowing the offender; for conduct that continues, from its end or
    from knowing the offender, whichever is later (釋字108). Nothing runs while either is missing."""
    if not offender_known or knew_offender_on is None:
        return ComplaintStart(None, "offender")
    if continuing:
        if conduct_ended_on is None:
            return ComplaintStart(None, "conduct_end")
        return ComplaintStart(max(knew_offender_on, conduct_ended_on))
    return ComplaintStart(knew_offender_on)


def provisional_complaint_due(today: dt.date) -> dt.date:
    """The last day if the clock started today: what a worker may tell a victim while it has not."""
    return complaint_deadline(today)


def provisional_text(waiting_for: str, today: dt.date) -> str:
    """The warning shown instead of a deadline while the period has not started (never 'too late')."""
    due = format_roc(provisional_complaint_due(today))
    if waiting_for == "conduct_end":
        return f"行為仍在持續，告訴期間尚未起算；若行為今天終了，告訴期間將至 {due} 止（暫估）。"
    return f"尚未知悉犯人，告訴期間尚未起算；若今天知悉犯人，告訴期間將至 {due} 止（暫估）。"


def not_running_reason(waiting_for: str) -> str:
    if waiting_for == "conduct_end":
        return "行為仍在持續：告訴期間自行為終了或知悉犯人時（以較晚者）起算（釋字第108號），尚未起算。"
    return "尚未知悉犯人：告訴期間自知悉犯人時起算（刑事訴訟法第237條），尚未起算。"


# --- the police report of a minor (guideline 9-2-7) --------------------------------------------------

MINOR_QUESTION = "被害人沒有出生日期：請確認報案時是否未滿18歲（指引 9-2-7）。"
MINOR_NEEDS_COMPANION = "被害人報案時未滿18歲：標示已完成筆錄前，請登錄監護人陪同或陪同社工（指引 9-2-7）。"
MINOR_SOCIAL_WORKER_NEEDS_ESCORT = "由社工陪同時，請勾選「社工陪同報案」並選擇陪同的社工。"


def minor_report_errors(
    *,
    minor: bool | None,
    age_answer: str,
    companion: str,
    escort_worker_chosen: bool,
    done: bool,
) -> dict[str, list[str]]:
    """A report of a victim under 18 cannot be done without a guardian or an escorting social worker.

    `minor` is what the birth date says (None: unknown); then `age_answer` ("minor" / "adult" / "")
    is what the worker confirmed on the form. Only a report marked done is held to the rule; a booking
    may be saved before the companion is arranged.
    """
    if not done:
        return {}
    if minor is None:
        if age_answer not in ("minor", "adult"):
            return {"age_answer": [MINOR_QUESTION]}
        minor = age_answer == "minor"
    if not minor:
        return {}
    if companion == "guardian":
        return {}
    if companion == "social_worker":
        return {} if escort_worker_chosen else {"escort_worker": [MINOR_SOCIAL_WORKER_NEEDS_ESCORT]}
    return {"minor_companion": [MINOR_NEEDS_COMPANION]}
