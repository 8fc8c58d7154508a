"""SMS outbox rows for tests, made through the real service and then put in the state a test needs."""

from __future__ import annotations

import itertools

from cases.models import SmsMessage
from cases.sms import outbox

_keys = itertools.count(1)


def make_sms(
    *, case=None, intake=None, phone: str = "0912345678", state: str = SmsMessage.State.QUEUED
) -> SmsMessage:
    message = outbox.sms_queue(
        actor=None,
        purpose=SmsMessage.Purpose.GENERIC_RESOURCE,
        template_key="generic_resource",
        phone=phone,
        values={},
        business_key=f"test:{next(_keys)}",
        case=case,
        intake=intake,
    )
    SmsMessage.objects.filter(pk=message.pk).update(state=state)
    return SmsMessage.objects.without_content().get(pk=message.pk)
