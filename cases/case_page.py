"""What the case page reads of the hub's own rows, as the columns it prints (issue 19).

The page lists the case's intakes, dispatches and deadlines. Read as model instances, each row came with
whole user rows for the names beside it (three per dispatch, two per deadline) and every encrypted column
decrypted, shown or not. Here each is one query of the printed columns, the names among them: the
dispatches and deadlines become rows with their labels worked out (cases.page_rows), the intakes model
instances holding only what the page prints. Each query's SQL is compiled once per process
(`case_values`): building and compiling three querysets cost more than running them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from cases.compiled import STAND_IN_CASE, compiled_values
from cases.models import Case, Deadline, Dispatch, Intake
from cases.page_rows import DeadlineRow, deadline_row, esc, person_name, url_maker
from cases.templatetags.roc import roc_datetime

_NAMES = ("last_name", "first_name", "username")


def case_values(name: str, build: Callable[[Case], QuerySet], case: Case) -> list[tuple]:
    """The rows of build(case), a values_list() queryset that depends on the case's key only (`name`
    tells them apart: "<app_label>.<what>" outside the hub), its SQL compiled once per process
    (cases.compiled): building and compiling the queryset took longer than running it."""
    return compiled_values(
        f"case_page:{name}",
        lambda: build(Case(pk=STAND_IN_CASE)),
        values={STAND_IN_CASE: case.pk},
        using=case._state.db or "default",
    )


# The intake columns the case page prints (cases/_intake_body.html and the case record's entries), in the
# model's order (Model.from_db takes them so); the closing note of an intake not opened as a case, the
# blind indexes and the handling columns are not read (nor decrypted).
_SHOWN = {
    "id",
    "case_id",
    "source",
    "source_organisation",
    "received_at",
    "channel",
    "caller_relation",
    "caller_name",
    "victim_name",
    "victim_phone",
    "victim_national_id",
    "victim_birth_date",
    "requests",
    "services_offered",
    "wishes",
    "wishes_note",
    "immediate_danger",
    "narrative",
    "created_by_id",
}
INTAKE_COLUMNS = tuple(f.attname for f in Intake._meta.concrete_fields if f.attname in _SHOWN)


def _user_columns() -> tuple[str, ...]:
    """The recorder's key and name columns, in the user model's order (as Model.from_db takes them)."""
    wanted = {"id", *_NAMES}
    return tuple(f.attname for f in get_user_model()._meta.concrete_fields if f.attname in wanted)


def _intake_values(case: Case) -> QuerySet:
    names = (f"created_by__{name}" for name in _user_columns() if name != "id")
    return Intake.objects.filter(case=case).order_by("received_at").values_list(*INTAKE_COLUMNS, *names)


def case_page_intakes(case) -> list[Intake]:
    """The case's intakes, oldest first: model instances (the page prints their choices' labels) holding
    the columns the page prints, each with its recorder holding only a name."""
    db = case._state.db or "default"
    user_model, user_columns = get_user_model(), _user_columns()
    n = len(INTAKE_COLUMNS)
    intakes = []
    for row in case_values("intakes", _intake_values, case):
        intake = Intake.from_db(db, INTAKE_COLUMNS, row[:n])
        names = iter(row[n:])
        user = [intake.created_by_id if column == "id" else next(names) for column in user_columns]
        intake.created_by = user_model.from_db(db, user_columns, user)
        intakes.append(intake)
    return intakes


@dataclass(frozen=True, slots=True)
class DispatchRow:
    """One dispatch as the page prints it: who gave the case to whom, when, and why."""

    dispatched_at: dt.datetime
    at_label: str
    worker_name: str
    previous_worker_name: str  # "" for the first dispatch
    dispatched_by_name: str
    reason: str


def _dispatch_values(case: Case) -> QuerySet:
    return (
        Dispatch.objects.filter(case=case)
        .order_by("dispatched_at")
        .values_list(
            "dispatched_at",
            "reason",
            *(f"worker__{name}" for name in _NAMES),
            *(f"previous_worker__{name}" for name in _NAMES),
            *(f"dispatched_by__{name}" for name in _NAMES),
        )
    )


def case_dispatch_rows(case) -> list[DispatchRow]:
    """The case's dispatches, oldest first, with the three staff names: no user row is loaded."""
    rows = []
    for at, reason, *names in case_values("dispatches", _dispatch_values, case):
        rows.append(
            DispatchRow(
                dispatched_at=at,
                at_label=roc_datetime(at),
                worker_name=person_name(*names[0:3]),
                previous_worker_name=person_name(*names[3:6], ""),
                dispatched_by_name=person_name(*names[6:9]),
                reason=reason,
            )
        )
    return rows


def _deadline_values(case: Case) -> QuerySet:
    return Deadline.objects.filter(case=case).values_list(
        "pk",
        "kind",
        "title",
        "due_at",
        "all_day",
        "is_warning",
        "note",
        "state",
        "closed_at",
        "close_reason",
        *(f"owner__{name}" for name in _NAMES),
        *(f"closed_by__{name}" for name in _NAMES),
    )


def case_page_deadlines(case, *, today: dt.date | None = None) -> list[DeadlineRow]:
    """The case's deadlines as the page's table prints them: open ones first by due date, then the closed
    ones, newest first (as cases.selectors.case_deadlines). The owner's and closer's names are columns of
    the one query."""
    today = today or timezone.localdate()
    url = case.get_absolute_url()
    close_url = url_maker("cases:deadline_close")
    rows = case_values("deadlines", _deadline_values, case)
    is_open = Deadline.State.OPEN
    open_rows = sorted((r for r in rows if r[7] == is_open), key=lambda r: r[3])
    closed = sorted((r for r in rows if r[7] != is_open), key=lambda r: r[8] or r[3], reverse=True)
    built = []
    for pk, kind, title, due_at, all_day, is_warning, note, state, closed_at, reason, *names in (
        open_rows + closed
    ):
        closed_by = person_name(*names[3:6], "")
        built.append(
            deadline_row(
                today=today,
                case_url=url,
                pk=pk,
                case_number=case.number,
                kind=kind,
                title=title,
                due_at=due_at,
                all_day=all_day,
                is_warning=is_warning,
                note=note,
                state=state,
                owner_name=person_name(*names[:3]),
                closed_by_name=closed_by,
                closed_at=closed_at,
                close_reason=reason if closed_by else "",
                close_url=close_url(pk),
            )
        )
    return built


def case_record_html(entries) -> SafeString:
    """The case record's list items (cases/case_detail.html), joined in Python: a case with a year of
    contacts has hundreds of entries, each a dozen lookups and two filters through the template loop."""
    items = []
    for e in entries:
        title = f'<a href="{esc(e.url)}">{esc(e.title)}</a>' if e.url else esc(e.title)
        by = f"・{esc(e.by)}" if e.by else ""
        detail = (
            f'<div class="small narrative mt-1">{esc(Truncator(e.detail).chars(300))}</div>'
            if e.detail
            else ""
        )
        danger = " list-group-item-danger" if e.flag == "danger" else ""
        items.append(
            f'<li class="list-group-item{danger}">'
            f'<div class="d-flex flex-wrap justify-content-between gap-2"><span>'
            f'<span class="badge text-bg-light border">{esc(e.kind)}</span> {title}</span>'
            f'<small class="text-muted">{esc(roc_datetime(e.at))}{by}</small></div>{detail}</li>'
        )
    return mark_safe("".join(items))
