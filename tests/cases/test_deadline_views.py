"""Deadline dashboard, the case page's deadline list, closing a deadline, notifications inbox."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import tracker
from cases.models import Deadline, Notification
from cases.notifications import notify
from cases.rocdate import format_roc
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def _deadline(case, days: int, kind=Deadline.Kind.COMPLAINT, title="告訴期間"):
    return tracker.deadline_open(
        case=case,
        kind=kind,
        source=case.intakes.get(),
        title=title,
        due=timezone.localdate() + dt.timedelta(days=days),
    )


@pytest.fixture
def mine(hotline, worker):
    return make_case(actor=hotline, worker=worker)


@pytest.fixture
def theirs(hotline, worker2):
    return make_case(actor=hotline, worker=worker2)


class TestDeadlineDashboard:
    url = reverse("cases:deadlines")

    def test_worker_sees_own_deadlines_sorted_into_overdue_week_and_month(self, client, worker, mine, theirs):
        overdue = _deadline(mine, -2, title="逾期的期限")
        _deadline(mine, 5, kind=Deadline.Kind.LIMITATION, title="五天後")
        _deadline(mine, 20, kind=Deadline.Kind.ACCUSATION, title="二十天後")
        _deadline(mine, 90, kind=Deadline.Kind.APPOINTMENT, title="九十天後")
        _deadline(theirs, 3, title="別人的期限")
        client.force_login(worker)
        response = client.get(self.url)
        sections = {key: [d.title for d in rows] for key, _label, rows in response.context["sections"]}
        assert sections == {"overdue": ["逾期的期限"], "7": ["五天後"], "30": ["二十天後"]}
        html = response.content.decode()
        assert "別人的期限" not in html and "九十天後" not in html
        assert format_roc(timezone.localtime(overdue.due_at).date()) in html
        assert "逾期 2 天" in html

    def test_supervisor_sees_the_unit_and_can_filter_by_kind(self, client, supervisor, mine, theirs):
        _deadline(mine, 3, title="甲")
        _deadline(theirs, 4, kind=Deadline.Kind.LIMITATION, title="乙")
        client.force_login(supervisor)
        week = dict((k, rows) for k, _l, rows in client.get(self.url).context["sections"])["7"]
        assert {d.title for d in week} == {"甲", "乙"}
        filtered = client.get(self.url, {"kind": "limitation"}).context["sections"]
        assert [d.title for d in dict((k, r) for k, _l, r in filtered)["7"]] == ["乙"]

    def test_closed_deadlines_leave_the_dashboard(self, client, worker, mine):
        deadline = _deadline(mine, 3)
        tracker.deadline_close(actor=worker, deadline=deadline, state=Deadline.State.DONE)
        client.force_login(worker)
        sections = client.get(self.url).context["sections"]
        assert all(not list(rows) for _k, _l, rows in sections)


class TestCasePageDeadlines:
    def test_case_page_lists_deadlines_with_days_left_and_urgency_colour(self, client, worker, mine):
        _deadline(mine, 5)
        client.force_login(worker)
        html = client.get(mine.get_absolute_url()).content.decode()
        assert 'class="deadline-week"' in html and "剩 5 天" in html
        assert reverse("cases:deadline_close", args=[mine.deadlines.get().pk]) in html


class TestDeadlineClose:
    def test_missed_without_reason_redisplays_with_the_choice_kept(self, client, worker, mine):
        deadline = _deadline(mine, 5)
        client.force_login(worker)
        response = client.post(reverse("cases:deadline_close", args=[deadline.pk]), {"state": "missed"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "請說明原因" in html
        assert re.search(r'<input[^>]*value="missed"[^>]*checked', html)
        deadline.refresh_from_db()
        assert deadline.state == Deadline.State.OPEN

    def test_done_closes_and_records_the_worker(self, client, worker, mine):
        deadline = _deadline(mine, 5)
        client.force_login(worker)
        response = client.post(reverse("cases:deadline_close", args=[deadline.pk]), {"state": "done"})
        assert response.status_code == 302
        deadline.refresh_from_db()
        assert (deadline.state, deadline.closed_by) == (Deadline.State.DONE, worker)


class TestNotifications:
    @pytest.fixture(autouse=True)
    def empty_inbox(self, mine):
        # Dispatching `mine` notified the worker (cases.services.dispatch_case); start from an empty inbox.
        Notification.objects.all().delete()

    def test_unread_count_in_the_navigation_and_marking_read(self, client, worker, mine):
        notify(
            recipients=[worker],
            kind=Notification.Kind.DISPATCH,
            text=f"案件 {mine.number} 已派案給您",
            case=mine,
        )
        notify(recipients=[worker], kind=Notification.Kind.DEADLINE, text="另一則", case=mine)
        client.force_login(worker)
        html = client.get(reverse("cases:notifications")).content.decode()
        assert 'badge text-bg-danger">2<' in html
        assert f"案件 {mine.number} 已派案給您" in html
        first = Notification.objects.filter(recipient=worker).order_by("pk").first()
        client.post(reverse("cases:notifications_read"), {"id": str(first.pk)})
        assert Notification.objects.filter(recipient=worker, read_at__isnull=True).count() == 1
        client.post(reverse("cases:notifications_read"))
        html = client.get(reverse("cases:notifications")).content.decode()
        assert "text-bg-danger" not in html

    def test_nobody_reads_another_users_notifications(self, client, worker, worker2, mine):
        notify(recipients=[worker], kind=Notification.Kind.DISPATCH, text="只給陳社工", case=mine)
        client.force_login(worker2)
        assert "只給陳社工" not in client.get(reverse("cases:notifications")).content.decode()
        client.post(reverse("cases:notifications_read"))
        assert Notification.objects.get().read_at is None
