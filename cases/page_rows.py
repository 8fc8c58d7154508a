"""Page rows computed in Python: what a row of the deadline dashboards, the case page's deadlines and the
notification list prints, with its ROC dates, labels and badge already worked out.

A template that resolved `d.case.get_absolute_url`, `d.get_kind_display`, `d.days_left` (twice, through
`urgency`), `|roc_date` and `|person` for every row spent most of the dashboard's time on them at a
million cases (docs/benchmarks.md); these rows are built from `values()` tuples where a page shows no
model method, so no row loads (or decrypts) a column the page does not print.
"""

from __future__ import annotations

import datetime as dt
import html
import uuid
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urlencode

from django.db import connections
from django.db.models import DateTimeField
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from cases.models import Deadline, Notification
from cases.rocdate import format_roc

_KIND_LABELS = dict(Deadline.Kind.choices)
_STATE_LABELS = dict(Deadline.State.choices)
_NOTIFICATION_LABELS = dict(Notification.Kind.choices)
_PLACEHOLDER = uuid.UUID(int=0)


def esc(value) -> str:
    """conditional_escape without its lazy-string wrappers (the same output: html.escape of str(value),
    safe strings as they are), for the rows this module's pages join in Python by the hundred."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def url_maker(name: str = "cases:detail"):
    """A function pk -> the URL of `name` (a route taking one UUID), from one reverse() per page instead
    of one per row."""
    pattern = reverse(name, args=[_PLACEHOLDER])
    head, _, tail = pattern.partition(str(_PLACEHOLDER))
    return lambda pk: f"{head}{pk}{tail}"


def person_name(last_name: str, first_name: str, username: str, empty: str = "—") -> str:
    """cases.people.staff_name from the three columns (a row without its user: `empty`)."""
    if username is None:
        return empty
    return f"{last_name}{first_name}".strip() or username


def roc_datetime(value: dt.datetime | None) -> str:
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{format_roc(local.date())} {local:%H:%M}"


def roc_date(value: dt.datetime | None) -> str:
    return format_roc(timezone.localtime(value).date()) if value else ""


@dataclass(frozen=True, slots=True)
class DeadlineRow:
    pk: uuid.UUID
    urgency: str  # closed, overdue, week, month or later (the row's colour)
    case_url: str
    case_number: str
    title: str
    is_warning: bool
    kind_label: str
    note: str
    due_label: str  # a date, or a date and time
    due_day: dt.date
    due_sort: dt.datetime
    time_label: str  # "14:00" for a deadline with a time, "" for a whole day
    days_left: int
    badge_class: str  # "" for a closed deadline (the page prints 「—」)
    badge_text: str
    chip_text: str  # the case header's form: 「逾期 3 天」「今天」「剩 5 天」
    owner_name: str
    is_open: bool
    state_label: str
    closed_by_name: str = ""
    closed_on: str = ""
    close_reason: str = ""
    close_url: str = ""


def _badge(days: int) -> tuple[str, str, str]:
    if days < 0:
        return "text-bg-danger", f"逾期 {-days} 天", f"逾期 {-days} 天"
    if days == 0:
        return "text-bg-danger", "今天", "今天"
    if days <= 7:
        return "text-bg-warning", f"剩 {days} 天", f"剩 {days} 天"
    if days <= 30:
        return "text-bg-info", f"剩 {days} 天", f"剩 {days} 天"
    return "text-bg-light", f"剩 {days} 天", f"剩 {days} 天"


def _urgency(is_open: bool, days: int) -> str:
    if not is_open:
        return "closed"
    if days < 0:
        return "overdue"
    if days <= 7:
        return "week"
    if days <= 30:
        return "month"
    return "later"


def deadline_row(
    *,
    today: dt.date,
    case_url: str,
    pk,
    case_number: str,
    kind: str,
    title: str,
    due_at: dt.datetime,
    all_day: bool,
    is_warning: bool,
    note: str,
    state: str,
    owner_name: str,
    closed_by_name: str = "",
    closed_at: dt.datetime | None = None,
    close_reason: str = "",
    close_url: str = "",
) -> DeadlineRow:
    local = timezone.localtime(due_at)
    day = local.date()
    days = (day - today).days
    is_open = state == Deadline.State.OPEN
    badge_class, badge_text, chip = _badge(days) if is_open else ("", "", "")
    time_label = "" if all_day else f"{local:%H:%M}"
    return DeadlineRow(
        pk=pk,
        urgency=_urgency(is_open, days),
        case_url=case_url,
        case_number=case_number,
        title=title,
        is_warning=is_warning,
        kind_label=_KIND_LABELS.get(kind, kind),
        note=note,
        due_label=format_roc(day) if all_day else f"{format_roc(day)} {time_label}",
        due_day=day,
        due_sort=due_at,
        time_label=time_label,
        days_left=days,
        badge_class=badge_class,
        badge_text=badge_text,
        chip_text=chip,
        owner_name=owner_name,
        is_open=is_open,
        state_label=_STATE_LABELS.get(state, state),
        closed_by_name=closed_by_name,
        closed_on=roc_date(closed_at) if closed_by_name else "",
        close_reason=close_reason if closed_by_name else "",
        close_url=close_url if is_open else "",
    )


# The columns a dashboard row prints: no encrypted column (close_reason, the case's danger note) is read.
DASHBOARD_COLUMNS = (
    "pk",
    "case_id",
    "case__number",
    "kind",
    "title",
    "due_at",
    "all_day",
    "is_warning",
    "note",
    "state",
    "owner__last_name",
    "owner__first_name",
    "owner__username",
)


def dashboard_rows(deadlines, *, today: dt.date | None = None) -> list[DeadlineRow]:
    """Rows of a deadline queryset (the dashboards' list), one query, values only."""
    return _rows(deadlines.values_list(*DASHBOARD_COLUMNS), today=today or timezone.localdate())


def _rows(tuples, *, today: dt.date) -> list[DeadlineRow]:
    url = url_maker()
    rows = []
    for (
        pk,
        case_id,
        number,
        kind,
        title,
        due_at,
        all_day,
        is_warning,
        note,
        state,
        last,
        first,
        username,
    ) in tuples:
        rows.append(
            deadline_row(
                today=today,
                case_url=url(case_id),
                pk=pk,
                case_number=number,
                kind=kind,
                title=title,
                due_at=due_at,
                all_day=all_day,
                is_warning=is_warning,
                note=note,
                state=state,
                owner_name=person_name(last, first, username),
            )
        )
    return rows


# A day of the week agenda lists its earliest deadlines and says how many there are in all, with a link
# to that day in the list: the unit's week is about 9,000 open deadlines at a million cases, and seven
# stacked columns of 20 were a long scroll on a phone and half the page's time.
WEEK_DAY_ROWS = 10
# A day's count beside its first rows says how many more there are, up to 「99+」: the list (linked) has
# them all with its own count. Counting up to 999 read 1,000 index entries per day of a unit's agenda.
WEEK_DAY_COUNT_CAP = 100
_STAND_IN_LOW = dt.datetime(1901, 1, 1, tzinfo=dt.UTC)
_STAND_IN_HIGH = dt.datetime(1901, 1, 2, tzinfo=dt.UTC)


_NO_ITEMS = '<li class="list-group-item text-muted">—</li>'


# What an agenda item prints: the case's link and number, the title, a time, the owner. The dashboard list's
# other columns (kind, note, warning, state) and its badges are neither read nor worked out here.
AGENDA_COLUMNS = (
    "case_id",
    "case__number",
    "title",
    "due_at",
    "all_day",
    "owner__last_name",
    "owner__first_name",
    "owner__username",
)


class AgendaItem(NamedTuple):
    case_url: str
    case_number: str
    title: str
    time_label: str  # "14:00" for a deadline with a time, "" for a whole day
    owner_name: str
    due_sort: dt.datetime


@dataclass(frozen=True, slots=True)
class AgendaDay:
    day: dt.date
    rows: list[AgendaItem]
    total: int  # every deadline of the day (capped, 「99+」), when more than the rows shown; else 0
    is_today: bool
    more_url: str = ""  # the day in the list view, with the agenda's other filters

    @property
    def card_html(self) -> str:
        """The day's card, joined in Python: the unit's week is 70 rows and seven cards through template
        loops, lookups and filters."""
        items = "".join(
            f'<li class="list-group-item"><a href="{r.case_url}">{esc(r.case_number)}</a> '
            f"{esc(r.title)}{f'（{r.time_label}）' if r.time_label else ''}"
            f'<div class="text-muted">{esc(r.owner_name)}</div></li>'
            for r in self.rows
        )
        more = (
            f'<li class="list-group-item"><a href="{esc(self.more_url)}">本日共 {self.total} 筆，'
            f"以上為最早到期的 {len(self.rows)} 筆；看本日全部</a></li>"
            if self.total
            else ""
        )
        today = " border-primary" if self.is_today else ""
        return mark_safe(
            f'<div class="col-12 col-md"><section class="card h-100{today}"><div class="card-header py-1">'
            f"{format_roc(self.day)}{'（今天）' if self.is_today else ''}</div>"
            f'<ul class="list-group list-group-flush small">'
            f"{items or _NO_ITEMS}{more}</ul></section></div>"
        )


def week_agenda(
    deadlines, *, monday: dt.date, today: dt.date, filters: dict | None = None, per_day: int | None = None
) -> list[AgendaDay]:
    """The seven days from `monday` of an already scoped deadline queryset, in ONE query: for each day one
    index range, its first `per_day` rows with the day's capped count beside them."""
    from cases.paging import capped
    from cases.tracker import end_of_day

    per_day = per_day or WEEK_DAY_ROWS
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    bounds = [(end_of_day(day - dt.timedelta(days=1)), end_of_day(day)) for day in days]
    agenda = _agenda_lateral if connections[deadlines.db].vendor == "postgresql" else _agenda_union
    url = url_maker()
    tz = timezone.get_current_timezone()
    by_day: dict[dt.date, list[AgendaItem]] = {day: [] for day in days}
    totals: dict[dt.date, int] = {}
    for case_id, number, title, due_at, all_day, last, first, username, total in agenda(
        deadlines, bounds, per_day=per_day, cap=WEEK_DAY_COUNT_CAP
    ):
        local = due_at.astimezone(tz)
        by_day[local.date()].append(
            AgendaItem(
                case_url=url(case_id),
                case_number=number,
                title=title,
                time_label="" if all_day else f"{local:%H:%M}",
                owner_name=person_name(last, first, username),
                due_sort=due_at,
            )
        )
        totals[local.date()] = total
    full = {day for day, n in totals.items() if n > per_day}
    return [
        AgendaDay(
            day=day,
            rows=sorted(by_day[day], key=lambda r: r.due_sort),
            total=capped(totals[day], WEEK_DAY_COUNT_CAP) if day in full else 0,
            is_today=day == today,
            more_url="?"
            + urlencode({**(filters or {}), "due_from": format_roc(day), "due_to": format_roc(day)})
            if day in full
            else "",
        )
        for day in days
    ]


def _agenda_lateral(deadlines, bounds, *, per_day: int, cap: int) -> list[tuple]:
    """PostgreSQL: the days as a VALUES list, each day's capped count and first rows as two LATERAL
    subqueries of it. The query is planned once, not once per day: planning the seven parts of a UNION
    ALL took 2.2 ms, as long as running them (0.5 ms this way, docs/benchmarks.md)."""
    low = RawSQL("agenda_day.low", (), output_field=DateTimeField())
    high = RawSQL("agenda_day.high", (), output_field=DateTimeField())
    qs = deadlines.filter(due_at__gt=low, due_at__lte=high)
    rows = qs.order_by("due_at").values_list(*AGENDA_COLUMNS)[:per_day]
    rows_sql, rows_params = rows.query.sql_with_params()
    count_sql, count_params = qs.order_by().values("pk")[:cap].query.sql_with_params()
    days_sql = ", ".join(["(%s::timestamptz, %s::timestamptz)"] * len(bounds))
    sql = (
        f"SELECT day_rows.*, day_total.n FROM (VALUES {days_sql}) agenda_day(low, high)"
        f" CROSS JOIN LATERAL (SELECT COUNT(*) AS n FROM ({count_sql}) capped_rows) day_total"
        f" CROSS JOIN LATERAL ({rows_sql}) day_rows"
    )
    params = [b for pair in bounds for b in pair] + list(count_params) + list(rows_params)
    return _fetch(rows, sql, params)


def _agenda_union(deadlines, bounds, *, per_day: int, cap: int) -> list[tuple]:
    """Elsewhere (SQLite, which has no LATERAL): a UNION ALL of one part per day, each with the day's
    count as an uncorrelated subquery. The parts differ only in their two bounds: one part is compiled
    (for stand-in bounds) and its SQL repeated with each day's; compiling seven querysets cost 9 ms."""
    from cases.paging import CappedCount

    low, high = _STAND_IN_LOW, _STAND_IN_HIGH
    qs = deadlines.filter(due_at__gt=low, due_at__lte=high)
    part = (
        qs.annotate(day_total=CappedCount(qs, cap=cap))
        .order_by("due_at")
        .values_list(*AGENDA_COLUMNS, "day_total")
    )
    part = part[:per_day]
    sql, params = part.query.sql_with_params()
    # The compiled parameters are the backend's form of a datetime (SQLite: a UTC string), not the value.
    adapt = connections[deadlines.db].ops.adapt_datetimefield_value
    union, union_params = [], []
    for i, (day_low, day_high) in enumerate(bounds):
        stand_ins = {adapt(low): adapt(day_low), adapt(high): adapt(day_high)}
        # SQLite takes no parenthesised SELECT as a part of a UNION, only one in FROM (with its LIMIT).
        union.append(f"SELECT * FROM ({sql}) day_{i}")
        union_params += [stand_ins.get(p, p) if isinstance(p, str | dt.datetime) else p for p in params]
    return _fetch(part, " UNION ALL ".join(union), union_params)


def _fetch(part, sql: str, params: list) -> list:
    """Run `sql`, whose leading columns are those of the queryset `part`, and convert them as Django
    would (SQLite returns datetimes and UUIDs as strings); columns after them are left as read."""
    compiler = part.query.get_compiler(part.db)
    compiler.setup_query()
    converters = compiler.get_converters([s[0] for s in compiler.select])
    with connections[part.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return list(compiler.apply_converters(rows, converters)) if converters else rows


@dataclass(frozen=True, slots=True)
class NotificationRow:
    pk: int
    kind_label: str
    text: str
    short_text: str  # for the 已讀 button's screen-reader label
    url: str
    created: str
    unread: bool


def notification_rows(notifications) -> list[NotificationRow]:
    return [
        NotificationRow(
            pk=pk,
            kind_label=_NOTIFICATION_LABELS.get(kind, kind),
            text=text,
            short_text=Truncator(text).chars(40),
            url=url,
            created=roc_datetime(created_at),
            unread=read_at is None,
        )
        for pk, kind, text, url, created_at, read_at in notifications.values_list(
            "pk", "kind", "text", "url", "created_at", "read_at"
        )
    ]
