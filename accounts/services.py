"""Writes of the sign-in side: second-person account changes, two-factor devices, unlocking, sessions."""

from __future__ import annotations

from base64 import b32encode
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.exceptions import OTPWebAuthnApiError
from django_otp_webauthn.models import WebAuthnCredential
from webauthn.helpers import parse_authentication_credential_json
from webauthn.helpers.exceptions import WebAuthnException

from accounts import trail
from accounts.models import AccountChangeRequest, SignInSession
from accounts.rules import PROTECTED_ROLES, is_protected_account
from cases.models import Notification
from cases.notifications import notify
from cases.people import staff_name
from cases.roles import Role
from cases.writes import model_save

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "驗證器 App"
RECOVERY_DEVICE_NAME = "復原碼"


# --- second person -------------------------------------------------------------------------------


def _supervisors():
    return get_user_model().objects.filter(is_active=True, groups__name=Role.SUPERVISOR).distinct()


def role_names(names) -> str:
    from cases.choices import choice_labels

    return choice_labels(sorted(names), Role.choices) or "無"


def describe(request: AccountChangeRequest) -> str:
    """What the request would change, in words a supervisor reads before approving."""
    if request.kind == AccountChangeRequest.Kind.ROLES:
        return f"角色由「{role_names(request.roles_before)}」改為「{role_names(request.roles)}」"
    if request.kind == AccountChangeRequest.Kind.STAFF:
        return "授予系統管理權限（可進入管理介面）"
    return "由他人設定新密碼"


@transaction.atomic
def account_change_request(
    *,
    actor,
    target,
    kind: str,
    roles: list[str] | None = None,
    raw_password: str | None = None,
    password_hash: str | None = None,
) -> AccountChangeRequest:
    """An administrator asks for a change to someone else's account; supervisors are told at once.

    A pending request of the same kind for the same account is replaced (the newest wish counts).
    """
    if target.pk == actor.pk:
        raise PermissionDenied("不能為自己的帳號申請變更。")
    if is_protected_account(target) and not actor.is_superuser:
        raise PermissionDenied("只有超級使用者可以變更督導、系統管理員或超級使用者的帳號。")
    change = AccountChangeRequest(kind=kind, target=target, requested_by=actor)
    if kind == AccountChangeRequest.Kind.ROLES:
        known = set(Role.values)
        wanted = sorted(set(roles or []))
        if not set(wanted) <= known:
            raise ValidationError("不明的角色。")
        change.roles = wanted
        change.roles_before = sorted(target.groups.values_list("name", flat=True))
    elif kind == AccountChangeRequest.Kind.PASSWORD:
        if raw_password is not None:
            password_hash = make_password(raw_password)
        if not password_hash:
            raise ValidationError("沒有新密碼。")
        change.password_hash = password_hash
    elif kind != AccountChangeRequest.Kind.STAFF:
        raise ValidationError("不明的申請事項。")
    for earlier in AccountChangeRequest.objects.select_for_update().filter(
        target=target, kind=kind, state=AccountChangeRequest.State.PENDING
    ):
        earlier.state = AccountChangeRequest.State.REJECTED
        earlier.decided_at = timezone.now()
        earlier.decision_note = "已由較新的申請取代"
        model_save(actor=actor, instance=earlier, update_fields=["state", "decided_at", "decision_note"])
    model_save(actor=actor, instance=change)
    notify(
        recipients=_supervisors(),
        kind=Notification.Kind.SYSTEM,
        text=f"待核准：{staff_name(actor)} 申請帳號 {target.username} {describe(change)}。",
    )
    trail.record("account_change_requested", actor=actor, target=target, detail=describe(change))
    return change


def _decision_detail(change: AccountChangeRequest) -> str:
    who = staff_name(change.requested_by)
    note = f"；{change.decision_note}" if change.decision_note else ""
    return f"{describe(change)}（{who} 申請{note}）"


def _check_decider(*, actor, change: AccountChangeRequest) -> None:
    if not actor.has_perm("accounts.approve_account_change"):
        raise PermissionDenied
    if change.state != AccountChangeRequest.State.PENDING:
        raise ValidationError("此申請已處理。")
    if actor.pk in (change.requested_by_id, change.target_id):
        raise PermissionDenied("申請人或當事人不能核准自己的申請，請由另一位督導核准。")


@transaction.atomic
def account_change_approve(*, actor, change: AccountChangeRequest, note: str = "") -> None:
    """A supervisor (not the requester, not the account holder) approves: the change takes effect now."""
    change = AccountChangeRequest.objects.select_for_update().select_related("target").get(pk=change.pk)
    _check_decider(actor=actor, change=change)
    target = change.target
    if target.is_superuser:
        raise ValidationError("超級使用者的帳號不經由此處變更。")
    if is_protected_account(target) and not actor.is_superuser:
        # It became a supervisor's or an administrator's account after the request (an earlier approval).
        raise ValidationError("此帳號現已是督導或系統管理員的帳號，只有超級使用者可以變更；請退回此申請。")
    if change.kind == AccountChangeRequest.Kind.ROLES:
        target.groups.set(Group.objects.filter(name__in=change.roles))
    elif change.kind == AccountChangeRequest.Kind.STAFF:
        target.is_staff = True
        target.save(update_fields=["is_staff"])
    else:
        target.password = change.password_hash
        target.save(update_fields=["password"])
        # Whoever was signed in as this person is not any more (Django also rotates the session hash).
        sessions_end_for(user=target, actor=actor)
    change.state = AccountChangeRequest.State.APPROVED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.decision_note = note[:300]
    change.password_hash = ""  # applied: the hash now lives on the account only
    model_save(
        actor=actor,
        instance=change,
        update_fields=["state", "decided_by", "decided_at", "decision_note", "password_hash"],
    )
    notify(
        recipients=[change.requested_by],
        kind=Notification.Kind.SYSTEM,
        text=f"{staff_name(actor)} 已核准：帳號 {target.username} {describe(change)}。",
    )
    trail.record("account_change_approved", actor=actor, target=target, detail=_decision_detail(change))


@transaction.atomic
def account_change_reject(*, actor, change: AccountChangeRequest, note: str) -> None:
    change = AccountChangeRequest.objects.select_for_update().select_related("target").get(pk=change.pk)
    _check_decider(actor=actor, change=change)
    if not note.strip():
        raise ValidationError({"note": "請說明退回的理由。"})
    change.state = AccountChangeRequest.State.REJECTED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.decision_note = note.strip()[:300]
    change.password_hash = ""
    model_save(
        actor=actor,
        instance=change,
        update_fields=["state", "decided_by", "decided_at", "decision_note", "password_hash"],
    )
    notify(
        recipients=[change.requested_by],
        kind=Notification.Kind.SYSTEM,
        text=(
            f"{staff_name(actor)} 退回：帳號 {change.target.username} {describe(change)}"
            f"（{change.decision_note}）。"
        ),
    )
    trail.record(
        "account_change_rejected", actor=actor, target=change.target, detail=_decision_detail(change)
    )


# --- sessions ------------------------------------------------------------------------------------


def session_remember(*, user, session_key: str) -> None:
    SignInSession.objects.create(user=user, session_key=session_key)


def sessions_end_for(*, user, actor=None) -> int:
    """End every session `user` signed in with, in whatever store SESSION_ENGINE names."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = list(SignInSession.objects.filter(user=user))
    for row in rows:
        store(session_key=row.session_key).delete()
    SignInSession.objects.filter(pk__in=[r.pk for r in rows]).delete()
    if rows:
        trail.record("sessions_ended", actor=actor, target=user, detail=f"{len(rows)} 個工作階段")
    return len(rows)


# --- two-factor devices --------------------------------------------------------------------------


def totp_device_pending(*, user) -> TOTPDevice:
    """The unconfirmed authenticator of a first sign-in (one at a time; the secret is new each time)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def totp_pending_discard(*, user) -> None:
    """The authenticator the enrolment page offered, when a passkey was chosen instead."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()


def totp_secret(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when typed in (base32, no padding)."""
    return b32encode(device.bin_key).decode().rstrip("=")


@transaction.atomic
def totp_confirm(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a code it shows; returns the new recovery codes, None if wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    trail.record("two_factor_enrolled", actor=user, target=user)
    return recovery_codes_issue(user=user)


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """Ten single-use recovery codes; any earlier ones stop working. Shown once; django-otp keeps static
    tokens as they are (not hashed), and no page of the app shows them again."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    trail.record("recovery_codes_issued", actor=user, target=user)
    return codes


def has_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_two_factor(user) -> bool:
    """An authenticator app, a passkey, or both (recovery codes alone do not count: they run out)."""
    return has_totp(user) or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def two_factor_verify(*, user, token: str):
    """The device that accepts `token` (authenticator code or recovery code), or None.

    Each device is asked on its own, under a row lock, so a code is accepted once and django-otp's
    throttling (a growing delay after each wrong code) applies.
    """
    token = "".join(token.split()).lower()
    if token.isdigit() and len(token) == 6:
        devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
    for device in devices:
        if device.verify_token(token):
            return device
    return None


def two_factor_reset(*, actor, user) -> None:
    """Forget someone's authenticator and recovery codes: they enrol again at their next sign-in."""
    if not actor.has_perm("accounts.unlock_signin") or actor.pk == user.pk:
        raise PermissionDenied
    if is_protected_account(user) and not actor.is_superuser:
        raise PermissionDenied
    TOTPDevice.objects.filter(user=user).delete()
    WebAuthnCredential.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    sessions_end_for(user=user, actor=actor)
    trail.record("two_factor_reset", actor=actor, target=user)


# --- passkeys (WebAuthn) --------------------------------------------------------------------------
# The ceremonies are django-otp-webauthn's helper over py_webauthn; the challenge waits in the session
# and is taken out before the answer is checked, so an answer counts once (no replay).

PASSKEY_REGISTER_STATE = "passkey_register_state"
PASSKEY_AUTH_STATE = "passkey_auth_state"
PASSKEY_NAME_DEFAULT = "通行金鑰"
# Whatever a browser or a forger can send wrong: malformed JSON, CBOR or keys, a bad signature, another
# origin or RP ID, an old challenge, a sign counter that went backwards.
CEREMONY_ERRORS = (WebAuthnException, OTPWebAuthnApiError, KeyError, ValueError, TypeError)


def _webauthn_helper(request):
    return WebAuthnCredential.get_webauthn_helper(request=request)


def _take_state(request, key: str) -> dict | None:
    state = request.session.pop(key, None)
    request.session.save()  # gone even if what follows fails
    return state


def passkey_registration_options(*, request, user) -> dict:
    """What the browser needs to create a passkey for `user` (their own passkeys are excluded)."""
    options, state = _webauthn_helper(request).register_begin(user=user)
    request.session[PASSKEY_REGISTER_STATE] = state
    return options


@transaction.atomic
def passkey_register(*, request, user, data: dict, name: str = "") -> WebAuthnCredential | None:
    """Check the browser's answer to the registration options and keep the passkey; None if refused."""
    state = _take_state(request, PASSKEY_REGISTER_STATE)
    if not state:
        return None
    try:
        with transaction.atomic():
            credential = _webauthn_helper(request).register_complete(user=user, state=state, data=data)
    except (*CEREMONY_ERRORS, IntegrityError):  # IntegrityError: this passkey is registered already
        return None
    credential.name = (name.strip() or PASSKEY_NAME_DEFAULT)[:64]
    credential.save(update_fields=["name"])
    trail.record("passkey_enrolled", actor=user, target=user, detail=credential.name, request=request)
    return credential


def passkey_authentication_options(*, request, user) -> dict:
    """A challenge for one of `user`'s passkeys (the second step of signing in)."""
    options, state = _webauthn_helper(request).authenticate_begin(user=user, require_user_verification=False)
    request.session[PASSKEY_AUTH_STATE] = state
    return options


@transaction.atomic
def passkey_verify(*, request, user, data: dict) -> WebAuthnCredential | None:
    """The passkey of `user` that signed this challenge, or None.

    The passkey's row is locked while its signature counter is checked and moved on, so two answers
    signed by a cloned authenticator cannot both pass with the same count.
    """
    state = _take_state(request, PASSKEY_AUTH_STATE)
    if not state:
        return None
    try:
        raw_id = parse_authentication_credential_json(data).raw_id
        digest = WebAuthnCredential.get_credential_id_sha256(raw_id)
        locked = WebAuthnCredential.objects.select_for_update().filter(
            user=user, confirmed=True, credential_id_sha256=digest
        )
        if not locked.exists():
            return None
        with transaction.atomic():
            credential = _webauthn_helper(request).authenticate_complete(user=user, state=state, data=data)
    except CEREMONY_ERRORS:
        return None
    trail.record("passkey_used", actor=user, target=user, detail=credential.name, request=request)
    return credential


def passkeys_of(user):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")


@transaction.atomic
def passkey_remove(*, actor, credential: WebAuthnCredential, request=None) -> None:
    """Remove one's own passkey. The last second factor stays: without it the account could not finish
    signing in (a colleague who lost everything asks a supervisor to reset, see two_factor_reset)."""
    if credential.user_id != actor.pk:
        raise PermissionDenied
    others = passkeys_of(actor).exclude(pk=credential.pk).exists()
    if settings.TWO_FACTOR_REQUIRED and not others and not has_totp(actor):
        raise ValidationError(
            "這是您唯一的第二道驗證方式，請先新增另一把通行金鑰或驗證器 App，再移除這一把。"
        )
    name = credential.name
    credential.delete()
    trail.record("passkey_removed", actor=actor, target=actor, detail=name, request=request)


# --- lockouts ------------------------------------------------------------------------------------


def signin_unlock(*, actor, username: str = "", ip_address: str = "") -> int:
    """A supervisor lifts a lockout of one account name or one address (django-axes rows removed)."""
    from axes.utils import reset

    if not actor.has_perm("accounts.unlock_signin"):
        raise PermissionDenied
    if bool(username) == bool(ip_address):
        raise ValidationError("請指定一個帳號或一個連線位址。")
    account = get_user_model().objects.filter(username=username).first() if username else None
    if account is not None and is_protected_account(account) and not actor.is_superuser:
        # Lifting a lock lets guessing go on: for these accounts, as for any other change, a superuser's.
        raise PermissionDenied(
            "督導、系統管理員或超級使用者帳號的鎖定，只能由超級使用者解除（或等鎖定時間結束）。"
        )
    removed = reset(username=username) if username else reset(ip=ip_address)
    trail.record(
        "signin_unlocked",
        actor=actor,
        username=username,
        detail=f"連線位址 {ip_address}" if ip_address else "帳號",
    )
    return removed


__all__ = [
    "PROTECTED_ROLES",
    "account_change_approve",
    "account_change_reject",
    "account_change_request",
    "describe",
]
