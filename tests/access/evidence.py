"""Access-matrix rows of the evidence app (see tests/access/__init__.py).

Evidence is the worker's side of a case: the assigned worker and supervisors record it; the hotline,
police and the admin never see it (403); another worker gets 404 for a case that is not theirs.
"""

from __future__ import annotations

import pytest

from tests.evidence.factories import make_item

__all__: list[str] = ["evidence_item_of_case"]  # the fixtures below, so tests/conftest.py makes them visible

RECORD: dict[str, str] = {
    "evidence:item_add": "case",
    "evidence:teaching": "case",
    "evidence:item_edit": "evidence_item",
}
RECORD_FIXTURES: dict[str, str] = {"evidence_item": "evidence_item_of_case"}
POST_DATA: dict = {}


@pytest.fixture
def evidence_item_of_case(worker, case_of_worker):
    return make_item(actor=worker, case=case_of_worker)


# fmt: off
MATRIX: list[tuple] = [
    # url name                 method  anon    hotline worker  worker2 police  police2 superv  admin   nobody
    ("evidence:item_add",      "GET",  "login", 403,   200,    404,    403,    403,    200,    403,    403),
    ("evidence:item_add",      "POST", "login", 403,   200,    404,    403,    403,    200,    403,    403),
    ("evidence:teaching",      "GET",  "login", 403,   200,    404,    403,    403,    200,    403,    403),
    ("evidence:teaching",      "POST", "login", 403,   200,    404,    403,    403,    200,    403,    403),
    ("evidence:item_edit",     "GET",  "login", 403,   200,    404,    403,    403,    200,    403,    403),
    ("evidence:item_edit",     "POST", "login", 403,   200,    404,    403,    403,    200,    403,    403),
]
# fmt: on
