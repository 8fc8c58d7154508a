"""The rows of the case list, the intake queue and the overview, prepared in Python (issue 19).

Rendered in the template, a page of 50 cases took about 1,000 variable lookups, filters and an
include per row (two thirds of the page's time, more than its queries). Here each row is a tuple of
the columns the page prints (selectors.CASE_LIST_COLUMNS, INTAKE_QUEUE_COLUMNS) and its <tr> an
f-string with every value escaped (cases.page_rows.esc; one format_html() per cell cost as much as
the list's query). Links are one reverse() per page. What a row says is unchanged:
tests/cases/test_views.py reads the pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from cases.models import Case, Deadline, Intake
from cases.page_rows import esc, person_name, roc_date, roc_datetime, url_maker
from cases.rocdate import format_roc

KIND_LABELS = dict(Deadline.Kind.choices)
STATUS_LABELS = dict(Case.Status.choices)
SOURCE_LABELS = dict(Intake.Source.choices)
DANGER_LABELS = dict(Intake.Danger.choices)

_NO_DEADLINE = '<span class="text-muted">無</span>'
_NO_CONTACT = '<span class="text-muted">尚未聯繫</span>'
_NO_DISPATCH = '<span class="text-muted">未派案</span>'
_DANGER_BADGE = '<span class="badge text-bg-danger">有立即危險</span>'
_MATCH_BADGE = '<span class="badge text-bg-warning">可能為既有案件</span>'


def _local(value: dt.datetime, tz) -> dt.datetime:
    return value.astimezone(tz)


def _since(value: dt.datetime | None, *, tz, today: dt.date, empty: str) -> str:
    """A past date and how many days ago, or `empty`."""
    if not value:
        return empty
    day = _local(value, tz).date()
    return f'{format_roc(day)}<div class="small text-muted">{(today - day).days} 天前</div>'


def _next_deadline(due_at: dt.datetime | None, kind: str, *, tz, today: dt.date) -> str:
    if not due_at:
        return _NO_DEADLINE
    day = _local(due_at, tz).date()
    days = (day - today).days
    when = f"逾期 {-days} 天" if days < 0 else "今天" if days == 0 else f"剩 {days} 天"
    if days <= 0:
        when = f'<span class="text-danger fw-semibold">{when}</span>'
    return f'{esc(KIND_LABELS.get(kind, kind))}<div class="small">{when}（{format_roc(day)}）</div>'


def _danger(since: dt.datetime | None, *, empty: str = "—") -> str:
    if not since:
        return empty
    title = f"{roc_datetime(since)} 起"
    return f'<span class="badge text-bg-danger danger-flag" title="{title}">有立即危險</span>'


def _worker(row) -> str:
    return esc(
        person_name(
            row.assigned_worker__last_name, row.assigned_worker__first_name, row.assigned_worker__username
        )
    )


def _case_row(r, *, tz, today: dt.date, url) -> str:
    due = _next_deadline(r.next_deadline_due_at, r.next_deadline_kind, tz=tz, today=today)
    contact = _since(r.last_contact_at, tz=tz, today=today, empty=_NO_CONTACT)
    dispatch = _since(r.last_dispatched_at, tz=tz, today=today, empty=_NO_DISPATCH)
    return (
        f'<tr><td data-label="案號"><a href="{url(r.pk)}">{esc(r.number)}</a></td>'
        f'<td data-label="被害人">{esc(r.victim__name)}</td>'
        f'<td data-label="危險">{_danger(r.danger_since)}</td><td data-label="下一個期限">{due}</td>'
        f'<td data-label="最後聯繫">{contact}</td><td data-label="派案">{dispatch}</td>'
        f'<td data-label="狀態">{_status(r)}</td><td data-label="承辦社工">{_worker(r)}</td></tr>'
    )


def _status(row) -> str:
    return esc(STATUS_LABELS.get(row.status, row.status))


def case_list_html(rows: Iterable) -> SafeString:
    """The <tr>s of the case list, from selectors.case_list_rows() tuples."""
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    url = url_maker()
    return mark_safe("\n".join(_case_row(r, tz=tz, today=today, url=url) for r in rows))


def option_tags(choices: Iterable[tuple[object, str]], chosen: str) -> SafeString:
    """<option>s of a filter select, joined in Python (the unit's 40-odd workers through a template loop
    cost more than the list's query)."""
    return mark_safe(
        "".join(
            f'<option value="{esc(value)}"{" selected" if str(value) == chosen else ""}>{esc(label)}</option>'
            for value, label in choices
        )
    )


def intake_queue_html(rows: Iterable) -> SafeString:
    """The <tr>s of the intake queue, from selectors.intake_queue_rows() tuples."""
    url = url_maker("cases:intake_detail")
    now = timezone.now()
    out = []
    for r in rows:
        received = roc_datetime(r.received_at)
        source = esc(SOURCE_LABELS.get(r.source, r.source))
        organisation = (
            f'<br><small class="text-muted">{esc(r.source_organisation)}</small>'
            if r.source_organisation
            else ""
        )
        danger = (
            _DANGER_BADGE
            if r.immediate_danger == Intake.Danger.YES
            else esc(DANGER_LABELS.get(r.immediate_danger, r.immediate_danger))
        )
        out.append(
            f"<tr><td>{received}</td><td>{esc(timesince(r.received_at, now))}</td>"
            f"<td>{source}{organisation}</td><td>{esc(r.victim_name)}</td><td>{danger}</td>"
            f"<td>{_MATCH_BADGE if r.matched else ''}</td>"
            f'<td><a class="btn btn-sm btn-outline-secondary" href="{url(r.pk)}">處理'
            f'<span class="visually-hidden">{received} {source}</span></a></td></tr>'
        )
    return mark_safe("\n".join(out))


def overview_recent_html(rows: Iterable) -> SafeString:
    """The overview's newest cases, from selectors.case_list_rows() tuples."""
    url = url_maker()
    return mark_safe(
        "\n".join(
            f'<tr><td><a href="{url(r.pk)}">{esc(r.number)}</a></td><td>{esc(r.victim__name)}</td>'
            f"<td>{_danger(r.danger_since, empty='')}</td><td>{_status(r)}</td>"
            f"<td>{_worker(r)}</td><td>{roc_date(r.opened_at)}</td></tr>"
            for r in rows
        )
    )


def overview_flagged_html(rows: Iterable, notes: dict) -> SafeString:
    """The overview's flagged cases with each one's note (cases.registry.flag_notes)."""
    url = url_maker()
    now = timezone.now()
    out = []
    for r in rows:
        out.append(
            f'<tr><td><a href="{url(r.pk)}">{esc(r.number)}</a></td><td>{esc(r.victim__name)}</td>'
            f"<td>{roc_datetime(r.danger_since)}（{esc(timesince(r.danger_since, now))}前）</td>"
            f"<td>{_status(r)}</td><td>{_worker(r)}</td>"
            f"<td>{esc(notes.get(r.pk) or '—')}</td></tr>"
        )
    return mark_safe("\n".join(out))
