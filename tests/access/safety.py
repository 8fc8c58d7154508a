"""Access-matrix rows of the safety app (see tests/access/__init__.py).

The assigned worker and supervisors record a case's safety side; supervisors alone approve a shelter
placement. Everyone who hands the reminder sheet over (hotline, workers, supervisors) prints it, and
the admin, who edits its text, may print it too (it holds no case content). Police see nothing.
"""

from __future__ import annotations

import pytest

__all__ = ["safety_action_of_case", "safety_order_of_case", "safety_shelter_of_case"]

RECORD: dict[str, str] = {
    "safety:sheet_delivery_new": "case",
    "safety:plan_edit": "case",
    "safety:plan_review": "case",
    "safety:action_add": "case",
    "safety:action_edit": "safety_action",
    "safety:order_add": "case",
    "safety:order_edit": "safety_order",
    "safety:shelter_add": "case",
    "safety:shelter_edit": "safety_shelter",
    "safety:shelter_approve": "safety_shelter",
}
RECORD_FIXTURES: dict[str, str] = {
    "safety_action": "safety_action_of_case",
    "safety_order": "safety_order_of_case",
    "safety_shelter": "safety_shelter_of_case",
}
POST_DATA: dict = {}

LOGIN = "login"  # as in tests/test_access_matrix.py

# fmt: off
MATRIX: list[tuple] = [
    # url name                 method  anon    hotline worker  worker2 police  police2 superv  admin   nobody
    ("safety:sheet_pdf",       "GET",  LOGIN, 200,   200,    200,    403,    403,    200,    200,    403),
    ("safety:sheet_delivery_new", "GET", LOGIN, 403, 200,    404,    403,    403,    200,    403,    403),
    ("safety:sheet_delivery_new", "POST", LOGIN, 403, 200,   404,    403,    403,    200,    403,    403),
    ("safety:plan_edit",       "GET",  LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    ("safety:plan_edit",       "POST", LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    ("safety:plan_review",     "GET",  LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    ("safety:plan_review",     "POST", LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    ("safety:action_add",      "GET",  LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    ("safety:action_add",      "POST", LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    ("safety:action_edit",     "GET",  LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    ("safety:action_edit",     "POST", LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    ("safety:order_add",       "GET",  LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    ("safety:order_add",       "POST", LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    ("safety:order_edit",      "GET",  LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    ("safety:order_edit",      "POST", LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    ("safety:shelter_add",     "GET",  LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    ("safety:shelter_add",     "POST", LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    ("safety:shelter_edit",    "GET",  LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    ("safety:shelter_edit",    "POST", LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    # Approving a placement: supervisors only (403 for the worker who asked for it).
    ("safety:shelter_approve", "GET",  LOGIN, 403,   403,    403,    403,    403,    200,    403,    403),
    ("safety:shelter_approve", "POST", LOGIN, 403,   403,    403,    403,    403,    200,    403,    403),
]
# fmt: on


@pytest.fixture
def safety_action_of_case(worker, case_of_worker):
    from tests.safety.factories import make_action

    return make_action(actor=worker, case=case_of_worker)


@pytest.fixture
def safety_order_of_case(worker, case_of_worker):
    from tests.safety.factories import make_order

    return make_order(actor=worker, case=case_of_worker)


@pytest.fixture
def safety_shelter_of_case(worker, case_of_worker):
    from safety.catalogue import load_catalogues
    from safety.models import SafetySheet, ShelterScheme
    from tests.safety.factories import make_placement

    load_catalogues(SafetySheet, ShelterScheme)  # a transactional test elsewhere may have flushed them
    return make_placement(actor=worker, case=case_of_worker)
