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
