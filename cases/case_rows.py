"""The case list's cells, prepared in Python (issues 18 and 19: fast lists).

Rendered in the template, a page of 50 cases took about 1,000 variable lookups, filters and an
include per row (two thirds of the page's time, more than its queries); here each row is one dict of
ready strings, so the template prints about a dozen plain values per row. Links are one reverse()
and string formatting. What a row says is unchanged: tests/cases/test_views.py reads the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from cases.models import Case, Deadline
from cases.notifications import case_url_builder
from cases.people import staff_name
from cases.rocdate import format_roc

KIND_LABELS = dict(Deadline.Kind.choices)
STATUS_LABELS = dict(Case.Status.choices)


def _day(value: dt.datetime, tz) -> dt.date:
    return value.astimezone(tz).date()


def case_list_cells(cases: Iterable[Case]) -> list[dict]:
    """One dict per case: what each column of the case list shows."""
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    url = case_url_builder()
    rows = []
    for case in cases:
        row = {
            "url": url(case.pk),
            "number": case.number,
            "name": case.victim.name,
            "danger_since": "",
            "next_kind": "",
            "next_when": "",
            "next_urgent": False,
            "next_date": "",
            "contact_date": "",
            "contact_days": 0,
            "dispatch_date": "",
            "dispatch_days": 0,
            "status": STATUS_LABELS.get(case.status, case.status),
            "worker": staff_name(case.assigned_worker) if case.assigned_worker_id else "—",
        }
        if case.danger_since:
            since = case.danger_since.astimezone(tz)
            row["danger_since"] = f"{format_roc(since.date())} {since:%H:%M}"
        if case.next_deadline_due_at:
            day = _day(case.next_deadline_due_at, tz)
            days = (day - today).days
            row["next_kind"] = KIND_LABELS.get(case.next_deadline_kind, case.next_deadline_kind)
            row["next_when"] = f"逾期 {-days} 天" if days < 0 else "今天" if days == 0 else f"剩 {days} 天"
            row["next_urgent"] = days <= 0
            row["next_date"] = format_roc(day)
        if case.last_contact_at:
            day = _day(case.last_contact_at, tz)
            row["contact_date"], row["contact_days"] = format_roc(day), (today - day).days
        if case.last_dispatched_at:
            day = _day(case.last_dispatched_at, tz)
            row["dispatch_date"], row["dispatch_days"] = format_roc(day), (today - day).days
        rows.append(row)
    return rows
