"""The outbox services (cases/outbox.py) in-process: queue, claim, retry, give up, sweep, settle.

Delivery runs in this process here (eager Celery, file backend or the real local gateway); the tests
with a real worker and a real broker are in test_worker.py.
"""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from cases import services, tracker
from cases.models import Deadline, Intake, JobLock, Notification, SmsMessage
from cases.sms import outbox
from cases.sms.defaults import DEADLINE_REMINDER
from cases.sms.localgateway import Reply
from cases.sms.text import GUIDELINE_GENERIC_TEXT
from cases.writes import model_save
from tests.factories import make_intake

pytestmark = pytest.mark.django_db

State = SmsMessage.State


def queue_generic(hotline, *, phone="0912345678", **fields):
    intake = make_intake(actor=hotline, victim_phone=phone, wishes=Intake.Wishes.DECLINES, **fields)
    return outbox.sms_queue_generic_resource(actor=hotline, intake=intake)


def raw(message, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM cases_smsmessage WHERE id = %s", [message.pk.hex])
        row = cursor.fetchone()
        if row is None:  # PostgreSQL stores the UUID natively
            cursor.execute(f"SELECT {column} FROM cases_smsmessage WHERE id = %s", [message.pk])
            row = cursor.fetchone()
    return row[0]


def refreshed(message):
    return SmsMessage.objects.get(pk=message.pk)


class TestQueue:
    def test_the_row_is_written_in_the_callers_transaction(self, hotline):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue_generic(hotline)
            assert SmsMessage.objects.count() == 1
            raise RuntimeError("the business change fails")
        assert SmsMessage.objects.count() == 0

    def test_it_is_enqueued_only_after_commit(
        self, hotline, phone_outbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            message = queue_generic(hotline)
        assert len(callbacks) == 1 and phone_outbox() == []
        callbacks[0]()
        assert refreshed(message).state == State.SENT
        (sent,) = phone_outbox()
        assert sent == {
            "to": "0912345678",
            "body": GUIDELINE_GENERIC_TEXT,
            "client_id": message.idempotency_key,
            "at": sent["at"],
        }

    def test_number_and_text_are_encrypted_and_the_mask_is_all_that_is_clear(self, hotline):
        message = queue_generic(hotline, phone="+886 912-345-678")
        assert raw(message, "phone").startswith("gAAAAA") and raw(message, "body").startswith("gAAAAA")
        assert raw(message, "phone_masked") == "*******678"
        stored = refreshed(message)
        assert (stored.phone, stored.body, stored.segments) == ("0912345678", GUIDELINE_GENERIC_TEXT, 3)

    def test_the_same_business_event_is_one_message(self, hotline, django_capture_on_commit_callbacks):
        intake = make_intake(actor=hotline, victim_phone="0912345678", wishes=Intake.Wishes.DECLINES)
        with django_capture_on_commit_callbacks() as callbacks:
            first = outbox.sms_queue_generic_resource(actor=hotline, intake=intake)
            second = outbox.sms_queue_generic_resource(actor=hotline, intake=intake)
        assert first.pk == second.pk and SmsMessage.objects.count() == 1 and len(callbacks) == 1

    def test_a_number_that_is_not_a_mobile_is_refused(self, hotline):
        with pytest.raises(ValidationError, match="手機"):
            queue_generic(hotline, phone="02-2361-5295")

    def test_queued_in_quiet_hours_waits_for_their_end(
        self, hotline, settings, django_capture_on_commit_callbacks
    ):
        local = timezone.localtime()
        settings.SMS_QUIET_HOURS_START = (local - dt.timedelta(hours=1)).strftime("%H:%M")
        settings.SMS_QUIET_HOURS_END = (local + dt.timedelta(hours=1)).strftime("%H:%M")
        with django_capture_on_commit_callbacks() as callbacks:
            message = queue_generic(hotline)
        assert callbacks == []  # nothing to enqueue before the morning
        expected = (local + dt.timedelta(hours=1)).replace(second=0, microsecond=0)
        assert refreshed(message).next_attempt_at == expected
        assert outbox.sms_sweep() == {"uncertain": 0, "enqueued": 0, "broker_down": 0}
        assert outbox.sms_deliver(message_id=message.pk, now=timezone.now()) == "deferred"
        assert outbox.sms_sweep(now=expected - dt.timedelta(minutes=1))["enqueued"] == 0


class TestDeliver:
    def test_a_second_delivery_of_the_same_task_sends_nothing(self, hotline, gateway):
        message = queue_generic(hotline)
        assert outbox.sms_deliver(message_id=message.pk) == State.SENT
        assert outbox.sms_deliver(message_id=message.pk) == "skipped"
        outbox.enqueue(message.pk)  # a double enqueue (eager here) is absorbed by the claim too
        assert len(gateway.requests) == 1
        stored = refreshed(message)
        assert (stored.state, stored.attempts, stored.provider_message_id) == (State.SENT, 1, "1010079522")

    def test_a_row_claimed_by_another_worker_is_left_alone(self, hotline, gateway):
        message = queue_generic(hotline)
        SmsMessage.objects.filter(pk=message.pk).update(state=State.SENDING, claimed_at=timezone.now())
        assert outbox.sms_deliver(message_id=message.pk) == "skipped"
        assert gateway.requests == []

    def test_provider_busy_retries_with_backoff(self, hotline, gateway, settings):
        settings.SMS_RETRY_BASE_SECONDS = 60
        gateway.replies += [Reply("[1]\nstatuscode=*\n"), Reply("[1]\nstatuscode=b\n")]
        message = queue_generic(hotline)
        start = timezone.now()
        assert outbox.sms_deliver(message_id=message.pk, now=start) == "retry"
        stored = refreshed(message)
        assert (stored.state, stored.attempts, stored.last_code) == (State.QUEUED, 1, "*")
        assert dt.timedelta(seconds=60) <= stored.next_attempt_at - start < dt.timedelta(seconds=61)
        assert stored.enqueued_at is None
        assert outbox.sms_deliver(message_id=message.pk, now=start + dt.timedelta(seconds=30)) == "skipped"
        assert outbox.sms_deliver(message_id=message.pk, now=start + dt.timedelta(seconds=61)) == "retry"
        assert refreshed(message).next_attempt_at == start + dt.timedelta(seconds=61 + 120)
        assert outbox.sms_deliver(message_id=message.pk, now=start + dt.timedelta(seconds=200)) == State.SENT
        assert len(gateway.requests) == 3 and len(gateway.sent) == 1

    def test_gives_up_after_max_attempts_and_tells_the_worker(self, hotline, worker, gateway, settings):
        settings.SMS_MAX_ATTEMPTS = 2
        gateway.handler = lambda form: Reply("[1]\nstatuscode=*\n")
        case = services.case_open_from_intake(actor=hotline, intake=make_intake(actor=hotline))
        services.dispatch_case(actor=hotline, case=case, worker=worker, reason="派案")
        message = outbox.sms_queue(
            actor=hotline,
            purpose=SmsMessage.Purpose.GENERIC_RESOURCE,
            template_key="generic_resource",
            phone="0912345678",
            values={},
            business_key="t",
            case=case,
        )
        later = timezone.now() + dt.timedelta(hours=1)
        assert outbox.sms_deliver(message_id=message.pk) == "retry"
        assert outbox.sms_deliver(message_id=message.pk, now=later) == State.FAILED
        stored = refreshed(message)
        assert stored.state == State.FAILED and "已嘗試 2 次" in stored.last_error
        note = Notification.objects.get(recipient=worker, kind=Notification.Kind.SMS)
        assert case.number in note.text and "傳送失敗" in note.text

    def test_a_refused_number_fails_at_once_and_the_text_names_no_one(self, hotline, gateway):
        gateway.replies.append(Reply("[1]\nstatuscode=6\n"))
        message = queue_generic(hotline, victim_name="歐陽靜瑤")
        assert outbox.sms_deliver(message_id=message.pk) == State.FAILED
        stored = refreshed(message)
        assert (stored.last_code, stored.last_error) == ("6", "門號有錯誤")
        note = Notification.objects.get(
            recipient=hotline, kind=Notification.Kind.SMS
        )  # no case yet: the caller's staff
        assert "門號有錯誤" in note.text and note.url == message.intake.get_absolute_url()
        assert "歐陽靜瑤" not in note.text and "0912" not in note.text

    def test_an_unreadable_answer_is_uncertain_and_never_resent_by_the_system(self, hotline, gateway):
        gateway.replies.append(Reply("<html>502 Bad Gateway</html>"))
        message = queue_generic(hotline)
        assert outbox.sms_deliver(message_id=message.pk) == State.UNCERTAIN
        later = timezone.now() + dt.timedelta(days=1)
        assert outbox.sms_sweep(now=later) == {"uncertain": 0, "enqueued": 0, "broker_down": 0}
        assert outbox.sms_deliver(message_id=message.pk, now=later) == "skipped"
        assert len(gateway.requests) == 1
        assert Notification.objects.filter(recipient=hotline, text__contains="送出結果不明").count() == 1

    def test_an_exception_in_the_backend_after_the_claim_is_uncertain(self, hotline, settings):
        settings.SMS_BACKEND = "mitake"
        settings.SMS_GATEWAY_URL = "not a url"  # urllib raises ValueError: unexpected, after the claim
        message = queue_generic(hotline)
        assert outbox.sms_deliver(message_id=message.pk) == State.UNCERTAIN
        assert refreshed(message).last_error == "傳送時發生未預期的錯誤（ValueError）"


class TestSweep:
    def test_a_row_stuck_in_sending_is_marked_uncertain_once_and_not_resent(self, hotline, gateway, settings):
        settings.SMS_SENDING_TIMEOUT = 600
        message = queue_generic(hotline)
        claimed = timezone.now() - dt.timedelta(seconds=601)
        # As a worker that crashed after the provider took the message leaves it:
        SmsMessage.objects.filter(pk=message.pk).update(state=State.SENDING, claimed_at=claimed, attempts=1)
        assert outbox.sms_sweep(now=claimed + dt.timedelta(seconds=599))["uncertain"] == 0
        assert outbox.sms_sweep()["uncertain"] == 1
        assert outbox.sms_sweep()["uncertain"] == 0
        stored = refreshed(message)
        assert (stored.state, stored.last_code) == (State.UNCERTAIN, "timeout")
        assert gateway.requests == []
        assert Notification.objects.filter(kind=Notification.Kind.SMS).count() == 1

    def test_due_rows_whose_task_was_lost_are_enqueued_again(self, hotline, phone_outbox, settings):
        settings.SMS_REENQUEUE_AFTER = 120
        fresh = queue_generic(hotline, phone="0922333444")  # on_commit never ran in this test
        not_due = queue_generic(hotline, phone="0933444555")
        now = timezone.now()
        SmsMessage.objects.filter(pk=fresh.pk).update(enqueued_at=now - dt.timedelta(seconds=60))
        SmsMessage.objects.filter(pk=not_due.pk).update(
            enqueued_at=None, next_attempt_at=now + dt.timedelta(hours=1)
        )
        # A task was asked for a minute ago: not yet the sweeper's business.
        assert outbox.sms_sweep(now=now) == {"uncertain": 0, "enqueued": 0, "broker_down": 0}
        assert phone_outbox() == []
        lost = queue_generic(hotline)
        SmsMessage.objects.filter(pk=lost.pk).update(enqueued_at=None)  # as if the broker was down
        now = timezone.now()
        assert outbox.sms_sweep(now=now) == {"uncertain": 0, "enqueued": 1, "broker_down": 0}
        # The one task it publishes sends every due message, and only those.
        assert sorted(m["to"] for m in phone_outbox()) == ["0912345678", "0922333444"]
        assert refreshed(not_due).state == State.QUEUED
        assert outbox.sms_sweep(now=now + dt.timedelta(seconds=121))["enqueued"] == 0

    def test_a_flag_left_by_a_lost_publish_does_not_hold_messages_back(self, hotline, phone_outbox, settings):
        JobLock.objects.create(name=outbox.DRAIN_PENDING)  # "a task is pending", but none is
        message = queue_generic(hotline)
        outbox.enqueue(message.pk)  # the on-commit hook trusts the flag and publishes nothing
        assert refreshed(message).state == State.QUEUED
        later = timezone.now() + dt.timedelta(seconds=settings.SMS_REENQUEUE_AFTER + 1)
        assert outbox.sms_sweep(now=later)["enqueued"] == 1  # the sweeper publishes anyway
        assert refreshed(message).state == State.SENT and len(phone_outbox()) == 1
        assert not JobLock.objects.filter(name=outbox.DRAIN_PENDING).exists()


class TestSettling:
    def test_a_delivery_report_settles_an_uncertain_message(self, hotline, gateway):
        gateway.replies.append(Reply(drop=True))
        message = queue_generic(hotline)
        assert outbox.sms_deliver(message_id=message.pk) == State.UNCERTAIN
        outbox.sms_record_delivery_report(clientid=message.idempotency_key, msgid="555", statuscode="4")
        stored = refreshed(message)
        assert (stored.state, stored.delivery_status, stored.provider_message_id) == (
            State.SENT,
            "delivered",
            "555",
        )

    def test_an_undelivered_report_tells_staff_once(self, hotline, gateway):
        message = queue_generic(hotline)
        outbox.sms_deliver(message_id=message.pk)
        for _ in range(2):
            outbox.sms_record_delivery_report(msgid="1010079522", statuscode="8")
        assert refreshed(message).delivery_status == "undelivered"
        assert Notification.objects.filter(text__contains="逾時無送達").count() == 1

    def test_resend_by_a_person_uses_the_same_client_id(
        self, hotline, supervisor, gateway, django_capture_on_commit_callbacks
    ):
        gateway.replies.append(Reply(drop=True))  # the gateway takes it, the answer is lost
        message = queue_generic(hotline)
        outbox.sms_deliver(message_id=message.pk)
        assert refreshed(message).state == State.UNCERTAIN
        with django_capture_on_commit_callbacks(execute=True):
            outbox.sms_resolve(actor=supervisor, message=message, action="resend")
        stored = refreshed(message)
        assert (stored.state, stored.resolved_by) == (State.SENT, supervisor)
        assert [r["clientid"] for r in gateway.requests] == [message.idempotency_key] * 2
        with pytest.raises(ValidationError, match="狀態已改變"):
            outbox.sms_resolve(actor=supervisor, message=message, action="cancel")

    def test_mark_sent_and_cancel(self, hotline, supervisor, gateway):
        first, second = queue_generic(hotline), queue_generic(hotline, phone="0922333444")
        SmsMessage.objects.update(state=State.UNCERTAIN)
        outbox.sms_resolve(actor=supervisor, message=first, action="mark_sent")
        outbox.sms_resolve(actor=supervisor, message=second, action="cancel")
        assert (refreshed(first).state, refreshed(second).state) == (State.SENT, State.CANCELLED)
        assert gateway.requests == []


class TestConsentAndReminders:
    def test_a_reminder_needs_the_victims_consent(self, hotline, worker, case_of_worker):
        with pytest.raises(ValidationError, match="未同意"):
            outbox.sms_queue_appointment_reminder(
                actor=worker,
                case=case_of_worker,
                starts_at=timezone.now() + dt.timedelta(days=2),
                place_code="A3",
                source=case_of_worker,
            )
        assert not SmsMessage.objects.exists()

    def test_appointment_reminder_a_day_before_with_a_place_code(self, worker, consenting_case, phone_outbox):
        starts = timezone.localtime().replace(hour=14, minute=30, second=0, microsecond=0) + dt.timedelta(
            days=3
        )
        message = outbox.sms_queue_appointment_reminder(
            actor=worker, case=consenting_case, starts_at=starts, place_code="A3", source=consenting_case
        )
        assert message.next_attempt_at == starts - dt.timedelta(hours=24)
        assert outbox.sms_deliver(message_id=message.pk) == "skipped"  # not due yet
        assert outbox.sms_deliver(message_id=message.pk, now=starts - dt.timedelta(hours=23)) == State.SENT
        (sent,) = phone_outbox()
        assert (
            "A3" in sent["body"]
            and f"{starts.month}月{starts.day}日" in sent["body"]
            and "14:30" in sent["body"]
        )
        with pytest.raises(ValidationError, match="地點代碼"):
            outbox.sms_queue_appointment_reminder(
                actor=worker, case=consenting_case, starts_at=starts, place_code="臺北地院", source=worker
            )

    def test_consent_withdrawn_before_sending_cancels(self, worker, consenting_case, phone_outbox):
        message = outbox.sms_queue_appointment_reminder(
            actor=worker,
            case=consenting_case,
            starts_at=timezone.now() + dt.timedelta(days=2),
            place_code="A3",
            source=consenting_case,
            send_at=timezone.now(),
        )
        victim = consenting_case.victim
        victim.sms_consent = False
        model_save(actor=worker, instance=victim, update_fields=["sms_consent"])
        assert outbox.sms_deliver(message_id=message.pk) == State.CANCELLED
        assert phone_outbox() == []
        assert not Notification.objects.filter(kind=Notification.Kind.SMS).exists()

    def test_complaint_deadline_reminders_once_per_step_for_consenting_victims(
        self, hotline, worker, consenting_case, case_of_worker2, phone_outbox, settings
    ):
        settings.SMS_VICTIM_REMINDER_DAYS = [7, 1]
        due = timezone.localdate() + dt.timedelta(days=5)
        for case in (consenting_case, case_of_worker2):  # the second victim did not agree to SMS
            tracker.deadline_open(
                case=case, kind=Deadline.Kind.COMPLAINT, source=case.intakes.get(), title="告訴期間", due=due
            )
        assert outbox.sms_queue_due_victim_reminders() == 1
        assert outbox.sms_queue_due_victim_reminders() == 0
        message = SmsMessage.objects.get()
        assert (message.case, message.template.key, message.requires_consent) == (
            consenting_case,
            DEADLINE_REMINDER,
            True,
        )
        outbox.sms_deliver(message_id=message.pk)
        (sent,) = phone_outbox()
        day = f"{due.month}月{due.day}日（{'一二三四五六日'[due.weekday()]}）"
        assert sent["body"] == f"您好，提醒您有一項重要日期在{day}，如有疑問請來電(02)2700-1234。"
        later = timezone.now() + dt.timedelta(days=4, hours=1)
        assert outbox.sms_queue_due_victim_reminders(now=later) == 1  # the 1-day step

    def test_two_running_periods_of_one_case_are_one_reminder_of_the_earliest(
        self, worker, consenting_case, settings
    ):
        """Guideline 4-3a with two complaint offences: the victim hears of the earliest running date only."""
        from cases.models import CaseReadLog

        settings.SMS_VICTIM_REMINDER_DAYS = [7]
        today = timezone.localdate()
        for days, view in ((6, "second source"), (3, "first source")):
            source = CaseReadLog.objects.create(case=consenting_case, user=worker, view=view)
            tracker.deadline_open(
                case=consenting_case,
                kind=Deadline.Kind.COMPLAINT,
                source=source,
                title="告訴期間",
                due=today + dt.timedelta(days=days),
            )
        assert outbox.sms_queue_due_victim_reminders() == 1
        message = SmsMessage.objects.get()
        earliest = today + dt.timedelta(days=3)
        assert f"{earliest.month}月{earliest.day}日" in refreshed(message).body


class TestIntakeHook:
    def test_declining_victim_gets_the_generic_sms_in_the_intake_transaction(
        self, hotline, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as callbacks:
            intake = make_intake(
                actor=hotline,
                victim_phone="0912345678",
                wishes=Intake.Wishes.DECLINES,
                send_resource_sms=True,
            )
        message = SmsMessage.objects.get()
        assert (message.intake, message.purpose, len(callbacks)) == (intake, "generic_resource", 1)
        assert refreshed(message).body == GUIDELINE_GENERIC_TEXT

    @pytest.mark.parametrize(
        ("fields", "error"),
        [
            ({"wishes": Intake.Wishes.WANTS_SERVICE, "victim_phone": "0912345678"}, "暫無意願"),
            ({"wishes": Intake.Wishes.DECLINES, "victim_phone": ""}, "請填寫被害人手機"),
        ],
    )
    def test_refused_with_nothing_saved(self, hotline, fields, error):
        with pytest.raises(ValidationError, match=error):
            make_intake(actor=hotline, send_resource_sms=True, **fields)
        assert not Intake.objects.exists() and not SmsMessage.objects.exists()

    def test_without_the_flag_no_sms(self, hotline):
        make_intake(actor=hotline, victim_phone="0912345678", wishes=Intake.Wishes.DECLINES)
        assert not SmsMessage.objects.exists()


class TestStaffNotifications:
    def test_dispatch_notifies_the_assigned_worker(self, hotline, worker):
        case = services.case_open_from_intake(
            actor=hotline, intake=make_intake(actor=hotline, victim_name="鍾離雪霏")
        )
        services.dispatch_case(actor=hotline, case=case, worker=worker, reason="派案")
        note = Notification.objects.get(recipient=worker, kind=Notification.Kind.DISPATCH)
        assert case.number in note.text and "鍾離雪霏" not in note.text
        assert note.url == case.get_absolute_url()

    def test_email_only_when_switched_on(
        self, hotline, worker, worker2, settings, django_capture_on_commit_callbacks
    ):
        worker2.email = "worker2@example.org"
        worker2.save(update_fields=["email"])
        case = services.case_open_from_intake(actor=hotline, intake=make_intake(actor=hotline))
        with django_capture_on_commit_callbacks(execute=True):
            services.dispatch_case(actor=hotline, case=case, worker=worker, reason="派案")
        assert mail.outbox == []
        settings.NOTIFY_BY_EMAIL = True
        with django_capture_on_commit_callbacks(execute=True):
            services.dispatch_case(actor=hotline, case=case, worker=worker2, reason="改派")
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["worker2@example.org"] and case.number in mail.outbox[0].body
