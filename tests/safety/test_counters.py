"""The overview's count of open cases without the reminder sheet (safety/counters.py): kept by triggers,
equal to a full count after every change."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from cases import counters as hub_counters
from cases.models import Case
from cases.roles import sync_role_groups
from safety import counters
from safety.models import SafetySheet, SheetDelivery
from tests.factories import make_case, make_user
from tests.safety.factories import make_delivery

pytestmark = pytest.mark.django_db


def kept() -> int:
    values, _ = hub_counters.read(cap=1000)
    return values.get(counters.KEY, 0)


def counted() -> int:
    return (
        Case.objects.exclude(status=Case.Status.CLOSED).exclude(safety_sheet_deliveries__isnull=False).count()
    )


def test_first_sheet_counts_later_ones_do_not(hotline, worker):
    cases = [make_case(actor=hotline, worker=worker) for _ in range(3)]
    assert kept() == counted() == 3
    make_delivery(actor=worker, case=cases[0])
    assert kept() == counted() == 2
    make_delivery(actor=worker, case=cases[0])
    assert kept() == counted() == 2


def test_closing_reopening_and_deleting(hotline, worker):
    with_sheet, without = (make_case(actor=hotline, worker=worker) for _ in range(2))
    make_delivery(actor=worker, case=with_sheet)
    Case.objects.filter(pk__in=[with_sheet.pk, without.pk]).update(status=Case.Status.CLOSED)
    assert kept() == counted() == 0
    Case.objects.filter(pk__in=[with_sheet.pk, without.pk]).update(status=Case.Status.ASSIGNED)
    assert kept() == counted() == 1
    SheetDelivery.objects.filter(case=with_sheet).delete()
    assert kept() == counted() == 2
    make_delivery(actor=worker, case=without)
    assert kept() == counted() == 1


def test_recount_repairs_and_leaves_the_hubs_counters(hotline):
    make_case(actor=hotline)
    hub = {k: v for k, v in hub_counters.read(cap=1000)[0].items() if k != counters.KEY}
    counters.recount()
    assert kept() == counted() == 1
    assert {k: v for k, v in hub_counters.read(cap=1000)[0].items() if k != counters.KEY} == hub


def test_the_overview_panel_shows_the_counter(client, hotline, worker, supervisor):
    for _ in range(2):
        make_case(actor=hotline, worker=worker)
    client.force_login(supervisor)
    panels = client.get("/overview/").context["panels"]
    assert [ctx["count"] for panel, ctx in panels if panel.template == "safety/_overview_sheet.html"] == [2]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_first_sheets_of_one_case_at_once_count_once():
    """The second insert starts while the first is uncommitted. Its trigger waits for the lock on the
    case and then sees the first's row, so the case is subtracted once, not twice."""
    sync_role_groups()  # transactional tests start from flushed tables
    hotline = make_user("hotline", "hotline")
    worker = make_user("worker", "social_worker")
    case = make_case(actor=hotline, worker=worker)
    sheet = SafetySheet.objects.filter(is_current=True).first() or SafetySheet.objects.create(
        version="115-1", body="測試", hotlines="113｜113", is_current=True
    )
    first_inserted = threading.Event()
    errors = []

    def deliver(*, first: bool):
        # bulk_create: no history row, so the audit chain's own lock does not order the two.
        row = SheetDelivery(
            case_id=case.pk,
            sheet=sheet,
            method=SheetDelivery.Method.PHONE,
            delivered_at=timezone.now(),
            delivered_by=worker,
        )
        try:
            if not first:
                first_inserted.wait(10)
            with transaction.atomic():
                SheetDelivery.objects.bulk_create([row])
                if first:
                    first_inserted.set()
                    time.sleep(0.5)  # the second insert is now waiting in its trigger
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver, kwargs={"first": i == 0}) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert SheetDelivery.objects.filter(case=case).count() == 2
    assert kept() == counted() == 0
