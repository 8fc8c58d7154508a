"""Celery tasks of the hub: thin wrappers that take ids (never PII) and call a service."""

from __future__ import annotations

from celery import shared_task

from cases import tracker


@shared_task(autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_deadline_reminders() -> int:
    return tracker.send_due_reminders()
