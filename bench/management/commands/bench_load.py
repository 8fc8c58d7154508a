"""Load test: the main journeys at N concurrent signed-in users against gunicorn, PostgreSQL, Redis and a
real Celery worker; docs/benchmarks.md "Load".

It starts its own gunicorn (config/gunicorn.conf.py, bound to 127.0.0.1:--port) and Celery worker (on
--broker) against DATABASE_URL, gives the simulated staff their sign-in for this run only
(bench/load.py), runs loadtest/locustfile.py headless for --run-time seconds, stops everything, and
prints (and with --write-docs writes into docs/benchmarks.md) errors, throughput and p50/p95 per page.

The site is served over TLS (a certificate for 127.0.0.1 made for the run), so secure cookies, HSTS and
the CSRF origin check work as behind production's proxy.

Safety: like `bench`, only a database whose name contains "bench", and only PostgreSQL (several
processes write at once). Only 127.0.0.1 is a target; the run is bounded in users and in time.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from cases.models import Case, SmsMessage

MAX_USERS = 200
MAX_RUN_TIME = 1800


class Command(BaseCommand):
    help = "Drive the main journeys with N signed-in users against gunicorn + a Celery worker (locust)."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50, help="concurrent simulated staff (default 50)")
        parser.add_argument("--spawn-rate", type=float, default=2, help="users started per second")
        parser.add_argument("--run-time", type=int, default=180, help="seconds of load (default 180)")
        parser.add_argument("--port", type=int, default=8150, help="gunicorn's port on 127.0.0.1")
        parser.add_argument(
            "--broker", default="redis://127.0.0.1:6379/0", help="the Celery broker of the web and worker"
        )
        parser.add_argument("--web-workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument("--seed-cases", type=int, default=2000, help="cases seeded if none")
        parser.add_argument("--write-docs", action="store_true", help="write docs/benchmarks.md")

    def handle(self, *args, **options):
        from bench import load, report

        db_name = str(connection.settings_dict["NAME"])
        if connection.vendor != "postgresql":
            raise CommandError("The load test needs PostgreSQL: a web server and a worker write at once.")
        if "bench" not in db_name.lower():
            raise CommandError(f'Refusing to load "{db_name}": use a database whose name contains "bench".')
        if not 4 <= options["users"] <= MAX_USERS or not 5 <= options["run_time"] <= MAX_RUN_TIME:
            raise CommandError(f"Need 4-{MAX_USERS} users and a run time of 5-{MAX_RUN_TIME} seconds.")
        self._seed_if_empty(options["seed_cases"])

        counts = load.mix(options["users"])
        names = [n for role, k in counts.items() for n in load.usernames(role, k)]
        work = Path(tempfile.mkdtemp(prefix="ncii-load-"))
        started = []
        try:
            accounts = load.accounts_open(counts)
            secrets_file = work / "accounts.json"
            secrets_file.touch(mode=0o600)
            secrets_file.write_text(json.dumps(accounts), encoding="utf-8")
            env = self._server_env(options, work)
            self._collect_static(env, work)
            sms_before = self._sms_counts()
            cases_before = Case.objects.count()
            started.append(self._start_web(env, options, work))
            started.append(self._start_worker(env, work))
            self._wait_until_ready(options["port"], started, work)
            load_before = report.load_average()
            cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            at = timezone.localtime()
            self.stdout.write(
                f"Load: {options['users']} users ({', '.join(f'{k} {r}' for r, k in counts.items())}) "
                f"for {options['run_time']} s against 127.0.0.1:{options['port']}, load average {load_before}"
            )
            self._run_locust(options, counts, secrets_file, work)
            cpu_locust = _cpu(resource.getrusage(resource.RUSAGE_CHILDREN), cpu_before)
            load_after = report.load_average()
            self._drain_outbox()
        finally:
            for proc in reversed(started):
                _stop(proc)
            load.accounts_close(names)
            for secret in ("accounts.json", "key.pem"):
                (work / secret).unlink(missing_ok=True)
        cpu_servers = _cpu(resource.getrusage(resource.RUSAGE_CHILDREN), cpu_before) - cpu_locust
        pages, total, failures = load.read_stats(work / "locust")
        errors = sum(n for _, _, n in failures)
        # CPU per request reads the same on a busy machine; wall-clock times do not.
        cpu_ms_per_request = 1000 * cpu_servers / max(total.requests, 1)
        sms_after = self._sms_counts()
        sms = {state: sms_after.get(state, 0) - sms_before.get(state, 0) for state in sms_after}
        summary = (
            f"Run of {at:%Y-%m-%d %H:%M} Asia/Taipei, commit {report.git_commit()}: {options['users']} users "
            f"({', '.join(f'{k} {r}' for r, k in counts.items())}), {options['run_time']} s, "
            f"{Case.objects.count() - cases_before:,} cases opened, on {db_name} "
            f"({cases_before:,} cases before); gunicorn {options['web_workers']} workers x "
            f"{env['GUNICORN_THREADS']} threads (gthread), a Celery worker (prefork, 2 processes) on Redis. "
            f"**{errors} errors** (failed requests and exceptions) in {total.requests:,} requests, "
            f"**{total.rps:.1f} requests/s**. "
            f"SMS through the worker: {sms.get('sent', 0)} sent, {sms.get('queued', 0)} still queued, "
            f"{sms.get('failed', 0) + sms.get('uncertain', 0)} failed or uncertain. CPU seconds: web and "
            f"worker {cpu_servers:.0f} ({cpu_ms_per_request:.0f} ms per request, sign-ins included), "
            f"locust {cpu_locust:.0f}. Load average (`uptime`) before {load_before}, after {load_after}; "
            f"{os.cpu_count()} CPUs."
        )
        body = summary + "\n\n" + load.table(pages, total)
        if failures:
            body += "\n\nErrors:\n\n" + "\n".join(f"- {name}: {err} ({n})" for name, err, n in failures)
        self.stdout.write("\n" + body)
        if options["write_docs"]:
            report.replace_section(report.benchmarks_doc(), "load", body)
            self.stdout.write(f"\nWrote the load table into {report.benchmarks_doc().name}.")
        if total.requests == 0:
            raise CommandError(f"No request was made: see the output above and the logs in {work}.")
        shutil.rmtree(work)

    def _seed_if_empty(self, n: int) -> None:
        from bench import deadlines, seed

        if Case.objects.exists():
            return
        self.stdout.write(f"The database has no cases: seeding {n:,} fictional cases ...")
        users = seed.ensure_users(workers=40, police=10)
        seed.seed(users=users, cases=n, log=self.stdout.write)
        deadlines.seed_deadlines(log=self.stdout.write)

    def _server_env(self, options, work: Path) -> dict[str, str]:
        """Production settings with this database and these keys; only SMS goes to a file."""
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DEBUG="false",
            TWO_FACTOR_REQUIRED="true",
            SECRET_KEY=settings.SECRET_KEY,
            FIELD_ENCRYPTION_KEYS=",".join(settings.FIELD_ENCRYPTION_KEYS),
            BLIND_INDEX_KEY=settings.BLIND_INDEX_KEY,
            DATABASE_URL=_database_url(),
            CELERY_BROKER_URL=options["broker"],
            CACHE_URL=env.get("CACHE_URL") or options["broker"],
            CONN_MAX_AGE="60",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            # Passkeys need a host name as their relying party; nobody uses one in this run.
            WEBAUTHN_RP_ID=env.get("WEBAUTHN_RP_ID") or "localhost",
            GUNICORN_BIND=f"127.0.0.1:{options['port']}",
            WEB_CONCURRENCY=str(options["web_workers"]),
            GUNICORN_THREADS=env.get("GUNICORN_THREADS", "8"),
            GUNICORN_MAX_REQUESTS="0",
            LOG_LEVEL="WARNING",
            STATIC_ROOT=env.get("STATIC_ROOT") or str(work / "static"),
            SMS_BACKEND="file",
            SMS_FILE_PATH=str(work / "sms.jsonl"),
            # Quiet hours would hold every SMS of an evening run: the worker must have work to do.
            SMS_QUIET_HOURS_START="00:00",
            SMS_QUIET_HOURS_END="00:00",
            PYTHONUNBUFFERED="1",
        )
        return env

    def _collect_static(self, env, work: Path) -> None:
        """As production's setup does: the pages name hashed static files from the manifest."""
        cmd = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
        result = subprocess.run(
            cmd, env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
        )
        if result.returncode:
            raise CommandError(f"collectstatic failed:\n{result.stderr[-2000:]}")

    def _start_web(self, env, options, work: Path) -> subprocess.Popen:
        from bench.load import self_signed_certificate

        root = Path(settings.BASE_DIR)
        cert, key = self_signed_certificate(work)
        gunicorn = [sys.executable, "-m", "gunicorn"]
        if (root / "config" / "gunicorn.conf.py").exists():
            cmd = [*gunicorn, "-c", "config/gunicorn.conf.py"]
        else:
            cmd = [*gunicorn, "config.wsgi:application", "--worker-class", "gthread"]
        cmd += [
            "--bind", env["GUNICORN_BIND"], "--workers", env["WEB_CONCURRENCY"],
            "--threads", env["GUNICORN_THREADS"], "--certfile", str(cert), "--keyfile", str(key),
            "--access-logfile", "/dev/null", "--log-level", "warning",
        ]  # fmt: skip
        return _spawn(cmd, env, work / "web.log")

    def _start_worker(self, env, work: Path) -> subprocess.Popen:
        cmd = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
            "--concurrency", "2", "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
            "--hostname", f"ncii-load-{os.getpid()}@%h",
        ]  # fmt: skip
        return _spawn(cmd, env, work / "worker.log")

    def _wait_until_ready(self, port: int, procs: list[subprocess.Popen], work: Path) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for proc in procs:
                if proc.poll() is not None:
                    logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in work.glob("*.log"))
                    raise CommandError(f"A server process exited at start:\n{logs}")
            try:
                unverified = ssl._create_unverified_context()  # our own certificate of a minute ago
                with urllib.request.urlopen(
                    f"https://127.0.0.1:{port}/login/", timeout=5, context=unverified
                ) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise CommandError("gunicorn did not answer within 60 s")

    def _run_locust(self, options, counts, secrets_file: Path, work: Path) -> None:
        env = dict(os.environ)
        env.update(
            LOAD_ACCOUNTS=str(secrets_file),
            LOAD_MIX=",".join(f"{role}={n}" for role, n in counts.items()),
        )
        cmd = [
            sys.executable, "-m", "locust", "-f", str(Path(settings.BASE_DIR) / "loadtest" / "locustfile.py"),
            "--headless", "--host", f"https://127.0.0.1:{options['port']}",
            "--users", str(options["users"]), "--spawn-rate", str(options["spawn_rate"]),
            "--run-time", f"{options['run_time']}s", "--stop-timeout", "10",
            "--csv", str(work / "locust"), "--only-summary", "--loglevel", "WARNING",
        ]  # fmt: skip
        # Exit code 1 only says some requests failed; the table counts them.
        limit = options["run_time"] + 120
        result = subprocess.run(cmd, env=env, cwd=settings.BASE_DIR, timeout=limit, check=False)
        if result.returncode not in (0, 1):
            raise CommandError(f"locust exited with {result.returncode}")

    def _drain_outbox(self, seconds: float = 20) -> None:
        """Give the worker time to send what the last journeys queued (it is part of the run)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and SmsMessage.objects.filter(state="queued").exists():
            time.sleep(1)

    @staticmethod
    def _sms_counts() -> dict[str, int]:
        from django.db.models import Count

        return dict(SmsMessage.objects.values_list("state").annotate(n=Count("id")).order_by())


def _database_url() -> str:
    conf = connection.settings_dict
    auth = conf.get("USER") or ""
    if conf.get("PASSWORD"):
        auth += f":{conf['PASSWORD']}"
    host = f"{conf.get('HOST') or '127.0.0.1'}:{conf.get('PORT') or 5432}"
    return f"postgres://{auth}@{host}/{conf['NAME']}"


def _spawn(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(
            cmd, env=env, cwd=settings.BASE_DIR, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the process (gunicorn and Celery stop their children), then wait; SIGKILL if stuck."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _cpu(after, before) -> float:
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
