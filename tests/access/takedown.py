"""Access-matrix rows of the takedown app (see tests/access/__init__.py).

Complaints, StopNCII and prevention advice: the assigned worker and supervisors; the hotline, police and the
admin never (403); another worker 404. The resources page (1-3c) is public: 200 for everyone.
"""

from __future__ import annotations

import pytest

from tests.takedown.factories import make_complaint

__all__: list[str] = [
    "takedown_complaint_of_case"
]  # the fixtures below, so tests/conftest.py makes them visible

RECORD: dict[str, str] = {
    "takedown:complaint_add": "case",
    "takedown:stopncii": "case",
    "takedown:advice": "case",
    "takedown:complaint_edit": "takedown_complaint",
    "takedown:follow_up_add": "takedown_complaint",
}
RECORD_FIXTURES: dict[str, str] = {"takedown_complaint": "takedown_complaint_of_case"}
POST_DATA: dict = {}


@pytest.fixture
def takedown_complaint_of_case(worker, case_of_worker):
    return make_complaint(actor=worker, case=case_of_worker)


# fmt: off
MATRIX: list[tuple] = [
    # url name                 method  anon    hotline worker  worker2 police  police2 superv  admin   nobody
    ("takedown:resources",     "GET",  200,    200,    200,    200,    200,    200,    200,    200,    200),
    ("takedown:complaint_add", "GET",  "login", 403,   200,    404,    403,    403,    200,    403,    403),
    ("takedown:complaint_add", "POST", "login", 403,   200,    404,    403,    403,    200,    403,    403),
    ("takedown:complaint_edit", "GET", "login", 403,   200,    404,    403,    403,    200,    403,    403),
    ("takedown:complaint_edit", "POST", "login", 403,  200,    404,    403,    403,    200,    403,    403),
    ("takedown:follow_up_add", "GET",  "login", 403,   200,    404,    403,    403,    200,    403,    403),
    ("takedown:follow_up_add", "POST", "login", 403,   200,    404,    403,    403,    200,    403,    403),
    ("takedown:stopncii",      "GET",  "login", 403,   200,    404,    403,    403,    200,    403,    403),
    ("takedown:stopncii",      "POST", "login", 403,   200,    404,    403,    403,    200,    403,    403),
    ("takedown:advice",        "GET",  "login", 403,   200,    404,    403,    403,    200,    403,    403),
    ("takedown:advice",        "POST", "login", 403,   200,    404,    403,    403,    200,    403,    403),
]
# fmt: on
