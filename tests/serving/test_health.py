"""/healthz and /readyz (config/health.py): no sign-in, no redirect, no data; 503 when the broker is down."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from cases.roles import sync_role_groups
from config.celery import app as celery_app
from tests.serving.harness import free_serve_port
from tests.sms.harness import PrivateRedis

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def role_groups():
    sync_role_groups()  # after a transactional test's flush (tests/serving/test_gunicorn.py)


@pytest.fixture
def broker_at(settings, monkeypatch):
    """Point the Celery app (and the setting /readyz reads) at a broker URL."""

    def point(url: str) -> None:
        settings.CELERY_BROKER_URL = url
        monkeypatch.setattr(celery_app.conf, "broker_url", url)

    return point


def _body(response) -> dict:
    return json.loads(response.content)


def test_healthz_answers_anyone_with_no_data(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and _body(response) == {"status": "ok"}
    assert "no-store" in response["Cache-Control"] and not response.cookies


def test_readyz_is_503_when_the_broker_is_down(client, broker_at):
    broker_at(f"redis://127.0.0.1:{free_serve_port()}/0")  # a closed port
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert _body(response) == {"status": "unavailable", "database": "ok", "broker": "down"}
    assert client.get(reverse("healthz")).status_code == 200  # the process itself is up


def test_readyz_is_200_when_database_and_broker_answer(client, broker_at):
    redis = PrivateRedis().start()
    try:
        broker_at(redis.url)
        response = client.get(reverse("readyz"))
    finally:
        redis.stop()
    assert response.status_code == 200
    assert _body(response) == {"status": "ok", "database": "ok", "broker": "ok"}


def test_without_a_broker_readyz_asks_only_the_database(client, broker_at):
    broker_at("")
    response = client.get(reverse("readyz"))
    assert response.status_code == 200 and _body(response)["broker"] == "not used"


@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_probes_skip_host_check_https_redirect_and_sign_in_steps(client, settings, worker, name):
    """A balancer probes by IP over HTTP; a half-signed-in or idle session changes nothing either."""
    settings.SECURE_SSL_REDIRECT = True
    settings.TWO_FACTOR_REQUIRED = True  # the worker has no second factor: other pages send them to it
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 0.0001
    client.force_login(worker)
    assert client.get(reverse("home")).status_code == 301  # any other page: off to HTTPS
    assert client.get(reverse("home"), secure=True).url.startswith(reverse("login"))  # no second factor yet
    response = client.get(reverse(name), HTTP_HOST="10.0.0.7")
    assert response.status_code == 200 and set(_body(response)) <= {"status", "database", "broker"}
    assert not response.cookies


def test_a_client_cannot_pass_for_https_unless_a_proxy_is_trusted(client, settings):
    """SECURE_PROXY_SSL_HEADER is unset unless PROXY_SETS_X_FORWARDED_PROTO says a proxy overwrites it."""
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https").status_code == 200
