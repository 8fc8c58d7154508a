"""The case read log (指引 G-1): who opened which page of a case, and when."""

from __future__ import annotations

from cases.audit_chain import sealed
from cases.models import Case, CaseReadLog


def log_case_read(*, user, case: Case, view: str) -> None:
    """One row per page view that shows a case's content; supervisors see it on the case timeline.

    `view` is the page as staff name it (「案件頁面」, 「法律服務：報案編輯頁」).
    """
    if getattr(case, "break_glass", None) is not None:  # opened through 緊急調閱 (selectors.break_glass_case)
        view = f"緊急調閱・{view}"[:40]
    CaseReadLog.objects.create(case=case, user=user, view=view)


def log_list_reads(*, user, case_ids=(), intake_ids=(), view: str) -> None:
    """A page that shows victims' names in a list: one row per case (or waiting intake) shown, in one bulk
    INSERT (the hash chain is set by the table's trigger, so no other query)."""
    rows = [CaseReadLog(case_id=pk, user=user, view=view) for pk in dict.fromkeys(case_ids)]
    rows += [CaseReadLog(intake_id=pk, user=user, view=view) for pk in dict.fromkeys(intake_ids)]
    if rows:
        CaseReadLog.objects.bulk_create(sealed(rows))
