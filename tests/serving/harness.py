"""Real gunicorn processes for the serving tests: config/gunicorn.conf.py, production settings, test database.

Like the SMS worker (tests/sms/harness.py), gunicorn gets production settings with this test process's keys
and database and nothing from .env; the tests that use it are transactional so it sees their rows. Ports
come from SERVE_PORTS (a range kept free for these tests), each checked free before use.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings

from tests.sms.harness import test_database_url, wait_for

ROOT = Path(__file__).resolve().parents[2]
SERVE_PORTS = range(8140, 8150)
READY_TIMEOUT = 60


def free_serve_port(taken: set[int] = frozenset()) -> int:
    for port in SERVE_PORTS:
        if port in taken:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {SERVE_PORTS}")


def serve_env(*, static_root: Path, **extra: str | None) -> dict[str, str]:
    """The environment of gunicorn; an extra value of None removes a variable (the config's default)."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "BLIND_INDEX_KEY": settings.BLIND_INDEX_KEY,
        "DEMO_PASSWORD": "unused-in-production",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": "",
        "STATIC_ROOT": str(static_root),
        # Plain HTTP from the test client; cookies are passed by hand, so their Secure flag does not matter.
        "SECURE_SSL_REDIRECT": "false",
        "TWO_FACTOR_REQUIRED": "false",
        "SMS_BACKEND": "file",
        "SMS_FILE_PATH": str(Path(tempfile.gettempdir()) / f"ncii-serve-sms-{os.getpid()}.jsonl"),
        "SMS_REMINDER_CALLBACK_NUMBER": "(02)2700-1234",
        "WEBAUTHN_RP_ID": "localhost",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        # One small worker keeps the tests light; the slow-client test runs the config's own numbers.
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "4",
    }
    env.update(extra)
    return {name: value for name, value in env.items() if value is not None}


def collect_static(target: Path) -> None:
    env = serve_env(static_root=target)
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


class Server:
    def __init__(self, proc: subprocess.Popen, port: int, log: Path):
        self.proc = proc
        self.port = port
        self.log = log

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def client(self, timeout: float = 20) -> Browser:
        return Browser(self.port, timeout=timeout)


@contextlib.contextmanager
def gunicorn(
    *, static_root: Path, port: int | None = None, args: tuple[str, ...] = (), **env
) -> Iterator[Server]:
    """`gunicorn -c config/gunicorn.conf.py` (plus args) on a port of SERVE_PORTS; stopped after."""
    port = port or free_serve_port()
    log = Path(tempfile.mkstemp(prefix="ncii-gunicorn-", suffix=".log")[1])
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "config/gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        *args,
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=serve_env(static_root=static_root, **env), stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(proc, port, log)
    try:
        wait_for(
            lambda: proc.poll() is not None or _answers(port),
            timeout=READY_TIMEOUT,
            interval=0.2,
            what=f"gunicorn on {port}",
        )
        if proc.poll() is not None:
            raise AssertionError(f"gunicorn exited:\n{server.output()}")
        yield server
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        log.unlink(missing_ok=True)


def _answers(port: int) -> bool:
    try:
        return Browser(port, timeout=2).get("/healthz").status == 200
    except OSError:
        return False


class Response:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Browser:
    """A few requests with a cookie jar, over plain http.client (one connection per request)."""

    def __init__(self, port: int, *, timeout: float = 20):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            response = Response(raw.status, raw.getheaders(), raw.read())
        finally:
            conn.close()
        for name, value in response.headers:
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, path: str, data: dict) -> Response:
        """GET the page for its CSRF token, then POST the form with it, as a browser does."""
        page = self.get(path)
        assert 'name="csrfmiddlewaretoken"' in page.text, f"no CSRF token on {path} ({page.status})"
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
        return self.request("POST", path, {**hidden, **data})

    def sign_in(self, username: str, password: str) -> Response:
        response = self.post_form("/login/", {"username": username, "password": password})
        assert response.status == 302 and not response.header("Location").startswith("/login/"), (
            response.status,
            response.text[:500],
        )
        return response
