"""Idle sign-out (issue 18): the session remembers its last activity and its sign-in time.

Only requests count as activity; the page's own timer asks `cases:session_status`, which does not
count, and only 繼續工作 (`cases:session_keepalive`) or a real request extends the session.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

LAST_ACTIVITY = "idle_last_activity"  # epoch seconds
SIGNED_IN_AT = "idle_signed_in_at"
PENDING_DRAFT = "form_draft"  # {"id", "user", "path", "expires"} of a draft kept at expiry


def timeout_seconds() -> float:
    return settings.SESSION_IDLE_TIMEOUT_MINUTES * 60


def warning_seconds() -> float:
    return settings.SESSION_IDLE_WARNING_MINUTES * 60


def _granularity() -> float:
    # Writing the session on every request would cost a query each time; a minute's slack is harmless.
    return min(60.0, timeout_seconds() / 10)


def is_expired(session, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    last = session.get(LAST_ACTIVITY)
    signed_in = session.get(SIGNED_IN_AT)
    idle = last is not None and now - last > timeout_seconds()
    too_old = signed_in is not None and now - signed_in > settings.SESSION_COOKIE_AGE
    return idle or too_old


def touch(session, now: float | None = None, *, force: bool = False) -> None:
    """Record activity (saving the session at most once per granularity unless forced)."""
    now = time.time() if now is None else now
    last = session.get(LAST_ACTIVITY)
    if force or last is None or now - last >= _granularity():
        session[LAST_ACTIVITY] = now


def remaining_seconds(session, now: float | None = None) -> float:
    now = time.time() if now is None else now
    last = session.get(LAST_ACTIVITY, now)
    left = timeout_seconds() - (now - last)
    signed_in = session.get(SIGNED_IN_AT)
    if signed_in is not None:
        left = min(left, settings.SESSION_COOKIE_AGE - (now - signed_in))
    return max(0.0, left)


@receiver(user_logged_in, dispatch_uid="cases.idle.start")
def _start(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LAST_ACTIVITY] = now
        request.session[SIGNED_IN_AT] = now
