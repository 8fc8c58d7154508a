"""The SMS outbox: queue in the caller's transaction, deliver from a Celery task, sweep what is left.

docs/sms.md explains the states and the rules. In short:

- `sms_queue` writes an SmsMessage (number and text encrypted) in the same transaction as the change
  that causes it, and with `transaction.on_commit` makes sure one `sms_send_due` task is on its way
  (one per burst, not per message: request_drain). A broker error there is logged and swallowed: the
  save stands and the sweeper enqueues the row later.
- `sms_deliver_due` (that task) claims due rows in batches, one conditional UPDATE each, and sends a
  batch over one gateway connection.
- `sms_deliver` (the task body) claims the row with a conditional UPDATE queued -> sending, so a second
  delivery of the same task, or two tasks for one row, send once. Only it decrypts the number.
- Never twice: a message whose fate is unknown (the gateway may have taken it) is marked `uncertain`
  for a person to check; nothing resends it by itself. The idempotency key goes to the gateway as the
  client message id, so a delivery report can still settle it.
- `sms_sweep` (beat, and `manage.py sms_sweep`) enqueues due queued rows and marks rows stuck in
  `sending` past SMS_SENDING_TIMEOUT as uncertain.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case as CaseWhen
from django.db.models import CharField, F, Q, QuerySet, Value, When
from django.utils import timezone

from cases.identifiers import mask_phone, normalise_phone
from cases.models import Case, Deadline, Intake, JobLock, Notification, SmsMessage, SmsTemplate, Victim
from cases.notifications import notify
from cases.rocdate import format_roc
from cases.roles import Role, has_role
from cases.sms import defaults
from cases.sms.backends import get_backend
from cases.sms.message import Outcome, Outgoing, SendResult
from cases.sms.schedule import appointment_reminder_time, parse_clock, quiet_hours_end, retry_delay
from cases.sms.text import SmsTextError, check_place_code, check_rendered, check_template, format_time, render
from cases.validators import is_valid_tw_mobile

logger = logging.getLogger("cases.sms")

State = SmsMessage.State
Purpose = SmsMessage.Purpose


# --- templates -----------------------------------------------------------------------------------


def sms_template_get(key: str) -> SmsTemplate:
    """A template by key; a default that is missing (e.g. after a test flush) is restored first."""
    template = SmsTemplate.objects.filter(key=key).first()
    if template is None:
        defaults.ensure_default_templates(SmsTemplate)
        template = SmsTemplate.objects.get(key=key)
    return template


def sample_values() -> dict[str, str]:
    """What the template page's preview fills in."""
    sample_time = timezone.localtime().replace(hour=14, minute=30, second=0, microsecond=0) + dt.timedelta(
        days=1
    )
    return {
        "time": format_time(sample_time),
        "place_code": "A3",
        "hotline": settings.SMS_HOTLINE_NUMBER,
        "callback": settings.SMS_REMINDER_CALLBACK_NUMBER,
    }


def sms_template_check(*, template: SmsTemplate, body: str):
    """The length of the body with sample values, or ValidationError with what is wrong (zh-Hant)."""
    try:
        return check_template(
            body,
            max_segments=settings.SMS_MAX_SEGMENTS,
            sample=sample_values(),
            available=defaults.TEMPLATE_PLACEHOLDERS.get(template.key),
        )
    except SmsTextError as exc:
        raise ValidationError({"body": exc.messages}) from None


@transaction.atomic
def sms_template_update(*, actor, template: SmsTemplate, body: str) -> SmsTemplate:
    """A supervisor edits a template; the check refuses names, case details and offence words."""
    body = body.strip()
    sms_template_check(template=template, body=body)
    template = SmsTemplate.objects.select_for_update().get(pk=template.pk)
    template.body = body
    template.updated_by = actor
    template._history_user = actor
    template.full_clean()
    template.save(update_fields=["body", "updated_by", "updated_at"])
    return template


# --- queueing ------------------------------------------------------------------------------------


def idempotency_key(*parts: object) -> str:
    """One key per business event (the same reminder step twice is one message); 32 hex characters."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]


def _quiet_until(moment: dt.datetime) -> dt.datetime | None:
    local = timezone.localtime(moment)
    start, end = parse_clock(settings.SMS_QUIET_HOURS_START), parse_clock(settings.SMS_QUIET_HOURS_END)
    return quiet_hours_end(local, start, end)


def _appointment_reminder_time(wanted: dt.datetime, appointment: dt.datetime) -> dt.datetime:
    start, end = parse_clock(settings.SMS_QUIET_HOURS_START), parse_clock(settings.SMS_QUIET_HOURS_END)
    return appointment_reminder_time(timezone.localtime(wanted), timezone.localtime(appointment), start, end)


def _victim_consents(case_id) -> bool:
    if case_id is None:
        return False
    return Case.objects.filter(pk=case_id, victim__sms_consent=True).exists()


def _template_and_existing(template_key: str, key: str) -> tuple[SmsTemplate | None, object]:
    """The template, and the id of a message already queued for this key (or None): one query."""
    # Raw SQL: compiling the ORM's annotated subquery cost about a third of queueing's CPU.
    template_table = connection.ops.quote_name(SmsTemplate._meta.db_table)
    message_table = connection.ops.quote_name(SmsMessage._meta.db_table)
    row = list(
        SmsTemplate.objects.raw(
            f"SELECT t.*, (SELECT m.id FROM {message_table} m WHERE m.idempotency_key = %s LIMIT 1) "
            f"AS existing FROM {template_table} t WHERE t.key = %s",
            [key, template_key],
        )
    )
    if not row:
        return None, SmsMessage.objects.filter(idempotency_key=key).values_list("pk", flat=True).first()
    return row[0], row[0].existing


# Not @transaction.atomic: its one write is atomic by itself (a savepoint inside the caller's
# transaction, a transaction without one), and a second savepoint around it cost two more round trips
# for every message queued.
def sms_queue(
    *,
    actor,
    purpose: str,
    template_key: str,
    phone: str,
    values: dict[str, str],
    business_key: str,
    case: Case | None = None,
    intake: Intake | None = None,
    requires_consent: bool = False,
    not_before: dt.datetime | None = None,
    source_key: str = "",
) -> SmsMessage:
    """Write an SMS into the outbox within the caller's transaction; it is enqueued when that commits.

    The same business_key again returns the message already queued (nothing is sent twice). The send
    time is not_before (default now), moved to the end of quiet hours when it falls inside them.
    """
    key = idempotency_key(purpose, business_key)
    template, existing = _template_and_existing(template_key, key)
    if existing is not None:
        return SmsMessage.objects.without_content().get(pk=existing)
    if requires_consent and not _victim_consents(case.pk if case else None):
        raise ValidationError("被害人未同意以簡訊聯繫，不能傳送這則簡訊。", code="sms_no_consent")
    if not is_valid_tw_mobile(phone or ""):
        raise ValidationError("沒有可接收簡訊的手機號碼（09 開頭共 10 碼）。", code="sms_no_mobile")
    template = template or sms_template_get(template_key)
    try:
        fixed = {"hotline": settings.SMS_HOTLINE_NUMBER, "callback": settings.SMS_REMINDER_CALLBACK_NUMBER}
        text = render(template.body, {**fixed, **values})
        length = check_rendered(text, max_segments=settings.SMS_MAX_SEGMENTS)
    except SmsTextError as exc:
        raise ValidationError(exc.messages, code="sms_text") from None
    now = timezone.now()
    due = max(now, not_before or now)
    due = _quiet_until(due) or due
    number = normalise_phone(phone)
    message = SmsMessage(
        case=case,
        intake=intake,
        purpose=purpose,
        template=template,
        phone=number,
        phone_masked=mask_phone(number),
        body=text,
        segments=length.segments,
        requires_consent=requires_consent,
        idempotency_key=key,
        source_key=source_key,
        next_attempt_at=due,
        enqueued_at=now if due <= now else None,
        created_by=actor,
        created_at=now,
    )
    # The related rows were just read (no existence query each); the key's uniqueness is the INSERT's.
    message.full_clean(exclude=["case", "intake", "template", "created_by"], validate_unique=False)
    try:
        with transaction.atomic():  # a savepoint, so a concurrent duplicate does not spoil the caller
            message.save(force_insert=True)
    except IntegrityError:
        return SmsMessage.objects.without_content().get(idempotency_key=key)
    if due <= now:
        transaction.on_commit(partial(enqueue, message.pk))
    logger.info(
        "sms queued: id=%s purpose=%s to=%s due=%s",
        message.pk,
        purpose,
        message.phone_masked,
        due.isoformat(),
    )
    return message


def sms_queue_generic_resource(*, actor, intake: Intake) -> SmsMessage:
    """Guideline 1-3: the victim has no wish for services now; the center's generic text goes out.

    No consent flag is needed: the hotline decides on the call, and the text names no one.
    """
    return sms_queue(
        actor=actor,
        purpose=Purpose.GENERIC_RESOURCE,
        template_key=defaults.GENERIC_RESOURCE,
        phone=intake.victim_phone,
        values={},
        business_key=f"intake:{intake.pk}",
        intake=intake,
        case=intake.case,
    )


def sms_queue_generic_resource_after_contact(*, actor, contact, phone: str) -> SmsMessage:
    """Guideline 1-3b: a contact that did not reach the victim, or a victim with no wish for services
    now; the same generic text as from the hotline, once per contact. No consent flag, as from the
    hotline: staff decide, and the text names no one."""
    return sms_queue(
        actor=actor,
        purpose=Purpose.GENERIC_RESOURCE,
        template_key=defaults.GENERIC_RESOURCE,
        phone=phone,
        values={},
        business_key=f"contact:{contact.pk}",
        intake=contact.intake,
        case=contact.case,
        source_key=sms_source_key(contact),
    )


def sms_queue_appointment_reminder(
    *,
    actor,
    case: Case,
    starts_at: dt.datetime,
    place_code: str,
    source,
    send_at: dt.datetime | None = None,
) -> SmsMessage:
    """A reminder of a booked appointment (court, consultation, report) for a victim who agreed to SMS.

    Sent at send_at (default: 24 hours before). The place is a code agreed with the victim, never a name.
    The row carries the source's key, so `sms_cancel_pending_for_source` can withdraw it on a rebooking.
    """
    try:
        code = check_place_code(place_code)
    except SmsTextError as exc:
        raise ValidationError({"place_code": exc.messages}) from None
    victim = Victim.objects.only("phone").get(cases=case)
    key = sms_source_key(source)
    # Once this source's reminders were cancelled (rebooked, code changed), booking the same time again is
    # a new event: the count of cancelled rows is part of the key. Twice in a row is still one message.
    cancelled = SmsMessage.objects.filter(source_key=key, state=State.CANCELLED).count()
    return sms_queue(
        actor=actor,
        purpose=Purpose.APPOINTMENT_REMINDER,
        template_key=defaults.APPOINTMENT_REMINDER,
        phone=victim.phone,
        values={"time": format_time(timezone.localtime(starts_at)), "place_code": code},
        business_key=f"{key}:{starts_at.isoformat()}:{code}:{cancelled}",
        case=case,
        requires_consent=True,
        not_before=_appointment_reminder_time(send_at or starts_at - dt.timedelta(hours=24), starts_at),
        source_key=key,
    )


APPOINTMENT_REMINDER_LEAD = dt.timedelta(hours=24)


def sms_sync_appointment_reminder(
    *, actor, source, case: Case, starts_at: dt.datetime, booked: bool, rebooked: bool, place_code: str
) -> str:
    """Keep the victim's generic reminder of a booked appointment in step with the booking.

    Not booked (cancelled, held, done): pending reminders are cancelled. Booked anew or moved, or a new
    code typed: pending reminders are cancelled and, with a place code, one is queued a day before. A
    booking left as it was, without a code, keeps its reminder. Returns a note for staff ("" when there
    is nothing to say): queued, too late to remind, no consent, no mobile.
    """
    if not booked:
        sms_cancel_pending_for_source(source=source, actor=actor)
        return ""
    if not (rebooked or place_code):
        return ""
    sms_cancel_pending_for_source(source=source, actor=actor)
    if not place_code:
        return ""
    send_at = starts_at - APPOINTMENT_REMINDER_LEAD
    if send_at <= timezone.now():
        return "距約定時間已不到 24 小時，未排定簡訊提醒。"
    try:
        sms_queue_appointment_reminder(
            actor=actor, case=case, starts_at=starts_at, place_code=place_code, source=source, send_at=send_at
        )
    except ValidationError as exc:
        code = getattr(exc, "code", None)
        if code == "sms_no_consent":
            return "被害人未同意以簡訊聯繫，未排定簡訊提醒。"
        if code == "sms_no_mobile":
            return "被害人沒有可接收簡訊的手機號碼，未排定簡訊提醒。"
        raise
    return REMINDER_QUEUED


REMINDER_QUEUED = "已排定約定時間前 24 小時的簡訊提醒。"


def sms_source_key(source) -> str:
    """ "legal.legalconsultation:<pk>": the record an SMS is about; no personal data."""
    return f"{source._meta.label_lower}:{source.pk}"


def sms_cancel_pending_for_source(
    *, source, actor, reason: str = "預約已變更或取消，這則提醒不再傳送。"
) -> int:
    """The source was rebooked, cancelled or done: its queued messages are cancelled.

    A conditional UPDATE like the claim, so a row a task has already claimed (sending) or sent is never
    touched. Returns how many were cancelled.
    """
    count = SmsMessage.objects.filter(source_key=sms_source_key(source), state=State.QUEUED).update(
        state=State.CANCELLED, enqueued_at=None, last_code="source", last_error=reason[:200]
    )
    if count:
        logger.info(
            "sms cancelled for source: source=%s count=%s by=%s",
            sms_source_key(source),
            count,
            getattr(actor, "pk", None),
        )
    return count


def sms_queue_due_victim_reminders(*, now: dt.datetime | None = None) -> int:
    """The periodic scan: complaint deadlines (guideline 4-3a) of victims who agreed to SMS, once per step.

    Steps are SMS_VICTIM_REMINDER_DAYS. A deadline that is only a warning (offender not yet known) is
    skipped. A victim hears of one date only: the earliest complaint period of the case that is running
    (two offences with two periods are not two messages). Idempotent: the step and the due date are part
    of the message key.
    """
    from cases.tracker import end_of_day, reminder_step

    now = now or timezone.now()
    offsets = sorted({int(d) for d in settings.SMS_VICTIM_REMINDER_DAYS}, reverse=True)
    if not offsets:
        return 0
    today = timezone.localtime(now).date()
    horizon = end_of_day(today + dt.timedelta(days=max(offsets)))
    queued = 0
    with transaction.atomic():
        JobLock.hold("sms_victim_reminders")
        deadlines = (
            Deadline.objects.filter(
                state=Deadline.State.OPEN,
                kind=Deadline.Kind.COMPLAINT,
                is_warning=False,
                due_at__gte=now,
                due_at__lte=horizon,
                case__victim__sms_consent=True,
            )
            .exclude(case__victim__phone_index="")
            .select_related("case", "case__victim")
            .only("id", "due_at", "all_day", "case__id", "case__victim__id", "case__victim__phone")
            .order_by("case_id", "due_at")
        )
        seen_cases = set()
        for deadline in deadlines:
            if deadline.case_id in seen_cases:
                continue
            seen_cases.add(deadline.case_id)
            local_due = timezone.localtime(deadline.due_at)
            step = reminder_step((local_due.date() - today).days, offsets)
            if step is None or step < 0:
                continue
            key = f"deadline:{deadline.pk}:{step}:{deadline.due_at.isoformat()}"
            if SmsMessage.objects.filter(
                idempotency_key=idempotency_key(Purpose.DEADLINE_REMINDER, key)
            ).exists():
                continue
            sms_queue(
                actor=None,
                purpose=Purpose.DEADLINE_REMINDER,
                template_key=defaults.DEADLINE_REMINDER,
                phone=deadline.case.victim.phone,
                values={"time": format_time(local_due.date() if deadline.all_day else local_due)},
                business_key=key,
                case=deadline.case,
                requires_consent=True,
            )
            queued += 1
    return queued


# The tasks are addressed by name (cases/tasks.py registers them; CasesConfig.ready imports it), so the
# outbox and the task module do not import each other.
SEND_TASK = "cases.tasks.sms_send"
DRAIN_TASK = "cases.tasks.sms_send_due"
# A JobLock row that exists while a drain task is published and not yet started (see request_drain).
DRAIN_PENDING = "sms_drain_pending"


def enqueue(message_id) -> bool:
    """After a message is committed: make sure a "send what is due" task will see it. A broker that is
    down is not an error: the row waits for the sweeper."""
    if request_drain():
        return True
    SmsMessage.objects.filter(pk=message_id, state=State.QUEUED).update(enqueued_at=None)
    return False


def request_drain(*, force: bool = False) -> bool:
    """Publish one `sms_send_due` task unless one is already pending (force: publish anyway).

    One task per burst, not one per message. Correct because the pending task clears the flag before it
    claims: a row committed before our flag check is claimed by the task that holds the flag, and one
    committed later finds the flag clear and publishes. A flag left behind by a lost publish is healed by
    the sweeper, which publishes with force. Returns False when the broker refused the task.
    """
    from celery import current_app

    if not _set_drain_pending() and not force:
        return True
    try:
        current_app.signature(DRAIN_TASK).apply_async(retry=False)
    except Exception as exc:
        if current_app.conf.task_always_eager:
            raise  # no broker involved: this is a bug in the task, not an outage
        _clear_drain_pending()
        logger.warning("sms enqueue failed, left for the sweeper (%s)", type(exc).__name__)
        return False
    return True


def _set_drain_pending() -> bool:
    """True when this call raised the flag (no drain task was pending). One autocommit INSERT."""
    table = connection.ops.quote_name(JobLock._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (name) VALUES (%s) ON CONFLICT DO NOTHING", [DRAIN_PENDING])
        return cursor.rowcount == 1


def _clear_drain_pending() -> None:
    table = connection.ops.quote_name(JobLock._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE name = %s", [DRAIN_PENDING])


# --- delivery (the task) -------------------------------------------------------------------------


def sms_deliver(*, message_id, now: dt.datetime | None = None) -> str:
    """Send one queued message, at most once, and with it up to SMS_SEND_BATCH - 1 other due ones.

    Returns what happened to `message_id` (for logs and tests). The others are claimed the same way
    (queued -> sending in one conditional UPDATE, SKIP LOCKED on PostgreSQL), so their own tasks, when
    they run, find them taken and skip. One gateway connection serves the batch. The outbox itself
    publishes `sms_send_due` instead (sms_deliver_due); this task stays for a message addressed by id.
    """
    now = now or timezone.now()
    quiet_end = _quiet_until(now)
    if quiet_end is not None:
        SmsMessage.objects.filter(pk=message_id, state=State.QUEUED, next_attempt_at__lt=quiet_end).update(
            next_attempt_at=quiet_end, enqueued_at=None
        )
        return "deferred"
    claimed = SmsMessage.objects.filter(pk=message_id, state=State.QUEUED, next_attempt_at__lte=now).update(
        state=State.SENDING, claimed_at=now, attempts=F("attempts") + 1, enqueued_at=None
    )
    if not claimed:
        return "skipped"  # already sent or being sent, not due yet, or gone
    others = _claim_due(now=now, exclude=message_id, limit=settings.SMS_SEND_BATCH - 1)
    outcomes = _send_claimed([message_id, *others], now=now)
    return next(state for pk, state in outcomes.items() if str(pk) == str(message_id))


def sms_deliver_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send every due queued message, in batches of SMS_SEND_BATCH: the `sms_send_due` task.

    Each batch is claimed in one statement (queued -> sending, SKIP LOCKED), so two of these tasks, or
    one and an `sms_send`, never take the same row, and a redelivered task finds nothing left. While
    batches come back full it asks for one more task, so a second worker process shares a burst.
    Returns how many messages ended in each state (for logs and tests).
    """
    _clear_drain_pending()  # first: a row committed from now on publishes a task of its own
    from celery import current_app

    size = settings.SMS_SEND_BATCH
    counts: dict[str, int] = {}
    while True:
        moment = now or timezone.now()
        quiet_end = _quiet_until(moment)
        if quiet_end is not None:
            deferred = SmsMessage.objects.filter(
                state=State.QUEUED, next_attempt_at__lte=moment, next_attempt_at__lt=quiet_end
            ).update(next_attempt_at=quiet_end, enqueued_at=None)
            if deferred:
                counts["deferred"] = deferred
            break
        ids = _claim_due(now=moment, exclude=None, limit=size)
        if not ids:
            break
        if len(ids) == size and not current_app.conf.task_always_eager:
            request_drain()  # more may be waiting: another worker process can take the next batch
        for state in _send_claimed(ids, now=moment).values():
            counts[state] = counts.get(state, 0) + 1
        if len(ids) < size:
            break
    return counts


def _send_claimed(ids: list, *, now: dt.datetime) -> dict:
    """Send rows this task has claimed (state 'sending'), over one gateway connection; their outcomes.

    The rows are read in one query and consent re-checked in one; every accepted message is recorded in
    one UPDATE (_record_all)."""
    messages = list(SmsMessage.objects.filter(pk__in=ids))
    needs_consent = {m.case_id for m in messages if m.requires_consent and m.case_id is not None}
    consenting = (
        set(Case.objects.filter(pk__in=needs_consent, victim__sms_consent=True).values_list("pk", flat=True))
        if needs_consent
        else set()
    )
    outcomes, results = {}, []
    withdrawn = "被害人已撤回簡訊同意，未傳送。"
    with _sender(get_backend()) as send:
        for message in messages:
            if message.requires_consent and message.case_id not in consenting:
                _finish(message, state=State.CANCELLED, code="consent", reason=withdrawn)
                outcomes[message.pk] = State.CANCELLED
            else:
                results.append((message, _send_one(send, message)))
    outcomes.update(_record_all(results, now=max(now, timezone.now())))
    return outcomes


def _claim_due(*, now: dt.datetime, exclude, limit: int) -> list:
    """Claim up to `limit` due queued rows (but `exclude`, a row the caller claimed itself); their ids.
    Rows another worker holds are skipped (PostgreSQL), not waited for; SQLite runs one writer at a
    time anyway."""
    if limit <= 0:
        return []
    table = SmsMessage._meta.db_table
    lock = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    moment = SmsMessage._meta.get_field("next_attempt_at").get_db_prep_value(now, connection)
    other, params = "", [State.QUEUED, moment]
    if exclude is not None:
        other = " AND id <> %s"
        params.append(
            SmsMessage._meta.pk.get_db_prep_value(SmsMessage._meta.pk.to_python(exclude), connection)
        )
    with connection.cursor() as cursor:
        # The pick is a CTE: PostgreSQL runs a locking CTE once, while an `IN (subquery LIMIT n)` may be
        # re-run per row and take more than n.
        cursor.execute(
            f"WITH picked AS (SELECT id FROM {table} WHERE state = %s AND next_attempt_at <= %s{other} "
            f"ORDER BY next_attempt_at LIMIT %s{lock}) "
            f"UPDATE {table} SET state = %s, claimed_at = %s, attempts = attempts + 1, enqueued_at = NULL "
            f"WHERE state = %s AND id IN (SELECT id FROM picked) RETURNING id",
            [*params, limit, State.SENDING, moment, State.QUEUED],
        )
        return [row[0] for row in cursor.fetchall()]


def _send_one(send, message: SmsMessage) -> SendResult:
    try:
        return send(Outgoing(to=message.phone, body=message.body, client_id=message.idempotency_key))
    except Exception as exc:  # after the claim we cannot tell whether it went out
        logger.error(
            "sms backend error: id=%s to=%s (%s)", message.pk, message.phone_masked, type(exc).__name__
        )
        return SendResult(
            Outcome.UNKNOWN, code="error", reason=f"傳送時發生未預期的錯誤（{type(exc).__name__}）"
        )


@contextlib.contextmanager
def _sender(backend):
    """The backend's batch sender (one gateway connection for the batch) if it has one, else send()."""
    if hasattr(backend, "batch"):
        with backend.batch() as send:
            yield send
    else:
        yield backend.send


def _record_all(results: list[tuple[SmsMessage, SendResult]], *, now: dt.datetime) -> dict:
    """The outcomes of a batch: every accepted message in one UPDATE, the rest one by one."""
    accepted = [(m, r) for m, r in results if r.outcome == Outcome.ACCEPTED]
    outcomes = {}
    if accepted:
        _record_sent(accepted, now=now)
        for message, _ in accepted:
            outcomes[message.pk] = State.SENT
            logger.debug("sms sent: id=%s to=%s", message.pk, message.phone_masked)
        # One line per batch: at a line per message the logging cost as much CPU as the sending.
        logger.info("sms sent: %s message(s)", len(accepted))
    for message, result in results:
        if result.outcome != Outcome.ACCEPTED:
            outcomes[message.pk] = _record(message, result, now=now)
    return outcomes


def _record_sent(accepted: list[tuple[SmsMessage, SendResult]], *, now: dt.datetime) -> None:
    """sending -> sent for a batch in one UPDATE, each row with its own provider id and code. Also from
    'uncertain': the sweeper may have given up on a slow but successful call."""
    rows = SmsMessage.objects.filter(
        pk__in=[m.pk for m, _ in accepted], state__in=[State.SENDING, State.UNCERTAIN]
    )
    if connection.vendor != "postgresql":
        rows.update(
            state=State.SENT,
            sent_at=now,
            provider_message_id=_per_row(accepted, lambda r: r.provider_id[:64]),
            last_code=_per_row(accepted, lambda r: r.code[:20]),
            last_error="",
        )
        return
    # The values as arrays: a CASE of one WHEN per row cost about as much CPU to build as the sending.
    table = connection.ops.quote_name(SmsMessage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS m SET state = %s, sent_at = %s, provider_message_id = v.provider_id, "
            "last_code = v.code, last_error = '' "
            "FROM unnest(%s::uuid[], %s::text[], %s::text[]) AS v(id, provider_id, code) "
            "WHERE m.id = v.id AND m.state IN (%s, %s)",
            [
                State.SENT,
                now,
                [m.pk for m, _ in accepted],
                [r.provider_id[:64] for _, r in accepted],
                [r.code[:20] for _, r in accepted],
                State.SENDING,
                State.UNCERTAIN,
            ],
        )


def _per_row(pairs, value) -> CaseWhen:
    return CaseWhen(
        *(When(pk=m.pk, then=Value(value(r))) for m, r in pairs), default=Value(""), output_field=CharField()
    )


def _record(message: SmsMessage, result: SendResult, *, now: dt.datetime) -> str:
    if result.outcome == Outcome.ACCEPTED:
        # Also from 'uncertain': the sweeper may have given up on a slow but successful call.
        SmsMessage.objects.filter(pk=message.pk, state__in=[State.SENDING, State.UNCERTAIN]).update(
            state=State.SENT,
            sent_at=now,
            provider_message_id=result.provider_id[:64],
            last_code=result.code[:20],
            last_error="",
        )
        logger.info("sms sent: id=%s to=%s", message.pk, message.phone_masked)
        return State.SENT
    if result.outcome == Outcome.RETRY and message.attempts < settings.SMS_MAX_ATTEMPTS:
        delay = retry_delay(
            message.attempts, base=settings.SMS_RETRY_BASE_SECONDS, cap=settings.SMS_RETRY_MAX_SECONDS
        )
        SmsMessage.objects.filter(pk=message.pk, state=State.SENDING).update(
            state=State.QUEUED,
            next_attempt_at=now + delay,
            enqueued_at=None,
            last_code=result.code[:20],
            last_error=result.reason[:200],
        )
        logger.warning(
            "sms retry later: id=%s to=%s attempt=%s in=%ss (%s)",
            message.pk,
            message.phone_masked,
            message.attempts,
            int(delay.total_seconds()),
            result.code,
        )
        return "retry"
    if result.outcome == Outcome.UNKNOWN:
        _finish(message, state=State.UNCERTAIN, code=result.code, reason=result.reason)
        return State.UNCERTAIN
    reason = result.reason
    if result.outcome == Outcome.RETRY:
        reason = f"已嘗試 {message.attempts} 次仍無法送出：{result.reason}"
    _finish(message, state=State.FAILED, code=result.code, reason=reason)
    return State.FAILED


def _finish(message: SmsMessage, *, state: str, code: str, reason: str) -> None:
    """sending -> failed / uncertain / cancelled, telling the staff member concerned."""
    with transaction.atomic():
        changed = SmsMessage.objects.filter(pk=message.pk, state=State.SENDING).update(
            state=state, last_code=code[:20], last_error=reason[:200]
        )
        if changed and state in (State.FAILED, State.UNCERTAIN):
            _tell_staff(message, state=state, reason=reason)
    log = logger.warning if state != State.CANCELLED else logger.info
    log("sms %s: id=%s to=%s code=%s", state, message.pk, message.phone_masked, code or "-")


def _tell_staff(message: SmsMessage, *, state: str, reason: str) -> None:
    """The case's worker; for a message without a worker yet, the staff member who queued it."""
    message = (
        SmsMessage.objects.without_content()
        .select_related("case__assigned_worker", "intake__case__assigned_worker", "created_by")
        .get(pk=message.pk)
    )
    case = message.case or (message.intake.case if message.intake else None)
    recipient = case.assigned_worker if case is not None and case.assigned_worker else message.created_by
    what = message.get_purpose_display()
    outcome = "傳送失敗" if state == State.FAILED else "送出結果不明，請確認後再決定是否重送"
    if case is not None:
        text, url = f"案件 {case.number}：{what}{outcome}（{reason}）", ""
    elif message.intake is not None:
        when = format_roc(timezone.localtime(message.intake.received_at).date())
        text, url = f"受理紀錄（{when}）：{what}{outcome}（{reason}）", message.intake.get_absolute_url()
    else:
        text, url = f"{what}{outcome}（{reason}）", ""
    notify(recipients=[recipient], kind=Notification.Kind.SMS, text=text, case=case, url=url)


# --- sweeper -------------------------------------------------------------------------------------


def sms_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Mark rows stuck in 'sending' as uncertain, then enqueue due queued rows. Safe to run concurrently:
    every change is a conditional UPDATE, and a doubled enqueue is absorbed by the claim."""
    now = now or timezone.now()
    uncertain = _give_up_stuck(now)
    enqueued, left = _enqueue_due(now)
    return {"uncertain": uncertain, "enqueued": enqueued, "broker_down": left}


def _give_up_stuck(now: dt.datetime) -> int:
    cutoff = now - dt.timedelta(seconds=settings.SMS_SENDING_TIMEOUT)
    stuck = list(
        SmsMessage.objects.without_content()
        .filter(state=State.SENDING, claimed_at__lte=cutoff)
        .order_by("claimed_at")[: settings.SMS_SWEEP_BATCH]
    )
    reason = "傳送逾時未完成，可能已送出；系統不會自動重送，請人工確認。"
    count = 0
    for message in stuck:
        with transaction.atomic():
            changed = SmsMessage.objects.filter(
                pk=message.pk, state=State.SENDING, claimed_at__lte=cutoff
            ).update(state=State.UNCERTAIN, last_code="timeout", last_error=reason)
            if changed:
                _tell_staff(message, state=State.UNCERTAIN, reason=reason)
                count += 1
    if count:
        logger.warning("sms sweep: %s message(s) stuck in sending marked uncertain", count)
    return count


def _enqueue_due(now: dt.datetime) -> tuple[int, int]:
    """Due queued rows that no task has been asked for lately (a broker that was down, a lost task, the
    end of quiet hours): one `sms_send_due` for all of them, published even if a flag says one is
    pending (the flag may be a lost publish's). Returns (rows marked, rows left for the next sweep)."""
    stale = now - dt.timedelta(seconds=settings.SMS_REENQUEUE_AFTER)
    ids = list(
        SmsMessage.objects.filter(state=State.QUEUED, next_attempt_at__lte=now)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=stale))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[: settings.SMS_SWEEP_BATCH]
    )
    if not ids:
        return 0, 0
    # Mark first: a task that runs at once and retries must not have its fresh state overwritten.
    SmsMessage.objects.filter(pk__in=ids, state=State.QUEUED).update(enqueued_at=now)
    if not request_drain(force=True):
        SmsMessage.objects.filter(pk__in=ids, state=State.QUEUED).update(enqueued_at=None)
        logger.warning("sms sweep: broker unavailable, %s message(s) wait for the next sweep", len(ids))
        return 0, len(ids)
    return len(ids), 0


# --- delivery reports and people -----------------------------------------------------------------

DELIVERED_CODES = {"4"}
IN_TRANSIT_CODES = {"0", "1", "2", "3"}
UNDELIVERED_CODES = {"5", "6", "7", "8", "9"}


@transaction.atomic
def sms_record_delivery_report(
    *, msgid: str = "", clientid: str = "", statuscode: str = ""
) -> SmsMessage | None:
    """A delivery report from the gateway; it also settles a message left 'sending' or 'uncertain'."""
    match = Q()
    if msgid:
        match |= Q(provider_message_id=msgid)
    if clientid:
        match |= Q(idempotency_key=clientid)
    if not match:
        return None
    message = SmsMessage.objects.without_content().select_for_update().filter(match).first()
    if message is None:
        return None
    now = timezone.now()
    if statuscode in DELIVERED_CODES:
        delivery = SmsMessage.Delivery.DELIVERED
    elif statuscode in IN_TRANSIT_CODES:
        delivery = SmsMessage.Delivery.PENDING
    elif statuscode in UNDELIVERED_CODES:
        delivery = SmsMessage.Delivery.UNDELIVERED
    else:
        return message
    newly_undelivered = delivery == SmsMessage.Delivery.UNDELIVERED and message.delivery_status != delivery
    message.delivery_status = delivery
    message.delivery_reported_at = now
    fields = ["delivery_status", "delivery_reported_at"]
    if msgid and not message.provider_message_id:
        message.provider_message_id = msgid[:64]
        fields.append("provider_message_id")
    if message.state in (State.SENDING, State.UNCERTAIN):
        # The gateway knows the message, so it was taken once: settled, no one needs to check.
        message.state, message.sent_at = State.SENT, message.sent_at or now
        message.last_error = ""
        fields += ["state", "sent_at", "last_error"]
    message.save(update_fields=fields)
    if newly_undelivered:
        from cases.sms.mitake import CODE_MEANINGS

        _tell_staff(
            message, state=State.FAILED, reason=f"無法送達手機：{CODE_MEANINGS.get(statuscode, statuscode)}"
        )
    return message


RESOLVE_ACTIONS = {
    "resend": "重新傳送（使用同一訊息編號）",
    "mark_sent": "確認已送出，不再傳送",
    "cancel": "不再傳送",
}


@transaction.atomic
def sms_resolve(*, actor, message: SmsMessage, action: str) -> SmsMessage:
    """A person settles a failed or uncertain message: resend it, record it as sent, or drop it."""
    if action not in RESOLVE_ACTIONS:
        raise ValidationError({"action": "請選擇處理方式。"})
    message = SmsMessage.objects.without_content().select_for_update().get(pk=message.pk)
    if message.state not in (State.FAILED, State.UNCERTAIN):
        raise ValidationError("這則簡訊的狀態已改變，請重新整理頁面。", code="sms_state_changed")
    now = timezone.now()
    message.resolved_by, message.resolved_at = actor, now
    fields = ["state", "resolved_by", "resolved_at"]
    if action == "resend":
        if message.requires_consent and not _victim_consents(message.case_id):
            raise ValidationError("被害人未同意以簡訊聯繫，不能重新傳送。", code="sms_no_consent")
        due = _quiet_until(now) or now
        message.state, message.attempts, message.next_attempt_at = State.QUEUED, 0, due
        message.enqueued_at = now if due <= now else None
        fields += ["attempts", "next_attempt_at", "enqueued_at"]
        if due <= now:
            transaction.on_commit(partial(enqueue, message.pk))
    elif action == "mark_sent":
        message.state, message.sent_at = State.SENT, message.sent_at or now
        fields.append("sent_at")
    else:
        message.state = State.CANCELLED
    message.save(update_fields=fields)
    logger.info("sms resolved by staff: id=%s action=%s", message.pk, action)
    return message


# --- reads ---------------------------------------------------------------------------------------


def sms_messages_for_case(case: Case) -> QuerySet[SmsMessage]:
    """The case's messages, its intakes' included, without number or text."""
    return (
        SmsMessage.objects.without_content()
        .filter(Q(case=case) | Q(intake__case=case))
        .select_related("resolved_by")
        .order_by("-created_at")
    )


def sms_messages_for_intake(intake: Intake) -> QuerySet[SmsMessage]:
    return SmsMessage.objects.without_content().filter(intake=intake).order_by("-created_at")


def can_resolve(user, message: SmsMessage, case: Case | None) -> bool:
    """Supervisors; the case's assigned worker; the hotline for the generic SMS it sends from an intake."""
    if has_role(user, Role.SUPERVISOR):
        return True
    if has_role(user, Role.SOCIAL_WORKER) and case is not None and case.assigned_worker_id == user.pk:
        return True
    return message.intake_id is not None and user.has_perm("cases.process_intake")


def sms_message_for_user(user, pk) -> tuple[SmsMessage, Case | None]:
    """The message and its case, or 404 when the user may not settle it."""
    from django.http import Http404

    try:
        message = (
            SmsMessage.objects.without_content().select_related("case", "intake", "intake__case").get(pk=pk)
        )
    except (SmsMessage.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    case = message.case or (message.intake.case if message.intake else None)
    if not can_resolve(user, message, case):
        raise Http404
    return message, case
