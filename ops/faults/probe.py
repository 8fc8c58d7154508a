"""The drills' hands inside the app: seed data through the real services, sweep, and count outcomes.

Run as `python -m ops.faults.probe <command> [args]` with the app's environment (harness.app_env); the
last line printed is JSON. Counting happens here, in Django, because the text fields are encrypted.
Nothing printed names a person: ids, states, counts and the drill's own markers only.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases import services, tracker  # noqa: E402
from cases.demo import fictional_mobile, fictional_name  # noqa: E402
from cases.models import Deadline, DeadlineReminder, Intake, IntakeAlert, Notification, SmsMessage  # noqa: E402
from cases.roles import Role, sync_role_groups  # noqa: E402
from cases.sms import outbox  # noqa: E402
from cases.writes import model_save  # noqa: E402

PASSWORD = "faults-drill-password-1"
User = get_user_model()
State = SmsMessage.State


def _user(username: str, role: str):
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": username})
    if created:
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=role))
    return user


def seed_users() -> dict:
    sync_role_groups()
    _user("drill_hotline", Role.HOTLINE)
    _user("drill_worker", Role.SOCIAL_WORKER)
    _user("drill_supervisor", Role.SUPERVISOR)
    return {"username": "drill_hotline", "password": PASSWORD}


def queue_intakes(count: str) -> dict:
    """Intakes whose callers declined services, each with its generic SMS; tasks go to the broker."""
    seed_users()
    hotline = User.objects.get(username="drill_hotline")
    rng = random.Random(7)
    for n in range(int(count)):
        services.intake_record(
            actor=hotline,
            source=Intake.Source.CALL,
            victim_name=fictional_name(rng),
            victim_phone=fictional_mobile(rng),
            narrative=f"演練 {n}",
            wishes=Intake.Wishes.DECLINES,
            send_resource_sms=True,
        )
    return {"queued": SmsMessage.objects.filter(state=State.QUEUED).count()}


def intakes_report() -> dict:
    """Each intake the drill made: its marker, and whether every part of it was saved."""
    rows = []
    history = getattr(Intake, "history", None)
    sms = dict(
        SmsMessage.objects.filter(intake__isnull=False).values_list("intake_id").annotate(n=Count("id"))
    )
    histories = dict(history.values_list("id").annotate(n=Count("history_id"))) if history is not None else {}
    for intake in Intake.objects.only("id", "narrative", "victim_phone_index"):
        rows.append(
            {
                "marker": intake.narrative,
                "sms": sms.get(intake.pk, 0),
                "history": histories.get(intake.pk, 0) if history is not None else 1,
                "phone": bool(intake.victim_phone_index),
            }
        )
    return {"intakes": rows}


def sms_report() -> dict:
    rows = list(SmsMessage.objects.without_content().values_list("idempotency_key", "state"))
    return {"messages": rows}


def settle(wait: str = "90", sending_timeout: str = "600") -> dict:
    """What production does after a fault: the sweeper runs (every 60 s from beat; here every second,
    with SMS_REENQUEUE_AFTER from the environment) until nothing is queued and no send is in flight;
    then, SMS_SENDING_TIMEOUT later, rows still 'sending' are handed to a person (uncertain)."""
    deadline = time.monotonic() + float(wait)
    sweeps, calm, last = 0, 0, None
    while time.monotonic() < deadline:
        outbox.sms_sweep()
        sweeps += 1
        queued = SmsMessage.objects.filter(state=State.QUEUED).count()
        sending = SmsMessage.objects.filter(state=State.SENDING).count()
        # Rows a killed worker left in 'sending' never move: three quiet seconds mean nothing is in flight.
        calm = calm + 1 if (queued, sending) == last else 0
        last = (queued, sending)
        if queued == 0 and (sending == 0 or calm >= 3):
            break
        time.sleep(1)
    later = timezone.now() + dt.timedelta(seconds=int(sending_timeout) + 1)
    final = outbox.sms_sweep(now=later)
    return {"sweeps": sweeps, "final": final}


def seed_beat(cases: str, intakes: str) -> dict:
    """Complaint deadlines in 5 days for consenting victims (an SMS reminder and a staff reminder each)
    and intakes left unassigned for 4 hours (an alert each to the hotline and the supervisors)."""
    seed_users()
    hotline = User.objects.get(username="drill_hotline")
    worker = User.objects.get(username="drill_worker")
    rng = random.Random(11)
    due = timezone.localdate() + dt.timedelta(days=5)
    for n in range(int(cases)):
        with transaction.atomic():
            intake = services.intake_record(
                actor=hotline,
                source=Intake.Source.CALL,
                victim_name=fictional_name(rng),
                victim_phone=fictional_mobile(rng),
                narrative=f"演練案件 {n}",
            )
            case = services.case_open_from_intake(actor=hotline, intake=intake)
            services.dispatch_case(actor=hotline, case=case, worker=worker, reason="演練派案")
            victim = case.victim
            victim.sms_consent = True
            model_save(actor=worker, instance=victim, update_fields=["sms_consent"])
            tracker.deadline_open(
                case=case, kind=Deadline.Kind.COMPLAINT, source=intake, title="告訴期間", due=due
            )
    received = timezone.now() - dt.timedelta(hours=4)
    for n in range(int(intakes)):
        services.intake_record(
            actor=hotline,
            source=Intake.Source.CALL,
            victim_name=fictional_name(rng),
            narrative=f"演練受理 {n}",
            received_at=received,
        )
    return {"cases": int(cases), "intakes": int(intakes)}


def _dupes(queryset, *fields) -> int:
    groups = queryset.values(*fields).annotate(n=Count("pk")).filter(n__gt=1)
    return sum(g["n"] - 1 for g in groups)


def beat_report() -> dict:
    return {
        "sms": SmsMessage.objects.count(),
        "sms_states": dict(SmsMessage.objects.values_list("state").annotate(n=Count("id"))),
        "sms_keys": list(SmsMessage.objects.values_list("idempotency_key", flat=True)),
        "sms_dupes": _dupes(SmsMessage.objects.all(), "case_id", "purpose", "template_id"),
        "deadline_reminders": DeadlineReminder.objects.count(),
        "deadline_reminder_dupes": _dupes(DeadlineReminder.objects.all(), "deadline_id", "days_before"),
        "intake_alerts": IntakeAlert.objects.count(),
        "intake_alert_dupes": _dupes(IntakeAlert.objects.all(), "intake_id", "step"),
        "notifications": Notification.objects.count(),
        "notification_dupes": _dupes(Notification.objects.all(), "recipient_id", "kind", "text", "url"),
        "deadlines": Deadline.objects.filter(kind=Deadline.Kind.COMPLAINT).count(),
    }


COMMANDS = {
    "seed-users": seed_users,
    "queue-intakes": queue_intakes,
    "intakes-report": intakes_report,
    "sms-report": sms_report,
    "settle": settle,
    "seed-beat": seed_beat,
    "beat-report": beat_report,
}

if __name__ == "__main__":
    print(json.dumps(COMMANDS[sys.argv[1]](*sys.argv[2:]), ensure_ascii=False, default=str))
