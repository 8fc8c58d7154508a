"""The supervisor overview's charts (issue 21.5; docs/oversight.md 「單位總覽的統計圖」).

Each chart is computed over the whole unit by a Celery beat job (`cases.tasks.refresh_unit_statistics`,
every STATISTICS_MINUTES) and stored as one `UnitStatistic` row; the page reads those rows in one query
and shows when they were computed. Why not counters kept in each write's transaction: half of what is
shown moves with the clock, not with a write (a deadline becomes "at risk" or overdue, a takedown SLA
lapses, a week ends), and medians of response times are not counters; a summary a few minutes old is
what a supervisor planning the week needs, and the hot write paths stay as they are.

A chart is plain data (`chart()`), drawn twice from the same numbers: a `<table>` with a caption and
headers (templates/cases/_chart.html) and a canvas that static/js/charts.js draws from that table.
The hub registers its own charts below; the apps register theirs with
`cases.registry.register_overview_statistic` (the takedown SLA: takedown/panels.py).
"""

from __future__ import annotations

import datetime as dt
from statistics import median

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import Case, Contact, Deadline, Dispatch, Intake, UnitStatistic
from cases.people import staff_name
from cases.registry import OverviewStatistic, overview_statistics, register_overview_statistic
from cases.rocdate import format_roc
from cases.roles import Role

WEEKS = 12  # the weekly charts cover this many weeks, the current one included
AT_RISK_DAYS = 7  # an open deadline due within this many days is "at risk"
STATISTICS_MINUTES = 15  # how often the beat job recomputes them (config/settings.py)


def chart(
    *,
    title: str,
    row_header: str,
    columns: list[str],
    rows: list[tuple[str, list]],
    kind: str = "bar",
    stacked: bool = False,
    horizontal: bool = False,
    unit: str = "件",
    table_only: tuple[str, ...] = (),
    note: str = "",
) -> dict:
    """One chart: a row per label (a week, a worker, a kind of deadline), a column per series.

    `table_only` columns are in the table but not drawn (a total, a rate in another unit). Values are
    numbers or None (shown as 「—」, not drawn).
    """
    return {
        "title": title,
        "row_header": row_header,
        "columns": [{"label": c, "drawn": c not in table_only} for c in columns],
        "rows": [{"label": label, "values": list(values)} for label, values in rows],
        "kind": kind,
        "stacked": stacked,
        "horizontal": horizontal,
        "unit": unit,
        "note": note,
    }


def week_starts(now: dt.datetime) -> list[dt.date]:
    """The Mondays (Asia/Taipei) of the last WEEKS weeks, oldest first."""
    monday = timezone.localtime(now).date()
    monday -= dt.timedelta(days=monday.weekday())
    return [monday - dt.timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]


def window_start(now: dt.datetime) -> dt.datetime:
    first = week_starts(now)[0]
    return timezone.make_aware(dt.datetime.combine(first, dt.time.min))


def week_label(monday: dt.date) -> str:
    return f"{format_roc(monday)} 起"


def _week_of(value: dt.datetime) -> dt.date:
    day = timezone.localtime(value).date()
    return day - dt.timedelta(days=day.weekday())


def _hours(delta: dt.timedelta) -> float:
    return max(delta.total_seconds(), 0) / 3600


# --- the hub's charts ------------------------------------------------------------------------------


def caseload(now: dt.datetime) -> dict:
    """Each active social worker's open cases: 服務中 and 結案審核中 (one GROUP BY on the worker index)."""
    from django.contrib.auth import get_user_model

    workers = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.SOCIAL_WORKER)
        .order_by("last_name", "first_name", "username")
    )
    states = [Case.Status.ASSIGNED, Case.Status.CLOSE_REQUESTED]
    counts = {
        (row["assigned_worker"], row["status"]): row["n"]
        for row in Case.objects.filter(status__in=states, assigned_worker__isnull=False)
        .values("assigned_worker", "status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    rows = [(staff_name(w), [counts.get((w.pk, s), 0) for s in states]) for w in workers]
    return chart(
        title="社工案量（服務中的案件）",
        row_header="社工",
        columns=[Case.Status.ASSIGNED.label, Case.Status.CLOSE_REQUESTED.label],
        rows=rows,
        stacked=True,
        horizontal=True,
    )


def intakes_by_channel(now: dt.datetime) -> dict:
    """Intakes received per week (Monday to Sunday, Asia/Taipei), by channel."""
    weeks = week_starts(now)
    counts = {
        (_week_of(row["week"]), row["channel"]): row["n"]
        for row in Intake.objects.filter(received_at__gte=window_start(now))
        .annotate(week=TruncWeek("received_at"))
        .values("week", "channel")
        .annotate(n=Count("pk"))
        .order_by()
    }
    channels = Intake.Channel.choices
    rows = []
    for monday in weeks:
        values = [counts.get((monday, value), 0) for value, _ in channels]
        rows.append((week_label(monday), [*values, sum(values)]))
    return chart(
        title=f"每週受理件數（依管道，近 {WEEKS} 週）",
        row_header="週次",
        columns=[label for _, label in channels] + ["合計"],
        rows=rows,
        stacked=True,
        table_only=("合計",),
    )


def response_times(now: dt.datetime) -> dict:
    """For the intakes that opened a case, by the week they came in: median hours to the first dispatch
    and to the first contact that reached the victim (an attempt that did not reach them is not one)."""
    first_dispatch = (
        Dispatch.objects.filter(case=OuterRef("case")).order_by("dispatched_at").values("dispatched_at")[:1]
    )
    first_contact = (
        Contact.objects.filter(
            Q(case=OuterRef("case")) | Q(intake=OuterRef("pk")),
            result__in=[Contact.Result.REACHED, Contact.Result.NO_WISH],
            contacted_at__gte=OuterRef("received_at"),
        )
        .order_by("contacted_at")
        .values("contacted_at")[:1]
    )
    rows_in = (
        Intake.objects.filter(received_at__gte=window_start(now), status=Intake.Status.ACCEPTED)
        .annotate(dispatched=Subquery(first_dispatch), contacted=Subquery(first_contact))
        .values_list("received_at", "dispatched", "contacted")
        .order_by()
    )
    by_week: dict[dt.date, tuple[list, list, list]] = {}
    for received, dispatched, contacted in rows_in.iterator(chunk_size=5000):
        opened, to_dispatch, to_contact = by_week.setdefault(_week_of(received), ([], [], []))
        opened.append(1)
        if dispatched:
            to_dispatch.append(_hours(dispatched - received))
        if contacted:
            to_contact.append(_hours(contacted - received))

    def med(values: list) -> float | None:
        return round(median(values), 1) if values else None

    rows = []
    for monday in week_starts(now):
        opened, to_dispatch, to_contact = by_week.get(monday, ([], [], []))
        rows.append((week_label(monday), [med(to_dispatch), med(to_contact), len(opened)]))
    return chart(
        title=f"受理到派案、到首次聯繫的時間（中位數，近 {WEEKS} 週）",
        row_header="受理週次",
        columns=["到派案（小時）", "到首次聯繫（小時）", "開案件數"],
        rows=rows,
        kind="line",
        unit="小時",
        table_only=("開案件數",),
        note="依受理的週次，計算該週開案的受理紀錄；首次聯繫指已聯繫上被害人（含表示暫無意願）的聯繫紀錄。",
    )


def deadlines_by_kind(now: dt.datetime) -> dict:
    """Per kind of deadline: open and due within AT_RISK_DAYS, open past due, and closed as missed in the
    weekly charts' window."""
    soon = now + dt.timedelta(days=AT_RISK_DAYS)
    start = window_start(now)
    open_ = Q(state=Deadline.State.OPEN)
    missed = Q(state=Deadline.State.MISSED, closed_at__gte=start)
    counts = {
        row["kind"]: row
        for row in Deadline.objects.filter((open_ & Q(due_at__lt=soon)) | missed)
        .values("kind")
        .annotate(
            at_risk=Count("pk", filter=open_ & Q(due_at__gte=now)),
            overdue=Count("pk", filter=open_ & Q(due_at__lt=now)),
            missed=Count("pk", filter=missed),
        )
        .order_by()
    }
    rows = []
    for value, label in Deadline.Kind.choices:
        row = counts.get(value, {})
        rows.append((label, [row.get("at_risk", 0), row.get("overdue", 0), row.get("missed", 0)]))
    return chart(
        title="期限：將到期、已過期與逾期未完成（依類別）",
        row_header="期限類別",
        columns=[f"{AT_RISK_DAYS} 日內到期", "已過期尚未處理", f"近 {WEEKS} 週逾期未完成"],
        rows=rows,
        stacked=True,
        horizontal=True,
    )


def danger_reports(now: dt.datetime) -> dict:
    """Answers 有立即危險 per week, at intake and at later contacts (each one flags the case, 指引 7-1a)."""
    start = window_start(now)
    at_intake = {
        _week_of(row["week"]): row["n"]
        for row in Intake.objects.filter(received_at__gte=start, immediate_danger=Intake.Danger.YES)
        .annotate(week=TruncWeek("received_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    }
    at_contact = {
        _week_of(row["week"]): row["n"]
        for row in Contact.objects.filter(contacted_at__gte=start, immediate_danger=Contact.Danger.YES)
        .annotate(week=TruncWeek("contacted_at"))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    }
    flagged = Case.objects.filter(danger_since__isnull=False).count()
    rows = [
        (week_label(monday), [at_intake.get(monday, 0), at_contact.get(monday, 0)])
        for monday in week_starts(now)
    ]
    return chart(
        title=f"有立即危險的回報（每週，近 {WEEKS} 週）",
        row_header="週次",
        columns=["受理時回報", "聯繫時回報"],
        rows=rows,
        note=f"統計時有 {flagged} 件案件標記有立即危險（名單見上方）。",
    )


for _order, _key, _compute in (
    (10, "cases.caseload", caseload),
    (20, "cases.intakes_by_channel", intakes_by_channel),
    (30, "cases.response_times", response_times),
    (40, "cases.deadlines_by_kind", deadlines_by_kind),
    (60, "cases.danger_reports", danger_reports),
):
    register_overview_statistic(OverviewStatistic(key=_key, compute=_compute, order=_order))


# --- the job and the page's read -------------------------------------------------------------------


@transaction.atomic
def refresh_unit_statistics(*, now: dt.datetime | None = None) -> int:
    """Recompute every registered chart and store it; drop rows of charts no longer registered.

    Idempotent (a doubled beat rewrites the same rows). Holds no lock on cases: the aggregates read a
    snapshot, and the page keeps showing the previous rows until this commits.
    """
    now = now or timezone.now()
    statistics = overview_statistics()
    for statistic in statistics:
        UnitStatistic.objects.update_or_create(
            key=statistic.key, defaults={"data": statistic.compute(now), "computed_at": now}
        )
    UnitStatistic.objects.exclude(key__in=[s.key for s in statistics]).delete()
    return len(statistics)


# Each process renders a stored chart (templates/cases/_chart.html) once per refresh: a row changes only
# when the beat job rewrites it with a new time, and the tables were a fifth of the page's CPU.
_rendered: dict[tuple[str, dt.datetime], str] = {}


def _chart_html(chart: dict, computed_at: dt.datetime) -> str:
    cache_key = (chart["key"], computed_at)
    html = _rendered.get(cache_key)
    if html is None:
        if len(_rendered) > 100:  # rows of earlier refreshes
            _rendered.clear()
        html = _rendered[cache_key] = render_to_string("cases/_chart.html", {"chart": chart})
    return html


def overview_charts(user) -> dict:
    """The stored charts the user may see, in their order, and the oldest "as of" time. One query."""
    shown = [s for s in overview_statistics() if user.has_perm(s.permission)]
    stored = {row.key: row for row in UnitStatistic.objects.filter(key__in=[s.key for s in shown])}
    charts = []
    for statistic in shown:
        row = stored.get(statistic.key)
        if row is not None:
            chart = {**row.data, "key": statistic.key.replace(".", "-")}
            charts.append({**chart, "html": _chart_html(chart, row.computed_at)})
    return {
        "charts": charts,
        "computed_at": min((row.computed_at for row in stored.values()), default=None),
        "every_minutes": STATISTICS_MINUTES,
    }
