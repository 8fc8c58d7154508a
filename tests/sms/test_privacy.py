"""Nothing that identifies the victim leaves in clear on the SMS path (guideline G-1, 1-3; docs/sms.md)."""

import datetime as dt
import logging

import pytest
from django.utils import timezone

from cases.management.commands.rotate_keys import encrypted_models
from cases.models import Intake, SmsMessage
from cases.roles import sync_role_groups
from cases.sms import outbox
from cases.sms.localgateway import Reply
from tests.factories import make_intake
from tests.privacy.test_raw_dump import _dump

PHONE = "0987654321"
PLACE = "Q7Z9"


def test_the_outbox_is_covered_by_key_rotation():
    assert SmsMessage in encrypted_models()


@pytest.mark.django_db(transaction=True)
def test_a_raw_dump_holds_neither_the_number_nor_the_text(settings):
    sync_role_groups()  # a transactional test may start after another one's flush
    from tests.factories import make_case, make_user

    hotline = make_user("dump_hotline", "hotline")
    case = make_case(actor=hotline, victim_phone=PHONE)
    victim = case.victim
    victim.sms_consent = True
    victim.save(update_fields=["sms_consent"])
    message = outbox.sms_queue_appointment_reminder(
        actor=hotline,
        case=case,
        starts_at=timezone.now() + dt.timedelta(days=3),
        place_code=PLACE,
        source=case,
    )
    stored = SmsMessage.objects.get(pk=message.pk)
    assert PLACE in stored.body and stored.phone == PHONE  # the data is really there

    dump = _dump()
    assert message.phone_masked in dump  # the dump is complete: the row is in it
    for needle in (PHONE, PHONE[1:], "886" + PHONE[1:], PLACE, stored.body):
        assert needle not in dump


@pytest.mark.django_db
def test_logs_of_a_whole_failed_journey_show_only_the_masked_number(hotline, gateway, caplog):
    gateway.replies += [Reply("[1]\nstatuscode=*\n"), Reply("[1]\nstatuscode=6\n")]
    with caplog.at_level(logging.DEBUG):
        intake = make_intake(
            actor=hotline, victim_phone=PHONE, wishes=Intake.Wishes.DECLINES, send_resource_sms=True
        )
        message = SmsMessage.objects.get(intake=intake)
        outbox.sms_deliver(message_id=message.pk)
        outbox.sms_deliver(message_id=message.pk, now=timezone.now() + dt.timedelta(hours=1))
        outbox.sms_sweep()
    assert SmsMessage.objects.get().state == SmsMessage.State.FAILED
    assert "*******321" in caplog.text and "0987" not in caplog.text
    for needle in (PHONE, PHONE[1:], "親愛的市民"):
        assert needle not in caplog.text
