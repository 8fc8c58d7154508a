"""The deadline tracker (docs/architecture.md): open, close and remind. Satellites call these; they never
write Deadline rows themselves.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cases.models import Case, Deadline, DeadlineReminder, JobLock, Notification
from cases.notifications import build_notification
from cases.rocdate import format_roc
from cases.roles import Role


def end_of_day(day: dt.date) -> dt.datetime:
    """A date-only deadline is due at 23:59:59 Asia/Taipei of that day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)), timezone.get_default_timezone())


def _history_actor(obj, actor) -> None:
    obj._history_user = actor


def _upsert(*, case, kind, source, title, due, owner, note, is_warning, actor) -> Deadline:
    """The one deadline a source sets for a kind, created or brought up to date (not yet saved)."""
    all_day = not isinstance(due, dt.datetime)
    due_at = end_of_day(due) if all_day else due
    source_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    deadline = (
        Deadline.objects.select_for_update()
        .filter(source_type=source_type, source_id=str(source.pk), kind=kind)
        .first()
    )
    if deadline is None:
        deadline = Deadline(case=case, kind=kind, source_type=source_type, source_id=str(source.pk))
    elif deadline.due_at != due_at:
        deadline.reminders.all().delete()
    deadline.title = title[:120]
    deadline.due_at = due_at
    deadline.all_day = all_day
    deadline.owner = owner if owner is not None else case.assigned_worker
    deadline.note = note[:300]
    deadline.is_warning = is_warning
    _history_actor(deadline, actor)
    return deadline


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
    deadline = _upsert(
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
    if deadline.state != Deadline.State.OPEN:
        deadline.state = Deadline.State.OPEN
        deadline.closed_by = None
        deadline.closed_at = None
        deadline.close_reason = ""
    deadline.full_clean(validate_unique=False)
    deadline.save()
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
    deadline = _upsert(
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
    return deadline


@transaction.atomic
def deadline_close(*, actor, deadline: Deadline, state: str, reason: str = "") -> Deadline:
    """Mark done, missed or not applicable, with who and why."""
    if state not in (Deadline.State.DONE, Deadline.State.MISSED, Deadline.State.NOT_APPLICABLE):
        raise ValidationError({"state": "請選擇完成、逾期未完成或不適用。"})
    if state != Deadline.State.DONE and not reason.strip():
        raise ValidationError({"reason": "標示逾期或不適用時，請說明原因。"})
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if deadline.state != Deadline.State.OPEN:
        raise ValidationError("這個期限已經結束，請重新整理頁面。", code="deadline_closed")
    deadline.state = state
    deadline.closed_by = actor
    deadline.closed_at = timezone.now()
    deadline.close_reason = reason.strip()
    _history_actor(deadline, actor)
    deadline.save(update_fields=["state", "closed_by", "closed_at", "close_reason"])
    return deadline


@transaction.atomic
def deadline_cancel_for_source(*, source, kind: str, actor=None, reason: str) -> int:
    """The source no longer sets this deadline (e.g. the offender became known, a date was removed)."""
    source_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    rows = Deadline.objects.select_for_update().filter(
        source_type=source_type, source_id=str(source.pk), kind=kind, state=Deadline.State.OPEN
    )
    count = 0
    for deadline in rows:
        deadline.state = Deadline.State.NOT_APPLICABLE
        deadline.closed_by = actor
        deadline.closed_at = timezone.now()
        deadline.close_reason = reason
        _history_actor(deadline, actor)
        deadline.save(update_fields=["state", "closed_by", "closed_at", "close_reason"])
        count += 1
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


def _reminder_text(deadline: Deadline, days_left: int) -> str:
    when = format_roc(timezone.localtime(deadline.due_at).date())
    if days_left < 0:
        return f"案件 {deadline.case.number}：{deadline.title} 已於 {when} 逾期（{-days_left} 天），請處理。"
    if days_left == 0:
        return f"案件 {deadline.case.number}：{deadline.title} 今天（{when}）到期。"
    return f"案件 {deadline.case.number}：{deadline.title} 將於 {when} 到期（剩 {days_left} 天）。"


def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """The periodic scan: one reminder per deadline and step, to the owner; overdue also to supervisors.

    Idempotent across re-runs and concurrent beats: the scan holds a row lock for its whole
    transaction, re-reads what was already sent inside it, and the unique (deadline, step) constraint
    is the backstop. Query count does not depend on the number of cases.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    offsets = reminder_offsets()
    horizon = end_of_day(today + dt.timedelta(days=max(offsets)))
    with transaction.atomic():
        JobLock.hold("deadline_reminders")
        # The overdue reminder is the last step: deadlines that had it are not loaded again, so the
        # steady-state scan reads only deadlines that may still need something.
        overdue_sent = DeadlineReminder.objects.filter(
            deadline=OuterRef("pk"), days_before=DeadlineReminder.OVERDUE
        )
        candidates = Deadline.objects.filter(state=Deadline.State.OPEN, due_at__lte=horizon).exclude(
            Exists(overdue_sent)
        )
        due = list(candidates.select_related("case", "case__assigned_worker", "owner"))
        if not due:
            return 0
        sent = set(
            DeadlineReminder.objects.filter(deadline__in=candidates).values_list("deadline_id", "days_before")
        )
        supervisors = None
        reminders, notifications = [], []
        for deadline in due:
            days_left = (timezone.localtime(deadline.due_at).date() - today).days
            step = reminder_step(days_left, offsets)
            if step is None or (deadline.pk, step) in sent:
                continue
            reminders.append(DeadlineReminder(deadline=deadline, days_before=step, sent_at=now))
            recipients = [deadline.owner or deadline.case.assigned_worker]
            if step == DeadlineReminder.OVERDUE:
                if supervisors is None:
                    supervisors = list(
                        get_user_model().objects.filter(is_active=True, groups__name=Role.SUPERVISOR)
                    )
                recipients += supervisors
            text = _reminder_text(deadline, days_left)
            for recipient in {r.pk: r for r in recipients if r is not None}.values():
                notifications.append(
                    build_notification(
                        recipient=recipient, kind=Notification.Kind.DEADLINE, text=text, case=deadline.case
                    )
                )
        DeadlineReminder.objects.bulk_create(reminders)
        Notification.objects.bulk_create(notifications)
        return len(reminders)
