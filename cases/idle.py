"""Idle sign-out (issue 18): when the user was last active, and when they signed in.

Signing in (and 繼續工作) writes the time into the session. Every other request refreshes a signed
cookie bound to the session instead, so ordinary pages never write the session row (no query; the pinned
query counts stay as they are). The later of the two counts; a missing or altered cookie only makes the
session older, never younger. Only requests count as activity: the page's own timer asks
`cases:session_status`, which does not.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core import signing
from django.dispatch import receiver

LAST_ACTIVITY = "idle_last_activity"  # epoch seconds, in the session
SIGNED_IN_AT = "idle_signed_in_at"
PENDING_DRAFT = "form_draft"  # {"id", "user", "path", "expires"} of a draft kept at expiry
COOKIE = "last_activity"
_SALT = "cases.idle.last_activity"


def timeout_seconds() -> float:
    return settings.SESSION_IDLE_TIMEOUT_MINUTES * 60


def warning_seconds() -> float:
    return settings.SESSION_IDLE_WARNING_MINUTES * 60


def _granularity() -> float:
    # A cookie on every response would be noise; a few seconds' slack in the timeout is harmless.
    return min(60.0, timeout_seconds() / 10)


def _session_tag(request) -> str:
    return hashlib.sha256((request.session.session_key or "").encode()).hexdigest()[:16]


def _cookie_time(request) -> float | None:
    value = request.COOKIES.get(COOKIE)
    if not value:
        return None
    try:
        tag, stamp = signing.get_cookie_signer(salt=_SALT).unsign(value).split(":")
        return float(stamp) if tag == _session_tag(request) else None
    except (signing.BadSignature, ValueError):
        return None


def last_activity(request) -> float | None:
    times = [t for t in (request.session.get(LAST_ACTIVITY), _cookie_time(request)) if t is not None]
    return max(times) if times else None


def is_expired(request, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    last = last_activity(request)
    signed_in = request.session.get(SIGNED_IN_AT)
    idle = last is not None and now - last > timeout_seconds()
    too_old = signed_in is not None and now - signed_in > settings.SESSION_COOKIE_AGE
    return idle or too_old


def remaining_seconds(request, now: float | None = None) -> float:
    now = time.time() if now is None else now
    last = last_activity(request) or now
    left = timeout_seconds() - (now - last)
    signed_in = request.session.get(SIGNED_IN_AT)
    if signed_in is not None:
        left = min(left, settings.SESSION_COOKIE_AGE - (now - signed_in))
    return max(0.0, left)


def touch(request, response, now: float | None = None) -> None:
    """Record this request as activity on its response (a cookie; at most once per granularity)."""
    now = time.time() if now is None else now
    last = last_activity(request)
    if last is not None and now - last < _granularity():
        return
    value = signing.get_cookie_signer(salt=_SALT).sign(f"{_session_tag(request)}:{now:.0f}")
    response.set_cookie(
        COOKIE,
        value,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite=settings.SESSION_COOKIE_SAMESITE,
    )


def start(session, now: float | None = None) -> None:
    """Write the activity into the session itself (signing in, 繼續工作)."""
    session[LAST_ACTIVITY] = time.time() if now is None else now


@receiver(user_logged_in, dispatch_uid="cases.idle.start")
def _start(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        start(request.session, now)
        request.session[SIGNED_IN_AT] = now
