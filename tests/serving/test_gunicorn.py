"""gunicorn with config/gunicorn.conf.py, as scripts/prod starts it: threads, shared sign-in, JSON logs,
a database connection that survives the server restarting.

Transactional tests: gunicorn is another process and sees only committed rows.
"""

from __future__ import annotations

import json
import socket

import pytest
from django.db import connection

from cases.roles import sync_role_groups
from tests.serving.harness import free_serve_port, gunicorn
from tests.sms.harness import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SLOW_REQUEST_START = b"GET /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Still-Typing: "


@pytest.fixture(autouse=True)
def role_groups():
    sync_role_groups()  # a transactional test may start after another one's flush


@pytest.fixture
def hotline_user(hotline, settings):
    """The hotline user with a password production can check (the suite hashes with MD5, which it cannot)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    hotline.set_password("pw-hotline")
    hotline.save(update_fields=["password"])
    return hotline


def _slow_client(port: int) -> socket.socket:
    """A client that sends half its headers and then waits (a slow phone line, or slowloris)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(SLOW_REQUEST_START)
    return sock


def _still_waiting(sock: socket.socket) -> bool:
    sock.settimeout(0.2)
    try:
        sock.recv(1)  # an answer, or the server closing: either way, not waiting
    except TimeoutError:
        return True
    return False


def test_twelve_slow_clients_do_not_stall_a_fast_request(static_root):
    # The config's own worker and thread numbers, not the harness's small ones.
    with gunicorn(static_root=static_root, WEB_CONCURRENCY=None, GUNICORN_THREADS=None) as server:
        slow = [_slow_client(server.port) for _ in range(12)]
        try:
            response = server.client(timeout=30).get("/login/")
            assert response.status == 200 and "csrfmiddlewaretoken" in response.text
            assert all(_still_waiting(sock) for sock in slow)
        finally:
            for sock in slow:
                sock.close()


def test_control_a_sync_worker_is_stalled_by_one_slow_client(static_root):
    """Why the config uses threads: the same measurement against gunicorn's default worker fails."""
    with gunicorn(
        static_root=static_root, args=("--worker-class", "sync", "--workers", "1", "--threads", "1")
    ) as server:
        slow = _slow_client(server.port)
        try:
            with pytest.raises(TimeoutError):
                server.client(timeout=3).get("/login/")
        finally:
            slow.close()


def test_two_web_processes_share_a_sign_in(static_root, hotline_user):
    """Sessions live in the database: signed in on one port, signed in on the other."""
    with gunicorn(static_root=static_root) as one:
        with gunicorn(static_root=static_root, port=free_serve_port({one.port})) as two:
            browser = one.client()
            assert browser.get("/account/security/").status == 302  # not signed in yet
            browser.sign_in("hotline", "pw-hotline")
            assert browser.get("/").status == 302
            browser.port = two.port
            response = browser.get("/intake/call/new/")
            assert response.status == 200 and "csrfmiddlewaretoken" in response.text


def test_log_lines_are_json_and_carry_no_personal_data(static_root, hotline_user):
    from tests.cases.test_views import call_form

    name, phone, national_id = "鍾離雪霏", "0987-654-321", "K160181599"
    with gunicorn(static_root=static_root) as server:
        browser = server.client()
        browser.sign_in("hotline", "pw-hotline")
        data = call_form(victim_name=name, victim_phone=phone, victim_national_id=national_id)
        response = browser.post_form("/intake/call/new/", data)
        assert response.status == 302, response.text[:2000]
        # A search in the query string is what an access log would copy.
        assert browser.get("/search/?q=" + name.encode().hex()).status == 200
        assert browser.get(f"/search/?q={phone}").status == 200
        # gunicorn writes an access line after sending the response: wait for the last one.
        wait_for(lambda: server.output().count('"path": "/search/"') == 2, what="the access lines")
        lines = [line for line in server.output().splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line parses
    assert {"time", "level", "logger", "message"} <= set(entries[0])
    requests = [e for e in entries if e["logger"] == "gunicorn.access"]
    assert {"method": "POST", "path": "/intake/call/new/", "status": 302} in [
        {k: e.get(k) for k in ("method", "path", "status")} for e in requests
    ]
    assert [e["path"] for e in requests if e["path"] == "/search/"] == ["/search/", "/search/"]
    text = "\n".join(lines)
    for secret in (name, name.encode().hex(), phone, phone.replace("-", ""), national_id, "pw-hotline"):
        assert secret not in text
    assert "sessionid" not in text and "csrftoken" not in text


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="terminating a backend is PostgreSQL's (CI runs on it)"
)
def test_a_terminated_database_connection_is_replaced_on_the_next_request(static_root):
    """CONN_HEALTH_CHECKS: a persistent connection that died (PostgreSQL restarted) is not reused."""
    from tests.sms.harness import test_database_url

    url = test_database_url() + "?application_name=ncii-serve-test"
    # One thread, so one persistent connection serves both requests.
    with gunicorn(
        static_root=static_root, DATABASE_URL=url, CONN_MAX_AGE="60", GUNICORN_THREADS="1"
    ) as server:
        browser = server.client()
        assert browser.get("/readyz").status == 200
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND application_name = 'ncii-serve-test'"
            )
            assert [row[0] for row in cursor.fetchall()] == [True]  # the app's one kept connection
        response = browser.get("/readyz")
        assert response.status == 200 and json.loads(response.body)["database"] == "ok"
