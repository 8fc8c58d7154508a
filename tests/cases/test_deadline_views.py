"""Deadline dashboard, the case page's deadline list, closing a deadline, notifications inbox."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import tracker
from cases.models import CaseReadLog, Deadline, Notification
from cases.notifications import notify
from cases.rocdate import format_roc
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def _deadline(case, days: int, kind=Deadline.Kind.COMPLAINT, title="告訴期間", source_key=None):
    """A deadline of the case; with source_key, each its own source record (one deadline per source)."""
    source = case.intakes.get()
    if source_key is not None:
        source = CaseReadLog.objects.create(case=case, user=case.opened_by, view=f"source {source_key}")
    return tracker.deadline_open(
        case=case,
        kind=kind,
        source=source,
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

    def test_worker_sees_every_open_deadline_of_theirs_earliest_first(self, client, worker, mine, theirs):
        overdue = _deadline(mine, -2, title="逾期的期限")
        _deadline(mine, 5, kind=Deadline.Kind.LIMITATION, title="五天後")
        _deadline(mine, 20, kind=Deadline.Kind.ACCUSATION, title="二十天後")
        _deadline(mine, 90, kind=Deadline.Kind.APPOINTMENT, title="九十天後")
        _deadline(theirs, 3, title="別人的期限")
        client.force_login(worker)
        response = client.get(self.url)
        assert [d.title for d in response.context["page"].object_list] == [
            "逾期的期限",
            "五天後",
            "二十天後",
            "九十天後",
        ]
        assert response.context["summary"] == {"overdue": 1, "week": 1, "month": 2}
        html = response.content.decode()
        assert "別人的期限" not in html
        assert format_roc(timezone.localtime(overdue.due_at).date()) in html
        assert "逾期 2 天" in html
        assert mine.get_absolute_url() in html  # each row links to its case

    def test_supervisor_sees_the_unit_and_filters_by_kind_owner_case_and_dates(
        self, client, supervisor, worker2, mine, theirs
    ):
        _deadline(mine, 3, title="甲")
        _deadline(theirs, 4, kind=Deadline.Kind.LIMITATION, title="乙")
        _deadline(theirs, 40, title="丙")
        client.force_login(supervisor)

        def titles(**params):
            return [d.title for d in client.get(self.url, params).context["page"].object_list]

        assert titles() == ["甲", "乙", "丙"]
        assert titles(kind="limitation") == ["乙"]
        assert titles(owner=worker2.pk) == ["乙", "丙"]
        assert titles(case=mine.number) == ["甲"]
        last = format_roc(timezone.localdate() + dt.timedelta(days=10))
        assert titles(due_to=last) == ["甲", "乙"]

    def test_a_bad_filter_is_named_and_left_out(self, client, supervisor, mine):
        _deadline(mine, 3, title="甲")
        client.force_login(supervisor)
        response = client.get(self.url, {"due_from": "115.02.30", "owner": "²"})
        assert [d.title for d in response.context["page"].object_list] == ["甲"]
        html = response.content.decode()
        assert "115.02.30 不存在" in html and "部分篩選條件有誤" in html

    def test_nothing_is_silently_cut_the_list_is_paginated(self, client, worker, mine):
        for i in range(55):
            _deadline(mine, i, title=f"第{i}項", kind=Deadline.Kind.APPOINTMENT, source_key=i)
        client.force_login(worker)
        first = client.get(self.url)
        assert first.context["page"].paginator.count == 55 and len(first.context["page"].object_list) == 50
        second = client.get(self.url, {"page": 2})
        assert len(second.context["page"].object_list) == 5

    def test_the_week_agenda_lists_each_day(self, client, worker, mine):
        today = timezone.localdate()
        monday = today - dt.timedelta(days=today.weekday())
        _deadline(mine, (monday - today).days + 2, title="週三的期限", source_key=1)
        _deadline(mine, (monday - today).days + 9, title="下週的期限", source_key=2)
        client.force_login(worker)
        days = client.get(self.url, {"view": "week"}).context["days"]
        assert [d.day for d in days] == [monday + dt.timedelta(days=i) for i in range(7)]
        assert [x.title for x in days[2].rows] == ["週三的期限"]
        assert [d.is_today for d in days].index(True) == today.weekday()
        next_week = client.get(
            self.url, {"view": "week", "week_of": format_roc(monday + dt.timedelta(days=7))}
        )
        assert [x.title for x in next_week.context["days"][2].rows] == ["下週的期限"]

    def test_a_full_day_of_the_agenda_shows_its_earliest_and_links_to_the_rest(
        self, client, worker, mine, monkeypatch
    ):
        monkeypatch.setattr("cases.page_rows.WEEK_DAY_ROWS", 3)
        today = timezone.localdate()
        monday = today - dt.timedelta(days=today.weekday())
        for i in range(5):
            deadline = _deadline(mine, (monday - today).days + 1, title=f"第{i}項", source_key=i)
            deadline.due_at -= dt.timedelta(minutes=10 * (5 - i))  # 第0項 earliest
            deadline.all_day = False
            deadline.save(update_fields=["due_at", "all_day"])
        _deadline(mine, (monday - today).days + 3, title="週四的期限", source_key=9)
        client.force_login(worker)
        response = client.get(self.url, {"view": "week", "kind": Deadline.Kind.COMPLAINT})
        tuesday, thursday = response.context["days"][1], response.context["days"][3]
        assert [x.title for x in tuesday.rows] == ["第0項", "第1項", "第2項"]
        assert tuesday.total == 5
        assert [x.title for x in thursday.rows] == ["週四的期限"] and thursday.total == 0
        page = response.content.decode()
        assert "本日共 5 筆，以上為最早到期的 3 筆；看本日全部" in page
        day = format_roc(monday + dt.timedelta(days=1))
        assert tuesday.more_url == f"?kind=complaint&due_from={day}&due_to={day}"
        listed = client.get(self.url + tuesday.more_url)
        assert [d.title for d in listed.context["page"].object_list] == [f"第{i}項" for i in range(5)]

    def test_a_days_count_stops_at_its_cap(self, client, worker, mine, monkeypatch):
        # The agenda only says how many more a day has, up to 「99+」; the linked list counts them all.
        monkeypatch.setattr("cases.page_rows.WEEK_DAY_ROWS", 2)
        monkeypatch.setattr("cases.page_rows.WEEK_DAY_COUNT_CAP", 4)
        today = timezone.localdate()
        monday = today - dt.timedelta(days=today.weekday())
        for i in range(5):
            _deadline(mine, (monday - today).days + 1, title=f"第{i}項", source_key=i)
        client.force_login(worker)
        response = client.get(self.url, {"view": "week"})
        tuesday = response.context["days"][1]
        assert len(tuesday.rows) == 2 and str(tuesday.total) == "3+"
        assert "本日共 3+ 筆，以上為最早到期的 2 筆" in response.content.decode()

    def test_an_agenda_card_marks_today_times_and_empty_days(self, client, worker, mine):
        today = timezone.localdate()
        deadline = _deadline(mine, 0, title="今天的期限")
        deadline.due_at = timezone.make_aware(dt.datetime.combine(today, dt.time(14, 30)))
        deadline.all_day = False
        deadline.save(update_fields=["due_at", "all_day"])
        client.force_login(worker)
        html = client.get(self.url, {"view": "week"}).content.decode()
        agenda = html.split('id="week-agenda">')[1].split("</main>")[0]
        cards = agenda.split('<div class="col-12 col-md">')[1:]
        assert len(cards) == 7
        card = cards[today.weekday()]
        assert 'class="card h-100 border-primary"' in card and f"{format_roc(today)}（今天）" in card
        assert "今天的期限（14:30）" in card and '<div class="text-muted">' in card
        others = [c for i, c in enumerate(cards) if i != today.weekday()]
        empty = '<li class="list-group-item text-muted">—</li>'
        assert all(empty in c and "（今天）" not in c for c in others)

    def test_list_and_agenda_rows_escape_what_they_print_and_link_the_case(self, client, worker, mine):
        today = timezone.localdate()
        monday = today - dt.timedelta(days=today.weekday())
        _deadline(mine, (monday - today).days + 2, title="<b>開庭</b>")
        client.force_login(worker)
        for params in ({}, {"view": "week"}):
            html = client.get(self.url, params).content.decode()
            assert "&lt;b&gt;開庭&lt;/b&gt;" in html and "<b>開庭</b>" not in html
            assert f'<a href="{mine.get_absolute_url()}">{mine.number}</a>' in html

    def test_the_owner_filter_lists_the_workers_and_keeps_the_one_chosen(
        self, client, supervisor, worker, worker2, mine
    ):
        client.force_login(supervisor)
        html = client.get(self.url, {"owner": worker2.pk}).content.decode()
        options = re.search(r'<select name="owner"[^>]*>(.*?)</select>', html).group(1)
        assert options.startswith('<option value="">全部</option>')
        assert f'<option value="{worker2.pk}" selected>' in options
        assert f'<option value="{worker.pk}">' in options
        assert options.count(" selected") == 1

    def test_closed_deadlines_leave_the_dashboard(self, client, worker, mine):
        deadline = _deadline(mine, 3)
        tracker.deadline_close(actor=worker, deadline=deadline, state=Deadline.State.DONE)
        client.force_login(worker)
        response = client.get(self.url)
        assert list(response.context["page"].object_list) == []
        assert "目前沒有進行中的期限" in response.content.decode()


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

    def test_each_unread_notification_has_its_own_read_form(self, client, worker, mine):
        notify(recipients=[worker], kind=Notification.Kind.DEADLINE, text="<i>第一則</i>", case=mine)
        notify(recipients=[worker], kind=Notification.Kind.DEADLINE, text="第二則", case=mine)
        notify(recipients=[worker], kind=Notification.Kind.DEADLINE, text="已讀的一則", case=mine)
        Notification.objects.filter(text="已讀的一則").update(read_at=timezone.now())
        client.force_login(worker)
        html = client.get(reverse("cases:notifications")).content.decode()
        assert "&lt;i&gt;第一則&lt;/i&gt;" in html and "<i>第一則</i>" not in html
        forms = re.findall(r'<form method="post"[^>]*>(.*?)</form>', html)
        per_row = [f for f in forms if 'name="id"' in f]
        assert len(per_row) == 2  # the read one has no 已讀 button
        guards = {re.search(r'name="form_guard" value="([^"]+)"', f).group(1) for f in per_row}
        assert len(guards) == 2 and all('name="csrfmiddlewaretoken"' in f for f in per_row)
        assert html.count("fw-semibold") == 2

    def test_nobody_reads_another_users_notifications(self, client, worker, worker2, mine):
        notify(recipients=[worker], kind=Notification.Kind.DISPATCH, text="只給陳社工", case=mine)
        client.force_login(worker2)
        assert "只給陳社工" not in client.get(reverse("cases:notifications")).content.decode()
        client.post(reverse("cases:notifications_read"))
        assert Notification.objects.get().read_at is None
