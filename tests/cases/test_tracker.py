"""The deadline tracker: one row per source and kind, closing with who and why, idempotent reminders."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from cases import tracker
from cases.models import Deadline, DeadlineReminder, JobLock, Notification
from cases.models.tracker import ReminderSchedule
from tests.factories import make_case

pytestmark = pytest.mark.django_db
TAIPEI = ZoneInfo("Asia/Taipei")


def at(y, m, d, h=9):
    return dt.datetime(y, m, d, h, 0, tzinfo=TAIPEI)


@pytest.fixture
def case(hotline, worker):
    return make_case(actor=hotline, worker=worker)


def open_complaint(case, due=dt.date(2026, 6, 30), **kw):
    # The intake stands in as the source record here; satellites pass their own records.
    source = case.intakes.get()
    return tracker.deadline_open(
        case=case, kind=Deadline.Kind.COMPLAINT, source=source, title="告訴期間", due=due, **kw
    )


def test_a_date_is_due_at_the_end_of_that_day_in_taipei(case, worker):
    deadline = open_complaint(case)
    local = deadline.due_at.astimezone(TAIPEI)
    assert (local.date(), local.hour, local.minute) == (dt.date(2026, 6, 30), 23, 59)
    assert deadline.owner == worker and deadline.state == Deadline.State.OPEN and deadline.all_day


def test_reopening_the_same_source_updates_the_row_instead_of_adding_one(case):
    first = open_complaint(case, due=dt.date(2026, 6, 30))
    second = open_complaint(case, due=dt.date(2026, 7, 31))
    assert first.pk == second.pk
    assert Deadline.objects.count() == 1
    assert second.due_at.astimezone(TAIPEI).date() == dt.date(2026, 7, 31)


def test_closing_as_missed_needs_a_reason_and_records_who(case, worker):
    deadline = open_complaint(case)
    with pytest.raises(ValidationError):
        tracker.deadline_close(actor=worker, deadline=deadline, state=Deadline.State.MISSED, reason="")
    tracker.deadline_close(
        actor=worker, deadline=deadline, state=Deadline.State.MISSED, reason="被害人決定不提告"
    )
    deadline.refresh_from_db()
    assert (deadline.state, deadline.closed_by, deadline.close_reason) == (
        Deadline.State.MISSED,
        worker,
        "被害人決定不提告",
    )
    with pytest.raises(ValidationError):
        tracker.deadline_close(actor=worker, deadline=deadline, state=Deadline.State.DONE)


@pytest.mark.parametrize(
    ("days_left", "step"),
    [
        (45, None),
        (31, None),
        (30, 30),
        (20, 30),
        (14, 14),
        (8, 14),
        (4, 7),
        (2, 3),
        (1, 1),
        (0, 0),
        (-1, -1),
        (-90, -1),
    ],
)
def test_reminder_step(days_left, step):
    assert tracker.reminder_step(days_left, [30, 14, 7, 3, 1, 0]) == step


def test_scan_reminds_the_owner_once_per_step(case, worker, supervisor):
    open_complaint(case, due=dt.date(2026, 6, 30))
    assert tracker.send_due_reminders(now=at(2026, 6, 23)) == 1  # 7 days left
    assert tracker.send_due_reminders(now=at(2026, 6, 23, 15)) == 0  # same day again: nothing
    assert tracker.send_due_reminders(now=at(2026, 6, 24)) == 0  # 6 days left: still the 7-day step
    assert tracker.send_due_reminders(now=at(2026, 6, 27)) == 1  # 3 days left
    texts = list(
        Notification.objects.filter(recipient=worker, kind=Notification.Kind.DEADLINE)
        .order_by("created_at")
        .values_list("text", flat=True)
    )
    assert len(texts) == 2
    assert "剩 7 天" in texts[0] and "115.06.30" in texts[0] and case.number in texts[0]
    assert case.victim.name not in "".join(texts)
    assert not Notification.objects.filter(recipient=supervisor).exists()


def test_overdue_goes_to_the_supervisors_too(case, worker, supervisor):
    open_complaint(case, due=dt.date(2026, 6, 30))
    assert tracker.send_due_reminders(now=at(2026, 7, 2)) == 1
    assert Notification.objects.filter(recipient=supervisor, text__contains="逾期").count() == 1
    assert Notification.objects.filter(recipient=worker, text__contains="逾期").count() == 1
    assert tracker.send_due_reminders(now=at(2026, 7, 3)) == 0


def test_past_a_runs_first_overdue_the_supervisors_get_one_summary(hotline, worker, supervisor, monkeypatch):
    """A first day (or a night after an outage) finds thousands overdue: each worker still hears of each of
    theirs, the supervisors of the first few and then once, with the count and the deadlines page."""
    from django.urls import reverse

    monkeypatch.setattr(tracker, "SUPERVISOR_OVERDUE_EACH", 2)
    cases = [make_case(actor=hotline, worker=worker) for _ in range(5)]
    for case in cases:
        open_complaint(case, due=dt.date(2026, 6, 30))
    assert tracker.send_due_reminders(now=at(2026, 7, 2)) == 5
    assert Notification.objects.filter(recipient=worker, text__contains="逾期").count() == 5
    theirs = list(Notification.objects.filter(recipient=supervisor).order_by("id"))
    assert len(theirs) == 3 and all(n.case_id for n in theirs[:2])
    summary = theirs[2]
    assert summary.case_id is None and summary.url == reverse("cases:deadlines")
    assert "另有 3 件期限已逾期（本次共 5 件）" in summary.text
    assert not any(case.number in summary.text or case.victim.name in summary.text for case in cases)
    # The next run has nothing new to tell: no second summary.
    assert tracker.send_due_reminders(now=at(2026, 7, 3)) == 0
    assert Notification.objects.filter(recipient=supervisor).count() == 3


def test_closed_deadlines_are_not_reminded(case, worker):
    deadline = open_complaint(case, due=dt.date(2026, 6, 30))
    tracker.deadline_close(actor=worker, deadline=deadline, state=Deadline.State.DONE)
    assert tracker.send_due_reminders(now=at(2026, 6, 29)) == 0


def test_moving_the_date_reminds_afresh(case):
    open_complaint(case, due=dt.date(2026, 6, 30))
    tracker.send_due_reminders(now=at(2026, 6, 29))
    open_complaint(case, due=dt.date(2026, 7, 30))
    assert not DeadlineReminder.objects.exists()
    assert tracker.send_due_reminders(now=at(2026, 6, 29)) == 0  # 31 days left: before the first step
    assert tracker.send_due_reminders(now=at(2026, 6, 30)) == 1
    assert DeadlineReminder.objects.get().days_before == 30


def test_redispatch_hands_open_deadlines_to_the_new_worker(case, worker, worker2, supervisor):
    from cases import services

    mine = open_complaint(case)
    other_source = case.victim  # any record can be a source; this one belongs to someone else
    theirs = tracker.deadline_open(
        case=case,
        kind=Deadline.Kind.APPOINTMENT,
        source=other_source,
        title="開庭",
        due=dt.date(2026, 7, 1),
        owner=supervisor,
    )
    services.dispatch_case(actor=supervisor, case=case, worker=worker2, reason="原社工休假")
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.owner == worker2
    assert theirs.owner == supervisor  # not the previous worker's, so it stays
    assert mine.history.first().history_user == supervisor


def test_reopening_a_not_applicable_deadline_forgets_the_old_closing(case, worker):
    deadline = open_complaint(case)
    tracker.deadline_close(
        actor=worker, deadline=deadline, state=Deadline.State.NOT_APPLICABLE, reason="改列非告訴乃論"
    )
    reopened = open_complaint(case, due=dt.date(2026, 8, 31))
    assert reopened.pk == deadline.pk
    assert (reopened.state, reopened.closed_by, reopened.closed_at, reopened.close_reason) == (
        Deadline.State.OPEN,
        None,
        None,
        "",
    )


# --- the scan's due set lives in SQL (issue 19) ------------------------------------------------------


def next_at(deadline):
    """When the scan next picks the deadline up; None when it never will."""
    return ReminderSchedule.objects.filter(deadline=deadline).values_list("next_at", flat=True).first()


def test_a_new_deadline_is_due_for_its_first_reminder_at_the_start_of_the_first_step(case):
    deadline = open_complaint(case, due=dt.date(2026, 6, 30))  # steps 30, 14, 7, 3, 1, 0 days before
    assert next_at(deadline) == dt.datetime(2026, 5, 31, 0, 0, tzinfo=TAIPEI)


def test_the_scan_moves_a_deadline_to_its_next_step_and_past_the_overdue_step_out_of_the_schedule(case):
    deadline = open_complaint(case, due=dt.date(2026, 6, 30))
    tracker.send_due_reminders(now=at(2026, 6, 20))  # 10 days left: the 14-day step, next is 7
    assert next_at(deadline) == dt.datetime(2026, 6, 23, 0, 0, tzinfo=TAIPEI)
    tracker.send_due_reminders(now=at(2026, 6, 30))  # the day itself, next is overdue
    assert next_at(deadline) == dt.datetime(2026, 7, 1, 0, 0, tzinfo=TAIPEI)
    tracker.send_due_reminders(now=at(2026, 7, 1))
    assert next_at(deadline) is None
    assert sorted(deadline.reminders.values_list("days_before", flat=True)) == [-1, 0, 14]


def test_closing_takes_a_deadline_out_of_the_schedule_and_reopening_puts_it_back(case, worker):
    deadline = open_complaint(case, due=dt.date(2026, 6, 30))
    tracker.deadline_close(actor=worker, deadline=deadline, state=Deadline.State.DONE)
    assert next_at(deadline) is None
    open_complaint(case, due=dt.date(2026, 6, 30))
    assert next_at(deadline) == dt.datetime(2026, 5, 31, 0, 0, tzinfo=TAIPEI)


def test_moving_the_date_schedules_the_first_step_of_the_new_date(case):
    deadline = open_complaint(case, due=dt.date(2026, 6, 30))
    tracker.send_due_reminders(now=at(2026, 7, 2))
    assert next_at(deadline) is None
    open_complaint(case, due=dt.date(2026, 9, 30))
    assert next_at(deadline) == dt.datetime(2026, 8, 31, 0, 0, tzinfo=TAIPEI)


def test_a_step_already_sent_is_not_sent_again_when_the_row_comes_due_again(case, worker):
    """A reopened row starts before steps that went out: they are skipped, not resent."""
    deadline = open_complaint(case, due=dt.date(2026, 6, 30))
    assert tracker.send_due_reminders(now=at(2026, 6, 27)) == 1
    ReminderSchedule.objects.filter(deadline=deadline).update(next_at=at(2026, 5, 31, 0))
    assert tracker.send_due_reminders(now=at(2026, 6, 28)) == 0
    assert next_at(deadline) == dt.datetime(2026, 6, 29, 0, 0, tzinfo=TAIPEI)
    assert Notification.objects.filter(recipient=worker, kind=Notification.Kind.DEADLINE).count() == 1


def test_the_steady_state_scan_is_one_index_probe(case, django_assert_num_queries):
    open_complaint(case, due=dt.date(2026, 6, 30))
    tracker.send_due_reminders(now=at(2026, 6, 23))
    with django_assert_num_queries(1) as ctx:
        assert tracker.send_due_reminders(now=at(2026, 6, 24)) == 0
    sql = ctx.captured_queries[0]["sql"]
    assert "cases_reminderschedule" in sql and "cases_deadline" not in sql and "LIMIT 1" in sql


def test_the_scan_works_through_a_backlog_larger_than_one_round(hotline, worker, monkeypatch):
    monkeypatch.setattr(tracker, "SCAN_BATCH", 2)
    for _ in range(5):
        open_complaint(make_case(actor=hotline, worker=worker), due=dt.date(2026, 6, 30))
    assert tracker.send_due_reminders(now=at(2026, 6, 29)) == 5
    assert tracker.send_due_reminders(now=at(2026, 6, 29, 18)) == 0
    assert DeadlineReminder.objects.filter(days_before=1).count() == 5
    assert Notification.objects.filter(recipient=worker, kind=Notification.Kind.DEADLINE).count() == 5


def test_reminder_notifications_link_to_the_case_page(case, worker):
    open_complaint(case, due=dt.date(2026, 6, 30))
    tracker.send_due_reminders(now=at(2026, 6, 29))
    reminder = Notification.objects.get(recipient=worker, kind=Notification.Kind.DEADLINE)
    assert reminder.url == case.get_absolute_url()


@pytest.mark.parametrize("overdue", [False, True], ids=["in-step", "overdue"])
def test_scan_query_count_is_pinned_for_n_and_3n_due(hotline, worker, supervisor, overdue, monkeypatch):
    """Pinned: the probe, a savepoint pair, the lock row (get, then lock), the steps already sent, the
    due rows, the supervisors (overdue only), the reminders, the notifications, and moving the rows on
    (UPDATE in step, DELETE after the overdue step)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = at(2026, 7, 1) if overdue else at(2026, 6, 23)
    JobLock.objects.get_or_create(name="deadline_reminders")  # made by the first run that had work

    def run_with(n):
        Deadline.objects.all().delete()
        for _ in range(n):
            open_complaint(make_case(actor=hotline, worker=worker), due=dt.date(2026, 6, 30))
        with CaptureQueriesContext(connection) as ctx:
            assert tracker.send_due_reminders(now=now) == n
        return len(ctx.captured_queries)

    expected = 11 if overdue else 10
    assert (run_with(2), run_with(6)) == (expected, expected)
    assert Notification.objects.filter(recipient=supervisor).count() == (8 if overdue else 0)
    if overdue:  # past the supervisors' one by one: one insert more, the summary, whatever the number
        monkeypatch.setattr(tracker, "SUPERVISOR_OVERDUE_EACH", 1)
        assert (run_with(2), run_with(6)) == (expected + 1, expected + 1)
