"""Two beat processes scanning at the same moment send each reminder once (real connections)."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connections

from cases import tracker
from cases.models import Deadline, DeadlineReminder, Notification
from cases.roles import sync_role_groups
from tests.factories import make_case, make_user

TAIPEI = ZoneInfo("Asia/Taipei")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_send_each_reminder_once():
    sync_role_groups()  # transactional tests start from flushed tables
    hotline = make_user("hotline", "hotline")
    worker = make_user("worker", "social_worker")
    make_user("supervisor", "supervisor")
    for _ in range(5):
        case = make_case(actor=hotline, worker=worker)
        tracker.deadline_open(
            case=case, kind=Deadline.Kind.COMPLAINT, source=case, title="告訴期間", due=dt.date(2026, 6, 30)
        )
    now = dt.datetime(2026, 7, 2, 9, 0, tzinfo=TAIPEI)  # all five overdue: owner and supervisor
    start = threading.Barrier(2)
    sent, errors = [], []

    def scan():
        try:
            start.wait()
            sent.append(tracker.send_due_reminders(now=now))
        except Exception as exc:  # surfaced below; a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert sorted(sent) == [0, 5]
    assert DeadlineReminder.objects.count() == 5
    assert Notification.objects.filter(kind=Notification.Kind.DEADLINE).count() == 10
