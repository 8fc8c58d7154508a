"""The safety panel and entries on the case page cost the same queries with N records as with 3N."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases.models import Case
from cases.registry import flag_notes
from cases.roles import user_roles
from cases.selectors import overview_cases
from safety import services
from safety.entries import safety_entries
from safety.selectors import case_safety_panel
from tests.factories import make_case
from tests.safety.factories import (
    flag_danger,
    make_action,
    make_delivery,
    make_order,
    make_placement,
    make_plan,
)

pytestmark = pytest.mark.django_db

N = 2
# deliveries + plan + orders + placements + the plan's actions + its last reviews
PANEL_QUERIES = 6
# deliveries + reviews + orders
ENTRY_QUERIES = 3


def _add(n, *, case, worker):
    for _ in range(n):
        make_delivery(actor=worker, case=case)
        make_action(actor=worker, case=case)
        make_order(actor=worker, case=case)
        make_placement(actor=worker, case=case)
        services.plan_review(actor=worker, case=case, reviewed_at=timezone.now())


def test_the_panel_and_entries_read_a_fixed_number_of_queries(
    worker, case_of_worker, django_assert_num_queries
):
    make_plan(actor=worker, case=case_of_worker)
    user_roles(worker)  # cached for the request by the case page before the panel runs
    for n in (N, 2 * N):  # N records, then 3N
        _add(n, case=case_of_worker, worker=worker)
        case = Case.objects.select_related("victim").get(pk=case_of_worker.pk)
        with django_assert_num_queries(PANEL_QUERIES):
            panel = case_safety_panel(case, worker)
        with django_assert_num_queries(ENTRY_QUERIES):
            entries = safety_entries(case, worker)
    assert len(panel["orders"]) == len(panel["placements"]) == 3 * N
    assert len(entries) == 3 * N * 3


def test_flag_notes_are_read_with_the_overviews_case_rows(
    hotline, worker, supervisor, django_assert_num_queries
):
    for count in (N, 3 * N):
        while Case.objects.filter(danger_since__isnull=False).count() < count:
            flag_danger(case=make_case(actor=hotline, worker=worker), worker=worker)
        user_roles(supervisor)  # the permissions, loaded once per request, are not what is counted
        with django_assert_num_queries(1):
            recent, flagged = overview_cases(supervisor, recent=10, flagged=20)
            notes = flag_notes(flagged)
        assert len(flagged) == len(notes) == count
        assert set(notes.values()) <= {"尚無安全計畫", "標記後尚未檢視安全計畫"} | {
            n for n in notes.values() if n.startswith("安全計畫已於標記後檢視")
        }
