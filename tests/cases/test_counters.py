"""The overview's counters (cases/counters.py): kept by database triggers in the transaction of every
change, so they always equal a full count of the tables."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from cases import counters, services
from cases.models import Case, Contact, Deadline, Intake, UnitCounter
from cases.roles import sync_role_groups
from tests.factories import make_case, make_intake, make_user

pytestmark = pytest.mark.django_db


def kept() -> dict[str, int]:
    values, _ = counters.read(cap=1000)
    # The hub's own counters (apps keep theirs in the same table: tests/safety/test_counters.py).
    return {key: n for key, n in values.items() if n and key.startswith(("case:", "intake:"))}


def counted() -> dict[str, int]:
    """What the counters should say: full counts of the tables."""
    expected = {f"case:{status}": Case.objects.filter(status=status).count() for status in Case.Status.values}
    expected[counters.FLAGGED] = Case.objects.filter(danger_since__isnull=False).count()
    expected[counters.PENDING_INTAKES] = Intake.objects.filter(status=Intake.Status.PENDING).count()
    return {key: n for key, n in expected.items() if n}


def flag(case, worker):
    services.contact_record(
        actor=worker,
        case=case,
        contacted_at=timezone.now(),
        mode=Contact.Mode.PHONE,
        result=Contact.Result.REACHED,
        immediate_danger=Contact.Danger.YES,
    )


def close(case, *, worker, supervisor):
    # Closing waits for every open deadline; their outcomes are not what this test is about.
    Deadline.objects.filter(case=case, state=Deadline.State.OPEN).update(state=Deadline.State.DONE)
    services.case_close_request(actor=worker, case=case, closing_reason="goals_met", note="服務完成")
    services.case_close_decide(actor=supervisor, case=case, approve=True, comment="同意")


class TestEveryWritePath:
    def test_intakes_waiting_accepted_attached_and_closed(self, hotline):
        assert kept() == counted() == {}
        first = make_intake(actor=hotline)
        second = make_intake(actor=hotline)
        third = make_intake(actor=hotline)
        assert kept() == counted() == {counters.PENDING_INTAKES: 3}
        case = services.case_open_from_intake(actor=hotline, intake=first)
        services.intake_attach(actor=hotline, intake=second, case=case)
        services.intake_close(actor=hotline, intake=third, note="僅諮詢")
        assert kept() == counted() == {"case:new": 1}

    def test_case_states_through_the_services(self, hotline, worker, supervisor):
        case = make_case(actor=hotline)
        assert kept() == counted() == {"case:new": 1}
        services.dispatch_case(actor=hotline, case=case, worker=worker, reason="派案")
        assert kept() == counted() == {"case:assigned": 1}
        close(case, worker=worker, supervisor=supervisor)
        assert kept() == counted() == {"case:closed": 1}
        services.case_reopen(actor=supervisor, case=case, note="影像再次散布")
        assert kept() == counted()
        assert counted().get("case:closed") is None

    def test_the_danger_flag_set_and_cleared(self, hotline, worker, supervisor):
        case = make_case(actor=hotline, worker=worker)
        flag(case, worker)
        assert kept() == counted() == {"case:assigned": 1, counters.FLAGGED: 1}
        flag(case, worker)  # flagged again: still one flagged case
        assert kept() == counted()
        services.case_clear_danger(actor=supervisor, case=case, note="警方確認安全")
        assert kept() == counted() == {"case:assigned": 1}

    def test_a_flag_from_the_intake(self, hotline):
        make_case(actor=hotline, immediate_danger=Intake.Danger.YES)
        assert kept() == counted()
        assert kept()[counters.FLAGGED] == 1

    def test_deletes_and_bulk_writes_outside_the_services(self, hotline, worker):
        cases = [make_case(actor=hotline, worker=worker) for _ in range(3)]
        make_intake(actor=hotline)
        Case.objects.filter(pk=cases[0].pk).update(status=Case.Status.CLOSED, danger_since=timezone.now())
        Intake.objects.filter(status=Intake.Status.PENDING).update(status=Intake.Status.CLOSED)
        assert kept() == counted() == {"case:assigned": 2, "case:closed": 1, counters.FLAGGED: 1}
        Intake.objects.filter(case=cases[1]).delete()
        cases[1].delete()
        assert kept() == counted() == {"case:assigned": 1, "case:closed": 1, counters.FLAGGED: 1}

    def test_an_update_of_other_columns_writes_no_counter_row(self, hotline, worker):
        make_case(actor=hotline, worker=worker)
        before = UnitCounter.objects.count()
        Case.objects.update(updated_at=timezone.now(), last_contact_at=timezone.now())
        Case.objects.update(status=Case.Status.ASSIGNED)  # the same value: nothing changed
        assert UnitCounter.objects.count() == before


class TestMaintenance:
    def test_compact_keeps_the_sums_in_one_row_per_key(self, hotline, worker):
        for _ in range(3):
            make_case(actor=hotline, worker=worker)
        before = kept()
        counters.compact()
        assert kept() == before == counted()
        assert UnitCounter.objects.filter(key__in=before).count() == len(before)

    def test_recount_repairs_what_bypassed_the_triggers(self, hotline):
        make_case(actor=hotline)
        UnitCounter.objects.all().delete()
        assert kept() == {}
        counters.recount()
        assert kept() == counted() == {"case:new": 1}

    def test_the_overview_reads_counters_and_panel_counts_in_one_query(
        self, hotline, django_assert_num_queries
    ):
        make_case(actor=hotline)
        with django_assert_num_queries(1):
            values, also = counters.read(also={"new": Case.objects.filter(status="new")}, cap=1000)
        assert values["case:new"] == also["new"] == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
class TestConcurrentWriters:
    def test_two_transactions_changing_counters_in_opposite_orders_do_not_wait_for_each_other(self):
        """Each holds its first change uncommitted while it makes the second: with one locked row per
        counter this deadlocks; with delta rows neither waits."""
        sync_role_groups()  # transactional tests start from flushed tables
        hotline = make_user("hotline", "hotline")
        worker = make_user("worker", "social_worker")
        cases = [make_case(actor=hotline, worker=worker) for _ in range(2)]
        intakes = [make_intake(actor=hotline) for _ in range(2)]
        both_started = threading.Barrier(2, timeout=10)
        errors = []

        def run(first, second):
            try:
                with transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL lock_timeout = '5s'")
                    first()
                    both_started.wait()
                    second()
                    both_started.wait()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                connections.close_all()

        # Row updates without history rows: the audit chain's own lock is not what is tested here.
        def flag(case):
            return lambda: Case.objects.filter(pk=case.pk).update(danger_since=timezone.now())

        def handle(intake):
            return lambda: Intake.objects.filter(pk=intake.pk).update(status=Intake.Status.CLOSED)

        threads = [
            threading.Thread(target=run, args=(flag(cases[0]), handle(intakes[0]))),
            threading.Thread(target=run, args=(handle(intakes[1]), flag(cases[1]))),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert not errors
        assert kept() == counted() == {"case:assigned": 2, counters.FLAGGED: 2}
