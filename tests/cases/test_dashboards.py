"""The supervisor overview's charts (cases/dashboards.py): what each one counts, the stored rows the page
reads, and the table beside each chart."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import dashboards, registry, services, tracker
from cases.models import Case, Contact, Deadline, Intake, UnitStatistic
from cases.people import staff_name
from cases.roles import Role
from tests.factories import make_case, make_intake, make_user

pytestmark = pytest.mark.django_db


def _rows(chart: dict) -> dict:
    return {row["label"]: row["values"] for row in chart["rows"]}


def _this_week(now) -> str:
    return dashboards.week_label(dashboards.week_starts(now)[-1])


class TestCaseload:
    def test_each_worker_s_open_cases_by_state(self, hotline, worker, worker2):
        for _ in range(2):
            make_case(actor=hotline, worker=worker)
        Case.objects.filter(pk=make_case(actor=hotline, worker=worker).pk).update(status=Case.Status.CLOSED)
        Case.objects.filter(pk=make_case(actor=hotline, worker=worker2).pk).update(
            status=Case.Status.CLOSE_REQUESTED
        )
        make_case(actor=hotline)  # not dispatched: nobody's caseload
        chart = dashboards.caseload(timezone.now())
        rows = _rows(chart)
        assert rows[staff_name(worker)] == [2, 0]
        assert rows[staff_name(worker2)] == [0, 1]
        assert chart["columns"][0]["label"] == "服務中"


class TestIntakesByChannel:
    def test_counts_per_week_and_channel_within_the_window(self, hotline):
        now = timezone.now()
        make_intake(actor=hotline, received_at=now)
        make_intake(actor=hotline, received_at=now, channel=Intake.Channel.EMAIL)
        make_intake(actor=hotline, received_at=now - dt.timedelta(weeks=2))
        make_intake(actor=hotline, received_at=now - dt.timedelta(weeks=dashboards.WEEKS + 1))  # too old
        chart = dashboards.intakes_by_channel(now)
        rows = _rows(chart)
        assert len(rows) == dashboards.WEEKS
        labels = [c["label"] for c in chart["columns"]]
        this_week = dict(zip(labels, rows[_this_week(now)], strict=True))
        assert this_week["24小時專線"] == 1 and this_week["電子郵件"] == 1 and this_week["合計"] == 2
        assert sum(values[-1] for values in rows.values()) == 3
        assert [c["drawn"] for c in chart["columns"]][-1] is False  # the total is in the table only


class TestResponseTimes:
    def test_median_hours_to_dispatch_and_to_the_first_contact_that_reached_the_victim(self, hotline, worker):
        now = timezone.now()
        case = make_case(actor=hotline, worker=worker, received_at=now - dt.timedelta(hours=10))
        for hours_ago, result in ((6, Contact.Result.NOT_REACHED), (4, Contact.Result.REACHED)):
            services.contact_record(
                actor=worker,
                case=case,
                contacted_at=now - dt.timedelta(hours=hours_ago),
                mode=Contact.Mode.PHONE,
                result=result,
                immediate_danger=Contact.Danger.NO if result == Contact.Result.REACHED else "",
            )
        make_case(actor=hotline, received_at=now - dt.timedelta(hours=3))  # opened, not dispatched yet
        rows = _rows(dashboards.response_times(now)).values()
        assert sum(opened for _, _, opened in rows) == 2  # in one week or, early on a Monday, in two
        [(to_dispatch, to_contact, _)] = [row for row in rows if row[0] is not None]
        assert 9.9 <= to_dispatch <= 10.1  # dispatched "now" by the factory; the undispatched one is left out
        assert to_contact == 6.0  # the attempt 6 hours in did not reach the victim

    def test_a_week_without_cases_shows_no_time(self, hotline):
        values = _rows(dashboards.response_times(timezone.now()))
        assert all(v[:2] == [None, None] and v[2] == 0 for v in values.values())


class TestDeadlinesByKind:
    def test_at_risk_overdue_and_missed(self, hotline, worker, supervisor):
        case = make_case(actor=hotline, worker=worker)
        now = timezone.now()
        intake = case.intakes.get()
        kind = Deadline.Kind.FOLLOW_UP
        for source, due in ((case, now + dt.timedelta(days=2)), (intake, now - dt.timedelta(days=1))):
            tracker.deadline_open(case=case, kind=kind, source=source, title="追蹤", due=due, owner=worker)
        far = tracker.deadline_open(
            case=case,
            kind=Deadline.Kind.APPOINTMENT,
            source=case,
            title="開庭",
            due=now + dt.timedelta(days=40),
        )
        missed = tracker.deadline_open(
            case=case,
            kind=Deadline.Kind.NEXT_CONTACT,
            source=case,
            title="聯繫",
            due=now - dt.timedelta(days=3),
        )
        tracker.deadline_close(
            actor=supervisor, deadline=missed, state=Deadline.State.MISSED, reason="未聯繫"
        )
        rows = _rows(dashboards.deadlines_by_kind(now))
        assert rows[Deadline.Kind.FOLLOW_UP.label] == [1, 1, 0]
        assert rows[Deadline.Kind.NEXT_CONTACT.label] == [0, 0, 1]
        assert rows[Deadline.Kind.APPOINTMENT.label] == [0, 0, 0]  # 40 days away: not at risk
        assert far.state == Deadline.State.OPEN
        assert len(rows) == len(Deadline.Kind.choices)


class TestDangerReports:
    def test_answers_of_immediate_danger_per_week(self, hotline, worker):
        now = timezone.now()
        case = make_case(actor=hotline, worker=worker, immediate_danger=Intake.Danger.YES)
        services.contact_record(
            actor=worker,
            case=case,
            contacted_at=now,
            mode=Contact.Mode.PHONE,
            result=Contact.Result.REACHED,
            immediate_danger=Contact.Danger.YES,
        )
        make_case(actor=hotline, immediate_danger=Intake.Danger.NO)
        chart = dashboards.danger_reports(now)
        assert _rows(chart)[_this_week(now)] == [1, 1]
        assert "1 件案件標記有立即危險" in chart["note"]


class TestOverviewPage:
    url = reverse("cases:overview")

    def test_before_the_first_run_the_page_says_the_statistics_are_not_ready(self, client, supervisor):
        client.force_login(supervisor)
        html = client.get(self.url).content.decode()
        assert "統計尚未產生" in html

    def test_each_chart_has_a_table_with_caption_and_headers_and_the_time_it_was_computed(
        self, client, hotline, worker, supervisor
    ):
        make_case(actor=hotline, worker=worker)
        dashboards.refresh_unit_statistics()
        client.force_login(supervisor)
        response = client.get(self.url)
        html = response.content.decode()
        assert "統計時間：" in html
        keys = [c["key"] for c in response.context["charts"]]
        assert keys == [
            "cases-caseload",
            "cases-intakes_by_channel",
            "cases-response_times",
            "cases-deadlines_by_kind",
            "takedown-sla",
            "cases-danger_reports",
        ]
        for key in keys:
            section = html[html.index(f'id="chart-{key}"') :]
            section = section[: section.index("</section>")]
            assert f'data-chart-for="table-{key}"' in section and 'role="img"' in section
            assert "<caption" in section and '<th scope="col">' in section and '<th scope="row">' in section
        # Chart.js and the drawing script from our own static files: no CDN, no inline script.
        assert '<script src="/static/vendor/chart.js/chart.umd.min.js"></script>' in html
        assert '<script src="/static/js/charts.js"></script>' in html
        # Every script comes from our own /static/ (a random form token may spell "cdn", so look at src).
        assert re.findall(r'<script src="([^"]*)"', html) and all(
            src.startswith("/static/") for src in re.findall(r'<script src="([^"]*)"', html)
        )

    def test_a_chart_is_shown_only_to_those_with_its_permission(self, supervisor, monkeypatch):
        secret = registry.OverviewStatistic(
            key="cases.secret",
            compute=lambda now: dashboards.chart(title="t", row_header="r", columns=["a"], rows=[]),
            permission="cases.no_such_permission",
        )
        monkeypatch.setattr(registry, "_overview_statistics", [*registry.overview_statistics(), secret])
        dashboards.refresh_unit_statistics()
        assert UnitStatistic.objects.filter(key="cases.secret").exists()
        keys = [c["key"] for c in dashboards.overview_charts(supervisor)["charts"]]
        assert "cases-secret" not in keys and "cases-caseload" in keys


def test_a_refresh_rewrites_the_rows_and_drops_charts_no_longer_registered(hotline, worker):
    UnitStatistic.objects.create(key="gone.chart", data={}, computed_at=timezone.now())
    make_case(actor=hotline, worker=worker)
    assert dashboards.refresh_unit_statistics() == len(registry.overview_statistics())
    make_case(actor=hotline, worker=worker)
    later = timezone.now() + dt.timedelta(minutes=15)
    dashboards.refresh_unit_statistics(now=later)
    assert UnitStatistic.objects.count() == len(registry.overview_statistics())
    caseload = UnitStatistic.objects.get(key="cases.caseload")
    assert caseload.computed_at == later
    assert [2, 0] in [row["values"] for row in caseload.data["rows"]]


def test_the_beat_job_refreshes_the_charts(settings):
    from cases.tasks import refresh_unit_statistics

    assert settings.CELERY_BEAT_SCHEDULE["unit-statistics"]["task"] == "cases.tasks.refresh_unit_statistics"
    refresh_unit_statistics.delay()
    assert UnitStatistic.objects.filter(key="cases.caseload").exists()


def test_the_refresh_reads_a_fixed_number_of_queries(hotline):
    worker = make_user("w0", Role.SOCIAL_WORKER)
    dashboards.refresh_unit_statistics()
    counts = []
    for n in (2, 4):  # N, then 3N cases
        for _ in range(n):
            make_case(actor=hotline, worker=worker)
        with CaptureQueriesContext(connection) as captured:
            dashboards.refresh_unit_statistics()
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_overview_lists_the_longest_flagged_and_links_to_all_of_them(
    client, hotline, supervisor, monkeypatch
):
    from cases import views

    monkeypatch.setattr(views, "OVERVIEW_FLAGGED_ROWS", 1)
    first = make_case(actor=hotline, immediate_danger=Intake.Danger.YES)
    later = make_case(actor=hotline, immediate_danger=Intake.Danger.YES)
    Case.objects.filter(pk=first.pk).update(danger_since=timezone.now() - dt.timedelta(days=1))
    client.force_login(supervisor)
    html = client.get(reverse("cases:overview")).content.decode()
    section = html[html.index('id="flagged-cases"') : html.index("</section>")]
    assert "有立即危險的案件（2）" in section
    assert first.number in section and later.number not in section
    assert f'href="{reverse("cases:my_cases")}?flag=1"' in section
