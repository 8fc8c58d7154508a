"""A send task claims and sends a batch (issue 19, point 3): its own message and other due ones, over one
gateway connection, each still exactly once."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Intake, SmsMessage
from cases.sms import outbox
from cases.sms.localgateway import Reply
from tests.factories import make_intake

pytestmark = pytest.mark.django_db

State = SmsMessage.State


def queue(hotline, n):
    messages = []
    for i in range(n):
        intake = make_intake(actor=hotline, victim_phone=f"09123456{i:02d}", wishes=Intake.Wishes.DECLINES)
        messages.append(outbox.sms_queue_generic_resource(actor=hotline, intake=intake))
    return messages


def states(messages):
    found = dict(SmsMessage.objects.filter(pk__in=[m.pk for m in messages]).values_list("pk", "state"))
    return [found[m.pk] for m in messages]


def test_one_task_sends_the_other_due_messages_and_their_own_tasks_skip(hotline, gateway):
    messages = queue(hotline, 4)
    assert outbox.sms_deliver(message_id=messages[2].pk) == State.SENT
    assert states(messages) == [State.SENT] * 4
    assert [outbox.sms_deliver(message_id=m.pk) for m in messages] == ["skipped"] * 4
    assert sorted(r["clientid"] for r in gateway.requests) == sorted(m.idempotency_key for m in messages)
    assert set(SmsMessage.objects.values_list("attempts", flat=True)) == {1}
    assert len(set(SmsMessage.objects.values_list("provider_message_id", flat=True))) == 4


def test_a_batch_holds_at_most_sms_send_batch_messages(hotline, gateway, settings):
    settings.SMS_SEND_BATCH = 2
    messages = queue(hotline, 3)
    outbox.sms_deliver(message_id=messages[0].pk)
    assert sorted(states(messages)) == sorted([State.SENT, State.SENT, State.QUEUED])
    assert len(gateway.requests) == 2


def test_messages_not_yet_due_or_held_by_another_worker_stay_out_of_the_batch(hotline, gateway):
    first, later, taken = queue(hotline, 3)
    SmsMessage.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + dt.timedelta(hours=1))
    SmsMessage.objects.filter(pk=taken.pk).update(state=State.SENDING, claimed_at=timezone.now())
    outbox.sms_deliver(message_id=first.pk)
    assert states([first, later, taken]) == [State.SENT, State.QUEUED, State.SENDING]
    assert [r["clientid"] for r in gateway.requests] == [first.idempotency_key]


def test_each_message_of_a_batch_gets_its_own_outcome(hotline, gateway, settings):
    settings.SMS_MAX_ATTEMPTS = 5
    gateway.replies += [Reply("[1]\nmsgid=1\nstatuscode=1\n"), Reply("[1]\nstatuscode=*\n"), Reply(drop=True)]
    messages = queue(hotline, 3)
    outbox.sms_deliver(message_id=messages[0].pk)  # the batch's order is the outbox's, not ours
    by_key = {m.idempotency_key: m for m in messages}
    order = [by_key[r["clientid"]] for r in gateway.requests]
    assert states(order) == [State.SENT, State.QUEUED, State.UNCERTAIN]  # accepted, busy, no answer


def test_the_gateway_connection_is_reused_within_a_batch(hotline, gateway):
    seen = set()
    gateway.handler = lambda form: seen.add(form["_connection"]) or None
    messages = queue(hotline, 3)
    outbox.sms_deliver(message_id=messages[0].pk)
    assert len(gateway.requests) == 3 and len(seen) == 1


# --- one "send what is due" task per burst (outbox.sms_deliver_due, task sms_send_due) ---------------


def test_the_drain_sends_every_due_message_in_batches_each_once(hotline, gateway, settings):
    settings.SMS_SEND_BATCH = 2
    messages = queue(hotline, 5)
    assert outbox.sms_deliver_due() == {State.SENT: 5}
    assert states(messages) == [State.SENT] * 5
    assert outbox.sms_deliver_due() == {}  # a redelivered copy finds nothing left
    assert [outbox.sms_deliver(message_id=m.pk) for m in messages] == ["skipped"] * 5
    assert sorted(r["clientid"] for r in gateway.requests) == sorted(m.idempotency_key for m in messages)
    assert len({r["_connection"] for r in gateway.requests}) == 3  # one connection per batch


def test_the_drain_leaves_rows_not_due_or_held_elsewhere(hotline, gateway):
    first, later, taken = queue(hotline, 3)
    SmsMessage.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + dt.timedelta(hours=1))
    SmsMessage.objects.filter(pk=taken.pk).update(state=State.SENDING, claimed_at=timezone.now())
    assert outbox.sms_deliver_due() == {State.SENT: 1}
    assert states([first, later, taken]) == [State.SENT, State.QUEUED, State.SENDING]


def test_the_drain_in_quiet_hours_moves_due_rows_to_their_end(hotline, gateway, settings):
    messages = queue(hotline, 2)
    local = timezone.localtime()
    settings.SMS_QUIET_HOURS_START = (local - dt.timedelta(hours=1)).strftime("%H:%M")
    settings.SMS_QUIET_HOURS_END = (local + dt.timedelta(hours=1)).strftime("%H:%M")
    assert outbox.sms_deliver_due() == {"deferred": 2}
    assert states(messages) == [State.QUEUED] * 2 and gateway.requests == []
    moved = set(SmsMessage.objects.values_list("next_attempt_at", flat=True))
    assert moved == {(local + dt.timedelta(hours=1)).replace(second=0, microsecond=0)}


def test_one_claim_statement_takes_at_most_the_batch_and_only_due_queued_rows(hotline):
    messages = queue(hotline, 5)
    SmsMessage.objects.filter(pk=messages[4].pk).update(state=State.SENT)
    now = timezone.now()
    first = outbox._claim_due(now=now, exclude=None, limit=3)
    second = outbox._claim_due(now=now, exclude=None, limit=3)
    assert len(first) == 3 and len(second) == 1 and not set(first) & set(second)
    assert outbox._claim_due(now=now, exclude=None, limit=3) == []
    rows = SmsMessage.objects.filter(pk__in=first + second)
    assert set(rows.values_list("state", "attempts")) == {(State.SENDING, 1)}
    assert set(rows.values_list("claimed_at", flat=True)) == {now}


@pytest.mark.parametrize("n", [2, 6])
def test_the_drain_makes_the_same_queries_for_n_and_3n_messages(
    hotline, gateway, n, django_assert_num_queries
):
    queue(hotline, n)
    # Clear the pending flag, claim the batch, read it, record every accepted message in one UPDATE.
    with django_assert_num_queries(4):
        assert outbox.sms_deliver_due() == {State.SENT: n}


def test_commits_in_a_burst_publish_one_task(hotline, monkeypatch, django_capture_on_commit_callbacks):
    published = []
    monkeypatch.setattr(
        "celery.canvas.Signature.apply_async", lambda self, *a, **kw: published.append(self.task)
    )
    with django_capture_on_commit_callbacks(execute=True):
        queue(hotline, 3)  # each message its own on-commit hook: the first publishes, the others see it
    assert published == [outbox.DRAIN_TASK]
    outbox.sms_deliver_due()  # the task starts: from now on a commit publishes again
    with django_capture_on_commit_callbacks(execute=True):
        queue(hotline, 1)
    assert published == [outbox.DRAIN_TASK] * 2


def test_a_broker_refusing_the_task_leaves_the_row_and_the_flag_for_the_sweeper(hotline, monkeypatch):
    from celery import current_app

    from cases.models import JobLock

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError

    (message,) = queue(hotline, 1)
    monkeypatch.setattr("celery.canvas.Signature.apply_async", refuse)
    eager, current_app.conf.task_always_eager = current_app.conf.task_always_eager, False  # a real broker
    try:
        assert outbox.enqueue(message.pk) is False
    finally:
        current_app.conf.task_always_eager = eager
    stored = SmsMessage.objects.get(pk=message.pk)
    assert (stored.state, stored.enqueued_at) == (State.QUEUED, None)
    assert not JobLock.objects.filter(name=outbox.DRAIN_PENDING).exists()  # the next commit tries again
