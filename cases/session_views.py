"""The idle warning's two endpoints (issue 18): how long is left, and 繼續工作."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET, require_POST

from cases import idle


def _state(request) -> JsonResponse:
    remaining = idle.remaining_seconds(request)
    return JsonResponse({"remaining": round(remaining), "warning": round(idle.warning_seconds())})


@login_required
@require_GET
def session_status(request):
    """Seconds left before the idle sign-out. Asked by the page's timer, so it is not activity itself."""
    return _state(request)


session_status.idle_exempt = True
session_status.session_json = True


@login_required
@require_POST
def session_keepalive(request):
    """繼續工作: the user is here, the idle clock starts again (CSRF-protected like every post)."""
    idle.start(request.session)
    return _state(request)


session_keepalive.session_json = True
