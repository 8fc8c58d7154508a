"""Pages that show case content must not stay in the browser after sign-out (no back-button reading);
idle sign-out and one-time form tokens (issue 18)."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect, resolve_url
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme

from cases import formguard, idle


class NoStoreForSignedInMiddleware:
    """Every response to a signed-in user: Cache-Control: no-store (private, never cached, not kept)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        # Asked before the view too: a response that signs the user out (logout, idle timeout) was still
        # made for a signed-in user.
        signed_in = user is not None and user.is_authenticated
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if signed_in or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)  # max-age=0, no-cache, no-store, must-revalidate, private
        return response


def _same_site_referer(request) -> str | None:
    """The page a form was posted from (path and query), when the browser says it was one of ours."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(referer)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _wants_json(view_func) -> bool:
    return getattr(view_func, "session_json", False)


class SessionIdleMiddleware:
    """Signs out after SESSION_IDLE_TIMEOUT_MINUTES without a request (SESSION_COOKIE_AGE after sign-in at
    the latest; cases/idle.py keeps the times) and sends the user to sign in again with `next`; a form
    posted then is kept as a draft and filled in again on that page after signing in (issue 18,
    cases/formguard.py).

    In process_view, after CsrfViewMiddleware: a forged post is refused before anything is kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "idle_active", False) and request.user.is_authenticated:
            idle.touch(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        exempt = getattr(view_func, "idle_exempt", False)
        # The page's own timer (exempt) only hears that time is up: signing out there would lose the
        # form the user is about to send, which the next real request keeps as a draft.
        if idle.is_expired(request) and not exempt:
            response = self._sign_out(request, view_func)
            response.delete_cookie(idle.COOKIE, samesite=settings.SESSION_COOKIE_SAMESITE)
            return response
        request.idle_active = not exempt
        if request.method == "GET" and idle.PENDING_DRAFT in request.session:
            self._restore(request)
        return None

    def _sign_out(self, request, view_func):
        user = request.user
        if request.method == "POST":
            next_url = _same_site_referer(request) or request.path
        else:
            next_url = request.get_full_path()
        draft = None
        if request.method == "POST" and not _wants_json(view_func):
            draft = formguard.draft_keep(
                user=user, page_path=urlsplit(next_url).path, action_path=request.path, data=request.POST
            )
        logout(request)
        minutes = f"{settings.SESSION_IDLE_TIMEOUT_MINUTES:g}"
        if draft is not None:
            request.session[idle.PENDING_DRAFT] = {
                "id": str(draft.pk),
                "user": user.pk,
                "path": draft.page_path,
                "expires": draft.expires_at.timestamp(),
            }
            messages.warning(
                request,
                f"您已閒置超過 {minutes} 分鐘，為保護個案資料已自動登出。剛才填寫的內容尚未儲存，"
                "已暫時加密保留；重新登入後會回到該表單。",
            )
        else:
            messages.warning(request, f"您已閒置超過 {minutes} 分鐘，為保護個案資料已自動登出，請重新登入。")
        if _wants_json(view_func):
            return JsonResponse({"signed_out": True, "login": resolve_url(settings.LOGIN_URL)}, status=401)
        return redirect_to_login(next_url)

    def _restore(self, request):
        session = request.session
        pending = session.get(idle.PENDING_DRAFT) or {}
        mine = pending.get("user") == request.user.pk
        if mine and pending.get("expires", 0) > time.time() and request.path != pending.get("path"):
            return  # kept until the user opens that form (or it expires)
        del session[idle.PENDING_DRAFT]
        if not mine or pending.get("expires", 0) <= time.time():
            formguard.draft_discard(draft_id=pending.get("id"))  # another user signed in on this browser
            return
        draft = formguard.draft_take(draft_id=pending["id"], user=request.user)
        if draft is not None:
            request.form_draft = draft
            messages.info(request, "已還原您登出前填寫的內容，這些內容尚未儲存，請確認後再送出。")


class FormGuardMiddleware:
    """A second post of the same form token does not run the view again (issue 18, cases/formguard.py).

    The token is claimed before the view runs (after CSRF); a redirect completes the claim with its
    location, anything else (the form again with errors, an error page) releases it. A post without a
    token (APIs, older tests) runs as before.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        submission = getattr(request, "form_guard_claim", None)
        if submission is not None:
            if 300 <= response.status_code < 400 and response.has_header("Location"):
                formguard.submission_complete(submission=submission, location=response["Location"])
            else:
                formguard.submission_release(submission=submission)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        user = getattr(request, "user", None)
        token = request.POST.get(formguard.TOKEN_FIELD, "")
        if user is None or not user.is_authenticated or not formguard.token_is_valid(token):
            return None
        for _ in range(3):  # a released token is claimed afresh (the first post showed errors)
            submission = formguard.submission_claim(token=token, user=user, path=request.path)
            if submission is not None:
                request.form_guard_claim = submission
                return None
            location = formguard.submission_outcome(token=token, user=user, wait=formguard.WAIT_SECONDS)
            if location != formguard.RELEASED:
                break
        if location:
            messages.info(request, "這份表單已經送出過，沒有重複儲存。")
            return redirect(location)
        messages.info(request, "這份表單已經送出，正在處理中，沒有重複儲存；請稍後重新整理頁面確認結果。")
        return redirect(_same_site_referer(request) or "home")


class LoadAccessMiddleware:
    """Before the view: the signed-in user's groups and permissions in one query (cases.roles.load_access)
    instead of three, whichever the page asks first (a permission decorator or the navigation's roles)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from cases.roles import load_access

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            load_access(user)
        return self.get_response(request)
