"""The deadline tracker (docs/architecture.md): open, close and remind. Satellites call these; they never
write Deadline rows themselves.
"""

from __future__ import annotations

import datetime as dt
import functools
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case as CaseWhen
from django.db.models import DateTimeField, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from cases.list_columns import case_list_columns_refresh, lock_cases
from cases.models import Case, Deadline, DeadlineReminder, JobLock, Notification
from cases.models.tracker import ReminderSchedule
from cases.page_rows import url_maker
from cases.rocdate import format_roc
from cases.roles import Role


def end_of_day(day: dt.date) -> dt.datetime:
    """A date-only deadline is due at 23:59:59 Asia/Taipei of that day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)), timezone.get_default_timezone())


def _history_actor(obj, actor) -> None:
    obj._history_user = actor


def _upsert(*, case, kind, source, title, due, owner, note, is_warning, actor) -> tuple[Deadline, bool]:
    """The one deadline a source sets for a kind, created or brought up to date (not yet saved), and
    whether its due moment is new (its reminders start again)."""
    all_day = not isinstance(due, dt.datetime)
    due_at = end_of_day(due) if all_day else due
    source_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    lock_cases([case.pk])
    deadline = (
        Deadline.objects.select_for_update()
        .filter(source_type=source_type, source_id=str(source.pk), kind=kind)
        .first()
    )
    moved = deadline is None or deadline.due_at != due_at
    if deadline is None:
        deadline = Deadline(case=case, kind=kind, source_type=source_type, source_id=str(source.pk))
    elif moved:
        deadline.reminders.all().delete()
    deadline.title = title[:120]
    deadline.due_at = due_at
    deadline.all_day = all_day
    deadline.owner = owner if owner is not None else case.assigned_worker
    deadline.note = note[:300]
    deadline.is_warning = is_warning
    _history_actor(deadline, actor)
    return deadline, moved


def _schedule_reminders(deadline: Deadline) -> None:
    """From its first step (again); the scan skips steps whose reminders went out before. One query."""
    ReminderSchedule.objects.bulk_create(
        [ReminderSchedule(deadline=deadline, next_at=first_reminder_at(deadline.due_at))],
        update_conflicts=True,
        unique_fields=["deadline"],
        update_fields=["next_at"],
    )


def _unschedule_reminders(deadlines) -> None:
    ReminderSchedule.objects.filter(deadline__in=deadlines).delete()


@transaction.atomic
def deadline_open(
    *,
    case: Case,
    kind: str,
    source,
    title: str,
    due: dt.date | dt.datetime,
    owner=None,
    note: str = "",
    is_warning: bool = False,
    actor=None,
) -> Deadline:
    """The source sets this deadline and it is live: create, update or reopen it (one per source and kind).

    A date is due at the end of that day in Asia/Taipei; a datetime (an appointment, a 72-hour SLA) as
    given. A row closed earlier is reopened, whatever closed it (a filed date cleared, an appointment
    rebooked), and its old closing is forgotten; reminders sent for an old date are cleared so the
    new date is reminded afresh.
    """
    deadline, moved = _upsert(
        case=case,
        kind=kind,
        source=source,
        title=title,
        due=due,
        owner=owner,
        note=note,
        is_warning=is_warning,
        actor=actor,
    )
    reopened = deadline.state != Deadline.State.OPEN
    if reopened:
        deadline.state = Deadline.State.OPEN
        deadline.closed_by = None
        deadline.closed_at = None
        deadline.close_reason = ""
    deadline.full_clean(validate_unique=False)
    deadline.save()
    if moved or reopened:
        _schedule_reminders(deadline)
    case_list_columns_refresh(case_ids=[deadline.case_id])
    return deadline


@transaction.atomic
def deadline_settle(
    *,
    case: Case,
    kind: str,
    source,
    title: str,
    due: dt.date | dt.datetime,
    state: str,
    reason: str,
    owner=None,
    note: str = "",
    actor=None,
) -> Deadline:
    """The source says the deadline was met (done) or not (missed): record it, once.

    Saving the same source again keeps who closed it and when; a change of outcome is recorded anew.
    """
    deadline, _ = _upsert(
        case=case,
        kind=kind,
        source=source,
        title=title,
        due=due,
        owner=owner,
        note=note,
        is_warning=False,
        actor=actor,
    )
    if deadline.state != state or deadline.close_reason != reason:
        deadline.state = state
        deadline.closed_by = actor
        deadline.closed_at = timezone.now()
        deadline.close_reason = reason
    deadline.full_clean(validate_unique=False)
    deadline.save()
    _unschedule_reminders([deadline])
    case_list_columns_refresh(case_ids=[deadline.case_id])
    return deadline


@transaction.atomic
def deadline_close(*, actor, deadline: Deadline, state: str, reason: str = "") -> Deadline:
    """Mark done, missed or not applicable, with who and why."""
    if state not in (Deadline.State.DONE, Deadline.State.MISSED, Deadline.State.NOT_APPLICABLE):
        raise ValidationError({"state": "請選擇完成、逾期未完成或不適用。"})
    if state != Deadline.State.DONE and not reason.strip():
        raise ValidationError({"reason": "標示逾期或不適用時，請說明原因。"})
    lock_cases([deadline.case_id])
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if deadline.state != Deadline.State.OPEN:
        raise ValidationError("這個期限已經結束，請重新整理頁面。", code="deadline_closed")
    deadline.state = state
    deadline.closed_by = actor
    deadline.closed_at = timezone.now()
    deadline.close_reason = reason.strip()
    _history_actor(deadline, actor)
    deadline.save(update_fields=["state", "closed_by", "closed_at", "close_reason"])
    _unschedule_reminders([deadline])
    case_list_columns_refresh(case_ids=[deadline.case_id])
    return deadline


@transaction.atomic
def deadline_cancel_for_source(*, source, kind: str, actor=None, reason: str) -> int:
    """The source no longer sets this deadline (e.g. the offender became known, a date was removed)."""
    source_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    rows = Deadline.objects.filter(
        source_type=source_type, source_id=str(source.pk), kind=kind, state=Deadline.State.OPEN
    )
    case_ids = lock_cases(rows.values_list("case_id", flat=True))
    if not case_ids:
        return 0
    count = 0
    for deadline in rows.select_for_update():
        deadline.state = Deadline.State.NOT_APPLICABLE
        deadline.closed_by = actor
        deadline.closed_at = timezone.now()
        deadline.close_reason = reason
        _history_actor(deadline, actor)
        deadline.save(update_fields=["state", "closed_by", "closed_at", "close_reason"])
        _unschedule_reminders([deadline])
        count += 1
    case_list_columns_refresh(case_ids=case_ids)
    return count


@transaction.atomic
def deadlines_hand_over(*, case: Case, previous_worker, worker, actor=None) -> int:
    """On re-dispatch the new worker owns the case's open deadlines the previous worker owned."""
    rows = Deadline.objects.select_for_update().filter(case=case, state=Deadline.State.OPEN)
    rows = (
        rows.filter(Q(owner__isnull=True) | Q(owner=previous_worker))
        if previous_worker
        else rows.filter(owner__isnull=True)
    )
    count = 0
    for deadline in rows:
        deadline.owner = worker
        _history_actor(deadline, actor)
        deadline.save(update_fields=["owner"])
        count += 1
    return count


# --- reminders -------------------------------------------------------------------------------


def reminder_offsets() -> list[int]:
    """Days before the due date on which the owner is reminded (settings: DEADLINE_REMINDER_DAYS)."""
    return sorted({int(d) for d in settings.DEADLINE_REMINDER_DAYS}, reverse=True)


def reminder_step(days_left: int, offsets: list[int]) -> int | None:
    """The reminder step a deadline is in: the smallest offset not below the days left, -1 when overdue."""
    if days_left < 0:
        return DeadlineReminder.OVERDUE
    candidates = [o for o in offsets if o >= days_left]
    return min(candidates) if candidates else None


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def next_reminder_at(
    due_at: dt.datetime, *, after_step: int | None, offsets: list[int]
) -> dt.datetime | None:
    """When a deadline enters the reminder step after `after_step` (None: its first step).

    Step `n` begins at 00:00 Asia/Taipei `n` days before the due date, the overdue step the day after
    it; there is nothing after the overdue step (None).
    """
    return _next_step_start(timezone.localtime(due_at).date(), after_step=after_step, offsets=offsets)


def _next_step_start(due_day: dt.date, *, after_step: int | None, offsets: list[int]) -> dt.datetime | None:
    """next_reminder_at by the Taipei due date, which is all it depends on."""
    if after_step == DeadlineReminder.OVERDUE:
        return None
    later = [o for o in offsets if after_step is None or o < after_step]
    if later:
        return _day_start(due_day - dt.timedelta(days=max(later)))
    return _day_start(due_day + dt.timedelta(days=1))


def first_reminder_at(due_at: dt.datetime) -> dt.datetime:
    """When a deadline due at `due_at` gets its first reminder (ReminderSchedule.next_at)."""
    return next_reminder_at(due_at, after_step=None, offsets=reminder_offsets())


def _reminder_text(*, number: str, title: str, when: str, days_left: int) -> str:
    if days_left < 0:
        return f"案件 {number}：{title} 已於 {when} 逾期（{-days_left} 天），請處理。"
    if days_left == 0:
        return f"案件 {number}：{title} 今天（{when}）到期。"
    return f"案件 {number}：{title} 將於 {when} 到期（剩 {days_left} 天）。"


# Due deadlines handled per round of the scan: bounds memory and statement size on a first day.
SCAN_BATCH = 5000
# Overdue deadlines a scan tells each supervisor about one by one; past these, one summary sends them to
# the deadlines page. On an ordinary day a run finds a few; on a first day (or after an outage) it found
# 36,000 at 100k cases: that many notifications bury the inbox and, with two foreign-key checks each at
# commit, cost the run over a second.
SUPERVISOR_OVERDUE_EACH = 20


def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """The periodic scan: one reminder per deadline and step, to the owner; overdue also to supervisors
    (the first SUPERVISOR_OVERDUE_EACH of a run one by one, the rest in one summary).

    The due set is decided in SQL: `ReminderSchedule.next_at <= now`, on that narrow table's index.
    With nothing due that one index probe is the whole run: no deadline row is read. Each due deadline
    gets the reminder of the step it is in (unless already sent) and its schedule moves to the start of
    its next step, or goes after the overdue step, so it leaves the due set. The query count depends
    on the number of due deadlines only through SCAN_BATCH.

    Idempotent across re-runs and concurrent beats: the scan holds a row lock for its whole
    transaction, re-reads the due set and what was already sent inside it, and the unique
    (deadline, step) constraint is the backstop.
    """
    now = now or timezone.now()
    due = ReminderSchedule.objects.filter(next_at__lte=now)
    # Ordered by the indexed column so that the planner walks the index whatever it estimates.
    if not due.order_by("next_at").values_list("next_at")[:1]:
        return 0
    today = timezone.localtime(now).date()
    offsets = reminder_offsets()
    case_url = url_maker()
    supervisors: list[int] | None = None
    count = 0
    overdue_told = overdue_more = 0  # to the supervisors, one by one / in the summary

    zone = timezone.get_current_timezone()  # once: timezone.localtime() looks it up on every call

    @functools.cache
    def timing(due_day: dt.date) -> tuple[int, int | None, dt.datetime | None, str]:
        # All of it depends on the Taipei due date only, which thousands of deadlines share: once a day.
        days_left = (due_day - today).days
        step = reminder_step(days_left, offsets)
        return (
            days_left,
            step,
            _next_step_start(due_day, after_step=step, offsets=offsets),
            format_roc(due_day),
        )

    with transaction.atomic():
        JobLock.hold("deadline_reminders")
        # Steps already sent to due deadlines (a reopened row, a schedule set back): skipped, not resent.
        sent = set(
            DeadlineReminder.objects.filter(deadline__reminder_schedule__next_at__lte=now).values_list(
                "deadline_id", "days_before"
            )
        )
        while True:
            rows = list(
                due.order_by().values_list(
                    "deadline_id",
                    "deadline__state",
                    "deadline__due_at",
                    "deadline__title",
                    "deadline__owner_id",
                    "deadline__case_id",
                    "deadline__case__number",
                    "deadline__case__assigned_worker_id",
                )[:SCAN_BATCH]
            )
            if not rows:
                break
            reminders, notifications, moves = [], [], []
            for pk, state, due_at, title, owner_id, case_id, number, worker_id in rows:
                if state != Deadline.State.OPEN:  # closed without its schedule (not by the tracker)
                    moves.append((pk, None))
                    continue
                days_left, step, next_at, when = timing(due_at.astimezone(zone).date())
                moves.append((pk, next_at))
                if step is None or (pk, step) in sent:
                    continue
                reminders.append((pk, step, now))
                recipients = [owner_id or worker_id]
                if step == DeadlineReminder.OVERDUE:
                    if supervisors is None:
                        supervisors = list(
                            get_user_model()
                            .objects.filter(is_active=True, groups__name=Role.SUPERVISOR)
                            .values_list("pk", flat=True)
                        )
                    if overdue_told < SUPERVISOR_OVERDUE_EACH:
                        recipients += supervisors
                        overdue_told += 1
                    else:
                        overdue_more += 1
                text = _reminder_text(number=number, title=title, when=when, days_left=days_left)[:300]
                url = case_url(case_id)
                for recipient in dict.fromkeys(r for r in recipients if r is not None):
                    notifications.append((recipient, Notification.Kind.DEADLINE, case_id, text, url, now))
            _insert(DeadlineReminder, ["deadline_id", "days_before", "sent_at"], reminders)
            _insert(Notification, NOTIFICATION_COLUMNS, notifications)
            _move_next_reminders(moves)
            count += len(reminders)
            if len(rows) < SCAN_BATCH:
                break
        if overdue_more and supervisors:
            text = (
                f"期限掃描：另有 {overdue_more} 件期限已逾期（本次共 {overdue_told + overdue_more} 件），"
                "請至「期限」頁查看逾期清單。"
            )
            url = reverse("cases:deadlines")
            _insert(
                Notification,
                NOTIFICATION_COLUMNS,
                [(pk, Notification.Kind.DEADLINE, None, text, url, now) for pk in supervisors],
            )
    return count


NOTIFICATION_COLUMNS = ["recipient_id", "kind", "case_id", "text", "url", "created_at"]


def _insert(model, fields: list[str], rows: list[tuple]) -> None:
    """Many rows, no model instance each: a first day over 300k deadlines writes ~40k reminders and ~80k
    notifications. PostgreSQL takes them by COPY (rows formatted in C); elsewhere bulk_create."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in rows])
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    connection.ensure_connection()
    started = time.monotonic()
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
    _log_query(sql, started)


def _log_query(sql: str, started: float) -> None:
    """Statements run on the driver's own cursor still count in query logs (pinned counts, debug)."""
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})


def _execute_with_arrays(sql: str, params: list[list]) -> None:
    """PostgreSQL, with the arrays bound as binary parameters: Django's client-side binding would quote
    every one of ~100k values in Python. Still logged like any query (query counts, debug)."""
    import psycopg

    connection.ensure_connection()
    started = time.monotonic()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
    _log_query(sql, started)


def _move_next_reminders(moves: list[tuple]) -> None:
    """Each deadline of a round to the start of its next step (always after today), or out of the
    schedule after its overdue step: one UPDATE and one DELETE at most."""
    done = [pk for pk, when in moves if when is None]
    moved = [(pk, when) for pk, when in moves if when is not None]
    if connection.vendor == "postgresql":
        if done:
            _execute_with_arrays(
                f"DELETE FROM {ReminderSchedule._meta.db_table} WHERE deadline_id = ANY(%s::uuid[])", [done]
            )
        if not moved:
            return
        pks, values = zip(*moved, strict=True)
        _execute_with_arrays(
            f"UPDATE {ReminderSchedule._meta.db_table} AS s SET next_at = m.at "
            "FROM unnest(%s::uuid[], %s::timestamptz[]) AS m(id, at) WHERE s.deadline_id = m.id",
            [list(pks), list(values)],
        )
        return
    if done:
        ReminderSchedule.objects.filter(pk__in=done).delete()
    if not moved:
        return
    groups: dict[dt.datetime, list] = {}
    for pk, when in moved:
        groups.setdefault(when, []).append(pk)
    value = CaseWhen(
        *(When(pk__in=group, then=Value(when)) for when, group in groups.items()),
        output_field=DateTimeField(),
    )
    ReminderSchedule.objects.filter(pk__in=[pk for pk, _ in moved]).update(next_at=value)
