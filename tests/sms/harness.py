"""Real processes for the SMS tests: a private Redis, a Celery worker, the Celery app pointed at them.

The tests start their own redis-server on a free port (so stopping "the broker" never touches the
machine's Redis on 6379 that others use) and a real `celery -A config worker` with production
settings, the test process's keys and the test database. The worker must see committed data, so
these tests are transactional; on SQLite the test database is a file (config/settings_test.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
WORKER_READY_TIMEOUT = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], timeout: float = 15, interval: float = 0.05, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")


class PrivateRedis:
    """redis-server on a free port of 127.0.0.1, no persistence; stop() and start() keep the port."""

    def __init__(self):
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is needed (apt-get install redis-server; .ci/run does it)")
        self.binary = binary
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        cmd = [
            self.binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self._answers, timeout=10, what="redis-server to answer")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


def test_database_url() -> str:
    """The URL of the database this test process uses, for the worker."""
    conf = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = conf.get("USER") or ""
        if conf.get("PASSWORD"):
            auth += f":{conf['PASSWORD']}"
        host = f"{conf.get('HOST') or '127.0.0.1'}:{conf.get('PORT') or 5432}"
        return f"postgres://{auth}@{host}/{conf['NAME']}"
    if connection.vendor == "sqlite":
        name = str(conf["NAME"])
        if "mode=memory" in name or name == ":memory:":
            raise RuntimeError("the worker needs a file test database (see config/settings_test.py)")
        return f"sqlite:///{name}"
    raise RuntimeError(f"no worker recipe for {connection.vendor}")


def worker_env(*, broker_url: str, **extra: str) -> dict[str, str]:
    """Production settings with this process's keys and database; nothing from .env fills a gap."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "BLIND_INDEX_KEY": settings.BLIND_INDEX_KEY,
        "ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": broker_url,
        "SMS_BACKEND": "mitake",
        "SMS_GATEWAY_URL": settings.SMS_GATEWAY_URL,
        "SMS_GATEWAY_USERNAME": "ncii-test",
        "SMS_GATEWAY_PASSWORD": "ncii-test-password",
        "SMS_GATEWAY_TIMEOUT": "5",
        "SMS_QUIET_HOURS_START": "00:00",
        "SMS_QUIET_HOURS_END": "00:00",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


class Worker:
    def __init__(self, proc: subprocess.Popen, log: Path):
        self.proc = proc
        self.log = log

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def child_pids(self) -> list[int]:
        """Pool processes of a prefork worker (their parent is the worker; Linux /proc)."""
        pids = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(
                    line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
                )
            except OSError:
                continue  # the process ended meanwhile
            if fields.get("PPid", "").strip() == str(self.proc.pid):
                pids.append(int(status.parent.name))
        return pids


@contextlib.contextmanager
def celery_worker(
    *, broker_url: str, pool: str = "solo", concurrency: int = 1, **env_extra: str
) -> Iterator[Worker]:
    """A real `celery -A config worker` process, ready to consume; stopped (warm, then killed) after."""
    log = Path(tempfile.mkstemp(prefix="ncii-worker-", suffix=".log")[1])
    cmd = [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "--pool", pool, "--concurrency", str(concurrency), "--loglevel", "INFO",
        "--without-heartbeat", "--without-gossip", "--without-mingle",
        "--hostname", f"ncii-test-{uuid.uuid4().hex[:8]}@%h",
    ]  # fmt: skip
    with log.open("w") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=worker_env(broker_url=broker_url, **env_extra),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    worker = Worker(proc, log)
    try:
        wait_for(
            lambda: " ready." in worker.output() or proc.poll() is not None,
            timeout=WORKER_READY_TIMEOUT,
            what="the Celery worker to be ready",
        )
        if proc.poll() is not None:
            raise AssertionError(f"the Celery worker exited:\n{worker.output()}")
        yield worker
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        log.unlink(missing_ok=True)


@contextlib.contextmanager
def celery_app_using(broker_url: str) -> Iterator[None]:
    """Point this process's Celery app at a real broker (tests run it eagerly otherwise)."""
    from kombu import pools

    from config.celery import app

    def reset_pools():
        # kombu keeps pools per broker URL in a global registry; a later test may reuse a port.
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    # Celery prefers the CELERY_BROKER_URL environment variable (CI sets it) to its configuration.
    saved = (app.conf.broker_url, app.conf.task_always_eager, os.environ.get("CELERY_BROKER_URL"))
    reset_pools()
    os.environ["CELERY_BROKER_URL"] = broker_url
    app.conf.broker_url, app.conf.task_always_eager = broker_url, False
    try:
        yield
    finally:
        reset_pools()
        app.conf.broker_url, app.conf.task_always_eager = saved[:2]
        if saved[2] is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved[2]
