"""Sign-in (password, then the second factor), enrolment on first sign-in, and the supervisors' pages:
lockouts and the second-person approval of account changes.

Until the second factor is given, nobody is signed in: the session holds only which account passed
the password step (for SIGNIN_PENDING_SECONDS), so no page, link or count is shown to half a sign-in.
"""

from __future__ import annotations

import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services, trail
from accounts.forms import DecisionForm, EnrolForm, TokenForm, TwoFactorResetForm, UnlockForm
from accounts.models import AccountChangeRequest
from cases.roles import Role

PENDING_KEY = "signin_pending"
ENROL_DEVICE_KEY = "signin_enrol_device"
SECURITY_TOTP_KEY = "security_totp_device"
LOCKED_MESSAGE = "登入失敗次數過多，已暫時停止由此帳號或此連線登入。請稍後再試，或請督導協助解除鎖定。"


class SignInView(auth_views.LoginView):
    """Step one: account and password (django-axes counts failures per account name and per address).

    In development (DEBUG) the page lists the demo accounts with their role and name, so a newcomer
    knows who `worker` is when dispatching; never with DEBUG off.
    """

    def form_valid(self, form):
        if not settings.TWO_FACTOR_REQUIRED:
            return super().form_valid(form)
        user = form.get_user()
        # A new session key for the half-signed-in state, as login() would do (no session fixation).
        self.request.session.cycle_key()
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
        }
        self.request.session.pop(ENROL_DEVICE_KEY, None)
        return redirect("accounts:verify" if services.has_two_factor(user) else "accounts:enrol")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.DEBUG:
            labels = dict(Role.choices)
            users = (
                get_user_model()
                .objects.filter(is_active=True, groups__name__in=labels)
                .prefetch_related("groups")
                .order_by("username")
                .distinct()[:20]
            )
            context["demo_accounts"] = [
                (u.username, "、".join(str(labels[g.name]) for g in u.groups.all() if g.name in labels), u)
                for u in users
            ]
        return context


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked account name or address: the login page with one message, the
    same whether the account exists or not (AXES_LOCKOUT_CALLABLE)."""
    username = str((credentials or {}).get("username", ""))[:150]
    trail.record("signin_locked_out", username=username, request=request)
    request.session.pop(PENDING_KEY, None)
    view = SignInView()
    view.setup(request)
    context = {"locked_message": LOCKED_MESSAGE, "next": request.POST.get("next", ""), "username": username}
    context["form"] = view.get_form_class()(request)
    return render(request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def _pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > settings.SIGNIN_PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


def _finish_sign_in(request, user, device) -> str:
    """Both factors given: sign in for real, with the device recorded in the session (django-otp)."""
    pending = request.session.pop(PENDING_KEY)
    request.session.pop(ENROL_DEVICE_KEY, None)
    user.otp_device = device  # django-otp's user_logged_in receiver stores it in the session
    login(request, user, backend=pending["backend"])
    target = pending.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse(settings.LOGIN_REDIRECT_URL)
    return target


def _back_to_login(request):
    if request.user.is_authenticated:
        return redirect("home")
    messages.info(request, "請重新輸入帳號與密碼。")
    return redirect("login")


@require_http_methods(["GET", "POST"])
def verify(request):
    """Step two for an enrolled account: a code of the authenticator app or one recovery code."""
    user = _pending_user(request)
    if user is None:
        return _back_to_login(request)
    if not services.has_two_factor(user):
        return redirect("accounts:enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.two_factor_verify(user=user, token=form.cleaned_data["token"])
        if device is not None:
            target = _finish_sign_in(request, user, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request, f"已使用一組復原碼，尚餘 {left} 組。用完前請在「帳號安全」重新產生。"
                )
            return redirect(target)
        # A wrong code counts as a failed sign-in of the account (django-axes), like a wrong password.
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        form.add_error("token", "驗證碼不正確或已使用，請再試一次。")
    has_totp = services.has_totp(user)
    if not has_totp:
        form.fields["token"].help_text = "一組復原碼（每組只能用一次）。"
        form.fields["token"].label = "復原碼"
    context = {
        "form": form,
        "has_totp": has_totp,
        "has_passkey": services.passkeys_of(user).exists(),
        "locked_message": LOCKED_MESSAGE,
    }
    return render(request, "registration/verify.html", context)


def _qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as a QR code, drawn here (segno, SVG) so the secret never leaves the server."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


@require_http_methods(["GET", "POST"])
def enrol(request):
    """First sign-in: add a passkey (accounts.passkey_views.passkey_enrol) or the authenticator app (QR
    code or typed secret, confirmed with a code here), and receive the recovery codes once."""
    user = _pending_user(request)
    if user is None:
        return _back_to_login(request)
    if services.has_two_factor(user):
        return redirect("accounts:verify")
    device = None
    device_id = request.session.get(ENROL_DEVICE_KEY)
    if device_id:
        device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        device = services.totp_device_pending(user=user)
        request.session[ENROL_DEVICE_KEY] = device.pk
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_confirm(user=user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            device.refresh_from_db()
            target = _finish_sign_in(request, user, device)
            return render(
                request, "registration/recovery_codes.html", {"codes": codes, "continue_to": target}
            )
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        form.add_error("token", "驗證碼不正確，請確認手機時間正確後再試一次。")
    context = {"form": form, "qr": _qr_data_uri(device), "secret": services.totp_secret(device)}
    return render(request, "registration/enrol.html", context)


# --- the signed-in user's own security ------------------------------------------------------------


@login_required
@require_GET
def security(request):
    user = request.user
    context = {
        "has_totp": services.has_totp(user),
        "passkeys": list(services.passkeys_of(user)),
        "codes_left": StaticToken.objects.filter(device__user=user).count(),
        "two_factor_required": settings.TWO_FACTOR_REQUIRED,
    }
    return render(request, "accounts/security.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def totp_add(request):
    """The authenticator app next to a passkey (or for someone who first signed in with two-factor off):
    the same QR code and confirmation as at enrolment, then a new set of recovery codes."""
    user = request.user
    if services.has_totp(user):
        return redirect("accounts:security")
    device_id = request.session.get(SECURITY_TOTP_KEY)
    device = (
        TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first() if device_id else None
    )
    if device is None:
        device = services.totp_device_pending(user=user)
        request.session[SECURITY_TOTP_KEY] = device.pk
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_confirm(user=user, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            request.session.pop(SECURITY_TOTP_KEY, None)
            context = {"codes": codes, "continue_to": reverse("accounts:security")}
            return render(request, "registration/recovery_codes.html", context)
        form.add_error("token", "驗證碼不正確，請確認手機時間正確後再試一次。")
    context = {"form": form, "qr": _qr_data_uri(device), "secret": services.totp_secret(device)}
    return render(request, "accounts/totp_add.html", context)


@login_required
@require_POST
def recovery_codes_new(request):
    """New recovery codes (the old ones stop working), shown once. Needs a verified session when
    two-factor is on (the middleware sees to that)."""
    codes = services.recovery_codes_issue(user=request.user)
    return render(
        request,
        "registration/recovery_codes.html",
        {"codes": codes, "continue_to": reverse("accounts:security")},
    )


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):
        messages.success(self.request, "密碼已變更。其他裝置上的登入已失效。")
        return super().form_valid(form)


password_change = login_required(require_http_methods(["GET", "POST"])(PasswordChange.as_view()))


# --- supervisors: lockouts -------------------------------------------------------------------------


def _lockouts():
    """Account names and addresses at or over the failure limit, within the cool-off time."""
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.all()
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    limit = settings.AXES_FAILURE_LIMIT

    def grouped(field):
        return list(
            attempts.values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=limit)
            .order_by("-last")
        )

    return grouped("username"), grouped("ip_address")


@login_required
@permission_required("accounts.unlock_signin", raise_exception=True)
@require_GET
def lockouts(request):
    by_username, by_address = _lockouts()
    context = {
        "by_username": by_username,
        "by_address": by_address,
        "reset_form": TwoFactorResetForm(),
        "limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "accounts/lockouts.html", context)


@login_required
@permission_required("accounts.unlock_signin", raise_exception=True)
@require_POST
def unlock(request):
    form = UnlockForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("accounts:lockouts")
    try:
        services.signin_unlock(actor=request.user, **form.cleaned_data)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "已解除鎖定。")
    return redirect("accounts:lockouts")


@login_required
@permission_required("accounts.unlock_signin", raise_exception=True)
@require_POST
def two_factor_reset(request):
    """A colleague lost the phone and the recovery codes: they enrol again at their next sign-in."""
    form = TwoFactorResetForm(request.POST)
    if form.is_valid():
        target = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
        try:
            if target is None:
                raise PermissionDenied
            services.two_factor_reset(actor=request.user, user=target)
        except PermissionDenied:
            messages.error(request, "無法重設此帳號（帳號不存在、是你自己，或只有超級使用者可以變更）。")
        else:
            messages.success(request, f"已重設 {target.username} 的雙因素驗證，對方下次登入時重新設定。")
    else:
        messages.error(request, "請輸入要重設雙因素驗證的帳號。")
    return redirect("accounts:lockouts")


# --- supervisors: second-person approval -----------------------------------------------------------


@login_required
@permission_required("accounts.approve_account_change", raise_exception=True)
@require_GET
def approvals(request):
    rows = AccountChangeRequest.objects.select_related("target", "requested_by", "decided_by")
    pending = list(rows.filter(state=AccountChangeRequest.State.PENDING).order_by("requested_at"))
    decided = list(rows.exclude(state=AccountChangeRequest.State.PENDING).order_by("-decided_at")[:30])
    context = {
        "pending": [(r, services.describe(r)) for r in pending],
        "decided": [(r, services.describe(r)) for r in decided],
    }
    return render(request, "accounts/approvals.html", context)


@login_required
@permission_required("accounts.approve_account_change", raise_exception=True)
@require_http_methods(["GET", "POST"])
def approval_decide(request, pk):
    change = get_object_or_404(
        AccountChangeRequest.objects.select_related("target", "requested_by"),
        pk=pk,
        state=AccountChangeRequest.State.PENDING,
    )
    own = request.user.pk in (change.requested_by_id, change.target_id)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and not own and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if form.cleaned_data["decision"] == "approve":
                services.account_change_approve(actor=request.user, change=change, note=note)
                messages.success(request, f"已核准，帳號 {change.target.username} 的變更已生效。")
            else:
                services.account_change_reject(actor=request.user, change=change, note=note)
                messages.success(request, "已退回申請。")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("accounts:approvals")
    target_roles = sorted(change.target.groups.values_list("name", flat=True))
    context = {
        "change": change,
        "description": services.describe(change),
        "form": form,
        "own": own,
        "target_roles": services.role_names(target_roles),
    }
    return render(request, "accounts/approval_decide.html", context)
