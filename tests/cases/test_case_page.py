"""The case page's own reads (cases/case_page.py): the printed columns of its intakes, dispatches and
deadlines, each query compiled once and run with each case's key."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import case_page, services, tracker
from cases.models import CaseReadLog, Deadline
from cases.people import staff_name
from tests.factories import make_case, make_intake

pytestmark = pytest.mark.django_db


def _deadline(case, days: int, title: str, source_view: str):
    source = CaseReadLog.objects.create(case=case, user=case.opened_by, view=source_view)
    return tracker.deadline_open(
        case=case,
        kind=Deadline.Kind.FOLLOW_UP,
        source=source,
        title=title,
        due=timezone.localdate() + dt.timedelta(days=days),
    )


def test_each_case_reads_its_own_rows_from_the_query_compiled_once(hotline, worker, worker2):
    first = make_case(actor=hotline, worker=worker)
    second = make_case(actor=hotline, worker=worker2)
    services.dispatch_case(actor=hotline, case=second, worker=worker, reason="代理")
    _deadline(second, 3, "第二案的期限", "a")

    # The first case compiles the queries (if no test before did); the second must not get its rows.
    assert [d.worker_name for d in case_page.case_dispatch_rows(first)] == [staff_name(worker)]
    assert case_page.case_page_deadlines(first) == []
    assert [i.pk for i in case_page.case_page_intakes(first)] == [first.intakes.get().pk]

    rows = case_page.case_dispatch_rows(second)
    assert [(d.worker_name, d.previous_worker_name) for d in rows] == [
        (staff_name(worker2), ""),
        (staff_name(worker), staff_name(worker2)),
    ]
    assert rows[1].reason == "代理" and rows[1].dispatched_by_name == staff_name(hotline)
    assert [d.title for d in case_page.case_page_deadlines(second)] == ["第二案的期限"]


def test_deadlines_open_first_by_due_then_closed_newest_first_with_who_closed_them(hotline, worker):
    case = make_case(actor=hotline, worker=worker)
    later = _deadline(case, 10, "較晚", "a")
    _deadline(case, 2, "較早", "b")
    done = _deadline(case, 5, "已完成", "c")
    missed = _deadline(case, 1, "不適用", "d")
    tracker.deadline_close(actor=worker, deadline=done, state=Deadline.State.DONE)
    tracker.deadline_close(
        actor=worker, deadline=missed, state=Deadline.State.NOT_APPLICABLE, reason="已撤回"
    )

    rows = case_page.case_page_deadlines(case)

    assert [r.title for r in rows] == ["較早", "較晚", "不適用", "已完成"]
    assert [r.is_open for r in rows] == [True, True, False, False]
    assert rows[1].pk == later.pk
    assert rows[1].close_url == reverse("cases:deadline_close", args=[later.pk])
    assert (rows[2].closed_by_name, rows[2].close_reason) == (staff_name(worker), "已撤回")
    assert (rows[3].closed_by_name, rows[3].close_url) == (staff_name(worker), "")
    assert (rows[0].closed_by_name, rows[0].close_reason) == ("", "")


def test_intakes_hold_what_the_page_prints_and_not_the_closing_note(hotline, worker):
    case = make_case(actor=hotline, worker=worker, narrative="被害人陳述的經過")
    services.intake_attach(
        actor=hotline, intake=make_intake(actor=hotline, victim_phone=case.victim.phone), case=case
    )

    intakes = case_page.case_page_intakes(case)

    assert len(intakes) == 2
    assert intakes[0].received_at <= intakes[1].received_at
    assert intakes[0].narrative == "被害人陳述的經過"
    assert intakes[0].created_by.username == hotline.username
    assert "closed_note" in intakes[0].get_deferred_fields()
    assert "victim_name_index" in intakes[0].get_deferred_fields()


def test_case_page_prints_dispatch_names_and_the_record(client, hotline, worker, worker2):
    case = make_case(actor=hotline, worker=worker)
    services.dispatch_case(actor=hotline, case=case, worker=worker2, reason="代理<週>")
    client.force_login(worker2)

    body = client.get(case.get_absolute_url()).content.decode()

    assert f"（原承辦 {staff_name(worker)}）" in body
    assert body.count("代理&lt;週&gt;") == 2 and "代理<週>" not in body  # escaped, in the list and the record
    assert f"派給 {staff_name(worker2)}" in body
