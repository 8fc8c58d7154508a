"""In-app notifications for staff. Texts name the case number, never the victim."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Case, Notification


def build_notification(
    *, recipient, kind: str, text: str, case: Case | None = None, url: str = ""
) -> Notification:
    if case is not None and not url:
        url = case.get_absolute_url()
    return Notification(recipient=recipient, kind=kind, text=text[:300], case=case, url=url)


def notify(*, recipients: Iterable, kind: str, text: str, case: Case | None = None, url: str = "") -> list:
    rows = [
        build_notification(recipient=r, kind=kind, text=text, case=case, url=url) for r in recipients if r
    ]
    return Notification.objects.bulk_create(rows)


def unread_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    qs = unread_for(user)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
