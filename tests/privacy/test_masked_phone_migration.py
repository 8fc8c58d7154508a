"""Migration 0016: stored masked numbers keep at most the last 3 digits (issue 21)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from cases.models import SmsMessage
from tests.sms.factories import make_sms


@pytest.mark.django_db
def test_existing_rows_are_remasked_to_the_last_three_digits(case_of_worker):
    message = make_sms(case=case_of_worker)
    SmsMessage.objects.filter(pk=message.pk).update(phone_masked="0912***678")
    importlib.import_module("cases.migrations.0016_masked_phone_last_three_digits").remask(apps, None)
    assert SmsMessage.objects.values_list("phone_masked", flat=True).get(pk=message.pk) == "*******678"
