"""The producer processes of `manage.py bench_sms` (web workers queueing messages). Django is imported
inside the functions: a spawned child loads this module before it has set Django up."""

from __future__ import annotations

import os
import time
from pathlib import Path

BUSINESS_PREFIX = "bench-sms"


def queue(key: str, i: int):
    from cases.models import SmsMessage
    from cases.sms import outbox

    return outbox.sms_queue(
        actor=None,
        purpose=SmsMessage.Purpose.GENERIC_RESOURCE,
        template_key="generic_resource",
        phone=f"0900{i % 1000000:06d}",
        values={},
        business_key=f"{BUSINESS_PREFIX}:{key}{i}",
    )


def queue_one(prefix: str, i: int):
    """One message in a transaction of its own, as a request queues it; its id."""
    from django.db import transaction

    with transaction.atomic():
        return queue(prefix, i).pk


def setup() -> None:
    import django

    django.setup()


def produce(prefix: str, numbers: range) -> tuple[list, float, float, float, float]:
    """A producer process: its messages' ids, first start and last commit (wall clock), CPU seconds
    of its own and of its PostgreSQL backend."""
    from django.db import connection

    from cases.sms import outbox

    outbox.sms_template_get("generic_resource")  # the connection and the first queries, not timed
    backend = _backend_cpu(connection)
    cpu, started = time.process_time(), time.time()
    ids = [queue_one(prefix, i) for i in numbers]
    finished, cpu = time.time(), time.process_time() - cpu
    # Its PostgreSQL backend ends with the connection, before the parent's next /proc reading.
    backend = _backend_cpu(connection) - backend
    connection.close()
    return ids, started, finished, cpu, backend


def _backend_cpu(connection) -> float:
    """CPU seconds of this connection's PostgreSQL backend (server on this host, Linux); 0 elsewhere."""
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
