"""Time the busiest pages: N requests each through django.test.Client, queries and wall time per request.

The time is what the view, middleware and template take in this process (no network, no web
server), read with time.perf_counter around Client.get; the queries are counted with
CaptureQueriesContext. Two warm-up requests per page are not counted (template loading).
"""

from __future__ import annotations

import math
import statistics
import time
from dataclasses import asdict, dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from bench.seed import BenchUsers
from cases.models import Case, Deadline, Intake
from referrals.models import Referral

WARMUP = 2


@dataclass(frozen=True)
class Page:
    name: str
    user: object
    urls: list[str]  # cycled through, one per request
    scope: str  # what the page has to choose its rows from


@dataclass
class PageResult:
    page: str
    username: str
    url: str
    scope: str
    queries: list[int] = field(default_factory=list)
    times_ms: list[float] = field(default_factory=list)
    slowest: list[tuple[float, str]] = field(default_factory=list)  # (ms, sql) of the last request

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

    def as_dict(self) -> dict:
        data = asdict(self)
        data["times_ms"] = [round(t, 2) for t in self.times_ms]
        data.update(
            queries_per_request=self.queries_label, p50_ms=round(self.p50, 2), p95_ms=round(self.p95, 2)
        )
        return data


def pages(users: BenchUsers, *, requests: int) -> list[Page]:
    """Each page as the role that uses it, picking the bench user with the most rows in scope."""
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
    total = Case.objects.count()
    open_deadlines = Deadline.objects.filter(state=Deadline.State.OPEN).count()
    worker_deadlines = Deadline.objects.filter(
        state=Deadline.State.OPEN, case__assigned_worker=worker
    ).count()
    pending = Intake.objects.filter(status=Intake.Status.PENDING).count()
    detail_scope = (
        f"1 case ({max(c.n_intakes for c in heavy)} intakes, {max(c.n_dispatches for c in heavy)} dispatches)"
        if heavy
        else "no case"
    )
    result = [
        Page("worker: my cases", worker, [reverse("cases:my_cases")], f"{worker.n:,} cases"),
        Page("hotline: intake queue", users.hotline, [reverse("cases:intake_queue")], f"{pending:,} pending"),
        Page("supervisor: overview", users.supervisor, [reverse("cases:overview")], f"{total:,} cases"),
        Page("supervisor: all cases", users.supervisor, [reverse("cases:my_cases")], f"{total:,} cases"),
        Page("worker: case detail", worker, [c.get_absolute_url() for c in heavy], detail_scope),
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
    ]
    return [p for p in result if p.urls]


def measure(page: Page, *, requests: int) -> PageResult:
    client = Client()
    client.force_login(page.user)
    result = PageResult(page=page.name, username=page.user.username, url=page.urls[0], scope=page.scope)
    try:
        for i in range(WARMUP + requests):
            url = page.urls[i % len(page.urls)]
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                # secure=True: with DEBUG off the settings redirect plain HTTP to HTTPS.
                response = client.get(url, secure=True)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{page.name}: GET {url} answered {response.status_code}")
            if i >= WARMUP:
                result.queries.append(len(ctx.captured_queries))
                result.times_ms.append(elapsed)
        result.slowest = sorted(
            ((float(q["time"]) * 1000, q["sql"]) for q in ctx.captured_queries), reverse=True
        )[:3]
    finally:
        client.logout()  # removes the bench session row
    return result


def run(users: BenchUsers, *, requests: int, log=print) -> list[PageResult]:
    # The test client calls itself "testserver"; allow it for this run only, whatever the settings say.
    from django.conf import settings

    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        results = []
        for page in pages(users, requests=requests):
            log(f"  {page.name} ...")
            results.append(measure(page, requests=requests))
    return results


def table(results: list[PageResult]) -> str:
    headers = ("page", "as", "rows in scope", "queries/request", "p50 ms", "p95 ms")
    rows = [(r.page, r.username, r.scope, r.queries_label, f"{r.p50:.1f}", f"{r.p95:.1f}") for r in results]
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
