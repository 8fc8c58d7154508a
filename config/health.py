"""Health endpoints for the process manager and the load balancer: no sign-in, no data.

/healthz: the process answers (nothing else is touched). /readyz: the database and the broker answer too;
503 otherwise, so a balancer stops sending requests to a process that cannot serve them. The body names the
parts and their state, never an address or an error text.

HealthCheckMiddleware comes first, so a probe never meets the host check (a balancer probes by IP address),
the HTTPS redirect, sessions, sign-in, the second factor or the idle sign-out.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("readyz: the database does not answer", exc_info=True)
        return False


def _broker_answers() -> bool:
    from config.celery import app

    try:
        # The URL the settings name: Celery would prefer a CELERY_BROKER_URL in the environment to its
        # configuration, so a process whose settings point elsewhere would be told about another broker.
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            # One attempt within CELERY_BROKER_CONNECTION_TIMEOUT: a probe must not hang on a dead broker.
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=None)
        return True
    except Exception:  # noqa: BLE001 (kombu raises the transport's own errors: any of them means 'no')
        logger.warning("readyz: the broker does not answer", exc_info=True)
        return False


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    parts = {"database": "ok" if _database_answers() else "down"}
    # Without a broker (development: CELERY_BROKER_URL empty) tasks run in-process; nothing to ask.
    if settings.CELERY_BROKER_URL:
        parts["broker"] = "ok" if _broker_answers() else "down"
    else:
        parts["broker"] = "not used"
    ready = "down" not in parts.values()
    return JsonResponse({"status": "ok" if ready else "unavailable", **parts}, status=200 if ready else 503)


VIEWS = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = VIEWS.get(request.path_info)
        return view(request) if view is not None else self.get_response(request)
