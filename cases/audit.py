"""The audit trail's public write kit (issue 21; docs/privacy.md 「稽核軌跡」).

    record_event(*, actor, action, case=None, target_user=None, username="", detail="", request=None)

writes one `AuditEvent` (hash-chained, append-only) in the caller's transaction and returns it. Any app
may call it; `action` is a short code, its zh-Hant label registered with `register_action(code, label)`
(or one of ACTION_LABELS). `detail` is staff-written text such as a reason: never victim PII.
Sign-ins, sign-outs and failed sign-ins are recorded here from Django's auth signals.
"""

from __future__ import annotations

from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from cases.models import AuditEvent

ACTION_LABELS: dict[str, str] = {
    "login": "登入",
    "login_failed": "登入失敗",
    "logout": "登出",
    "audit_export": "匯出稽核紀錄",
    "anonymise": "保存期限屆滿去識別化",
}


def register_action(code: str, label: str) -> None:
    """An app's own audit action (e.g. "lockout" 「帳號鎖定」), shown with its label on the audit pages."""
    ACTION_LABELS[code] = label


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record_event(
    *,
    actor,
    action: str,
    case=None,
    target_user=None,
    username: str = "",
    detail: str = "",
    request=None,
) -> AuditEvent:
    """One audit event, in the caller's transaction (so it commits or rolls back with the act)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        action=action[:40],
        case=case,
        target_user=target_user,
        username=(username or "")[:150],
        ip_address=client_ip(request),
        detail=detail,
    )


@receiver(auth_signals.user_logged_in, dispatch_uid="audit_login")
def _on_login(sender, request, user, **kwargs):
    record_event(actor=user, action="login", username=user.get_username(), request=request)


@receiver(auth_signals.user_logged_out, dispatch_uid="audit_logout")
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event(actor=user, action="logout", username=user.get_username(), request=request)


@receiver(auth_signals.user_login_failed, dispatch_uid="audit_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    # The typed name only (Django already scrubs the password from `credentials`); it may name no account.
    record_event(
        actor=None,
        action="login_failed",
        username=str(credentials.get("username", ""))[:150],
        request=request,
    )


__all__ = ["ACTION_LABELS", "action_label", "record_event", "register_action"]
