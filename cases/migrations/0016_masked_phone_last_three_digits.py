"""Stored masked numbers keep at most the last 3 digits (issue 21): rows written as 0912***678 become
*******678. The outbox row has no history table, so nothing else holds the longer form."""

from django.db import migrations


def remask(apps, schema_editor):
    SmsMessage = apps.get_model("cases", "SmsMessage")
    rows = []
    for message in SmsMessage.objects.only("pk", "phone_masked").iterator(chunk_size=2000):
        masked = message.phone_masked or ""
        tail = "".join(ch for ch in masked if ch.isdigit())[-3:] if len(masked) >= 7 else ""
        new = "*" * 7 + tail if len(tail) == 3 else "***"
        if new != masked:
            message.phone_masked = new
            rows.append(message)
        if len(rows) >= 2000:
            SmsMessage.objects.bulk_update(rows, ["phone_masked"])
            rows = []
    if rows:
        SmsMessage.objects.bulk_update(rows, ["phone_masked"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0015_break_glass_and_intake_alerts")]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop)]
