"""緊急調閱 (break-glass): a social worker opens a case not assigned to them by giving a reason; the
grant is read-only and ends after BREAK_GLASS_HOURS; the supervisors acknowledge or question it.
docs/oversight.md."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.audit import record_event, register_action
from cases.models import BreakGlassGrant, Case, CaseReadLog, Notification
from cases.notifications import notify
from cases.people import staff_name
from cases.roles import Role
from cases.writes import model_save

MIN_REASON_LENGTH = 10
Review = BreakGlassGrant.Review

register_action("break_glass", "緊急調閱")
register_action("break_glass_review", "督導確認緊急調閱")


def _supervisors():
    return get_user_model().objects.filter(is_active=True, groups__name=Role.SUPERVISOR).distinct()


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {
                "reason": f"請具體說明為何必須立即調閱此案件（至少 {MIN_REASON_LENGTH} 個字），"
                "督導會確認這次調閱。"
            },
            code="reason",
        )
    return reason


def _audit(*, actor, grant: BreakGlassGrant, what: str, action: str) -> None:
    """The grant on both trails: the case's reads, and the audit events a supervisor filters by user
    and action (the grant row and its history stay the full record). The reason is not copied into
    the event: it is free text and may name the victim; the grant keeps it encrypted."""
    if grant.case_id is not None:
        CaseReadLog.objects.create(case_id=grant.case_id, user=actor, view=f"緊急調閱：{what}"[:40])
    subject = grant.case.number if grant.case_id else f"查無此案號「{grant.requested_number or '（無）'}」"
    record_event(
        actor=actor, action=action, case=grant.case, target_user=grant.user, detail=f"{what}：{subject}"
    )


@transaction.atomic
def break_glass_open(*, actor, reason: str, case: Case | None = None, number: str = "") -> BreakGlassGrant:
    """Grant `actor` read access to one case for settings.BREAK_GLASS_HOURS, and queue it for review.

    The case comes as a record (the worker followed a link to it) or as a typed case number. A number
    that matches no case is recorded too, without access: probing is reviewed like any request.
    """
    if not actor.has_perm("cases.break_glass"):
        raise PermissionDenied
    reason = _clean_reason(reason)
    number = (number or "").strip()[:20]
    if case is None and number:
        case = Case.objects.filter(number=number).first()
    now = timezone.now()
    grant = BreakGlassGrant(
        case=case,
        requested_number=number,
        user=actor,
        reason=reason,
        requested_at=now,
        expires_at=now + dt.timedelta(hours=settings.BREAK_GLASS_HOURS) if case is not None else None,
    )
    model_save(actor=actor, instance=grant)
    _audit(actor=actor, grant=grant, what="開始", action="break_glass")
    subject = f"案件 {case.number}" if case is not None else f"案號「{number or '（無）'}」（查無此案件）"
    notify(
        recipients=_supervisors(),
        kind=Notification.Kind.CASE,
        text=f"{staff_name(actor)} 緊急調閱{subject}，請確認調閱理由。",
        case=case,
        url=reverse("cases:break_glass_reviews"),
    )
    return grant


@transaction.atomic
def break_glass_review(*, actor, grant: BreakGlassGrant, decision: str, note: str = "") -> BreakGlassGrant:
    """A supervisor acknowledges the grant, or questions it (with a note): questioning ends the access
    at once and tells the worker."""
    if not actor.has_perm("cases.review_break_glass"):
        raise PermissionDenied
    if decision not in (Review.ACKNOWLEDGED, Review.QUESTIONED):
        raise ValidationError({"decision": "請選擇「確認」或「提出疑問」。"}, code="decision")
    note = (note or "").strip()
    if decision == Review.QUESTIONED and not note:
        raise ValidationError({"note": "提出疑問時請寫下疑問，申請人會收到通知。"}, code="note")
    grant = BreakGlassGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.review != Review.PENDING:
        raise ValidationError("這筆緊急調閱已由督導確認過。", code="reviewed")
    if grant.user_id == actor.pk:
        raise ValidationError("不能確認自己的緊急調閱，請由其他督導確認。", code="own")
    now = timezone.now()
    grant.review, grant.reviewed_by, grant.reviewed_at, grant.review_note = decision, actor, now, note
    fields = ["review", "reviewed_by", "reviewed_at", "review_note"]
    if decision == Review.QUESTIONED and grant.expires_at and grant.expires_at > now:
        grant.expires_at = now
        fields.append("expires_at")
    model_save(actor=actor, instance=grant, update_fields=fields)
    _audit(
        actor=actor,
        grant=grant,
        what="督導確認" if decision == Review.ACKNOWLEDGED else "督導提出疑問",
        action="break_glass_review",
    )
    if decision == Review.QUESTIONED:
        subject = f"案件 {grant.case.number}" if grant.case_id else f"案號「{grant.requested_number}」"
        notify(
            recipients=[grant.user],
            kind=Notification.Kind.CASE,
            text=f"督導 {staff_name(actor)} 對您緊急調閱{subject}提出疑問，請與督導聯繫。",
            url=reverse("cases:notifications"),
        )
    return grant
