"""Celery tasks of the hub: thin wrappers that take ids (never PII) and call a service."""

from __future__ import annotations

from celery import shared_task

from cases import intake_alerts, tracker
from cases.sms import outbox


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_deadline_reminders() -> int:
    return tracker.send_due_reminders()


# No autoretry: a provider error is retried through the row (next_attempt_at, then the sweeper), and
# an exception after the claim must not resend. acks_late + reject_on_worker_lost (settings) bring
# the task back after a worker crash; the claim makes that harmless.
@shared_task(acks_late=True, ignore_result=True)
def sms_send(message_id: str) -> str:
    return outbox.sms_deliver(message_id=message_id)


# What the outbox publishes: one task per burst, not one per message (outbox.request_drain). Like
# sms_send: no autoretry, acks_late; a redelivered copy claims nothing that was already taken.
@shared_task(acks_late=True, ignore_result=True)
def sms_send_due() -> dict:
    return outbox.sms_deliver_due()


@shared_task(ignore_result=True)
def sms_sweep() -> dict:
    return outbox.sms_sweep()


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def sms_victim_reminders() -> int:
    return outbox.sms_queue_due_victim_reminders()


@shared_task(ignore_result=True)
def forms_sweep() -> dict:
    """Drafts nobody came back for and old form tokens (cases/formguard.py)."""
    from cases import formguard

    return formguard.sweep()


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_intake_alerts() -> int:
    return intake_alerts.send_intake_alerts()


@shared_task(ignore_result=True)
def refresh_unit_statistics() -> int:
    """The supervisor overview's charts (cases/dashboards.py); a missed run leaves the previous ones.
    Also folds its counters' delta rows (cases/counters.py), so the page sums a few rows."""
    from cases import counters, dashboards

    counters.compact()
    return dashboards.refresh_unit_statistics()
