"""Unassigned-intake alerts (issue 21): an intake neither dispatched nor closed in time alerts the
hotline and the supervisors, once per step, whatever the number of runs."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from cases import services
from cases.intake_alerts import alert_step, send_intake_alerts
from cases.models import Intake, IntakeAlert, Notification
from cases.roles import sync_role_groups
from tests.factories import make_case, make_intake, make_user

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("waited", "step"),
    [(2.9, 0), (3, 1), (5.9, 1), (6, 2), (11.9, 2), (12, 3), (24, 4), (48, 5)],
)
def test_steps_double_from_the_limit(waited, step):
    assert alert_step(waited * H, 3 * H) == step


def received(hours_ago: float, now=None) -> dict:
    return {"received_at": (now or timezone.now()) - hours_ago * H}


class TestScan:
    def test_an_intake_waiting_past_the_limit_alerts_hotline_and_supervisors(
        self, hotline, supervisor, worker
    ):
        intake = make_intake(actor=hotline, **received(3.5))
        assert send_intake_alerts() == 1
        notes = Notification.objects.filter(url=intake.get_absolute_url())
        assert {n.recipient for n in notes} == {hotline, supervisor}
        assert "已等候 3 小時" in notes[0].text and intake.victim_name not in notes[0].text

    def test_under_the_limit_nothing(self, hotline, supervisor):
        make_intake(actor=hotline, **received(2.5))
        assert send_intake_alerts() == 0
        assert not Notification.objects.exists()

    def test_immediate_danger_alerts_after_one_hour(self, hotline, supervisor):
        make_intake(actor=hotline, immediate_danger=Intake.Danger.YES, **received(1.2))
        make_intake(actor=hotline, immediate_danger=Intake.Danger.NO, **received(1.2))
        assert send_intake_alerts() == 1
        alert = Notification.objects.filter(recipient=supervisor, text__contains="已等候").get()
        assert alert.text.startswith("【有立即危險】")

    def test_limits_are_settings(self, hotline, supervisor, settings):
        settings.INTAKE_ALERT_HOURS = 8
        make_intake(actor=hotline, **received(4))
        assert send_intake_alerts() == 0

    def test_once_per_step(self, hotline, supervisor):
        intake = make_intake(actor=hotline, **received(3.5))
        now = timezone.now()
        assert send_intake_alerts(now=now) == 1
        assert send_intake_alerts(now=now + 10 * 60 * dt.timedelta(seconds=1)) == 0
        assert send_intake_alerts(now=now + 3 * H) == 1  # 6.5 h: step 2
        assert list(intake.alerts.order_by("step").values_list("step", flat=True)) == [1, 2]
        assert Notification.objects.filter(recipient=supervisor).count() == 2

    def test_opened_but_not_dispatched_still_alerts_dispatched_does_not(self, hotline, supervisor, worker):
        waiting = make_case(actor=hotline, **received(4))  # opened, no worker yet
        make_case(actor=hotline, worker=worker, **received(4))
        assert send_intake_alerts() == 1
        assert "尚未派案" in Notification.objects.get(recipient=supervisor, text__contains="已等候").text
        assert IntakeAlert.objects.get().intake == waiting.intakes.get()

    def test_closed_intakes_do_not_alert(self, hotline, supervisor):
        intake = make_intake(actor=hotline, **received(5))
        services.intake_close(actor=hotline, intake=intake, note="來電者僅詢問資訊，不需開案")
        assert send_intake_alerts() == 0

    def test_query_count_does_not_grow_with_the_intakes(self, hotline, supervisor):
        from django.test.utils import CaptureQueriesContext

        send_intake_alerts()  # creates the job's lock row, which later runs only lock
        for _ in range(2):
            make_intake(actor=hotline, **received(4))
        with CaptureQueriesContext(connection) as few:
            send_intake_alerts()
        for _ in range(6):
            make_intake(actor=hotline, **received(4))
        with CaptureQueriesContext(connection) as many:
            assert send_intake_alerts() == 6
        assert len(many) == len(few)

    def test_beat_runs_the_scan(self):
        entry = settings.CELERY_BEAT_SCHEDULE["intake-alerts"]
        assert entry["task"] == "cases.tasks.send_intake_alerts"
        from cases.tasks import send_intake_alerts as task

        assert task.name == entry["task"]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_alert_exactly_once():
    """Two beats at once: the job lock serialises them and the second finds the step sent."""
    sync_role_groups()  # transactional tests start from flushed tables
    hotline = make_user("hotline", "hotline")
    supervisor = make_user("supervisor", "supervisor")
    intakes = [make_intake(actor=hotline, **received(4)) for _ in range(3)]
    now = timezone.now()
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            start.wait()
            results.append(send_intake_alerts(now=now))
        except Exception as exc:  # surfaced below; a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert sorted(results) == [0, 3]
    assert IntakeAlert.objects.filter(intake__in=intakes).count() == 3
    assert Notification.objects.filter(recipient=supervisor).count() == 3
