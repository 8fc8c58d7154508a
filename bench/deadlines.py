"""Deadline volume for the reminder-scan benchmark: three tracker rows per case.

Each case gets a complaint period (six months after opening), a limitation (20 years) and an
appointment within two months of opening, so at 100k cases the tracker holds 300k rows; the
deadlines of closed cases are closed. The scan is then timed twice: the first run sends what is
due, the second must send nothing (idempotency) and shows the steady-state cost.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import tracker
from cases.models import Case, Deadline, DeadlineReminder, Notification

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
            batch.append(
                Deadline(
                    case_id=pk,
                    kind=kind,
                    title=title,
                    due_at=tracker.end_of_day(timezone.localtime(due(opened, rng)).date()),
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


def measure_scan(*, runs: int = 2) -> ScanResult:
    # Start from "nothing sent yet" so the first run does the real work of a first day.
    DeadlineReminder.objects.all().delete()
    Notification.objects.filter(kind=Notification.Kind.DEADLINE).delete()
    results = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            sent = tracker.send_due_reminders()
            seconds = time.perf_counter() - start
        results.append((sent, len(ctx.captured_queries), seconds))
    return ScanResult(
        deadlines=Deadline.objects.count(),
        open_deadlines=Deadline.objects.filter(state=Deadline.State.OPEN).count(),
        runs=results,
    )


def scan_table(result: ScanResult) -> str:
    lines = [
        f"Reminder scan over {result.deadlines:,} deadlines ({result.open_deadlines:,} open):",
        "run | reminders sent | queries | seconds",
    ]
    for i, (sent, queries, seconds) in enumerate(result.runs, 1):
        lines.append(f"{i:>3} | {sent:>14,} | {queries:>7} | {seconds:7.2f}")
    return "\n".join(lines)
