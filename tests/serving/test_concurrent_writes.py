"""A worker writing while an intake is posted: on SQLite (the development default) WAL and IMMEDIATE
transactions make the intake wait for the write lock, never fail with "database is locked".

The writer is a second thread with its own connection, writing in short transactions back to back with a
pause between them, as a Celery worker sending SMS does (claim, call the gateway, record the answer).
Transactional, so both connections see committed rows only.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse

from cases.models import Intake
from cases.roles import sync_role_groups
from tests.cases.test_views import call_form

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def role_groups():
    sync_role_groups()


class Writer(threading.Thread):
    def __init__(self, user_pk: int):
        super().__init__(daemon=True)
        self.user_pk = user_pk
        self.stop = threading.Event()
        self.writes = 0
        self.errors: list[BaseException] = []

    def run(self):
        try:
            while not self.stop.is_set():
                with transaction.atomic():
                    get_user_model().objects.filter(pk=self.user_pk).update(last_name=f"陳{self.writes}")
                    time.sleep(0.02)  # the write lock held a moment (rows claimed, history written)
                self.writes += 1
                time.sleep(0.02)  # the gateway call, outside any transaction
        except BaseException as exc:  # noqa: BLE001 (reported by the test)
            self.errors.append(exc)
        finally:
            connection.close()


def test_intakes_post_while_another_connection_writes(client, hotline, worker):
    client.force_login(hotline)
    writer = Writer(worker.pk)
    writer.start()
    try:
        while writer.writes == 0 and not writer.errors:
            time.sleep(0.01)
        statuses = [client.post(reverse("cases:intake_new_call"), call_form()).status_code for _ in range(5)]
    finally:
        writer.stop.set()
        writer.join(timeout=60)
    assert writer.errors == []
    assert statuses == [302] * 5 and Intake.objects.count() == 5
    assert writer.writes > 1
