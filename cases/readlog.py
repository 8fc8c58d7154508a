"""The case read log (指引 G-1): who opened which page of a case, and when."""

from __future__ import annotations

from cases.models import Case, CaseReadLog


def log_case_read(*, user, case: Case, view: str) -> None:
    """One row per page view that shows a case's content; supervisors see it on the case timeline.

    `view` is the page as staff name it (「案件頁面」, 「法律服務：報案編輯頁」).
    """
    CaseReadLog.objects.create(case=case, user=user, view=view)
