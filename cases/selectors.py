"""Reads that depend on who is asking. Role scoping lives here, once; every view goes through it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, When
from django.db.models import Case as CaseWhen
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from cases import counters
from cases.case_records import case_rows, take_case_records_probe, with_case_records_probe
from cases.compiled import STAND_IN_OTHER_USER, STAND_IN_USER, CompiledRows, compiled_values
from cases.models import (
    BreakGlassGrant,
    Case,
    CaseReadLog,
    CaseStatusChange,
    Contact,
    Deadline,
    Dispatch,
    Intake,
    ServiceAppointment,
    Victim,
)
from cases.models.core import QUEUE_ORDER
from cases.paging import COUNT_CAP, CappedCount, capped, capped_counts
from cases.registry import flag_note_columns, timeline_sources
from cases.roles import Role, has_role
from cases.tracker import end_of_day


def case_scope(user) -> str:
    """Need-to-know: supervisors and the hotline see the unit's cases ("unit"), a worker only their own
    ("own"), anyone else none ("none")."""
    if not user.is_authenticated or not user.is_active:
        return "none"
    if user.has_perm("cases.view_all_cases"):
        return "unit"
    if has_role(user, Role.SOCIAL_WORKER):
        return "own"
    return "none"


def cases_in_scope(scope: str, user_id) -> QuerySet[Case]:
    """The cases of a case_scope() for the user with this id (a stand-in where the SQL is compiled once,
    cases.compiled)."""
    qs = Case.objects.select_related("assigned_worker")
    if scope == "unit":
        return qs
    if scope == "own":
        return qs.filter(assigned_worker_id=user_id)
    return qs.none()


def cases_for_user(user) -> QuerySet[Case]:
    return cases_in_scope(case_scope(user), user.pk)


def case_for_user(user, pk, *, write: bool = False, probe: bool = False) -> Case:
    """The case, or 404 when the user may not see it (so its existence is not revealed).

    With write, a closed case is refused with 403 and a message: it is read-only until reopened. With
    probe (the case page), which kinds of records the case has is read in the same query
    (cases.case_records.with_case_records_probe).
    """
    qs = cases_for_user(user).select_related("victim", "opened_by")
    if probe:
        qs = with_case_records_probe(qs, pk, user)
    try:
        case = qs.get(pk=pk)
        if probe:
            take_case_records_probe(case, user)
    except (Case.DoesNotExist, ValueError, ValidationError):
        # 緊急調閱 opens a case to read, never to write: the same 404 otherwise.
        case = None if write else break_glass_case(user, pk)
        if case is None:
            raise Http404 from None
    if write:
        if not may_edit_case(user, case):
            raise Http404
        if case.is_closed:
            raise PermissionDenied("此案件已結案，僅供查閱；如需繼續服務，請督導先重新開案。")
    return case


def break_glass_case(user, pk) -> Case | None:
    """The case `user` holds a running break-glass grant for, marked with it (`case.break_glass`).

    Asked only when the user's own scope misses, so a worker's own cases cost no extra query.
    """
    if not user.has_perm("cases.break_glass"):
        return None
    try:
        grant = (
            BreakGlassGrant.objects.filter(user=user, case_id=pk, expires_at__gt=timezone.now())
            .select_related("case__victim", "case__opened_by", "case__assigned_worker")
            .order_by("-expires_at")
            .first()
        )
    except (ValueError, ValidationError):
        return None
    if grant is None:
        return None
    case = grant.case
    case.break_glass = grant
    return case


def break_glass_reviews(*, limit: int = 50) -> tuple[list, list]:
    """Supervisors' queue: every grant awaiting review (oldest first), then the latest reviewed."""
    qs = BreakGlassGrant.objects.select_related("case__assigned_worker", "user", "reviewed_by")
    pending = list(qs.filter(review=BreakGlassGrant.Review.PENDING).order_by("requested_at"))
    done = list(qs.exclude(review=BreakGlassGrant.Review.PENDING).order_by("-reviewed_at")[:limit])
    return pending, done


def break_glass_grant_for_review(user, pk) -> BreakGlassGrant:
    if not user.has_perm("cases.review_break_glass"):
        raise Http404
    try:
        return BreakGlassGrant.objects.select_related("case", "user").get(pk=pk)
    except (BreakGlassGrant.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def may_edit_case(user, case: Case) -> bool:
    """The assigned worker or a supervisor, whatever the case's state (who may act on it at all)."""
    if has_role(user, Role.SUPERVISOR):
        return True
    return has_role(user, Role.SOCIAL_WORKER) and case.assigned_worker_id == user.pk


def can_edit_case(user, case: Case) -> bool:
    """May change the case's records now: the assigned worker or a supervisor, and the case is not closed."""
    if case.is_closed:
        return False
    if has_role(user, Role.SUPERVISOR):
        return True
    if has_role(user, Role.SOCIAL_WORKER) and case.assigned_worker_id == user.pk:
        return True
    return False


def referred_cases_for_user(user) -> QuerySet[Case]:
    """Police: the cases holding a referral form this officer submitted (never their content)."""
    if not user.is_authenticated or not user.is_active or not has_role(user, Role.POLICE):
        return Case.objects.none()
    referred = Intake.objects.filter(created_by=user, source=Intake.Source.REFERRAL, case__isnull=False)
    return Case.objects.filter(pk__in=referred.values("case_id"))


# What a row of the intake queue prints (cases/case_rows.py): the victim's name is the one encrypted
# column read; whether a victim with the same phone or ID already exists is a probe per row.
INTAKE_QUEUE_COLUMNS = (
    "pk",
    "received_at",
    "source",
    "source_organisation",
    "victim_name",
    "immediate_danger",
)


def intake_queue_rows() -> QuerySet:
    """Waiting intakes, immediate danger first, then the longest-waiting (the index intake_queue_danger),
    as INTAKE_QUEUE_COLUMNS tuples plus `matched`, in one query."""

    # Each probe only for an intake that has the identifier (thousands of victims have none, ''), and as
    # a scalar subquery with LIMIT 1: an EXISTS here was planned as one hash of every victim's index.
    def first_victim(column: str):
        probe = Victim.objects.filter(**{column: OuterRef(f"victim_{column}")}).order_by().values("pk")[:1]
        return CaseWhen(When(~Q(**{f"victim_{column}": ""}), then=Subquery(probe)), default=None)

    matched = ExpressionWrapper(Q(match_id__isnull=False), output_field=BooleanField())
    return (
        Intake.objects.filter(status=Intake.Status.PENDING)
        .annotate(
            danger_rank=QUEUE_ORDER,
            match_id=Coalesce(first_victim("phone_index"), first_victim("national_id_index")),
            matched=matched,
        )
        .order_by("danger_rank", "received_at")
        .values_list(*INTAKE_QUEUE_COLUMNS, "matched", named=True)
    )


def intake_queue() -> CompiledRows:
    """intake_queue_rows() to page: each page and its capped count through SQL compiled once (the queue
    has no per-user value, only the page's LIMIT and OFFSET)."""
    return CompiledRows("intake_queue", intake_queue_rows)


def intake_for_user(user, pk) -> Intake:
    if not user.has_perm("cases.process_intake"):
        raise Http404
    try:
        return Intake.objects.select_related("case", "created_by", "handled_by").get(pk=pk)
    except (Intake.DoesNotExist, ValueError):
        raise Http404 from None


def matching_cases(*, phone_index: str, national_id_index: str) -> QuerySet[Case]:
    """Open or closed cases of a victim with the same phone or national ID (blind-index equality)."""
    condition = Q()
    if phone_index:
        condition |= Q(victim__phone_index=phone_index)
    if national_id_index:
        condition |= Q(victim__national_id_index=national_id_index)
    if not condition:
        return Case.objects.none()
    return Case.objects.filter(condition).select_related("victim", "assigned_worker").order_by("-opened_at")


def social_workers(*, caseloads: bool = True):
    """Active social workers by name; with caseloads, each one's open cases (capped: 「999+」)."""
    from django.contrib.auth import get_user_model

    workers = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.SOCIAL_WORKER)
        .order_by("last_name", "first_name", "username")
    )
    if not caseloads:  # a filter's choices: names only
        return workers
    # A count per worker in a subquery reads only the index case_worker_status; a join with a filtered
    # Count read every case of every worker (230 ms at 100k cases, 9 ms this way: docs/benchmarks.md).
    # The cap bounds it at 1,000 index entries per worker whatever the unit's size.
    open_cases = Case.objects.filter(
        assigned_worker=OuterRef("pk"), status__in=[Case.Status.ASSIGNED, Case.Status.CLOSE_REQUESTED]
    )
    return workers.annotate(open_cases=CappedCount(open_cases))


def social_worker_names() -> list[tuple]:
    """A filter's choices: (pk, last name, first name, username) of the active social workers by name; the
    same SQL on every list page, compiled once per process (cases.compiled)."""
    return compiled_values(
        "social_worker_names",
        lambda: social_workers(caseloads=False).values_list("pk", "last_name", "first_name", "username"),
    )


def unit_overview(*, also: dict | None = None) -> dict:
    """Supervisor's home: counts by state, of waiting intakes and of flagged cases, in one query. Each
    worker's caseload is a chart of the overview (cases/dashboards.py), computed by a beat job.

    `also`: the overview panels' counts, returned under "also": a counter's key (an app's trigger-kept
    counter, e.g. safety/counters.py), or a queryset counted with a cap in the same query."""
    # Kept by triggers in each change's transaction (cases/counters.py): exact, and one short read. The
    # panels' counts have no counter: counted from their indexes with a cap (「999+」).
    also = also or {}
    querysets = {key: qs for key, qs in also.items() if not isinstance(qs, str)}
    kept, counted = counters.read(also=querysets, cap=COUNT_CAP)
    return {
        "status_counts": [
            (label, kept.get(f"case:{value}", 0), value) for value, label in Case.Status.choices
        ],
        "pending_intakes": kept.get(counters.PENDING_INTAKES, 0),
        "flagged_count": kept.get(counters.FLAGGED, 0),
        "also": {
            key: kept.get(value, 0) if isinstance(value, str) else capped(counted[key])
            for key, value in also.items()
        },
    }


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    user: object
    kind: str  # "created" | "changed" | "deleted" | "read"
    subject: str
    fields: tuple[str, ...] = ()


_HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def history_events(history_qs, subject: str, model) -> list[TimelineEvent]:
    events = []
    previous = {}
    # Walk oldest first so each row is compared with the one before it (field names only, never values).
    for row in history_qs.select_related("history_user").order_by("history_date", "history_id"):
        changed: tuple[str, ...] = ()
        prior = previous.get(row.id)
        if prior is not None and row.history_type == "~":
            delta = row.diff_against(prior)
            changed = tuple(str(model._meta.get_field(c.field).verbose_name) for c in delta.changes)
        previous[row.id] = row
        events.append(
            TimelineEvent(
                at=row.history_date,
                user=row.history_user,
                kind=_HISTORY_TYPES[row.history_type],
                subject=subject,
                fields=changed,
            )
        )
    return events


def case_timeline(case: Case) -> list[TimelineEvent]:
    """Supervisor view: every change to the case's records and every read, newest first."""
    events: list[TimelineEvent] = []
    events += history_events(Case.history.filter(id=case.pk), "案件", Case)
    events += history_events(Victim.history.filter(id=case.victim_id), "被害人資料", Victim)
    events += history_events(Intake.history.filter(id__in=case.intakes.values("id")), "受理紀錄", Intake)
    events += history_events(Dispatch.history.filter(case_id=case.pk), "派案", Dispatch)
    events += history_events(Deadline.history.filter(case_id=case.pk), "期限", Deadline)
    contact_ids = case_contacts(case).values("id")
    events += history_events(Contact.history.filter(id__in=contact_ids), "聯繫紀錄", Contact)
    events += history_events(
        CaseStatusChange.history.filter(case_id=case.pk), "結案／重新開案", CaseStatusChange
    )
    for source in timeline_sources():
        events += source(case)
    for log in CaseReadLog.objects.filter(case=case).select_related("user"):
        events.append(TimelineEvent(at=log.read_at, user=log.user, kind="read", subject=log.view))
    events.sort(key=lambda e: e.at, reverse=True)
    return events


# --- deadlines ---------------------------------------------------------------------------------


def deadlines_for_user(user) -> QuerySet[Deadline]:
    """Deadlines of the cases the user may see: supervisors all, a worker their cases' and their own."""
    qs = Deadline.objects.select_related("case", "owner")
    if not user.is_authenticated:
        return qs.none()
    if has_role(user, Role.SUPERVISOR):
        return qs
    if has_role(user, Role.SOCIAL_WORKER):
        # case_id IN (the worker's cases) keeps both conditions on the deadline table, so PostgreSQL
        # combines two index scans; an OR across the case join read every open deadline (3x slower).
        mine = Case.objects.filter(assigned_worker=user).values("pk")
        return qs.filter(Q(case_id__in=mine) | Q(owner=user))
    return qs.none()


def open_deadlines_for_user(user) -> QuerySet[Deadline]:
    """The open deadlines of deadlines_for_user, read through the owner index: the dashboards' scope.

    A worker's are those they own plus those on their open cases that someone else (an escort) or no one
    owns (a case closes only with no deadline left open: services.closing). The second set is looked up
    once per request and is usually empty, so the page reads the owner index in due order; testing every
    open deadline of the unit against a list of all the worker's cases cost 61 ms instead of 5.9 ms at
    1M cases (docs/benchmarks.md).
    """
    qs = Deadline.objects.select_related("case", "owner").filter(state=Deadline.State.OPEN)
    if not user.is_authenticated:
        return qs.none()
    if has_role(user, Role.SUPERVISOR):
        return qs
    if not has_role(user, Role.SOCIAL_WORKER):
        return qs.none()
    others = getattr(user, "_others_deadlines_cache", None)
    if others is None:
        # Through the cases that hold such deadlines (Case.delegated_deadlines, kept by the tracker and
        # dispatch): probing every open case of the worker took 130 ms at a million cases.
        delegated = Case.objects.filter(
            assigned_worker=user,
            status__in=[Case.Status.ASSIGNED, Case.Status.CLOSE_REQUESTED],
            delegated_deadlines__gt=0,
        ).values("pk")
        others = list(
            Deadline.objects.filter(state=Deadline.State.OPEN, case__in=delegated)
            .exclude(owner=user)
            .order_by()
            .values_list("pk", flat=True)
        )
        user._others_deadlines_cache = others
    return qs.filter(Q(owner=user) | Q(pk__in=others)) if others else qs.filter(owner=user)


def deadlines_due(*, user, within_days: int | None, kind: str = "", today: dt.date | None = None):
    """Open deadlines in the user's scope: overdue when within_days is None, else due in the next N days."""
    today = today or timezone.localdate()
    qs = deadlines_for_user(user).filter(state=Deadline.State.OPEN)
    if kind:
        qs = qs.filter(kind=kind)
    before_today = end_of_day(today - dt.timedelta(days=1))
    if within_days is None:
        return qs.filter(due_at__lte=before_today).order_by("due_at")
    until = end_of_day(today + dt.timedelta(days=within_days))
    return qs.filter(due_at__gt=before_today, due_at__lte=until).order_by("due_at")


def deadline_for_user(user, pk, *, write: bool = False) -> Deadline:
    """The deadline, or 404; with write, only one the user may close (their case's, or their own)."""
    try:
        deadline = deadlines_for_user(user).get(pk=pk)
    except (Deadline.DoesNotExist, ValueError):
        raise Http404 from None
    if write and not can_edit_case(user, deadline.case) and deadline.owner_id != user.pk:
        raise Http404
    return deadline


def case_deadlines(case: Case) -> list[Deadline]:
    """Open deadlines first by due date, then the closed ones, newest first."""
    rows = list(case.deadlines.select_related("owner", "closed_by"))
    open_rows = sorted((d for d in rows if d.state == Deadline.State.OPEN), key=lambda d: d.due_at)
    closed = sorted(
        (d for d in rows if d.state != Deadline.State.OPEN),
        key=lambda d: d.closed_at or d.due_at,
        reverse=True,
    )
    return open_rows + closed


# --- contacts, the case's record, closing ---------------------------------------------------------


def case_contacts(case: Case) -> QuerySet[Contact]:
    """The case's contacts, with those logged on its intakes before the case existed; newest first."""
    return (
        Contact.objects.filter(Q(case=case) | Q(intake__case=case))
        .select_related("staff")
        .order_by("-contacted_at")
    )


def intake_contacts(intake: Intake) -> QuerySet[Contact]:
    return Contact.objects.filter(intake=intake).select_related("staff").order_by("-contacted_at")


def case_status_changes(case: Case) -> list[CaseStatusChange]:
    # A function, so a case without closing steps (most) costs not even building the queryset.
    return case_rows(
        case, "cases.status_changes", lambda: case.status_changes.select_related("by").order_by("at")
    )


def pending_closure(case: Case) -> CaseStatusChange | None:
    """The closing request a supervisor is to decide, when the case is waiting for one."""
    if case.status != Case.Status.CLOSE_REQUESTED:
        return None
    return (
        case.status_changes.filter(action=CaseStatusChange.Action.CLOSE_REQUESTED)
        .select_related("by")
        .order_by("-at")
        .first()
    )


def case_appointments(case: Case) -> list[ServiceAppointment]:
    """Services booked for the victim on the case, or on its intakes before it existed; soonest first."""
    return case_rows(
        case,
        "cases.appointments",
        lambda: (
            ServiceAppointment.objects.filter(Q(case=case) | Q(intake__case=case))
            .select_related("booked_by")
            .order_by("scheduled_at")
        ),
    )


def appointment_for_user(user, pk, *, write: bool = False) -> ServiceAppointment:
    """An appointment of a case the user may act on, or of an intake the user may process; else 404."""
    try:
        appointment = ServiceAppointment.objects.select_related("case", "intake").get(pk=pk)
    except (ServiceAppointment.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None
    if appointment.case_id:
        case_for_user(user, appointment.case_id, write=write)
    else:
        intake_for_user(user, appointment.intake_id)
    return appointment


def case_entries(case: Case, user, *, intakes, contacts, dispatches, status_changes, appointments=()) -> list:
    """The case's one chronological record (指引 G-2, ask once): intakes, contacts, dispatch, closing
    and every satellite's registered entries; newest first. The hub's rows are passed in so the page
    reads each table once."""
    from cases.people import staff_name
    from cases.registry import CaseEntry, case_entry_sources

    entries = []
    for intake in intakes:
        entries.append(
            CaseEntry(
                at=intake.received_at,
                kind=intake.get_source_display(),
                title=f"{intake.get_channel_display()}・{intake.get_caller_relation_display()}",
                detail=intake.narrative,
                by=staff_name(intake.created_by),
                url=f"#intake-{intake.pk}",
                flag="danger" if intake.immediate_danger == Intake.Danger.YES else "",
            )
        )
    for contact in contacts:
        danger = contact.get_immediate_danger_display() if contact.immediate_danger else ""
        entries.append(
            CaseEntry(
                at=contact.contacted_at,
                kind="聯繫",
                title="・".join(
                    x for x in (contact.get_mode_display(), contact.get_result_display(), danger) if x
                ),
                detail=contact.notes,
                by=staff_name(contact.staff),
                url=f"#contact-{contact.pk}",
                flag="danger" if contact.immediate_danger == Contact.Danger.YES else "",
            )
        )
    for dispatch in dispatches:  # cases.case_page.DispatchRow: the names are columns of its query
        entries.append(
            CaseEntry(
                at=dispatch.dispatched_at,
                kind="派案",
                title=f"派給 {dispatch.worker_name}",
                detail=dispatch.reason,
                by=dispatch.dispatched_by_name,
            )
        )
    for change in status_changes:
        reason = change.get_closing_reason_display() if change.closing_reason else ""
        entries.append(
            CaseEntry(
                at=change.at,
                kind="結案",
                title="・".join(x for x in (change.get_action_display(), reason) if x),
                detail=change.note,
                by=staff_name(change.by),
            )
        )
    for appointment in appointments:
        entries.append(
            CaseEntry(
                at=appointment.scheduled_at,
                kind="預約",
                title=f"{appointment.get_service_display()}・{appointment.get_status_display()}",
                detail=appointment.note,
                by=staff_name(appointment.booked_by),
                url="#case-appointments",
            )
        )
    for source in case_entry_sources():
        entries += source(case, user)
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def overview_cases(user, *, recent: int, flagged: int) -> tuple[list, list]:
    """The overview's `recent` newest cases and its `flagged` longest-flagged ones, as case_list_rows()
    tuples with the apps' flag-note columns (cases.registry.FlagNotes), in one query compiled once per
    process (cases.compiled): the rows of the cases whose ids the two index reads give.

    The newest `recent` of the rows read are the unit's newest (they are among them), and the
    longest-flagged `flagged` of them the unit's longest-flagged: each list is taken back in Python."""
    scope = case_scope(user)
    notes = flag_note_columns()
    names = [*CASE_LIST_COLUMNS, *notes]

    def build():
        cases = cases_in_scope(scope, STAND_IN_USER)
        newest = cases.order_by("-opened_at").values("pk")[:recent]
        longest = cases.filter(danger_since__isnull=False).order_by("danger_since").values("pk")[:flagged]
        # Each part as a derived table: SQLite allows no LIMIT on a compound's own parts.
        newest_sql, newest_params = newest.query.sql_with_params()
        longest_sql, longest_params = longest.query.sql_with_params()
        ids = RawSQL(
            f"SELECT * FROM ({newest_sql}) newest UNION ALL SELECT * FROM ({longest_sql}) longest",
            (*newest_params, *longest_params),
        )
        # Joined once for both lists: planning two copies of the joins cost more than running them.
        return Case.objects.filter(pk__in=ids).annotate(**notes).values_list(*names)

    rows = compiled_values(
        f"overview:{scope}:{recent}:{flagged}:{','.join(notes)}",
        build,
        values={STAND_IN_USER: user.pk},
        named=True,
    )
    newest = sorted(rows, key=lambda r: r.opened_at, reverse=True)[:recent]
    longest = sorted((r for r in rows if r.danger_since is not None), key=lambda r: r.danger_since)[:flagged]
    return newest, longest


# --- the case lists: what needs doing next (issue: everyday use) ------------------------------------

CASE_LIST_SORTS = {
    # key: (label, ordering). Each ordering has an index, for a worker's cases and for the unit's
    # (Case.Meta.indexes): a page of 50 is read from it instead of sorting every case in scope.
    "danger": ("立即危險", [F("danger_since").asc(nulls_last=True), "-opened_at"]),
    "next_due": ("下一個期限", [F("next_deadline_due_at").asc(nulls_last=True), "-opened_at"]),
    "last_contact": ("最後聯繫", [F("last_contact_at").asc(nulls_first=True), "-opened_at"]),
    "dispatched": ("派案日", [F("last_dispatched_at").desc(nulls_last=True), "-opened_at"]),
    "opened": ("開案日（新到舊）", ["-opened_at"]),
    # The worker's name as kept on the case (cases.worker_sort), unassigned (null) last.
    "worker": (
        "承辦社工",
        [
            F("worker_last_name").asc(nulls_last=True),
            F("worker_first_name").asc(nulls_last=True),
            F("assigned_worker_id").asc(nulls_last=True),
            "-opened_at",
        ],
    ),
}


def case_list_sort(sort: str, *, user, worker_id: str = "") -> str:
    """The sort key a list is read in (unknown: danger first). By worker, one worker's cases (a worker's
    own list, or the list filtered to one worker) are simply newest first: the same rows in the same
    order, read from an index instead of sorted by the worker's name."""
    if sort not in CASE_LIST_SORTS:
        sort = "danger"
    if sort == "worker" and _one_worker(user, worker_id):
        sort = "opened"
    return sort


def _one_worker(user, worker_id: str) -> bool:
    return _worker_pk(worker_id) is not None or not user.has_perm("cases.view_all_cases")


def _worker_pk(worker_id: str) -> int | None:
    return int(worker_id) if worker_id.isascii() and worker_id.isdigit() and len(worker_id) < 12 else None


def case_list(
    user, *, status: str = "", worker_id: str = "", flagged: bool = False, sort: str = ""
) -> tuple[CompiledRows, CompiledRows]:
    """The case list in the user's scope, filtered and sorted: (the rows to page, as CASE_LIST_COLUMNS
    tuples, and the cases to count). Every sort reads a page from an index (Case.Meta.indexes); the SQL of
    each page and count is compiled once per process (cases.compiled)."""
    scope = case_scope(user)
    status = status if status in Case.Status.values else ""
    worker = _worker_pk(worker_id)
    sort_key = case_list_sort(sort, user=user, worker_id=worker_id)
    order = CASE_LIST_SORTS[sort_key][1]
    name = f"case_list:{scope}:{status}:{'one' if worker is not None else 'all'}:{flagged:d}:{sort_key}"
    # An id past the integer column's range matches nobody (0: no user has it).
    values = {STAND_IN_USER: user.pk, STAND_IN_OTHER_USER: worker if worker and worker < 2**31 else 0}

    def cases():
        return filter_case_list(
            cases_in_scope(scope, STAND_IN_USER),
            status=status,
            worker_pk=STAND_IN_OTHER_USER if worker is not None else None,
            flagged=flagged,
        )

    return (
        CompiledRows(f"{name}:page", lambda: case_list_rows(cases()).order_by(*order), values=values),
        CompiledRows(f"{name}:scope", cases, values=values),
    )


# What a row of the case list prints, read as tuples: no model instance per case, victim and worker, and
# of the victim's encrypted columns only the name is decrypted (cases/case_rows.py builds the row).
CASE_LIST_COLUMNS = (
    "pk",
    "number",
    "victim__name",
    "status",
    "danger_since",
    "next_deadline_due_at",
    "next_deadline_kind",
    "last_contact_at",
    "last_dispatched_at",
    "assigned_worker__last_name",
    "assigned_worker__first_name",
    "assigned_worker__username",
    "opened_at",
)


def case_list_rows(qs: QuerySet[Case]) -> QuerySet:
    """Each case with its victim's name and its worker, as CASE_LIST_COLUMNS tuples. The next open
    deadline, last contact and latest dispatch are columns of the case (cases.list_columns), kept by the
    services that change them."""
    return qs.values_list(*CASE_LIST_COLUMNS, named=True)


def filter_case_list(
    qs: QuerySet[Case], *, status: str = "", worker_pk: int | None = None, flagged: bool = False
):
    if status in Case.Status.values:
        qs = qs.filter(status=status)
    if worker_pk is not None:
        qs = qs.filter(assigned_worker_id=worker_pk)
    if flagged:
        qs = qs.filter(danger_since__isnull=False)
    return qs


# --- the deadline dashboard: every open deadline, filterable, paginated, and a week agenda ----------


def deadline_summary(user, *, today: dt.date | None = None, listed=None) -> dict[str, int]:
    """Counts of the user's open deadlines: overdue, due within 7 days, within 30 days (one query, each
    capped at 「999+」: counting a unit's 785,000 open deadlines on every request read them all).

    `listed`: the capped paginator of the dashboard's list, whose count is read in the same query.
    """
    today = today or timezone.localdate()
    before_today = end_of_day(today - dt.timedelta(days=1))
    week = end_of_day(today + dt.timedelta(days=7))
    month = end_of_day(today + dt.timedelta(days=30))
    open_rows = open_deadlines_for_user(user)
    querysets = {
        "overdue": open_rows.filter(due_at__lte=before_today),
        "week": open_rows.filter(due_at__gt=before_today, due_at__lte=week),
        "month": open_rows.filter(due_at__gt=before_today, due_at__lte=month),
    }
    if listed is None:
        return {key: capped(n) for key, n in capped_counts(querysets, cap=COUNT_CAP).items()}
    # One cap for all four: the list's is at least COUNT_CAP (the page asked for, past the 20th).
    counts = capped_counts({**querysets, "listed": listed.object_list}, cap=listed.limit)
    listed.count = capped(counts.pop("listed"), listed.limit)
    return {key: capped(min(n, COUNT_CAP)) for key, n in counts.items()}


def deadline_list(
    user,
    *,
    kind: str = "",
    owner_id: int | None = None,
    case_number: str = "",
    due_from: dt.date | None = None,
    due_to: dt.date | None = None,
) -> QuerySet[Deadline]:
    """Open deadlines in the user's scope, earliest first, with the dashboard's filters."""
    qs = open_deadlines_for_user(user)
    if kind in Deadline.Kind.values:
        qs = qs.filter(kind=kind)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if case_number:
        qs = qs.filter(case__number=case_number)
    if due_from is not None:
        qs = qs.filter(due_at__gt=end_of_day(due_from - dt.timedelta(days=1)))
    if due_to is not None:
        qs = qs.filter(due_at__lte=end_of_day(due_to))
    return qs.order_by("due_at")
