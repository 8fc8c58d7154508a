"""Reminders give a callback number kept apart from the public hotline (issue 21)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from cases.models import SmsTemplate
from cases.sms.defaults import APPOINTMENT_REMINDER, DEADLINE_REMINDER
from cases.sms.outbox import sms_template_get
from cases.sms.text import names_number

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("number", "named"),
    [
        ("(02)23615295分機226", True),
        ("02-2361-5295", True),  # the same line without the extension
        ("０２２３６１５２９５", True),  # full-width digits
        ("(02)66057373", True),  # the MOHW line the text also names
        ("(02)2700-1234", False),
        ("", False),
    ],
)
def test_names_number_finds_the_numbers_of_the_generic_text(number, named):
    from cases.sms.text import GUIDELINE_GENERIC_TEXT

    assert names_number(GUIDELINE_GENERIC_TEXT, number) is named


class TestTemplatePageWarning:
    def page(self, client, supervisor) -> str:
        client.force_login(supervisor)
        return client.get(reverse("cases:sms_templates")).content.decode()

    def test_warns_when_the_callback_number_is_the_hotline(self, client, supervisor, settings):
        settings.SMS_REMINDER_CALLBACK_NUMBER = "(02)2361-5295"
        html = self.page(client, supervisor)
        assert 'id="callback-warning"' in html and "與服務資源簡訊列出的專線相同" in html

    def test_warns_when_no_callback_number_is_set(self, client, supervisor, settings):
        settings.SMS_REMINDER_CALLBACK_NUMBER = ""
        assert "尚未設定預約與重要日期提醒的回電號碼" in self.page(client, supervisor)

    def test_no_warning_with_a_number_of_its_own(self, client, supervisor, settings):
        settings.SMS_REMINDER_CALLBACK_NUMBER = "(02)2700-1234"
        assert 'id="callback-warning"' not in self.page(client, supervisor)


def test_reminder_templates_cannot_give_the_hotline(client, supervisor):
    template = sms_template_get(APPOINTMENT_REMINDER)
    client.force_login(supervisor)
    response = client.post(
        reverse("cases:sms_template_edit", args=[template.pk]),
        {"body": "您好，提醒您{time}在{place_code}的約定，請來電{hotline}。", "save": "1"},
    )
    assert response.status_code == 200
    assert "這個範本不能使用 {hotline}" in response.content.decode()


def test_migration_turns_hotline_into_callback_in_reminder_templates():
    migration = importlib.import_module("cases.migrations.0017_reminders_give_the_callback_number")
    for key in (APPOINTMENT_REMINDER, DEADLINE_REMINDER):
        SmsTemplate.objects.filter(key=key).update(body="您好，提醒您{time}，請來電{hotline}。")
    migration.use_callback(apps, None)
    bodies = SmsTemplate.objects.filter(key__in=[APPOINTMENT_REMINDER, DEADLINE_REMINDER])
    assert {t.body for t in bodies} == {"您好，提醒您{time}，請來電{callback}。"}
