"""The case lists' kept columns (cases.list_columns) equal a fresh computation after every write path.

Each step below goes through a real service (or the benchmark's bulk seeders) and then compares every
case's kept next deadline, last contact and latest dispatch with the values computed from scratch.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from cases import services, tracker
from cases.models import Case, Contact, Deadline, Dispatch, Intake, ServiceAppointment
from tests.cases.contact_factories import close_case, record_contact
from tests.factories import make_case, make_intake

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def computed(case: Case) -> tuple:
    """The kept values from the rows themselves, in Python."""
    open_rows = [(d.due_at, d.kind) for d in Deadline.objects.filter(case=case, state=Deadline.State.OPEN)]
    due, kind = min(open_rows) if open_rows else (None, "")
    contacts = [c.contacted_at for c in Contact.objects.filter(case=case)]
    contacts += [c.contacted_at for c in Contact.objects.filter(intake__case=case)]
    dispatches = [d.dispatched_at for d in Dispatch.objects.filter(case=case)]
    worker_id = Case.objects.get(pk=case.pk).assigned_worker_id
    delegated = sum(
        1
        for d in Deadline.objects.filter(case=case, state=Deadline.State.OPEN)
        if worker_id is not None and d.owner_id != worker_id
    )
    return due, kind, max(contacts, default=None), max(dispatches, default=None), delegated


def kept(case: Case) -> tuple:
    return tuple(
        Case.objects.filter(pk=case.pk).values_list(
            "next_deadline_due_at",
            "next_deadline_kind",
            "last_contact_at",
            "last_dispatched_at",
            "delegated_deadlines",
        )[0]
    )


def assert_all_kept() -> None:
    cases = list(Case.objects.all())
    assert cases
    for case in cases:
        assert kept(case) == computed(case), case.number


def in_days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def test_every_hub_write_path_keeps_the_list_columns(hotline, worker, worker2, supervisor):
    # An intake's follow-up contact, then the intake opened as a case: the contact is the case's.
    intake = make_intake(actor=hotline, source=Intake.Source.REFERRAL)
    record_contact(
        actor=hotline,
        intake=intake,
        result=Contact.Result.NOT_REACHED,
        contacted_at=timezone.now() - dt.timedelta(days=3),
    )
    case = services.case_open_from_intake(actor=hotline, intake=intake)
    assert kept(case)[2] is not None
    assert_all_kept()

    # A second intake with a later contact joins the case.
    second = make_intake(actor=hotline)
    record_contact(
        actor=hotline,
        intake=second,
        result=Contact.Result.NOT_REACHED,
        contacted_at=timezone.now() - dt.timedelta(days=1),
    )
    services.intake_attach(actor=hotline, intake=second, case=case)
    assert_all_kept()

    # Dispatch and re-dispatch.
    services.dispatch_case(actor=hotline, case=case, worker=worker, reason="派案")
    assert kept(case)[3] is not None
    assert_all_kept()
    services.dispatch_case(actor=supervisor, case=case, worker=worker2, reason="改派")
    assert_all_kept()

    # A deadline the earlier worker owns on the case (an escort's) is delegated until it closes.
    escort = tracker.deadline_open(
        case=case,
        kind=Deadline.Kind.SERVICE_RECORD,
        source=case.dispatches.order_by("dispatched_at").first(),
        title="出勤服務工作紀錄表",
        due=in_days(3),
        owner=worker,
    )
    assert kept(case)[4] == 1
    assert_all_kept()
    tracker.deadline_close(actor=worker, deadline=escort, state=Deadline.State.DONE)
    assert kept(case)[4] == 0
    assert_all_kept()

    # A contact logged on an intake that has joined the case (a stale copy of it) goes to the case.
    record_contact(actor=hotline, intake=second, result=Contact.Result.NOT_REACHED)
    assert Contact.objects.filter(case=case).count() == 1
    assert_all_kept()
    # A contact on the case that books the next contact (a tracker deadline).
    record_contact(actor=worker2, case=case, next_contact_on=in_days(10))
    assert kept(case)[1] == Deadline.Kind.NEXT_CONTACT
    assert_all_kept()

    # The tracker: open an earlier deadline, move it later, reopen it, close, settle, cancel.
    source = case.intakes.order_by("received_at").first()
    tracker.deadline_open(
        case=case, kind=Deadline.Kind.COMPLAINT, source=source, title="告訴期間", due=in_days(5)
    )
    assert kept(case)[1] == Deadline.Kind.COMPLAINT
    assert_all_kept()
    tracker.deadline_open(
        case=case, kind=Deadline.Kind.COMPLAINT, source=source, title="告訴期間", due=in_days(20)
    )
    assert kept(case)[1] == Deadline.Kind.NEXT_CONTACT
    assert_all_kept()
    next_contact = case.deadlines.get(kind=Deadline.Kind.NEXT_CONTACT, state=Deadline.State.OPEN)
    tracker.deadline_close(actor=worker2, deadline=next_contact, state=Deadline.State.DONE)
    assert kept(case)[1] == Deadline.Kind.COMPLAINT
    assert_all_kept()
    tracker.deadline_settle(
        case=case,
        kind=Deadline.Kind.COMPLAINT,
        source=source,
        title="告訴期間",
        due=in_days(20),
        state=Deadline.State.DONE,
        reason="已提告",
        actor=worker2,
    )
    assert kept(case)[:2] == (None, "")
    assert_all_kept()
    tracker.deadline_open(
        case=case, kind=Deadline.Kind.COMPLAINT, source=source, title="告訴期間", due=in_days(3)
    )
    assert kept(case)[1] == Deadline.Kind.COMPLAINT
    assert_all_kept()
    assert (
        tracker.deadline_cancel_for_source(source=source, kind=Deadline.Kind.COMPLAINT, reason="不適用") == 1
    )
    assert kept(case)[:2] == (None, "")
    assert_all_kept()

    # A contact settles the next-contact deadline an earlier contact set.
    record_contact(actor=worker2, case=case, next_contact_on=in_days(4))
    record_contact(actor=worker2, case=case)
    assert kept(case)[:2] == (None, "")
    assert_all_kept()

    # Appointments: booked on the case (a deadline), then cancelled; booked on an intake that joins.
    appointment = services.appointment_book(
        actor=worker2,
        service=ServiceAppointment.Service.LEGAL,
        scheduled_at=timezone.now() + dt.timedelta(days=2),
        case=case,
    )
    assert kept(case)[1] == Deadline.Kind.APPOINTMENT
    assert_all_kept()
    services.appointment_set_status(
        actor=worker2, appointment=appointment, status=ServiceAppointment.Status.CANCELLED
    )
    assert kept(case)[:2] == (None, "")
    assert_all_kept()
    third = make_intake(actor=hotline)
    services.appointment_book(
        actor=hotline,
        service=ServiceAppointment.Service.LEGAL,
        scheduled_at=timezone.now() + dt.timedelta(days=6),
        intake=third,
    )
    services.intake_attach(actor=hotline, intake=third, case=case)
    assert kept(case)[1] == Deadline.Kind.APPOINTMENT
    assert_all_kept()
    for deadline in case.deadlines.filter(state=Deadline.State.OPEN):
        tracker.deadline_close(
            actor=worker2, deadline=deadline, state=Deadline.State.NOT_APPLICABLE, reason="取消"
        )

    # Closing and reopening change none of them; another case is never touched.
    other = make_case(actor=hotline, worker=worker)
    close_case(worker=worker2, supervisor=supervisor, case=case)
    services.case_reopen(actor=supervisor, case=case, note="影像再次出現")
    assert_all_kept()
    assert kept(other) == computed(other)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="set-based copying needs PostgreSQL")
def test_the_benchmark_seeders_keep_the_list_columns():
    from bench import clone, deadlines, seed

    users = seed.ensure_users(workers=3, police=2)
    seed.seed(users=users, cases=30, batch_size=10, log=lambda _: None)
    deadlines.seed_deadlines(batch_size=20, log=lambda _: None)
    assert_all_kept()
    clone.clone(cases=30, log=lambda _: None)
    assert Case.objects.count() == 60
    assert_all_kept()


def test_refresh_all_repairs_every_case(hotline, worker):
    from cases.list_columns import case_list_columns_refresh_all

    case = make_case(actor=hotline, worker=worker)
    record_contact(actor=worker, case=case, next_contact_on=in_days(2))
    Case.objects.update(
        next_deadline_due_at=None,
        next_deadline_kind="",
        last_contact_at=None,
        last_dispatched_at=None,
        delegated_deadlines=7,
    )
    assert case_list_columns_refresh_all() == 1
    assert_all_kept()
    assert case_list_columns_refresh_all() == 0  # nothing differs any more


# Writes of deadlines, contacts and dispatches live in the hub's services (and the benchmark's bulk
# seeders, which repair the columns afterwards); a new writer elsewhere would leave the lists stale.
WRITERS = re.compile(
    r"(?<!class )\b(Deadline|Contact|Dispatch)(\(|\.objects\.(create|bulk_create|update|get_or_create))"
)
ALLOWED = {"cases/tracker.py", "cases/services/contacts.py", "cases/services/intake.py"}


def test_only_the_hub_services_write_deadlines_contacts_and_dispatches():
    found = set()
    apps = [p for p in ROOT.iterdir() if (p / "apps.py").exists() and p.name != "bench"]
    assert {"cases", "legal", "referrals"} <= {p.name for p in apps}
    for path in (f for app in apps for f in app.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative:
            continue
        if WRITERS.search(path.read_text(encoding="utf-8")):
            found.add(relative)
    assert found <= ALLOWED, found - ALLOWED
