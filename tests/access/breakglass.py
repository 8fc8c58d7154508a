"""Access-matrix rows of 緊急調閱 (break-glass, issue 21; see tests/access/__init__.py).

Social workers alone may ask (the hotline and supervisors already read every case; police and the
admin never read case content, docs/oversight.md). The form from a case link answers every worker the
same whether or not the case is theirs; an empty POST gets the form back with its errors. Supervisors
alone review. The record column for the review is a grant by `worker2` on `worker`'s case.
"""

from __future__ import annotations

import pytest

__all__ = ["break_glass_grant_of_case"]

RECORD: dict[str, str] = {
    "cases:break_glass_case": "case",
    "cases:break_glass_review": "break_glass_grant",
}
RECORD_FIXTURES: dict[str, str] = {"break_glass_grant": "break_glass_grant_of_case"}
POST_DATA: dict = {}
POST_ONLY = ["cases:break_glass_review"]

LOGIN = "login"  # as in tests/test_access_matrix.py
GO = "go"

# fmt: off
MATRIX: list[tuple] = [
    # url name                    method  anon   hotline worker worker2 police police2 superv admin nobody
    ("cases:break_glass",         "GET",  LOGIN, 403,    200,    200,    403,    403,    403,    403,    403),
    ("cases:break_glass",         "POST", LOGIN, 403,    200,    200,    403,    403,    403,    403,    403),
    ("cases:break_glass_case",    "GET",  LOGIN, 403,    200,    200,    403,    403,    403,    403,    403),
    ("cases:break_glass_case",    "POST", LOGIN, 403,    200,    200,    403,    403,    403,    403,    403),
    ("cases:break_glass_reviews", "GET",  LOGIN, 403,    403,    403,    403,    403,    200,    403,    403),
    # An empty review POST goes back to the list with a message.
    ("cases:break_glass_review",  "POST", LOGIN, 403,    403,    403,    403,    403,    GO,     403,    403),
]
# fmt: on


@pytest.fixture
def break_glass_grant_of_case(worker2, case_of_worker):
    from cases import services

    return services.break_glass_open(
        actor=worker2, reason="承辦社工休假，被害人來電需要立即協助。", case=case_of_worker
    )
