"""Querysets compiled once per process (cases/compiled.py): each request's own values in the SQL, the
ORM's own conversions, and the overview's two lists read in one query."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases import selectors, services
from cases.compiled import (
    STAND_IN_CASE,
    STAND_IN_TEXT,
    STAND_IN_USER,
    compiled_values,
    forget_compiled,
)
from cases.models import Case, Contact
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    forget_compiled()
    yield
    forget_compiled()


def _own_cases(number=STAND_IN_TEXT):
    return (
        Case.objects.filter(assigned_worker_id=STAND_IN_USER)
        .exclude(number=number)
        .order_by("opened_at")
        .values_list("pk", "victim__name", "opened_at")
    )


def test_each_call_runs_the_sql_with_its_own_values_and_the_orms_conversions(hotline, worker, worker2):
    mine = [make_case(actor=hotline, worker=worker, victim_name=f"林{i}") for i in range(2)]
    theirs = make_case(actor=hotline, worker=worker2, victim_name="陳一")
    for user, number, expected in (
        (worker, "", mine),
        (worker2, "", [theirs]),
        (worker, mine[0].number, mine[1:]),
    ):
        rows = compiled_values("test.own", _own_cases, values={STAND_IN_USER: user.pk, STAND_IN_TEXT: number})
        orm = list(
            Case.objects.filter(assigned_worker=user)
            .exclude(number=number)
            .order_by("opened_at")
            .values_list("pk", "victim__name", "opened_at")
        )
        assert [tuple(r) for r in rows] == orm
        assert [r[0] for r in rows] == [c.pk for c in expected]
        assert [r[1] for r in rows] == [c.victim.name for c in expected]  # decrypted, as the ORM does


def test_a_case_stand_in_is_replaced_in_the_form_the_backend_gives_it(hotline, worker):
    first, second = make_case(actor=hotline, worker=worker), make_case(actor=hotline, worker=worker)

    def build():
        return Case.objects.filter(pk=STAND_IN_CASE).values_list("number", flat=False)

    for case in (first, second, first):
        assert [tuple(r) for r in compiled_values("test.case", build, values={STAND_IN_CASE: case.pk})] == [
            (case.number,)
        ]


def test_a_queryset_that_matches_nothing_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert compiled_values("test.none", lambda: Case.objects.none().values_list("pk")) == []


def test_the_overview_reads_the_newest_and_the_longest_flagged_in_one_query(
    hotline, worker, worker2, supervisor, django_assert_num_queries
):
    cases = [make_case(actor=hotline, worker=worker if i % 2 else worker2) for i in range(6)]
    # Flag the oldest first, then the newest: the newest case is in both lists.
    for case in (cases[1], cases[0], cases[5]):
        services.contact_record(
            actor=case.assigned_worker,
            case=case,
            contacted_at=timezone.now(),
            mode=Contact.Mode.PHONE,
            result=Contact.Result.REACHED,
            immediate_danger=Contact.Danger.YES,
        )
    selectors.overview_cases(supervisor, recent=3, flagged=2)  # compiled
    with django_assert_num_queries(1):
        recent, flagged = selectors.overview_cases(supervisor, recent=3, flagged=2)
    assert [r.pk for r in recent] == [c.pk for c in reversed(cases[3:])]
    assert [r.pk for r in flagged] == [cases[1].pk, cases[0].pk]
    recent, flagged = selectors.overview_cases(supervisor, recent=3, flagged=3)
    assert [r.pk for r in flagged] == [cases[1].pk, cases[0].pk, cases[5].pk]
    assert recent[0].pk == cases[5].pk and recent[0].victim__name == cases[5].victim.name
    # A worker's scope: their own cases only, with the same compiled query for each worker.
    for user in (worker, worker2):
        recent, flagged = selectors.overview_cases(user, recent=10, flagged=10)
        own = {c.pk for c in cases if c.assigned_worker_id == user.pk}
        assert {r.pk for r in recent} == own
        assert {r.pk for r in flagged} == own & {cases[0].pk, cases[1].pk, cases[5].pk}


def test_the_case_list_pages_and_counts_through_sql_compiled_once(hotline, worker, worker2, supervisor):
    from cases.paging import capped_page

    mine = [make_case(actor=hotline, worker=worker) for _ in range(3)]
    theirs = make_case(actor=hotline, worker=worker2)
    newest_first = [c.pk for c in reversed(mine)]
    for page_number, expected in ((1, newest_first[:2]), (2, newest_first[2:])):
        rows, scope = selectors.case_list(worker, sort="opened")
        page = capped_page(rows, 2, page_number, count_from=scope)
        assert [r.pk for r in page] == expected and page.paginator.count == 3
    # The same SQL for the next worker, with their id; and for the unit filtered to one worker.
    rows, scope = selectors.case_list(worker2, sort="opened")
    assert [r.pk for r in capped_page(rows, 2, 1, count_from=scope)] == [theirs.pk]
    rows, scope = selectors.case_list(supervisor, sort="opened", worker_id=str(worker2.pk))
    assert [r.pk for r in capped_page(rows, 2, 1, count_from=scope)] == [theirs.pk]
    rows, scope = selectors.case_list(supervisor, sort="opened", worker_id=str(worker.pk))
    page = capped_page(rows, 2, 1, count_from=scope)
    assert [r.pk for r in page] == newest_first[:2] and page.paginator.count == 3
    assert page[0].victim__name == mine[-1].victim.name  # decrypted, as the ORM does
    # An id past the integer column's range matches nobody, without an error.
    rows, scope = selectors.case_list(supervisor, worker_id="99999999999")
    assert list(capped_page(rows, 2, 1, count_from=scope)) == []


def test_the_intake_queue_pages_and_counts_through_sql_compiled_once(hotline):
    from cases.paging import capped_page
    from tests.factories import make_intake

    make_case(actor=hotline, victim_phone="0912345678", victim_national_id="")
    known = make_intake(actor=hotline, victim_phone="0912345678", victim_national_id="", victim_name="王小明")
    others = [make_intake(actor=hotline, victim_phone="", victim_national_id="") for _ in range(2)]
    expected = list(selectors.intake_queue_rows())  # the ORM's rows, in the queue's order
    assert {r.pk for r in expected} == {known.pk, *(i.pk for i in others)}
    for page_number, rows in ((1, expected[:2]), (2, expected[2:])):
        page = capped_page(selectors.intake_queue(), 2, page_number)
        assert list(page) == rows and page.paginator.count == 3
    flags = {r.pk: (r.matched, r.victim_name) for r in capped_page(selectors.intake_queue(), 5, 1)}
    assert flags[known.pk] == (True, "王小明")  # the probe's answer and the name decrypted, as the ORM does
    assert not flags[others[0].pk][0]
