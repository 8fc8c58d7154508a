"""Deadline volume for the reminder-scan benchmark: three tracker rows per case.

Each case gets a complaint period (six months after opening), a limitation (20 years) and an
appointment within two months of opening, so at 100k cases the tracker holds 300k rows; the
deadlines of closed cases are closed. The scan is then timed twice: the first run sends what is
due, the second must send nothing (idempotency) and shows the steady-state cost.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import tracker
from cases.list_columns import case_list_columns_refresh_all
from cases.models import Case, Deadline, DeadlineReminder, Notification
from cases.models.tracker import ReminderSchedule

KINDS = [
    (Deadline.Kind.COMPLAINT, "告訴期間", lambda opened, rng: opened + dt.timedelta(days=182)),
    (
        Deadline.Kind.LIMITATION,
        "追訴權時效（20年）",
        lambda opened, rng: opened + dt.timedelta(days=20 * 365),
    ),
    (
        Deadline.Kind.APPOINTMENT,
        "法律諮詢預約",
        lambda opened, rng: opened + dt.timedelta(days=rng.randint(1, 60)),
    ),
]


@dataclass
class ScanResult:
    deadlines: int
    open_deadlines: int
    runs: list[tuple[int, int, float]]  # (reminders sent, queries, seconds) per run
    cpu: list[tuple[float, float]] = field(default_factory=list)  # (Python, PostgreSQL backend) seconds


def seed_deadlines(*, batch_size: int = 5000, seed: int = 1, log=print) -> int:
    """Give every case without tracker rows its three deadlines. Returns rows written."""
    rng = random.Random(seed)
    case_type = ContentType.objects.get_for_model(Case)
    todo = Case.objects.filter(deadlines__isnull=True).values_list(
        "pk", "opened_at", "status", "assigned_worker"
    )
    written, batch = 0, []
    for pk, opened, status, worker_id in todo.iterator(chunk_size=batch_size):
        closed = status == Case.Status.CLOSED
        for kind, title, due in KINDS:
            due_at = tracker.end_of_day(timezone.localtime(due(opened, rng)).date())
            batch.append(
                Deadline(
                    case_id=pk,
                    kind=kind,
                    title=title,
                    due_at=due_at,
                    owner_id=worker_id,
                    source_type=case_type,
                    source_id=str(pk),
                    state=Deadline.State.DONE if closed else Deadline.State.OPEN,
                )
            )
        if len(batch) >= batch_size:
            written += _flush(batch)
            batch = []
            if written % 60000 < batch_size:
                log(f"  deadlines: {written:,}")
    written += _flush(batch)
    if written:
        case_list_columns_refresh_all()  # bulk_create skipped the tracker, which keeps the lists' columns
        _analyze()
    return written


def _analyze() -> None:
    """Planner statistics for the new rows, as autovacuum would leave them (a stale estimate of 74
    open deadlines instead of 36,000 made PostgreSQL sort them all for the dashboard)."""
    with connection.cursor() as cursor:
        for model in (Deadline, DeadlineReminder, Notification):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _flush(batch: list[Deadline]) -> int:
    with transaction.atomic():
        Deadline.objects.bulk_create(batch)
    return len(batch)


def reset_reminders() -> None:
    """Back to "nothing sent yet": no reminders, no deadline notifications, every open deadline in the
    schedule at the start of its first step (as migration cases/0018 leaves a database)."""
    DeadlineReminder.objects.all().delete()
    Notification.objects.filter(kind=Notification.Kind.DEADLINE).delete()
    ReminderSchedule.objects.all().delete()
    rows = Deadline.objects.filter(state=Deadline.State.OPEN).values_list("pk", "due_at")
    batch = []
    for pk, due_at in rows.iterator(chunk_size=5000):
        batch.append(ReminderSchedule(deadline_id=pk, next_at=tracker.first_reminder_at(due_at)))
        if len(batch) >= 5000:
            ReminderSchedule.objects.bulk_create(batch)
            batch = []
    ReminderSchedule.objects.bulk_create(batch)
    _vacuum()


def _vacuum() -> None:
    """What autovacuum leaves after a busy day: fresh statistics and a visibility map, so the steady
    state is an index-only probe (PostgreSQL; ANALYZE alone elsewhere)."""
    # VACUUM cannot run inside a transaction block (e.g. in a test); ANALYZE alone can.
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return _analyze()
    with connection.cursor() as cursor:
        for model in (Deadline, DeadlineReminder, Notification, ReminderSchedule):
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


def measure_scan(*, runs: int = 2, reset: bool = True) -> ScanResult:
    """Run the scan `runs` times in a row: the first does the work of a first day (after `reset`), the
    others find nothing due (the steady state)."""
    if reset:
        reset_reminders()
    results, cpu = [], []
    for i in range(runs):
        backend = _backend_cpu()
        with CaptureQueriesContext(connection) as ctx:
            python = time.process_time()
            start = time.perf_counter()
            sent = tracker.send_due_reminders()
            seconds = time.perf_counter() - start
            python = time.process_time() - python
        backend = _backend_cpu() - backend
        results.append((sent, len(ctx.captured_queries), seconds))
        cpu.append((python, backend))
        if i == 0 and sent:
            _vacuum()  # as autovacuum would after the first day's writes, before timing the steady state
    return ScanResult(
        deadlines=Deadline.objects.count(),
        open_deadlines=Deadline.objects.filter(state=Deadline.State.OPEN).count(),
        runs=results,
        cpu=cpu,
    )


def _backend_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend so far (Linux, server on this host), so that
    a run on a busy shared machine can be told apart from a slow one; 0 elsewhere."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def explain_steady_state() -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of what a steady-state scan runs: it should touch the partial index
    only (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return ""
    with CaptureQueriesContext(connection) as ctx:
        tracker.send_due_reminders()
    lines = []
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            lines += [query["sql"], *(row[0] for row in cursor.fetchall())]
    return "\n".join(lines)


def scan_table(result: ScanResult) -> str:
    lines = [
        f"Reminder scan over {result.deadlines:,} deadlines ({result.open_deadlines:,} open):",
        "run | reminders sent | queries | seconds | CPU s: Python + PostgreSQL",
    ]
    cpu = result.cpu or [(0.0, 0.0)] * len(result.runs)
    for i, ((sent, queries, seconds), (python, backend)) in enumerate(zip(result.runs, cpu, strict=True), 1):
        lines.append(f"{i:>3} | {sent:>14,} | {queries:>7} | {seconds:7.3f} | {python:.3f} + {backend:.3f}")
    return "\n".join(lines)
