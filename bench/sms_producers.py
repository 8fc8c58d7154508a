"""The producer processes of `manage.py bench_sms` (web workers queueing messages). Django is imported
inside the functions: a spawned child loads this module before it has set Django up."""

from __future__ import annotations

import time

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


def produce(prefix: str, numbers: range) -> tuple[list, float, float, float]:
    """A producer process: its messages' ids, first start and last commit (wall clock), CPU seconds."""
    from django.db import connection

    from cases.sms import outbox

    outbox.sms_template_get("generic_resource")  # the connection and the first queries, not timed
    cpu, started = time.process_time(), time.time()
    ids = [queue_one(prefix, i) for i in numbers]
    finished, cpu = time.time(), time.process_time() - cpu
    connection.close()
    return ids, started, finished, cpu
