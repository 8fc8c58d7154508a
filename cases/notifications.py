"""In-app notifications for staff. Texts name the case number, never the victim."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Case, Notification

logger = logging.getLogger(__name__)


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
    created = Notification.objects.bulk_create(rows)
    if settings.NOTIFY_BY_EMAIL:
        transaction.on_commit(
            partial(_email, [(r.recipient.email, r.get_kind_display(), r.text) for r in rows])
        )
    return created


def _email(messages: list[tuple[str, str, str]]) -> None:
    """NOTIFY_BY_EMAIL: the same short text (case number, never the victim) to the staff member's address."""
    for address, kind, text in messages:
        if not address:
            continue
        try:
            send_mail(f"[數位性影像案件服務系統] {kind}", text, None, [address])
        except Exception as exc:  # the in-app notification is the record; mail is a courtesy
            logger.warning("notification email failed (%s)", type(exc).__name__)


def unread_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    qs = unread_for(user)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def mark_read_for_case(*, user, case: Case, kinds: Iterable[str]) -> int:
    """Opening the case settles the notifications that only pointed to it (e.g. 「已派給您承辦」).

    No UPDATE for the dispatch notices when the case page's probe (cases.case_records, asked for this
    user) found none of them unread: the usual case, and it was a write on every view of the page."""
    from cases.case_records import no_unread_dispatch_notices

    kinds = list(kinds)
    if set(kinds) <= {Notification.Kind.DISPATCH} and no_unread_dispatch_notices(case, user):
        return 0
    return unread_for(user).filter(case=case, kind__in=kinds).update(read_at=timezone.now())


def notify_role_change(*, user, before: set[str], after: set[str], actor) -> None:
    """Tell the supervisors whenever someone's roles change: roles decide who reads victims' files."""
    from django.contrib.auth import get_user_model

    from cases.choices import choice_labels
    from cases.people import staff_name
    from cases.roles import Role

    def names(groups: set[str]) -> str:
        return choice_labels(sorted(groups), Role.choices) or "無"

    supervisors = get_user_model().objects.filter(is_active=True, groups__name=Role.SUPERVISOR).distinct()
    change = f"由「{names(before)}」改為「{names(after)}」"
    text = f"帳號 {user.username} 的角色{change}（{staff_name(actor)} 變更）。"
    notify(recipients=supervisors, kind=Notification.Kind.SYSTEM, text=text)
