"""Real processes for the fault drills: a private PostgreSQL cluster, a private Redis, the local SMS
gateway, gunicorn, Celery workers and beats, all started here and stopped here.

Nothing here touches a shared server: every fault is injected on a process this module started.
Ports come from the OS, or from FAULTS_WEB_PORTS / FAULTS_PG_PORTS / FAULTS_REDIS_PORTS ("8160-8169")
when a machine hands out ranges. Scratch files go under FAULTS_TMP (default: the system temp dir).

The orchestrating process never imports Django's settings: everything that reads or writes the
database runs in a child (`python -m ops.faults.probe ...`, the app's own processes), so a drill runs
the same from a script and from pytest.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cases.sms.localgateway import LocalGateway

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def scratch_root() -> Path:
    path = Path(os.environ.get("FAULTS_TMP") or Path(tempfile.gettempdir()) / "ncii-faults")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def pick_port(kind: str) -> int:
    """A free port: from FAULTS_<KIND>_PORTS ("lo-hi") when set, else one the OS chooses."""
    spec = os.environ.get(f"FAULTS_{kind.upper()}_PORTS", "")
    if spec:
        low, high = (int(p) for p in spec.split("-"))
        for port in range(low, high + 1):
            if _port_free(port):
                return port
        raise RuntimeError(f"no free port in FAULTS_{kind.upper()}_PORTS={spec}")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], timeout: float = 30, interval: float = 0.1, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what or condition}")


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


# --- processes --------------------------------------------------------------------------------------


@dataclass
class Proc:
    """A child in its own process group (so a kill reaches its children too), output to a log file."""

    name: str
    proc: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """The whole group at once: an OOM kill or a lost host, not a shutdown."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)

    def stop(self, timeout: float = 15) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        # Pool children or gunicorn workers left behind by an early exit.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)

    def children(self) -> list[int]:
        pids = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            for line in text.splitlines():
                if line.startswith("PPid:") and line.split()[1] == str(self.proc.pid):
                    pids.append(int(status.parent.name))
        return sorted(pids)


def spawn(name: str, cmd: list[str], env: dict[str, str], workdir: Path) -> Proc:
    log = workdir / f"{name}.log"
    with log.open("ab") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Proc(name, proc, log)


def _as_postgres(cmd: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root: a root caller runs the server as the postgres user.
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _give_to_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


# --- PostgreSQL -------------------------------------------------------------------------------------


def pg_bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return Path(pg_ctl).parent
    raise RuntimeError("PostgreSQL server binaries are needed (apt-get install postgresql)")


class PrivatePostgres:
    """A throw-away cluster on 127.0.0.1 that only this drill uses: restart it, stop it, nobody else cares."""

    def __init__(self, workdir: Path):
        self.bindir = pg_bindir()
        self.root = workdir / "pg"
        self.data = self.root / "data"
        self.port = pick_port("pg")
        self.log = self.root / "server.log"

    def url(self, db: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            _as_postgres([str(self.bindir / args[0]), *args[1:]]),
            check=check,
            capture_output=True,
            text=True,
            cwd="/",
        )

    def init(self, template: Path | None = None) -> PrivatePostgres:
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root.parent, 0o755)
        _give_to_postgres(self.root)
        if template is not None:
            subprocess.run(["cp", "-a", str(template), str(self.data)], check=True)
        else:
            self._run(
                "initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"
            )
        return self

    def start(self) -> PrivatePostgres:
        for attempt in range(3):
            try:
                self._run(
                    "pg_ctl",
                    "-D",
                    str(self.data),
                    "-o",
                    self._options(),
                    "-l",
                    str(self.log),
                    "-w",
                    "-t",
                    "30",
                    "start",
                )
                return self
            except subprocess.CalledProcessError:
                # Another drill took the port between our check and the server's bind: take the next one.
                if attempt == 2 or "already in use" not in self.log.read_text(errors="replace"):
                    raise
                self.port = pick_port("pg")
        return self

    def _options(self) -> str:
        return (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
        )

    def restart(self, mode: str = "fast") -> float:
        """pg_ctl restart; returns how long the server was away (seconds)."""
        started = time.monotonic()
        # -l: without a log file the new server would hold pg_ctl's output pipe open, and us waiting on it.
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-m",
            mode,
            "-w",
            "-t",
            "60",
            "-l",
            str(self.log),
            "restart",
            "-o",
            self._options(),
        )
        return time.monotonic() - started

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def psql(self, sql: str, db: str = "postgres") -> str:
        out = subprocess.run(
            [
                str(self.bindir / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                db,
                "-v",
                "ON_ERROR_STOP=1",
                "-Atc",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout.strip()

    def create_database(self, name: str, template: str = "template1") -> str:
        self.psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)


def migrations_fingerprint() -> str:
    digest = hashlib.sha256(str(pg_bindir()).encode())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


TEMPLATE_DB = "faults_template"


def cluster_with_schema(workdir: Path, *, dump_from: str | None = None, log=print) -> PrivatePostgres:
    """A running private cluster holding TEMPLATE_DB, the migrated schema.

    dump_from (a PostgreSQL URL, e.g. pytest's test database): copied with pg_dump, seconds. Otherwise a
    data directory cached under FAULTS_TMP for these migrations is copied, or made once with `migrate`
    (about a minute).
    """
    cluster = PrivatePostgres(workdir)
    if dump_from:
        cluster.init().start()
        cluster.create_database(TEMPLATE_DB)
        dump = subprocess.run(
            [str(cluster.bindir / "pg_dump"), "--no-owner", "--no-privileges", "-Fc", "-d", dump_from],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                str(cluster.bindir / "pg_restore"),
                "--no-owner",
                "--no-privileges",
                "-d",
                cluster.url(TEMPLATE_DB),
            ],
            input=dump.stdout,
            check=True,
            capture_output=True,
        )
        return cluster
    cache = scratch_root() / f"pg-template-{migrations_fingerprint()}"
    if not (cache / "PG_VERSION").exists():
        log(f"(building the migrated template cluster once: {cache})")
        builder = PrivatePostgres(scratch_root() / f"build-{os.getpid()}")
        shutil.rmtree(builder.root, ignore_errors=True)
        builder.init().start()
        try:
            builder.create_database(TEMPLATE_DB)
            subprocess.run(
                [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
                cwd=ROOT,
                env=app_env(database_url=builder.url(TEMPLATE_DB)),
                check=True,
            )
        finally:
            builder.stop()
        tmp = cache.with_name(cache.name + f".tmp{os.getpid()}")
        subprocess.run(["cp", "-a", str(builder.data), str(tmp)], check=True)
        tmp.rename(cache)
        shutil.rmtree(builder.root.parent, ignore_errors=True)
    cluster.init(template=cache).start()
    return cluster


# --- Redis ------------------------------------------------------------------------------------------


class PrivateRedis:
    """redis-server without persistence (a restart loses every queued task: the harder case)."""

    def __init__(self, workdir: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is needed (apt-get install redis-server)")
        self.binary = binary
        self.port = pick_port("redis")
        self.workdir = workdir
        self.proc: Proc | None = None

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
            "--dir",
            str(self.workdir),
        ]
        self.proc = spawn(f"redis-{self.port}", cmd, dict(os.environ), self.workdir)
        wait_for(lambda: port_answers(self.port), timeout=10, what="redis-server")
        return self

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.stop()
            self.proc = None


# --- the SMS gateway --------------------------------------------------------------------------------


@dataclass
class Gateway(LocalGateway):
    """cases.sms.localgateway on a chosen port, optionally slow (a real gateway takes tens of ms)."""

    port: int = 0
    delay: float = 0.0

    def __post_init__(self):
        from http.server import ThreadingHTTPServer

        class Server(ThreadingHTTPServer):
            # Four pool processes connecting at once overflow the default backlog of 5: their connects
            # are refused and retried a minute later, which is the outbox working, not the fault under test.
            request_queue_size = 128

        super().__post_init__()
        self.server.server_close()  # the parent's, on a port the OS chose: ours is on self.port
        self.server = Server(("127.0.0.1", self.port), self._handler_class())
        self.server.daemon_threads = True
        # A sender killed mid-request resets its connection: expected here, not worth a traceback.
        self.server.handle_error = lambda request, address: None
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        if self.delay and self.handler is None:
            self.handler = self._slow

    def _slow(self, form):
        time.sleep(self.delay)
        return None

    def client_ids(self) -> list[str]:
        """The clientid of every request that reached the gateway, repeats included."""
        with self._lock:
            return [r.get("clientid", "") for r in self.requests]


def duplicates(client_ids: list[str]) -> int:
    counts: dict[str, int] = {}
    for cid in client_ids:
        counts[cid] = counts.get(cid, 0) + 1
    return sum(n - 1 for n in counts.values() if n > 1)


# --- the app's processes ----------------------------------------------------------------------------


def fresh_keys() -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {
        "SECRET_KEY": "faults-" + Fernet.generate_key().decode() + Fernet.generate_key().decode(),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": Fernet.generate_key().decode(),
    }


_KEYS: dict[str, str] = {}


def app_env(
    *, database_url: str, broker_url: str = "", gateway_url: str = "", **extra: str
) -> dict[str, str]:
    """Production settings (DEBUG off) against the drill's own servers; nothing from .env fills a gap."""
    if not _KEYS:
        _KEYS.update(fresh_keys())
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "ops.faults.settings",
        "DEBUG": "false",
        **_KEYS,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        # The drill signs in with a password; the second factor is proven elsewhere (tests/accounts).
        "TWO_FACTOR_REQUIRED": "false",
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false" if broker_url else "true",
        "SMS_BACKEND": "mitake" if gateway_url else "file",
        "SMS_FILE_PATH": str(scratch_root() / "sms-file-backend.jsonl"),
        "SMS_GATEWAY_URL": gateway_url,
        "SMS_GATEWAY_USERNAME": "ncii-faults",
        "SMS_GATEWAY_PASSWORD": "ncii-faults-password",
        "SMS_GATEWAY_TIMEOUT": "5",
        "SMS_QUIET_HOURS_START": "00:00",
        "SMS_QUIET_HOURS_END": "00:00",
        "SMS_REMINDER_CALLBACK_NUMBER": "(02)2700-1234",
        # A refused connect is retried after this many seconds (60 in production): within the drill.
        "SMS_RETRY_BASE_SECONDS": "2",
        "SMS_RETRY_MAX_SECONDS": "10",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": str(ROOT),
    }
    env.update(extra)
    return env


def probe(command: str, env: dict[str, str], *args: str, timeout: float = 300) -> dict:
    """Run `python -m ops.faults.probe <command>` with the app's environment; its last stdout line is JSON."""
    out = subprocess.run(
        [PYTHON, "-m", "ops.faults.probe", command, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if out.returncode != 0:
        raise RuntimeError(f"probe {command} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def gunicorn(env: dict[str, str], workdir: Path, *, workers: int = 2, threads: int = 4) -> tuple[Proc, int]:
    """The web app as production runs it: config/gunicorn.conf.py when present, else the same by flags."""
    port = pick_port("web")
    conf = ROOT / "config" / "gunicorn.conf.py"
    env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_THREADS": str(threads),
        # No recycling after N requests: the drill checks that the same workers served before and after.
        "GUNICORN_MAX_REQUESTS": "0",
    }
    if conf.exists():
        cmd = [PYTHON, "-m", "gunicorn", "-c", str(conf)]
    else:
        cmd = [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--worker-class",
            "gthread",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "30",
        ]
    web = spawn(f"gunicorn-{port}", cmd, env, workdir)
    wait_for(lambda: port_answers(port) or not web.alive(), timeout=60, what="gunicorn to listen")
    if not web.alive():
        raise RuntimeError(f"gunicorn exited:\n{web.output()[-3000:]}")
    wait_for(lambda: len(web.children()) >= workers, timeout=30, what="gunicorn workers")
    return web, port


_worker_names = itertools.count(1)


def celery_worker(env: dict[str, str], workdir: Path, *, concurrency: int = 2, pool: str = "prefork") -> Proc:
    name = f"worker{next(_worker_names)}-{os.getpid()}"
    cmd = [
        PYTHON,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool",
        pool,
        "--concurrency",
        str(concurrency),
        "--loglevel",
        "INFO",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "--hostname",
        f"{name}@%h",
    ]
    worker = spawn(name, cmd, {**env, "LOG_LEVEL": "INFO"}, workdir)
    wait_for(lambda: " ready." in worker.output() or not worker.alive(), timeout=60, what="the Celery worker")
    if not worker.alive():
        raise RuntimeError(f"the Celery worker exited:\n{worker.output()[-3000:]}")
    return worker


def celery_beat(env: dict[str, str], workdir: Path, name: str) -> Proc:
    schedule = workdir / f"{name}-schedule"
    cmd = [
        PYTHON,
        "-m",
        "celery",
        "-A",
        "config",
        "beat",
        "--loglevel",
        "INFO",
        "--schedule",
        str(schedule),
        "--max-interval",
        "1",
    ]
    return spawn(name, cmd, env, workdir)


class Keeper:
    """A process manager's `Restart=always` in miniature: starts a process again whenever it exits."""

    def __init__(self, start: Callable[[], Proc]):
        self._start = start
        self.proc: Proc | None = None
        self.restarts = 0
        self.exit_codes: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> Keeper:
        self.proc = self._start()
        self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            if self.proc is not None and not self.proc.alive():
                self.exit_codes.append(self.proc.proc.returncode)
                self.proc.stop()
                if self._stop.is_set():
                    return
                self.restarts += 1
                self.proc = self._start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=90)
        if self.proc is not None:
            self.proc.stop()


@contextlib.contextmanager
def workspace(name: str, keep: bool = False) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=scratch_root()))
    os.chmod(path, 0o755)
    try:
        yield path
    finally:
        if not keep and not os.environ.get("FAULTS_KEEP"):
            shutil.rmtree(path, ignore_errors=True)


@dataclass
class Result:
    fault: str
    ok: bool
    numbers: dict
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        shown = ", ".join(f"{k}={v}" for k, v in self.numbers.items())
        return f"{'PASS' if self.ok else 'FAIL'} {self.fault}: {shown}"


def main_for(run: Callable[..., Result], name: str) -> None:
    """A fault script's entry point: one PASS/FAIL line, exit status 1 on FAIL."""
    # A stopped drill still stops what it started (the `finally` blocks run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        result = run(log=lambda *a: print(*a, file=sys.stderr, flush=True))
    except Exception as exc:  # the drill itself broke: that is a failure too, with its reason
        print(f"FAIL {name}: drill error {type(exc).__name__}: {exc}", flush=True)
        sys.exit(1)
    for note in result.notes:
        print(f"  {note}", file=sys.stderr)
    print(result.line(), flush=True)
    sys.exit(0 if result.ok else 1)
