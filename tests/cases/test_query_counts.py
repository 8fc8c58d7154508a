"""The busiest pages make the same number of queries with N rows behind them as with 3N.

Each count is pinned, so an N+1 (or any new query) shows up as a failure listing the queries.
The same pins are what `manage.py bench` reports at 100k cases (docs/benchmarks.md).
"""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.dashboards import refresh_unit_statistics
from cases.models import Case
from cases.rocdate import format_roc
from cases.roles import Role
from tests.factories import make_case, make_intake, make_referral, make_user

pytestmark = pytest.mark.django_db

N = 4

# Queries per request. Every page starts with the same three: session, user, and the user's groups
# with their permissions in one query (cases.middleware.LoadAccessMiddleware; Django's permission checks
# and the role checks took three: the "groups" and "permissions" below are read from it, not queried),
# and ends with the unread notification badge (capped at 99+).
QUERIES = {
    # Every list that names victims ends with ONE bulk insert into the read log, one row per case or
    # waiting intake shown (issue 21: a list is a read too): + 1 on the case lists, the queue and the
    # overview.
    # + groups (role check) + count + page of cases with victim and worker joined, and the next deadline,
    # last contact and latest dispatch as subqueries of the same query
    "worker: my cases": 7,
    # + the workers of the filter (with their caseloads)
    "supervisor: all cases": 8,
    # Every sort and filter reads the columns kept on the case (cases.list_columns, and the worker's name:
    # cases.worker_sort) through an index, in the same one query.
    # + count + page of intakes, each with its match flag (two LIMIT 1 probes of the victims' blind
    # indexes in the same query) + groups (navigation)
    "hotline: intake queue": 7,
    # + counts by state, of flagged cases and of pending intakes (one read of the counters the triggers
    # keep, cases/counters.py; the safety panel's capped count in the same query) + the stored charts
    # (caseloads, intakes, response times, deadlines, takedown SLA, danger reports: one read of
    # cases_unitstatistic, computed by the beat job) + the recent and the flagged cases with their
    # safety-plan notes (one UNION ALL) + the safety panel's first rows (cases without the reminder sheet)
    "supervisor: overview": 9,
    # + the case, with ONE probe of the thirty kinds of records the page shows as a column of the same
    # query (cases.case_records: contacts, closing steps, appointments, SMS and every app's panel; it took
    # 30 queries to find most of them empty), and of the worker's unread dispatch notices of the case
    # + read-log insert + intakes + dispatches + deadlines + one query per kind the case has: here its
    # police referrals (the calls-and-referrals test) or its contacts (the contacts test). Each app's
    # panel with rows of every kind is pinned, constant in the number of records, by the apps' own panel
    # tests. The dispatch notices are marked read (an UPDATE) only when the probe found some unread.
    "worker: case detail": 10,
    # + groups + count + page of referrals with intake and case joined (their status columns only)
    "police: my referrals": 6,
    # + the summary counts and the list's count (one query, capped) + page of rows (values only: no model,
    # no decryption), + the deadlines on the worker's open cases that someone else owns (looked up once,
    # index-only, so the others read the owner index instead of testing every open deadline against all
    # their cases)
    "worker: deadlines": 7,
    # + the owners of the filter
    "supervisor: deadlines": 7,
    # The week agenda: the summary + the first rows of each of the seven days with the day's capped count
    # in ONE query (seven index ranges: LATERAL on PostgreSQL, UNION ALL elsewhere); for the worker the
    # deadlines others own on their cases, for the supervisor the owners of the filter.
    "worker: deadlines, week": 7,
    "supervisor: deadlines, week": 7,
    # + their count (capped at 「999+」) + the page of notifications
    "notifications": 6,
    # The search box (POST): + the cases found with victim and worker and, for the hotline, the waiting
    # intakes found, in one query (one list, newest first) + the read-log bulk insert; the referrals
    # app's match on the police case number.
    "hotline: search": 7,
    # a name has no digits: it is not looked up as a police case number (referrals.search)
    "hotline: search by name": 6,
    "worker: search": 6,
    # a case number is not looked for among the waiting intakes (they have none yet)
    "hotline: search by case number": 7,
}

# bench/run.py's list pages by sort and filter (besides those named below).
WORKER_SORTS = ("dispatch date", "opening date", "worker", "next deadline, in service", "danger, flagged")
UNIT_SORTS = (
    "next deadline",
    "last contact",
    "dispatch date",
    "opening date",
    "next deadline, in service",
    "next deadline, one worker",
    "last contact, closed",
)

# The benchmark's pages (bench/run.py) and the pin each must match. The floor is the session, the user,
# the groups and permissions (the same middleware as every page) and its one query for 50 case rows
# (bench/views.py).
BENCH_PAGES = {
    "floor: 50 case rows, one query": 4,
    "worker: my cases": QUERIES["worker: my cases"],
    "worker: my cases by next deadline": QUERIES["worker: my cases"],
    "worker: my cases by last contact": QUERIES["worker: my cases"],
    "hotline: intake queue": QUERIES["hotline: intake queue"],
    # the apps' notes on the flagged cases are columns of the cases' query: no query more with them
    "supervisor: overview": QUERIES["supervisor: overview"],
    "supervisor: all cases": QUERIES["supervisor: all cases"],
    "supervisor: all cases, flagged, by worker": QUERIES["supervisor: all cases"],
    **{f"worker: my cases by {sort}": QUERIES["worker: my cases"] for sort in WORKER_SORTS},
    **{f"supervisor: all cases by {sort}": QUERIES["supervisor: all cases"] for sort in UNIT_SORTS},
    "supervisor: all cases by worker": QUERIES["supervisor: all cases"],
    "hotline: all cases by next deadline": QUERIES["supervisor: all cases"],
    "worker: search by mobile": QUERIES["worker: search"],
    # a police case number looks like a name: the cases and waiting intakes by name, the referrals; it
    # finds a referral form (date, agency, status: nothing identifying), so no read-log row is written
    "hotline: search by police case number": QUERIES["hotline: search"] - 1,
    # The bench's cases: 9 without a police referral, 10 with one (each case page reads the kinds of
    # records its case has).
    "worker: case detail": range(9, 11),
    "supervisor: case detail": range(9, 11),
    "worker: deadlines, week": QUERIES["worker: deadlines, week"],
    "supervisor: deadlines, week": QUERIES["supervisor: deadlines, week"],
    "worker: notifications": QUERIES["notifications"],
    "supervisor: notifications": QUERIES["notifications"],
    "police: my referrals": QUERIES["police: my referrals"],
    "worker: deadlines": QUERIES["worker: deadlines"],
    "supervisor: deadlines": QUERIES["supervisor: deadlines"],
    "hotline: search by mobile": QUERIES["hotline: search"],
    "hotline: search by full name": QUERIES["hotline: search by name"],
    "hotline: search by case number": QUERIES["hotline: search by case number"],
    "worker: search by full name": QUERIES["worker: search"],
}


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def _close(case: Case) -> None:
    # There is no close-case service yet; a closed state is all these pages need.
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)


class TestWorkerCaseList:
    url = reverse("cases:my_cases")

    def _add(self, n, *, hotline, supervisor, worker, worker2):
        for i in range(n):
            case = make_case(actor=hotline, worker=worker)
            if i % 2:  # redispatched to the worker from a colleague
                other = make_case(actor=hotline, worker=worker2)
                services.dispatch_case(actor=supervisor, case=other, worker=worker, reason="原社工休假")
            if i % 3 == 0:
                _close(case)
            make_case(actor=hotline, worker=worker2)  # not in the worker's scope

    def test_worker_list_query_count_does_not_grow(
        self, client, hotline, supervisor, worker, worker2, django_assert_num_queries
    ):
        client.force_login(worker)
        people = {"hotline": hotline, "supervisor": supervisor, "worker": worker, "worker2": worker2}
        self._add(N, **people)
        with django_assert_num_queries(QUERIES["worker: my cases"]):
            small = _get(client, self.url)
        self._add(2 * N, **people)
        with django_assert_num_queries(QUERIES["worker: my cases"]):
            large = _get(client, self.url)
        assert large.context["page"].paginator.count == 3 * small.context["page"].paginator.count > 0

    def test_supervisor_list_of_all_cases_query_count_does_not_grow(
        self, client, hotline, supervisor, worker, worker2, django_assert_num_queries
    ):
        client.force_login(supervisor)
        people = {"hotline": hotline, "supervisor": supervisor, "worker": worker, "worker2": worker2}
        self._add(N, **people)
        make_case(actor=hotline)  # not yet dispatched
        with django_assert_num_queries(QUERIES["supervisor: all cases"]):
            small = _get(client, self.url)
        self._add(2 * N, **people)
        with django_assert_num_queries(QUERIES["supervisor: all cases"]):
            large = _get(client, self.url)
        assert large.context["page"].paginator.count > 2 * small.context["page"].paginator.count

    def test_every_sort_and_filter_keeps_its_count(
        self, client, hotline, supervisor, worker, worker2, django_assert_num_queries
    ):
        """Each sort and filter of the list, for a worker and for the unit, at N and at 3N cases."""
        people = {"hotline": hotline, "supervisor": supervisor, "worker": worker, "worker2": worker2}
        sorts = ["danger", "next_due", "last_contact", "dispatched", "opened", "worker"]
        filters = ["", "status=assigned&", "flag=1&", "status=closed&page=2&"]
        seen = {}
        for n in (N, 2 * N):
            self._add(n, **people)
            make_case(actor=hotline)  # not yet dispatched
            make_case(actor=hotline, worker=worker, immediate_danger="yes")  # flagged 有立即危險
            for user, scope in ((worker, "worker: my cases"), (supervisor, "supervisor: all cases")):
                client.force_login(user)
                for sort in sorts:
                    for extra in filters + ([f"worker={worker2.pk}&"] if user == supervisor else []):
                        with django_assert_num_queries(QUERIES[scope]):
                            response = _get(client, f"{self.url}?{extra}sort={sort}")
                        seen.setdefault((user.pk, sort, extra), []).append(
                            response.context["page"].paginator.count
                        )
        assert any(small < large for small, large in seen.values())


class TestIntakeQueue:
    url = reverse("cases:intake_queue")

    def _add(self, n, *, hotline):
        """n pending intakes; half are repeat contacts of a victim who already has a case."""
        for i in range(n):
            if i % 2:
                make_intake(actor=hotline)
                continue
            victim = make_case(actor=hotline).victim
            # Alternate the identifier the repeat caller gives, so both blind indexes are exercised.
            identifiers = {"victim_phone": "", "victim_national_id": ""}
            if i % 4:
                identifiers["victim_phone"] = victim.phone
            else:
                identifiers["victim_national_id"] = victim.national_id
            make_intake(actor=hotline, **identifiers)

    def test_query_count_does_not_grow_and_match_flags_come_with_the_rows(
        self, client, hotline, django_assert_num_queries
    ):
        client.force_login(hotline)
        self._add(N, hotline=hotline)
        with django_assert_num_queries(QUERIES["hotline: intake queue"]) as small_queries:
            small = _get(client, self.url)
        self._add(2 * N, hotline=hotline)
        with django_assert_num_queries(QUERIES["hotline: intake queue"]) as large_queries:
            large = _get(client, self.url)

        assert [row.matched for row in small.context["page"].object_list].count(True) == N // 2
        assert [row.matched for row in large.context["page"].object_list].count(True) == 3 * N // 2
        for captured in (small_queries, large_queries):
            victim_lookups = [q for q in captured.captured_queries if '"cases_victim"' in q["sql"]]
            assert len(victim_lookups) == 1


class TestSupervisorOverview:
    url = reverse("cases:overview")

    def _add(self, n, *, hotline, first_worker: int):
        """Cases in every state spread over n new workers, plus pending intakes."""
        for k in range(first_worker, first_worker + n):
            worker = make_user(f"worker-{k}", Role.SOCIAL_WORKER, first_name="社工", last_name=str(k))
            make_case(actor=hotline, worker=worker)
            _close(make_case(actor=hotline, worker=worker))
            make_case(actor=hotline)
            make_intake(actor=hotline)

    def test_query_count_does_not_grow_with_cases_or_workers(
        self, client, hotline, supervisor, django_assert_num_queries
    ):
        client.force_login(supervisor)
        self._add(N, hotline=hotline, first_worker=0)
        refresh_unit_statistics()
        with django_assert_num_queries(QUERIES["supervisor: overview"]):
            small = _get(client, self.url)
        self._add(2 * N, hotline=hotline, first_worker=N)
        refresh_unit_statistics()
        with django_assert_num_queries(QUERIES["supervisor: overview"]):
            large = _get(client, self.url)
        caseloads = [c for c in large.context["charts"] if c["key"] == "cases-caseload"]
        assert len(caseloads[0]["rows"]) == 3 * len(small.context["charts"][0]["rows"]) == 3 * N
        assert large.context["pending_intakes"] == 3 * N
        assert dict((v, c) for _, c, v in large.context["status_counts"]) == {
            "new": 3 * N,
            "assigned": 3 * N,
            "close_requested": 0,
            "closed": 3 * N,
        }


class TestCaseDetail:
    def _add(self, n, *, case, hotline, worker, worker2, police):
        """n more contacts (calls and police referrals) attached, and n more dispatches."""
        for i in range(n):
            if i % 2:
                intake = make_intake(actor=hotline, victim_phone=case.victim.phone)
            else:
                intake = make_referral(police=police, victim_phone=case.victim.phone).intake
            services.intake_attach(actor=hotline, intake=intake, case=case)
            # Away and back, so the worker keeps the case: two dispatch rows with previous workers.
            services.dispatch_case(actor=hotline, case=case, worker=worker2, reason="代理")
            services.dispatch_case(actor=hotline, case=case, worker=worker, reason="銷假")

    def test_query_count_does_not_grow_with_contacts_dispatches_or_referrals(
        self, client, hotline, worker, worker2, police, django_assert_num_queries
    ):
        client.force_login(worker)
        case = make_case(actor=hotline, worker=worker)
        people = {"hotline": hotline, "worker": worker, "worker2": worker2, "police": police}
        self._add(N, case=case, **people)
        # + the UPDATE marking read the dispatch notices that each dispatch back to the worker sent
        with django_assert_num_queries(QUERIES["worker: case detail"] + 1):
            small = _get(client, case.get_absolute_url())
        self._add(2 * N, case=case, **people)
        with django_assert_num_queries(QUERIES["worker: case detail"] + 1):
            large = _get(client, case.get_absolute_url())
        assert len(large.context["intakes"]) == 1 + 3 * N and len(small.context["intakes"]) == 1 + N
        assert len(large.context["dispatches"]) == 1 + 6 * N
        (panel,) = [ctx for p, ctx in large.context["panels"] if p.template == "referrals/_case_panel.html"]
        assert len(panel["referrals"]) == 3 * N // 2


class TestCaseDetailWithContacts:
    """The case page with 50 and then 150 contacts (and their entries on the case record) reads the same
    number of queries: contacts, their staff and the record are built from one query."""

    def _contacts(self, n, *, case, worker):
        from django.utils import timezone

        start = timezone.now() - dt.timedelta(days=400)
        for i in range(n):
            services.contact_record(
                actor=worker,
                case=case,
                contacted_at=start + dt.timedelta(hours=i),
                mode="phone",
                result="reached" if i % 3 else "not_reached",
                immediate_danger="no" if i % 3 else "",
                notes=f"第 {i} 次聯繫，討論下架進度。",
            )

    def test_fifty_contacts_then_three_times_as_many(
        self, client, hotline, worker, django_assert_num_queries
    ):
        client.force_login(worker)
        case = make_case(actor=hotline, worker=worker)
        self._contacts(50, case=case, worker=worker)
        _get(client, case.get_absolute_url())  # opened once: the dispatch notice is read
        with django_assert_num_queries(QUERIES["worker: case detail"]):
            small = _get(client, case.get_absolute_url())
        self._contacts(100, case=case, worker=worker)
        with django_assert_num_queries(QUERIES["worker: case detail"]):
            large = _get(client, case.get_absolute_url())
        assert len(small.context["contacts"]) == 50 and len(large.context["contacts"]) == 150
        assert sum(1 for e in large.context["entries"] if e.kind == "聯繫") == 150
        assert large.content.decode().count('id="contact-') == 150


class TestReferralList:
    url = reverse("referrals:list")

    def _add(self, n, *, hotline, worker, police, police2):
        """Referrals in every shared state (pending, closed, waiting for dispatch, assigned, case closed)."""
        for i in range(n):
            referral = make_referral(police=police)
            make_referral(police=police2)  # another officer's: not in scope
            step = i % 5
            if step == 1:
                services.intake_close(actor=hotline, intake=referral.intake, note="僅諮詢")
            elif step >= 2:
                case = services.case_open_from_intake(actor=hotline, intake=referral.intake)
                if step >= 3:
                    services.dispatch_case(actor=hotline, case=case, worker=worker, reason="派案")
                if step == 4:
                    _close(case)

    def test_police_list_query_count_does_not_grow(
        self, client, hotline, worker, police, police2, django_assert_num_queries
    ):
        client.force_login(police)
        people = {"hotline": hotline, "worker": worker, "police": police, "police2": police2}
        self._add(N + 1, **people)  # N + 1 = 5 covers every state once
        with django_assert_num_queries(QUERIES["police: my referrals"]):
            small = _get(client, self.url)
        self._add(2 * (N + 1), **people)
        with django_assert_num_queries(QUERIES["police: my referrals"]):
            large = _get(client, self.url)
        assert (
            large.context["page"].paginator.count == 3 * small.context["page"].paginator.count == 3 * (N + 1)
        )
        assert len({r.shared_status for r in large.context["page"].object_list}) == 5


class TestDeadlineDashboard:
    url = reverse("cases:deadlines")

    def _add(self, n, *, hotline, worker):
        from cases import tracker
        from cases.models import Deadline

        today = timezone.localdate()
        for _ in range(n):
            case = make_case(actor=hotline, worker=worker)
            for kind, days in [
                (Deadline.Kind.COMPLAINT, -3),
                (Deadline.Kind.APPOINTMENT, 3),
                (Deadline.Kind.LIMITATION, 20),
            ]:
                tracker.deadline_open(
                    case=case, kind=kind, source=case, title=str(kind), due=today + dt.timedelta(days=days)
                )

    @pytest.mark.parametrize("who", ["worker", "supervisor"])
    def test_dashboard_query_count_does_not_grow(
        self, who, request, client, hotline, worker, django_assert_num_queries
    ):
        viewer = request.getfixturevalue(who)
        client.force_login(viewer)
        self._add(N, hotline=hotline, worker=worker)
        with django_assert_num_queries(QUERIES[f"{who}: deadlines"]):
            small = _get(client, self.url)
        self._add(2 * N, hotline=hotline, worker=worker)
        with django_assert_num_queries(QUERIES[f"{who}: deadlines"]):
            large = _get(client, self.url)
        assert large.context["page"].paginator.count == 9 * N == 3 * small.context["page"].paginator.count
        assert large.context["summary"] == {"overdue": 3 * N, "week": 3 * N, "month": 6 * N}

    @pytest.mark.parametrize("who", ["worker", "supervisor"])
    @pytest.mark.parametrize("per_day", [20, 2])
    def test_week_agenda_query_count_does_not_grow(
        self, who, per_day, request, client, hotline, worker, monkeypatch, django_assert_num_queries
    ):
        """Every day's first rows and, beside them, its capped count in one query, also with a day fuller
        than the agenda shows (per_day 2)."""
        monkeypatch.setattr("cases.page_rows.WEEK_DAY_ROWS", per_day)
        viewer = request.getfixturevalue(who)
        client.force_login(viewer)
        params = {"view": "week", "week_of": format_roc(timezone.localdate() + dt.timedelta(days=3))}
        pin = QUERIES[f"{who}: deadlines, week"]
        self._add(N, hotline=hotline, worker=worker)
        with django_assert_num_queries(pin):
            small = client.get(self.url, params)
        self._add(2 * N, hotline=hotline, worker=worker)
        with django_assert_num_queries(pin):
            large = client.get(self.url, params)
        shown = [len(day.rows) for day in large.context["days"] if day.rows]
        assert shown == [min(3 * N, per_day)] and sum(len(d.rows) for d in small.context["days"]) == min(
            N, per_day
        )
        assert [day.total for day in large.context["days"] if day.rows] == [3 * N if per_day < N else 0]


class TestNotifications:
    url = reverse("cases:notifications")

    def test_inbox_query_count_does_not_grow(self, client, supervisor, django_assert_num_queries):
        from cases.notifications import notify

        client.force_login(supervisor)
        notify(recipients=[supervisor], kind="system", text="第一則")
        with django_assert_num_queries(QUERIES["notifications"]):
            small = _get(client, self.url)
        for i in range(3 * 60):
            notify(recipients=[supervisor], kind="system", text=f"第{i}則")
        with django_assert_num_queries(QUERIES["notifications"]):
            large = _get(client, self.url)
        assert len(small.context["rows"]) == 1 and len(large.context["rows"]) == 50
        assert large.context["page"].paginator.count == 181


class TestSearch:
    """The search box makes the same number of queries whether N or 3N cases match (issue 18 point 10):
    the cases with victim and worker and the waiting intakes in one query, the read log in one bulk
    insert."""

    url = reverse("cases:search")

    def _add(self, n, *, hotline, worker):
        for _ in range(n):
            make_case(actor=hotline, worker=worker, victim_name="范姜若蘅", victim_phone="0933271846")
            make_intake(actor=hotline, victim_name="范姜若蘅", victim_phone="0933271846")  # waiting

    @pytest.mark.parametrize("who", ["hotline", "worker"])
    @pytest.mark.parametrize("term", ["0933-271-846", "范姜若蘅"])
    def test_search_query_count_does_not_grow_with_matches(
        self, who, term, request, client, hotline, worker, django_assert_num_queries
    ):
        client.force_login(request.getfixturevalue(who))
        self._add(N, hotline=hotline, worker=worker)
        pin = (
            QUERIES["hotline: search by name"]
            if (who, term) == ("hotline", "范姜若蘅")
            else QUERIES[f"{who}: search"]
        )
        with django_assert_num_queries(pin):
            small = client.post(self.url, {"q": term})
        self._add(2 * N, hotline=hotline, worker=worker)
        with django_assert_num_queries(pin):
            large = client.post(self.url, {"q": term})
        assert len(large.context["result"].cases) == 3 * len(small.context["result"].cases) == 3 * N
        if who == "hotline":
            assert len(large.context["result"].intakes) == 3 * N

    def test_search_by_case_number_query_count(self, client, hotline, worker, django_assert_num_queries):
        client.force_login(hotline)
        case = make_case(actor=hotline, worker=worker)
        with django_assert_num_queries(QUERIES["hotline: search by case number"]):
            response = client.post(self.url, {"q": case.number})
        assert [c.pk for c in response.context["result"].cases] == [case.pk]


class TestBenchCommand:
    """The benchmark measures the same counts on its bulk-seeded data, at one and three times the volume."""

    def test_bench_counts_match_the_pins_and_do_not_grow(self):
        from bench import deadlines, run, seed
        from cases.notifications import notify

        users = seed.ensure_users(workers=3, police=2)
        seed.seed(users=users, cases=60, batch_size=25, log=lambda _: None)
        deadlines.seed_deadlines(log=lambda _: None)  # the dashboards list rows, as in production
        # Inboxes that list rows, as the benchmark's (bench.clone.fill_inboxes, PostgreSQL only) do.
        notify(recipients=[users.supervisor, *users.workers], kind="system", text="量測")
        small = {r.page: r.queries for r in run.run(users, requests=2, log=lambda _: None)}
        seed.seed(users=users, cases=120, batch_size=50, rng_seed=7, log=lambda _: None)
        deadlines.seed_deadlines(log=lambda _: None)
        large = {r.page: r.queries for r in run.run(users, requests=2, log=lambda _: None)}
        assert Case.objects.count() == 180
        assert small.keys() == large.keys() == BENCH_PAGES.keys()
        wrong = {
            page: (small[page], large[page], pin)
            for page, pin in BENCH_PAGES.items()
            if not all(n in (pin if isinstance(pin, range) else [pin]) for n in small[page] + large[page])
        }
        assert not wrong, "\n".join(f"{page}: {counts}" for page, counts in sorted(wrong.items()))

    def test_refuses_a_database_not_named_for_benchmarks(self):
        with pytest.raises(CommandError, match="bench"):
            call_command("bench", cases=10, requests=1, stdout=io.StringIO(), stderr=io.StringIO())

    def test_refuses_a_database_that_already_holds_cases_unless_reusing(self, hotline):
        make_case(actor=hotline)
        with pytest.raises(CommandError, match="--reuse"):
            call_command(
                "bench", cases=10, requests=1, any_database=True, stdout=io.StringIO(), stderr=io.StringIO()
            )


class TestBenchReport:
    """What the benchmark reports beside its p95 ratios: the p50 ratio and the machine's stalls."""

    def test_a_slice_over_three_times_the_median_is_a_stall_counted_by_its_extra_time(self):
        from bench.run import stalls_in

        stalls = stalls_in([2.0] * 95 + [2.1, 1.9, 25.0, 8.0, 5.5], seconds=0.25)
        assert stalls.count == 2 and stalls.extra_ms == [23.0, 6.0]
        assert stalls.per_second == 8 and stalls.share == pytest.approx(29 / 250)
        assert stalls.as_dict()["median_stall_ms"] == 14.5
        assert "8.0 stalls a second" in stalls.summary()
        assert stalls_in([2.0] * 10, seconds=0.02).summary() == "no stalls over 0 s"

    def test_each_page_has_its_p50_ratio_too(self):
        from bench.run import PageResult

        page = PageResult(
            page="p", username="u", url="/", scope="", queries=[5] * 4, times_ms=[30.0, 20.0, 20.0, 80.0]
        )
        page.floor_p50, page.floor_p95 = 10.0, 40.0
        assert page.ratio_p50 == 2.5 and page.ratio == 2.0
        assert page.as_dict()["p50_over_floor"] == 2.5

    def test_bench_docs_writes_both_ratios_and_the_stalls(self, tmp_path, monkeypatch, settings):
        import json

        from bench import report

        doc = tmp_path / "benchmarks.md"
        doc.write_text("before\n<!-- bench:pages:start -->\nold\n<!-- bench:pages:end -->\nafter\n")
        monkeypatch.setattr(report, "benchmarks_doc", lambda: doc)
        page = {"page": "floor", "username": "w", "scope": "50 cases", "queries_per_request": "5"}
        result = tmp_path / "bench-1.json"
        result.write_text(
            json.dumps(
                {
                    "at": "2026-12-01T03:00:00+00:00",
                    "database": {"vendor": "postgresql", "name": "bench_x", "version": "15"},
                    "machine": {"cpus": 2, "python": "3.12", "django": "6.1"},
                    "debug": False,
                    "requests_per_page": 100,
                    "counts": {"cases": 1000},
                    "stalls": [
                        {"stalls": 6, "per_second": 2.0, "median_stall_ms": 19.6, "share": 0.04},
                        {"stalls": 0, "per_second": 0, "median_stall_ms": 0, "share": 0},
                    ],
                    "pages": [
                        {**page, "p50_ms": 20, "p95_ms": 30, "p95_over_floor": 1.2, "p50_over_floor": 1.1}
                    ],
                }
            )
        )
        settings.BASE_DIR = tmp_path  # the result file is named relative to it
        call_command("bench_docs", result=str(result), stdout=io.StringIO())
        text = doc.read_text()
        assert "| p95 / floor | p50 / floor |" in text and "| 1.20 | 1.10 |" in text
        assert (
            "Machine stalls, 3 s before and after timing: 2.0 a second of about 20 ms (4.0%); none." in text
        )
        assert text.startswith("before\n") and text.endswith("after\n") and "old" not in text


class TestBenchReminderScan:
    def test_three_deadlines_per_case_and_a_second_scan_sends_nothing(self):
        from bench import deadlines, seed
        from cases.models import Deadline

        users = seed.ensure_users(workers=3, police=2)
        seed.seed(users=users, cases=40, batch_size=20, log=lambda _: None)
        assert deadlines.seed_deadlines(batch_size=30, log=lambda _: None) == 120
        assert deadlines.seed_deadlines(batch_size=30, log=lambda _: None) == 0  # idempotent top-up
        assert Deadline.objects.count() == 120
        deadlines.measure_scan()  # creates the scan's lock row once
        result = deadlines.measure_scan()
        (first_sent, first_queries, _), (second_sent, second_queries, _) = result.runs
        assert first_sent > 0 and second_sent == 0
        # Nothing due: one index probe of the reminder schedule, no deadline row read. The run that
        # sends has its counts pinned at N and 3N due in tests/cases/test_tracker.py.
        assert second_queries == 1
        assert first_queries > second_queries
