"""Unassigned-intake alerts (issue 21): an intake neither dispatched nor closed in time alerts the
hotline and the supervisors, once per step. Celery beat runs `send_intake_alerts` every 10 minutes.

Waiting means: still in the queue, or opened (or attached) into a case that has no worker yet. The
limit is INTAKE_ALERT_HOURS, or INTAKE_ALERT_DANGER_HOURS when the call said 有立即危險; step 1 is at
the limit, step 2 at twice it, step 3 at four times, and so on, so a forgotten intake keeps surfacing
without a message every ten minutes.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from cases.models import Case, Intake, IntakeAlert, JobLock, Notification
from cases.notifications import build_notification
from cases.rocdate import format_roc
from cases.roles import Role


def alert_step(waited: dt.timedelta, limit: dt.timedelta) -> int:
    """0 before the limit; 1 from the limit, 2 from twice it, 3 from four times … (pure)."""
    if waited < limit:
        return 0
    step, threshold = 1, limit * 2
    while waited >= threshold:
        step, threshold = step + 1, threshold * 2
    return step


def limit_for(intake: Intake) -> dt.timedelta:
    hours = (
        settings.INTAKE_ALERT_DANGER_HOURS
        if intake.immediate_danger == Intake.Danger.YES
        else settings.INTAKE_ALERT_HOURS
    )
    return dt.timedelta(hours=hours)


def waiting_intakes():
    """Intakes not yet dispatched or closed: pending, or in a case still waiting for its worker."""
    undispatched = Q(
        status__in=[Intake.Status.ACCEPTED, Intake.Status.ATTACHED], case__status=Case.Status.NEW
    )
    return Intake.objects.filter(Q(status=Intake.Status.PENDING) | undispatched)


def _text(intake: Intake, waited: dt.timedelta) -> str:
    hours = int(waited.total_seconds() // 3600)
    danger = "【有立即危險】" if intake.immediate_danger == Intake.Danger.YES else ""
    received = timezone.localtime(intake.received_at)
    what = "尚未派案" if intake.status != Intake.Status.PENDING else "尚未開案、併案或結束"
    return (
        f"{danger}{intake.get_source_display()}（受理於 {format_roc(received.date())} {received:%H:%M}）"
        f"已等候 {hours} 小時，{what}。"
    )


def send_intake_alerts(*, now: dt.datetime | None = None) -> int:
    """Alert once per intake and step. Returns the number of alerts (not notifications) written.

    Idempotent across re-runs and concurrent beats: the scan holds a job lock for its transaction and
    re-reads the steps already sent inside it; the unique (intake, step) constraint is the backstop.
    Constant queries whatever the number of intakes: lock, candidates with their last step, recipients,
    two bulk inserts.
    """
    now = now or timezone.now()
    earliest = now - dt.timedelta(hours=min(settings.INTAKE_ALERT_HOURS, settings.INTAKE_ALERT_DANGER_HOURS))
    with transaction.atomic():
        JobLock.hold("intake_alerts")
        candidates = list(
            waiting_intakes()
            .filter(received_at__lte=earliest)
            .annotate(last_step=Max("alerts__step"))
            .order_by("received_at")
        )
        alerts = []
        for intake in candidates:
            waited = now - intake.received_at
            step = alert_step(waited, limit_for(intake))
            if step > (intake.last_step or 0):
                alerts.append(
                    (
                        intake,
                        IntakeAlert(
                            intake=intake,
                            step=step,
                            waited_hours=int(waited.total_seconds() // 3600),
                            sent_at=now,
                        ),
                        waited,
                    )
                )
        if not alerts:
            return 0
        recipients = list(
            get_user_model()
            .objects.filter(is_active=True, groups__name__in=[Role.HOTLINE, Role.SUPERVISOR])
            .distinct()
        )
        IntakeAlert.objects.bulk_create([alert for _, alert, _ in alerts])
        Notification.objects.bulk_create(
            [
                build_notification(
                    recipient=recipient,
                    kind=Notification.Kind.CASE,
                    text=_text(intake, waited),
                    url=intake.get_absolute_url(),
                )
                for intake, _, waited in alerts
                for recipient in recipients
            ]
        )
        return len(alerts)
