"""The reminder scan's due set in SQL (issue 19): ReminderSchedule, the moment each open deadline's next
reminder step begins, in a narrow indexed table. Open deadlines start at their first step (00:00
Asia/Taipei, the largest DEADLINE_REMINDER_DAYS before the due date); the first scan skips steps
already sent and moves each row on. Deadlines whose overdue reminder went out get no row."""

import datetime as dt

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def schedule_open_deadlines(apps, schema_editor):
    Deadline = apps.get_model("cases", "Deadline")
    ReminderSchedule = apps.get_model("cases", "ReminderSchedule")
    tz = timezone.get_default_timezone()
    lead = max([int(d) for d in settings.DEADLINE_REMINDER_DAYS], default=-1)
    rows = (
        Deadline.objects.filter(state="open")
        .exclude(reminders__days_before=-1)
        .values_list("pk", "due_at")
        .iterator(chunk_size=2000)
    )
    batch = []
    for pk, due_at in rows:
        day = timezone.localtime(due_at, tz).date() - dt.timedelta(days=lead)
        first = timezone.make_aware(dt.datetime.combine(day, dt.time.min), tz)
        batch.append(ReminderSchedule(deadline_id=pk, next_at=first))
        if len(batch) >= 2000:
            ReminderSchedule.objects.bulk_create(batch)
            batch = []
    ReminderSchedule.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0017_form_guard_and_drafts"),
        ("cases", "0017_reminders_give_the_callback_number"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReminderSchedule",
            fields=[
                (
                    "deadline",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="reminder_schedule",
                        serialize=False,
                        to="cases.deadline",
                    ),
                ),
                ("next_at", models.DateTimeField(db_index=True, verbose_name="下次提醒時間")),
            ],
        ),
        migrations.RunPython(schedule_open_deadlines, migrations.RunPython.noop),
    ]
