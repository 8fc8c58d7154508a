"""Appointment and deadline reminders give SMS_REMINDER_CALLBACK_NUMBER, never the public hotline
(issue 21): {hotline} in those two templates becomes {callback}. The generic resource text keeps the
hotline (guideline 1-3 prints it)."""

from django.db import migrations

REMINDERS = ("appointment_reminder", "deadline_reminder")


def use_callback(apps, schema_editor):
    SmsTemplate = apps.get_model("cases", "SmsTemplate")
    for template in SmsTemplate.objects.filter(key__in=REMINDERS):
        if "{hotline}" in template.body:
            template.body = template.body.replace("{hotline}", "{callback}")
            template.save(update_fields=["body"])


def use_hotline(apps, schema_editor):
    SmsTemplate = apps.get_model("cases", "SmsTemplate")
    for template in SmsTemplate.objects.filter(key__in=REMINDERS):
        if "{callback}" in template.body:
            template.body = template.body.replace("{callback}", "{hotline}")
            template.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0016_masked_phone_last_three_digits")]

    operations = [migrations.RunPython(use_callback, use_hotline)]
