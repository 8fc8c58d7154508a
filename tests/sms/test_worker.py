"""Acceptance with real processes: a Celery worker (`celery -A config worker`), a real Redis broker
started by the test, the local HTTP gateway, and the test database the worker opens itself.

Transactional tests: the worker is another process and only sees committed rows (PostgreSQL; on
SQLite the test database is a file, see config/settings_test.py).
"""

from __future__ import annotations

import io
import logging
import os
import re
import signal
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases.models import Intake, Notification, SmsMessage
from cases.roles import sync_role_groups
from cases.sms import outbox
from cases.sms.text import GUIDELINE_GENERIC_TEXT
from cases.tasks import sms_send, sms_send_due
from tests.factories import make_intake
from tests.sms.harness import PrivateRedis, celery_app_using, celery_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

State = SmsMessage.State


@pytest.fixture(autouse=True)
def role_groups():
    sync_role_groups()  # a transactional test may start after another one's flush


@pytest.fixture
def redis_broker():
    redis = PrivateRedis().start()
    yield redis
    redis.stop()


def call_form(**extra) -> dict:
    now = timezone.localtime()
    return {
        "received_at_0": now.strftime("%Y-%m-%d"),
        "received_at_1": now.strftime("%H:%M"),
        "channel": Intake.Channel.HOTLINE,
        "caller_relation": Intake.CallerRelation.VICTIM,
        "victim_name": "鍾離雪霏",
        "victim_phone": "0933-271-846",
        "immediate_danger": Intake.Danger.NO,
        "narrative": "前男友散布影片。",
        "wishes": Intake.Wishes.DECLINES,
        "send_resource_sms": "on",
        **extra,
    }


def state_of(message) -> str:
    return SmsMessage.objects.values_list("state", flat=True).get(pk=message.pk)


def test_hotline_call_to_a_phone_through_a_real_worker_exactly_once(client, hotline, gateway, redis_broker):
    client.force_login(hotline)
    with celery_app_using(redis_broker.url), celery_worker(broker_url=redis_broker.url):
        response = client.post(reverse("cases:intake_new_call"), call_form())
        assert response.status_code == 302
        message = SmsMessage.objects.get()
        wait_for(lambda: state_of(message) == State.SENT, what="the worker to send the SMS")
    (request,) = gateway.requests
    assert (request["dstaddr"], request["smbody"]) == ("0933271846", GUIDELINE_GENERIC_TEXT)
    assert request["clientid"] == message.idempotency_key
    stored = SmsMessage.objects.get()
    assert (stored.attempts, stored.provider_message_id) == (1, "1010079522")


def test_saves_succeed_with_the_broker_down_and_the_sweeper_sends_once_it_is_back(
    client, hotline, gateway, caplog
):
    redis = PrivateRedis()  # its port is chosen, nothing listens on it yet: the broker is down
    client.force_login(hotline)
    try:
        with celery_app_using(redis.url):
            started = time.monotonic()
            with caplog.at_level(logging.WARNING, logger="cases.sms"):
                response = client.post(reverse("cases:intake_new_call"), call_form())
            assert response.status_code == 302 and time.monotonic() - started < 5
            assert Intake.objects.count() == 1
            message = SmsMessage.objects.get()
            assert state_of(message) == State.QUEUED
            assert SmsMessage.objects.get().enqueued_at is None
            assert "enqueue failed, left for the sweeper" in caplog.text

            out = io.StringIO()
            call_command("sms_sweep", stdout=out)  # still down: nothing lost, nothing sent
            assert "broker unavailable" in out.getvalue() and state_of(message) == State.QUEUED

            redis.start()
            with celery_worker(broker_url=redis.url):
                out = io.StringIO()
                call_command("sms_sweep", stdout=out)
                assert "enqueued 1" in out.getvalue()
                wait_for(lambda: state_of(message) == State.SENT, what="the sweeper's task to be sent")
    finally:
        redis.stop()
    assert len(gateway.requests) == len(gateway.sent) == 1


def test_an_unreachable_broker_url_does_not_fail_the_save(hotline, caplog):
    # TEST-NET-1 (RFC 5737) is never routed: the connection cannot be made, however it fails here.
    with celery_app_using("redis://192.0.2.1:6379/0"), caplog.at_level(logging.WARNING, logger="cases.sms"):
        started = time.monotonic()
        intake = make_intake(
            actor=hotline, victim_phone="0912345678", wishes=Intake.Wishes.DECLINES, send_resource_sms=True
        )
        elapsed = time.monotonic() - started
    assert Intake.objects.filter(pk=intake.pk).exists()
    message = SmsMessage.objects.get()
    assert (message.state, message.enqueued_at) == (State.QUEUED, None)
    assert "enqueue failed, left for the sweeper" in caplog.text
    assert elapsed < 10


def test_many_copies_of_each_task_on_two_processes_send_each_message_once(hotline, gateway, redis_broker):
    messages = [
        make_intake(actor=hotline, victim_phone=f"09123456{i:02d}", wishes=Intake.Wishes.DECLINES)
        for i in range(8)
    ]
    messages = [outbox.sms_queue_generic_resource(actor=hotline, intake=intake) for intake in messages]
    with celery_app_using(redis_broker.url):
        for _ in range(4):  # double enqueue, redelivery, a sweeper racing the on-commit hook ...
            for message in messages:
                sms_send.apply_async(args=[str(message.pk)])
            sms_send_due.apply_async()  # and batch claims racing the single ones
        with celery_worker(broker_url=redis_broker.url, pool="prefork", concurrency=2):
            wait_for(
                lambda: SmsMessage.objects.filter(state=State.SENT).count() == len(messages),
                what="all messages to be sent",
            )
            wait_for(lambda: redis_queue_length(redis_broker) == 0, what="the duplicates to be consumed")
    assert len(gateway.requests) == len(messages)  # not even a duplicate request reached the gateway
    assert sorted(r["clientid"] for r in gateway.requests) == sorted(m.idempotency_key for m in messages)


def test_a_worker_killed_after_the_gateway_took_the_message_never_resends_it(
    hotline, worker, gateway, redis_broker, settings
):
    with (
        celery_app_using(redis_broker.url),
        celery_worker(broker_url=redis_broker.url, pool="prefork", concurrency=1) as celery,
    ):
        killed = []

        def take_then_kill_the_sender(form):
            # The gateway has the message (it is recorded and will be delivered)...
            for pid in celery.child_pids():
                os.kill(pid, signal.SIGKILL)  # ...and the worker process dies before hearing back.
                killed.append(pid)
            return None

        gateway.handler = take_then_kill_the_sender
        intake = make_intake(
            actor=hotline, victim_phone="0912345678", wishes=Intake.Wishes.DECLINES, send_resource_sms=True
        )
        message = SmsMessage.objects.get(intake=intake)
        wait_for(lambda: killed, what="the gateway to receive the message")
        # acks_late + reject_on_worker_lost: the task comes back to a fresh pool process, whose claim
        # finds the row already 'sending' and sends nothing.
        redelivered = re.compile(r"sms_send_due\[[^\]]+\] succeeded in [^:]+: \{\}")
        wait_for(lambda: redelivered.search(celery.output()), timeout=20, what="the redelivered task to run")
    assert len(gateway.requests) == 1 and state_of(message) == State.SENDING

    # The sweeper, after the timeout, asks a person to check instead of sending again.
    settings.SMS_SENDING_TIMEOUT = 600
    later = timezone.now() + timezone.timedelta(seconds=601)
    assert outbox.sms_sweep(now=later) == {"uncertain": 1, "enqueued": 0, "broker_down": 0}
    assert state_of(message) == State.UNCERTAIN
    assert len(gateway.requests) == 1
    assert Notification.objects.filter(recipient=hotline, kind=Notification.Kind.SMS).count() == 1


def redis_queue_length(redis: PrivateRedis, queue: str = "celery") -> int:
    import redis as redis_client

    return redis_client.Redis.from_url(redis.url).llen(queue)


def test_the_benchmark_command_runs_end_to_end(redis_broker):
    out = io.StringIO()
    call_command(
        "bench_sms",
        messages=5,
        concurrency=1,
        broker=redis_broker.url,
        force=True,
        stdout=out,
        stderr=io.StringIO(),
    )
    report = out.getvalue()
    assert "end to end:" in report and "messages/s" in report and "backlog drain:" in report
    assert "gateway: 10 requests, 10 delivered, 0 duplicates" in report
    assert not SmsMessage.objects.exists()  # its rows are removed afterwards


def test_the_benchmark_refuses_a_database_without_bench_in_its_name(redis_broker):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="lacks 'bench'"):
        call_command("bench_sms", messages=1, broker=redis_broker.url)
