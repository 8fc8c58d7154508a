"""Time the busiest pages against a floor: N requests each through django.test.Client, interleaved.

The time is what the view, middleware and template take in this process (no network, no web
server), read with time.perf_counter around the request; the queries are counted with
CaptureQueriesContext on a query log emptied before every request. Two warm-up rounds are not
counted (template loading).

The pages are requested round-robin (floor, page 1, page 2, ..., floor, page 1, ...), so a burst
of load from other jobs on this shared machine falls on every page alike; each page is reported as
its p95 over the floor's p95 (bench.views.floor: the same middleware, one query for 50 case rows).
Before timing, every table is ANALYZEd so the planner sees the volume just seeded.
"""

from __future__ import annotations

import math
import statistics
import time
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from bench.seed import BenchUsers
from cases.audit_triggers import HEAD_TABLE
from cases.models import Case, Deadline, Intake, Notification
from referrals.models import Referral

WARMUP = 2
FLOOR = "floor: 50 case rows, one query"


@dataclass(frozen=True)
class Page:
    name: str
    user: object
    urls: list[str]  # cycled through, one per request
    scope: str  # what the page has to choose its rows from
    posts: list[dict] | None = None  # POST bodies, cycled with the urls (the search box)


@dataclass
class PageResult:
    page: str
    username: str
    url: str
    scope: str
    queries: list[int] = field(default_factory=list)
    times_ms: list[float] = field(default_factory=list)
    slowest: list[tuple[float, str]] = field(default_factory=list)  # (ms, sql) of the last request
    floor_p95: float | None = None
    floor_p50: float | None = None

    @property
    def queries_label(self) -> str:
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}-{high}"

    @property
    def p50(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)  # nearest rank
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def ratio(self) -> float | None:
        return self.p95 / self.floor_p95 if self.floor_p95 else None

    @property
    def ratio_p50(self) -> float | None:
        """The typical request's ratio: unlike p95's, a few stalls of the machine (see stall_probe) do not
        move it."""
        return self.p50 / self.floor_p50 if self.floor_p50 else None

    def as_dict(self) -> dict:
        data = asdict(self)
        data["times_ms"] = [round(t, 2) for t in self.times_ms]
        data.update(
            queries_per_request=self.queries_label,
            p50_ms=round(self.p50, 2),
            p95_ms=round(self.p95, 2),
            p95_over_floor=round(self.ratio, 2) if self.ratio else None,
            p50_over_floor=round(self.ratio_p50, 2) if self.ratio_p50 else None,
        )
        return data


def _search_terms(cases: list[Case]) -> dict[str, list[dict]]:
    """Search box bodies: the victims' mobiles and full names and the case numbers of the given cases."""
    phones = [c.victim.phone for c in cases if c.victim.phone]
    names = [c.victim.name for c in cases if c.victim.name]
    # Any referral that led to a case (the hotline's search covers the unit): the sample of cases may hold
    # none from the police, and a number that finds nothing would time a different page.
    police = Referral.objects.filter(intake__case__isnull=False).exclude(police_case_number="")[
        : max(1, len(cases))
    ]
    return {
        "phone": [{"q": p} for p in phones] or [{"q": "0900000000"}],
        "name": [{"q": n} for n in names] or [{"q": "無此人"}],
        "number": [{"q": c.number} for c in cases] or [{"q": "100-000001"}],
        "police": [{"q": n} for n in police.values_list("police_case_number", flat=True)]
        or [{"q": "TP0000000000"}],
    }


def _list_pages(users: BenchUsers, worker, my_cases: str, total: int) -> list[Page]:
    """The case list with every sort and the filters (CASE_LIST_SORTS), for a worker and for the unit."""
    own, unit = f"{worker.n:,} cases", f"{total:,} cases"
    result = [
        Page(f"worker: my cases by {label}", worker, [f"{my_cases}?{query}"], own)
        for label, query in (
            ("dispatch date", "sort=dispatched"),
            ("opening date", "sort=opened"),
            ("worker", "sort=worker"),
            ("next deadline, in service", "status=assigned&sort=next_due"),
            ("danger, flagged", "flag=1"),
        )
    ]
    result += [
        Page(f"supervisor: all cases by {label}", users.supervisor, [f"{my_cases}?{query}"], unit)
        for label, query in (
            ("next deadline", "sort=next_due"),
            ("last contact", "sort=last_contact"),
            ("dispatch date", "sort=dispatched"),
            ("opening date", "sort=opened"),
            ("worker", "sort=worker"),
            ("next deadline, in service", "status=assigned&sort=next_due"),
            ("next deadline, one worker", f"worker={worker.pk}&sort=next_due"),
            ("last contact, closed", "status=closed&sort=last_contact"),
        )
    ]
    result.append(
        Page("hotline: all cases by next deadline", users.hotline, [f"{my_cases}?sort=next_due"], unit)
    )
    return result


def pages(users: BenchUsers, *, requests: int, only: list[str] | None = None) -> list[Page]:
    """Each page as the role that uses it, picking the bench user with the most rows in scope. With
    `only`, the pages whose names contain one of those words (and the floor)."""
    User = get_user_model()
    worker = (
        User.objects.filter(pk__in=[w.pk for w in users.workers])
        .annotate(n=Count("assigned_cases"))
        .order_by("-n", "username")
        .first()
    )
    officer = (
        User.objects.filter(pk__in=[p.pk for p in users.police])
        .annotate(n=Count("referrals_made"))
        .order_by("-n", "username")
        .first()
    )
    # Case pages: the worker's fullest cases (most contacts and dispatches), a different one per request.
    heavy = list(
        Case.objects.filter(assigned_worker=worker)
        .annotate(n_intakes=Count("intakes", distinct=True), n_dispatches=Count("dispatches", distinct=True))
        .order_by("-n_intakes", "-n_dispatches", "-opened_at")[: max(1, min(requests, 20))]
    )
    # Search terms: victims of the worker's cases spread over the years (the hotline may find any case).
    searched = list(Case.objects.filter(assigned_worker=worker).select_related("victim").order_by("?")[:20])
    terms = _search_terms(searched)
    total = Case.objects.count()
    open_deadlines = Deadline.objects.filter(state=Deadline.State.OPEN).count()
    worker_deadlines = Deadline.objects.filter(
        state=Deadline.State.OPEN, case__assigned_worker=worker
    ).count()
    pending = Intake.objects.filter(status=Intake.Status.PENDING).count()
    worker_inbox = Notification.objects.filter(recipient=worker).count()
    supervisor_inbox = Notification.objects.filter(recipient=users.supervisor).count()
    notifications = reverse("cases:notifications")
    detail_scope = (
        f"1 case ({max(c.n_intakes for c in heavy)} intakes, {max(c.n_dispatches for c in heavy)} dispatches)"
        if heavy
        else "no case"
    )
    my_cases = reverse("cases:my_cases")
    search = reverse("cases:search")
    result = [
        Page(FLOOR, worker, [reverse("bench_floor")], "50 cases"),
        Page("worker: my cases", worker, [my_cases], f"{worker.n:,} cases"),
        Page(
            "worker: my cases by next deadline", worker, [f"{my_cases}?sort=next_due"], f"{worker.n:,} cases"
        ),
        Page(
            "worker: my cases by last contact",
            worker,
            [f"{my_cases}?sort=last_contact"],
            f"{worker.n:,} cases",
        ),
        Page("hotline: intake queue", users.hotline, [reverse("cases:intake_queue")], f"{pending:,} pending"),
        Page("supervisor: overview", users.supervisor, [reverse("cases:overview")], f"{total:,} cases"),
        Page("supervisor: all cases", users.supervisor, [my_cases], f"{total:,} cases"),
        Page(
            "supervisor: all cases, flagged, by worker",
            users.supervisor,
            [f"{my_cases}?flag=1&sort=worker"],
            f"{total:,} cases",
        ),
        *_list_pages(users, worker, my_cases, total),
        Page("worker: case detail", worker, [c.get_absolute_url() for c in heavy], detail_scope),
        Page(
            "supervisor: case detail", users.supervisor, [c.get_absolute_url() for c in heavy], detail_scope
        ),
        Page("police: my referrals", officer, [reverse("referrals:list")], f"{officer.n:,} referrals"),
        Page(
            "worker: deadlines", worker, [reverse("cases:deadlines")], f"{worker_deadlines:,} open deadlines"
        ),
        Page(
            "supervisor: deadlines",
            users.supervisor,
            [reverse("cases:deadlines")],
            f"{open_deadlines:,} open deadlines",
        ),
        Page(
            "worker: deadlines, week",
            worker,
            [f"{reverse('cases:deadlines')}?view=week"],
            f"{worker_deadlines:,} open deadlines",
        ),
        Page(
            "supervisor: deadlines, week",
            users.supervisor,
            [f"{reverse('cases:deadlines')}?view=week"],
            f"{open_deadlines:,} open deadlines",
        ),
        Page("worker: notifications", worker, [notifications], f"{worker_inbox:,} notifications"),
        Page(
            "supervisor: notifications",
            users.supervisor,
            [notifications],
            f"{supervisor_inbox:,} notifications",
        ),
        Page("hotline: search by mobile", users.hotline, [search], f"{total:,} cases", terms["phone"]),
        Page("hotline: search by full name", users.hotline, [search], f"{total:,} cases", terms["name"]),
        Page("hotline: search by case number", users.hotline, [search], f"{total:,} cases", terms["number"]),
        Page("worker: search by full name", worker, [search], f"{worker.n:,} cases", terms["name"]),
        Page("worker: search by mobile", worker, [search], f"{worker.n:,} cases", terms["phone"]),
        Page(
            "hotline: search by police case number",
            users.hotline,
            [search],
            f"{total:,} cases",
            terms["police"],
        ),
    ]
    return [p for p in result if p.urls and (not only or p.name == FLOOR or any(o in p.name for o in only))]


def _request(client: Client, page: Page, i: int):
    url = page.urls[i % len(page.urls)]
    # secure=True: with DEBUG off the settings redirect plain HTTP to HTTPS.
    if page.posts:
        return url, client.post(url, page.posts[i % len(page.posts)], secure=True)
    return url, client.get(url, secure=True)


def _sign_in(client: Client, user) -> None:
    """force_login plus, when TWO_FACTOR_REQUIRED (on with DEBUG off), a verified second factor: a
    session without it is signed out (accounts.middleware). The device has no tokens, so nobody can
    use it to sign in; the bench users have unusable passwords anyway."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    client.force_login(user)
    if not settings.TWO_FACTOR_REQUIRED:
        return  # the test settings: no device to load, so the pinned query counts stay those of the pages
    device, _ = StaticDevice.objects.get_or_create(user=user, name="bench")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _vacuum_chain_heads() -> None:
    """What autovacuum does in production, between rounds, when it is off on the benchmark's server.

    Every list page's read log moves its audit chain head (a one-row-per-table table) once per row
    shown: a round leaves about 1,400 dead versions of that row, and without a vacuum each insert walks
    all of them (the read-log insert went from 10 to 700 ms over a run), so the pages that log reads
    were timed against an ever slower table that production does not have.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        if cursor.fetchone()[0] == "off":
            cursor.execute(f"VACUUM {HEAD_TABLE}")


def measure(targets: list[Page], *, requests: int) -> list[PageResult]:
    """Every page once per round, round after round, so all of them share the machine's ups and downs."""
    clients, results = [], []
    for page in targets:
        client = Client()
        _sign_in(client, page.user)
        clients.append(client)
        results.append(
            PageResult(page=page.name, username=page.user.username, url=page.urls[0], scope=page.scope)
        )
    try:
        for i in range(WARMUP + requests):
            for page, client, result in zip(targets, clients, results, strict=True):
                connection.queries_log.clear()  # a full log (9,000 entries) would hide every later query
                with CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    url, response = _request(client, page, i)
                    elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    raise RuntimeError(f"{page.name}: {url} answered {response.status_code}")
                if i >= WARMUP:
                    result.queries.append(len(ctx.captured_queries))
                    result.times_ms.append(elapsed)
                    result.slowest = sorted(
                        ((float(q["time"]) * 1000, q["sql"]) for q in ctx.captured_queries), reverse=True
                    )[:3]
            _vacuum_chain_heads()
    finally:
        for client in clients:
            client.logout()  # removes the bench session row
    floor = next((r for r in results if r.page == FLOOR), None)
    for result in results:
        result.floor_p95 = floor.p95 if floor and floor.times_ms else None
        result.floor_p50 = floor.p50 if floor and floor.times_ms else None
    return results


@dataclass(frozen=True)
class Stalls:
    """How often the machine stopped this process: a spin of equal slices of pure Python, each slice
    that took over three times the median counted as a stall (the time beyond the median)."""

    seconds: float
    slice_ms: float  # the median slice
    count: int
    extra_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.count / self.seconds

    @property
    def share(self) -> float:
        """The part of wall time lost to stalls."""
        return sum(self.extra_ms) / (self.seconds * 1000)

    def as_dict(self) -> dict:
        return {
            "seconds": round(self.seconds, 2),
            "slice_ms": round(self.slice_ms, 3),
            "stalls": self.count,
            "per_second": round(self.per_second, 2),
            "median_stall_ms": round(statistics.median(self.extra_ms), 1) if self.extra_ms else 0,
            "share": round(self.share, 4),
        }

    def summary(self) -> str:
        if not self.count:
            return f"no stalls over {self.seconds:.0f} s"
        return (
            f"{self.per_second:.1f} stalls a second of about {statistics.median(self.extra_ms):.0f} ms "
            f"({self.share:.1%} of wall time)"
        )


def stall_probe(seconds: float = 3.0, *, slice_iterations: int = 20_000) -> Stalls:
    """Spin for `seconds` and count the slices the machine stalled (another job, the hypervisor). A stall
    of 20 ms on a 20 ms page doubles that request: when stalls hit about one request in twenty, they
    decide every p95, the floor's included, and p95 ratios move from run to run while p50 ratios do not."""
    times: list[float] = []
    end = time.perf_counter() + seconds
    while (started := time.perf_counter()) < end:
        total = 0
        for i in range(slice_iterations):
            total += i
        times.append((time.perf_counter() - started) * 1000)
    return stalls_in(times, seconds=seconds)


def stalls_in(slice_ms: list[float], *, seconds: float) -> Stalls:
    """The stalls among equal slices of work: those over three times the median, by their time beyond it."""
    median = statistics.median(slice_ms)
    extra = [t - median for t in slice_ms if t > 3 * median]
    return Stalls(seconds=seconds, slice_ms=median, count=len(extra), extra_ms=extra)


def analyze() -> None:
    """Fresh planner statistics for every table, so no page is timed against a stale plan. Where
    autovacuum is off (this machine's PostgreSQL), a VACUUM as well: a migration that rewrote every case
    (0029 copies the victim's name index) leaves the visibility map empty, and every capped count then
    reads the heap behind its index-only scan (0.3 ms became 2.1 ms on the worker's list at 100k)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("SHOW autovacuum")
            if cursor.fetchone()[0] == "off":
                cursor.execute("VACUUM (ANALYZE)")
                return
        cursor.execute("ANALYZE")


def run(users: BenchUsers, *, requests: int, only: list[str] | None = None, log=print) -> list[PageResult]:
    # The test client calls itself "testserver"; allow it for this run only, whatever the settings say.
    # bench.urls adds the floor to the project's URLs, for this run only.
    from django.conf import settings

    analyze()
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], ROOT_URLCONF="bench.urls"):
        targets = pages(users, requests=requests, only=only)
        log(f"  {len(targets)} pages, {requests} rounds, interleaved ...")
        return measure(targets, requests=requests)


def table(results: list[PageResult]) -> str:
    headers = (
        "page",
        "as",
        "rows in scope",
        "queries/request",
        "p50 ms",
        "p95 ms",
        "p95 / floor p95",
        "p50 / floor p50",
    )
    rows = [
        (
            r.page,
            r.username,
            r.scope,
            r.queries_label,
            f"{r.p50:.1f}",
            f"{r.p95:.1f}",
            f"{r.ratio:.2f}x" if r.ratio else "",
            f"{r.ratio_p50:.2f}x" if r.ratio_p50 else "",
        )
        for r in results
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]
    lines = [
        "  ".join(str(x).ljust(w) for x, w in zip(line, widths, strict=True)).rstrip()
        for line in [headers, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def explain(result: PageResult) -> str:
    """EXPLAIN ANALYZE of the page's slowest SELECTs (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return f"(EXPLAIN is only run on PostgreSQL, not {connection.vendor})"
    out = []
    with connection.cursor() as cursor:
        for ms, sql in result.slowest:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join("    " + row[0] for row in cursor.fetchall())
            out.append(f"  {ms:.1f} ms  {sql[:160]}{'...' if len(sql) > 160 else ''}\n{plan}")
    return "\n".join(out)


def scope_counts() -> dict:
    return {
        "cases": Case.objects.count(),
        "cases_by_status": dict(Case.objects.values_list("status").annotate(n=Count("pk"))),
        "intakes_by_status": dict(Intake.objects.values_list("status").annotate(n=Count("pk"))),
        "referrals": Referral.objects.count(),
    }
