"""Passkeys (WebAuthn) as the second factor: at the first sign-in, at each sign-in, and on the signed-in
user's security page. The browser half is static/js/passkeys.js.

Each ceremony is one URL: a POST without a credential answers the options (the challenge waits in the
session); a POST with the browser's credential completes it. Answers are JSON, texts in zh-Hant.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services
from accounts.forms import PasskeyRemoveForm
from accounts.views import _finish_sign_in, _pending_user

NEW_CODES_KEY = "signin_new_recovery_codes"
REFUSED = "通行金鑰驗證未通過，請再試一次，或改用驗證器 App 或復原碼。"
NOT_SAVED = "未能新增通行金鑰（可能已取消、逾時，或這把金鑰已經登記過），請再試一次。"


def _credential(request):
    """The browser's credential (a dict) and the name typed for it, or (None, "") for "send options"."""
    if request.content_type != "application/json" or not request.body:
        return None, ""
    try:
        body = json.loads(request.body)
    except ValueError:
        return None, ""
    if not isinstance(body, dict) or not isinstance(body.get("credential"), dict):
        return None, ""
    return body["credential"], str(body.get("name", ""))[:64]


def _again():
    return JsonResponse({"detail": "請重新輸入帳號與密碼。", "redirect": reverse("login")}, status=403)


@never_cache
@require_POST
def passkey_verify(request):
    """Sign-in, step two: a passkey of the account that gave its password."""
    user = _pending_user(request)
    if user is None:
        return _again()
    credential, _ = _credential(request)
    if credential is None:
        if not services.passkeys_of(user).exists():
            return JsonResponse({"detail": "此帳號沒有通行金鑰。"}, status=400)
        return JsonResponse({"options": services.passkey_authentication_options(request=request, user=user)})
    device = services.passkey_verify(request=request, user=user, data=credential)
    if device is None:
        # Counts as a failed sign-in of the account, like a wrong code (django-axes).
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        return JsonResponse({"detail": REFUSED}, status=400)
    return JsonResponse({"redirect": _finish_sign_in(request, user, device)})


@never_cache
@require_POST
def passkey_enrol(request):
    """First sign-in: a passkey instead of (or before) the authenticator app; recovery codes either way."""
    user = _pending_user(request)
    if user is None:
        return _again()
    if services.has_two_factor(user):
        return JsonResponse(
            {"detail": "此帳號已設定雙因素驗證。", "redirect": reverse("accounts:verify")}, status=409
        )
    credential, name = _credential(request)
    if credential is None:
        return JsonResponse({"options": services.passkey_registration_options(request=request, user=user)})
    device = services.passkey_register(request=request, user=user, data=credential, name=name)
    if device is None:
        return JsonResponse({"detail": NOT_SAVED}, status=400)
    services.totp_pending_discard(user=user)
    codes = services.recovery_codes_issue(user=user)
    target = _finish_sign_in(request, user, device)
    request.session[NEW_CODES_KEY] = {"codes": codes, "next": target}
    return JsonResponse({"redirect": reverse("accounts:recovery_codes_new_shown")})


@login_required
@never_cache
@require_GET
def recovery_codes_shown(request):
    """The recovery codes of a passkey enrolment, shown once (the JSON answer could not show them)."""
    pending = request.session.pop(NEW_CODES_KEY, None)
    if not pending:
        return redirect("accounts:security")
    context = {"codes": pending["codes"], "continue_to": pending["next"]}
    return render(request, "registration/recovery_codes.html", context)


@login_required
@never_cache
@require_POST
def passkey_add(request):
    """Another passkey for the signed-in user (a verified session, TwoFactorRequiredMiddleware)."""
    credential, name = _credential(request)
    if credential is None:
        return JsonResponse(
            {"options": services.passkey_registration_options(request=request, user=request.user)}
        )
    device = services.passkey_register(request=request, user=request.user, data=credential, name=name)
    if device is None:
        return JsonResponse({"detail": NOT_SAVED}, status=400)
    messages.success(request, f"已新增通行金鑰「{device.name}」。")
    return JsonResponse({"redirect": reverse("accounts:security")})


@login_required
@require_http_methods(["GET", "POST"])
def passkey_remove(request, pk):
    """Remove one of one's own passkeys, after typing the password again (someone at an unlocked PC
    cannot take away the owner's key). `pk` is the passkey's credential_id_sha256, not a row number."""
    credential = get_object_or_404(services.passkeys_of(request.user), credential_id_sha256=pk)
    form = PasskeyRemoveForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        this_session = getattr(request.user, "otp_device", None)
        signed_in_with_it = (
            this_session is not None and this_session.persistent_id == credential.persistent_id
        )
        try:
            services.passkey_remove(actor=request.user, credential=credential, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if signed_in_with_it and settings.TWO_FACTOR_REQUIRED:
                # This session's second factor is gone: sign in again with one that remains.
                logout(request)
                messages.info(
                    request, f"已移除通行金鑰「{credential.name}」。這次登入是用它驗證的，請重新登入。"
                )
                return redirect("login")
            messages.success(request, f"已移除通行金鑰「{credential.name}」。")
            return redirect("accounts:security")
    return render(request, "accounts/passkey_remove.html", {"credential": credential, "form": form})
