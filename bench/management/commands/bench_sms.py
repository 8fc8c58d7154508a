"""Outbox throughput, end to end: queue N messages (one transaction each, as the app does), let a real
Celery worker claim and send them to a local Mitake-style gateway, and time it. docs/benchmarks.md.

    manage.py bench_sms --messages 500 --concurrency 2 --broker redis://127.0.0.1:6379/14

It starts the gateway (http.server on 127.0.0.1) and the worker (`celery -A config worker`) itself,
against the database of DATABASE_URL, which must be a file or a server (the worker is another
process) and, as for `manage.py bench`, have "bench" in its name unless you pass
--i-know-this-writes-fake-data. The rows it writes (fictional 0900 numbers) are deleted afterwards
unless --keep.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import override_settings

from bench import sms_producers as producers
from cases.models import JobLock, SmsMessage
from cases.sms import outbox
from cases.sms.localgateway import LocalGateway

ROOT = Path(settings.BASE_DIR)


class Command(BaseCommand):
    help = "Measure SMS outbox throughput through a real worker and a local HTTP gateway (messages/second)."

    def add_arguments(self, parser):
        parser.add_argument("--messages", type=int, default=500)
        parser.add_argument("--concurrency", type=int, default=2, help="worker pool processes (default 2)")
        parser.add_argument("--pool", default="prefork", choices=["prefork", "threads", "solo"])
        parser.add_argument("--broker", default="", help="broker URL (default CELERY_BROKER_URL)")
        parser.add_argument(
            "--batch", type=int, default=0, help="SMS_SEND_BATCH of the worker (default: setting)"
        )
        parser.add_argument(
            "--producers", type=int, default=4, help="processes queueing, as web workers (default 4)"
        )
        parser.add_argument("--keep", action="store_true", help="keep the benchmark rows")
        parser.add_argument("--i-know-this-writes-fake-data", action="store_true", dest="force")

    def handle(self, *args, **opts):
        broker = opts["broker"] or settings.CELERY_BROKER_URL
        if not broker:
            raise CommandError("Give --broker or set CELERY_BROKER_URL: the worker needs a real broker.")
        database_url = self._database_url()
        name = str(connection.settings_dict["NAME"])
        if "bench" not in Path(name).name and not opts["force"]:
            raise CommandError(f"Refusing to write fake messages into {name!r}: its name lacks 'bench'.")
        if settings.DEBUG:
            self.stderr.write("DEBUG is on: timings include debug overhead.")
        count = opts["messages"]

        logging.getLogger("cases.sms").setLevel(logging.WARNING)  # one line per message would dominate
        no_quiet_hours = override_settings(SMS_QUIET_HOURS_START="00:00", SMS_QUIET_HOURS_END="00:00")
        with (
            no_quiet_hours,
            LocalGateway() as gateway,
            self._worker(opts, broker, database_url, gateway.url) as (log, worker_pid),
        ):
            from config.celery import app

            os.environ["CELERY_BROKER_URL"] = broker  # Celery prefers it to app.conf.broker_url
            app.conf.broker_url, app.conf.task_always_eager = broker, False
            # A pending-task flag left by an earlier run whose task the broker no longer holds would make
            # every message wait for the sweeper (which this command does not run).
            JobLock.objects.filter(name=outbox.DRAIN_PENDING).delete()
            cpu = CpuMeter(worker=worker_pid, database=name, gateway=gateway)
            # 1. End to end: one transaction per message, as intake does, from --producers processes (web
            # workers); the worker runs alongside.
            tag = time.time()
            if opts["producers"] > 1:
                ids, started, committed, web_cpu, web_postgres = self._produce_in_processes(
                    opts["producers"], f"{tag}:a", count, database_url, broker
                )
            else:
                started, web_cpu, web_postgres = time.time(), 0.0, 0.0
                ids = [producers.queue_one(f"{tag}:a", i) for i in range(count)]
                committed = time.time()
            finished = self._wait_sent(ids, log, gateway)
            end_to_end_cpu = cpu.lap()
            end_to_end_cpu.producer += web_cpu
            end_to_end_cpu.postgres += web_postgres  # backends gone before the lap's /proc reading
            latencies = sorted(
                (sent - created).total_seconds()
                for created, sent in SmsMessage.objects.filter(pk__in=ids).values_list(
                    "created_at", "sent_at"
                )
            )
            # 2. A backlog (as after a broker outage): all rows in one transaction, then the worker drains it.
            with transaction.atomic():
                backlog = [producers.queue(f"{tag}:b", i).pk for i in range(count)]
                cpu.lap()  # the backlog's queueing is not the worker's; the commit and its hooks are
                drain_started = time.time()
            drained = self._wait_sent(backlog, log, gateway)
            drain_cpu = cpu.lap()

        requests, delivered = len(gateway.requests), len(gateway.sent)
        if not opts["keep"]:
            SmsMessage.objects.filter(pk__in=ids + backlog).delete()
        total, drain = finished - started, drained - drain_started
        p50 = statistics.median(latencies) * 1000
        p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        self.stdout.write(
            f"SMS outbox, {count} messages per phase, worker {opts['pool']} x{opts['concurrency']}, "
            f"{connection.vendor}, broker {broker.split('@')[-1]}\n"
            f"  end to end:     {count / total:7.1f} messages/s  ({total:.2f} s; one transaction per "
            f"message, {count / (committed - started):.1f}/s committed; last sent "
            f"{finished - committed:.2f} s after the last commit)\n"
            f"                  commit -> sent p50 {p50:.0f} ms, p95 {p95:.0f} ms\n"
            f"  backlog drain:  {count / drain:7.1f} messages/s  ({drain:.2f} s)\n"
            f"  CPU per message, end to end: {end_to_end_cpu.per_message(count)}\n"
            f"  CPU per message, drain:      {drain_cpu.per_message(count)}\n"
            f"  gateway: {requests} requests, {delivered} delivered, {requests - delivered} duplicates\n"
            f"  load average {load} on {os.cpu_count()} CPUs (messages/s mean little on a busy machine)"
        )
        # The line to quote: end to end, and what the CPU it took allows on this machine's cores.
        lap, cores = end_to_end_cpu, os.cpu_count() or 1
        per_message = lap.app_ms(count)
        self.stdout.write(
            f"SMS: {count} sent in {total:.2f} s = {count / total:.1f} msg/s, CPU/msg {per_message:.2f} ms "
            f"(web {1000 * lap.producer / count:.2f}, worker {1000 * lap.worker / count:.2f}, "
            f"PostgreSQL {1000 * lap.postgres / count:.2f}; the local gateway's "
            f"{1000 * lap.gateway / count:.2f} not counted) = at most {1000 * cores / per_message:.0f} "
            f"msg/s on {cores} idle CPUs; load {load}"
        )

    def _produce_in_processes(self, processes: int, prefix: str, count: int, database_url: str, broker: str):
        """`count` messages from `processes` fresh processes (spawned: no connection is shared); their
        ids, the first start and last commit (wall clock), and their CPU seconds while queueing."""
        env = {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker,
            "SMS_QUIET_HOURS_START": "00:00",
            "SMS_QUIET_HOURS_END": "00:00",
            "LOG_LEVEL": "WARNING",
        }
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)  # what spawned children inherit
        try:
            with multiprocessing.get_context("spawn").Pool(processes, initializer=producers.setup) as pool:
                shares = [(prefix, range(p, count, processes)) for p in range(processes)]
                results = pool.starmap(producers.produce, shares)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        ids = [pk for part, *_ in results for pk in part]
        return (
            ids,
            min(r[1] for r in results),
            max(r[2] for r in results),
            sum(r[3] for r in results),
            sum(r[4] for r in results),
        )

    def _wait_sent(self, ids: list, log: Path, gateway: LocalGateway) -> float:
        rows = SmsMessage.objects.filter(pk__in=ids)
        deadline = time.monotonic() + max(60, len(ids) / 5)
        # Watch the gateway first (no query): polling the database every few ms would add its own CPU
        # to the producer's and PostgreSQL's.
        # Requests first, then rows taken: a row posted in between is counted once, never expected twice.
        posted = len(gateway.requests)
        taken = rows.exclude(state=SmsMessage.State.QUEUED).count()
        target = posted + len(ids) - taken
        while len(gateway.requests) < target and time.monotonic() < deadline:
            time.sleep(0.005)
        while rows.filter(state=SmsMessage.State.SENT).count() < len(ids):
            if time.monotonic() > deadline:
                states = dict(rows.values_list("state").annotate(n=Count("pk")))
                raise CommandError(f"not all sent in time: {states}\n{log.read_text()[-2000:]}")
            time.sleep(0.02)
        return time.time()

    def _database_url(self) -> str:
        conf = connection.settings_dict
        if connection.vendor == "postgresql":
            auth = (conf.get("USER") or "") + (f":{conf['PASSWORD']}" if conf.get("PASSWORD") else "")
            host = f"{conf.get('HOST') or '127.0.0.1'}:{conf.get('PORT') or 5432}"
            return f"postgres://{auth}@{host}/{conf['NAME']}"
        if connection.vendor == "sqlite" and "memory" not in str(conf["NAME"]):
            return f"sqlite:///{conf['NAME']}"
        raise CommandError("The worker is another process: use PostgreSQL or a SQLite file.")

    class _worker:
        """`celery -A config worker` with this process's settings, pointed at the local gateway."""

        def __init__(self, opts, broker, database_url, gateway_url):
            self.cmd = [
                sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", opts["pool"],
                "--concurrency", str(opts["concurrency"]), "-O", "fair", "--loglevel", "WARNING",
                "--without-heartbeat", "--without-gossip", "--without-mingle",
                "--hostname", f"bench-sms-{os.getpid()}@localhost",
            ]  # fmt: skip
            self.env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DATABASE_URL": database_url,
                "CELERY_BROKER_URL": broker,
                "SMS_BACKEND": "mitake",
                "SMS_GATEWAY_URL": gateway_url,
                "SMS_GATEWAY_USERNAME": "bench",
                "SMS_GATEWAY_PASSWORD": "bench",
                "SMS_QUIET_HOURS_START": "00:00",
                "SMS_QUIET_HOURS_END": "00:00",
                "LOG_LEVEL": "WARNING",  # a line per message (worker, outbox) would cost more than the send
                "CONN_MAX_AGE": "600",  # one connection per pool process, not one per task
                **({"SMS_SEND_BATCH": str(opts["batch"])} if opts["batch"] else {}),
            }
            self.hostname = f"bench-sms-{os.getpid()}"
            self.log = Path(tempfile.mkstemp(prefix="bench-sms-worker-", suffix=".log")[1])

        def __enter__(self) -> tuple[Path, int]:
            with self.log.open("w") as out:
                self.proc = subprocess.Popen(
                    self.cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
                )
            from celery import Celery

            # Quiet logging prints no "ready." line: ask the worker itself over the broker, through
            # an app of its own (the project app's producer pool may already point at another
            # broker, e.g. CI's, and a ping published there never reaches this worker).
            os.environ["CELERY_BROKER_URL"] = self.env["CELERY_BROKER_URL"]  # Celery prefers it to broker=
            pinger = Celery("bench-sms-ping", broker=self.env["CELERY_BROKER_URL"])
            deadline = time.monotonic() + 60
            try:
                while not pinger.control.ping(destination=[f"{self.hostname}@localhost"], timeout=0.5):
                    if self.proc.poll() is not None or time.monotonic() > deadline:
                        output = self.log.read_text()[-2000:]
                        self.__exit__()
                        raise CommandError(f"the worker did not start:\n{output}")
            finally:
                pinger.close()
            return self.log, self.proc.pid

        def __exit__(self, *exc) -> None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
            self.log.unlink(missing_ok=True)


class CpuMeter:
    """CPU seconds spent by this process (the producer: the web side), the local gateway's threads (in
    this process, counted apart), the worker's processes and the PostgreSQL backends of the benchmark
    database, from /proc (Linux), lap by lap."""

    def __init__(self, *, worker: int, database: str, gateway: LocalGateway):
        self.worker, self.database, self.gateway = worker, database, gateway
        self.last = self._now()

    def lap(self) -> CpuLap:
        now = self._now()
        lap = CpuLap(*(b - a for a, b in zip(self.last, now, strict=True)))
        self.last = now
        return lap

    def _now(self) -> tuple[float, float, float, float]:
        gateway = self.gateway.cpu_seconds
        return time.process_time() - gateway, self._tree(self.worker), self._postgres(), gateway

    @staticmethod
    def _ticks(pid: int) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _tree(self, pid: int) -> float:
        total = self._ticks(pid)
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            total += self._tree(int(child))
        return total

    def _postgres(self) -> float:
        total = 0.0
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                except OSError:
                    continue
                if title.startswith("postgres: ") and f" {self.database} " in title:
                    total += self._ticks(int(entry.name))
        return total


@dataclass
class CpuLap:
    producer: float
    worker: float
    postgres: float
    gateway: float

    def app_ms(self, count: int) -> float:
        """Milliseconds of CPU per message of the application: web side, worker, PostgreSQL."""
        return 1000 * (self.producer + self.worker + self.postgres) / count

    def per_message(self, count: int) -> str:
        return (
            f"{self.app_ms(count):.2f} ms (producer {1000 * self.producer / count:.2f}, "
            f"worker {1000 * self.worker / count:.2f}, PostgreSQL {1000 * self.postgres / count:.2f}; "
            f"+ local gateway {1000 * self.gateway / count:.2f})"
        )
