"""Access-matrix rows of the audit review (issue 21; see tests/access/__init__.py).

Supervisors alone hold cases.review_audit: the unit's trail, a case's, a user's, and the CSV export.
Everyone else gets 403, the admin role included (it manages accounts, it does not audit case reads).
"""

from __future__ import annotations

import pytest

__all__ = ["audited_user"]

RECORD: dict[str, str] = {
    "cases:audit_case": "case",
    "cases:audit_user": "audited_user",
}
RECORD_FIXTURES: dict[str, str] = {"audited_user": "audited_user"}
POST_DATA: dict = {"cases:audit_export": lambda records: {"reason": "市府稽核調閱本季紀錄"}}

LOGIN = "login"  # as in tests/test_access_matrix.py

# fmt: off
MATRIX: list[tuple] = [
    # url name                 method  anon    hotline worker  worker2 police  police2 superv  admin   nobody
    ("cases:audit_trail",      "GET",  LOGIN,  403,    403,    403,    403,    403,    200,    403,    403),
    ("cases:audit_case",       "GET",  LOGIN,  403,    403,    403,    403,    403,    200,    403,    403),
    ("cases:audit_user",       "GET",  LOGIN,  403,    403,    403,    403,    403,    200,    403,    403),
    ("cases:audit_export",     "GET",  LOGIN,  403,    403,    403,    403,    403,    200,    403,    403),
    ("cases:audit_export",     "POST", LOGIN,  403,    403,    403,    403,    403,    200,    403,    403),
]
# fmt: on


@pytest.fixture
def audited_user(worker):
    return worker
