"""What the case lists show and sort on, kept on the case row (issues 18 and 19: fast lists).

- `next_deadline_due_at`, `next_deadline_kind`: the case's earliest open deadline (by due moment, then
  kind, then id);
- `last_contact_at`: its latest contact, logged on the case or on an intake that joined it;
- `last_dispatched_at`: its latest dispatch;
- `delegated_deadlines`: how many of its open deadlines its assigned worker does not own, 0 without a
  worker (the worker's deadline dashboard lists them too, found through the few cases where this is
  not 0).

Computed per row in the list query, sorting by one of them read every case in scope (a worker's
28,000 at a million cases); kept on the row with an index, a page of 50 is read from the index. Every
hub service that writes a deadline, a contact or a dispatch, or moves an intake (and its contacts) to a
case, calls `case_list_columns_refresh` in its own transaction; satellites write deadlines only
through `cases.tracker`, which does. `tests/cases/test_list_columns.py` walks every write path.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from cases.models import Case, Contact, Deadline, Dispatch


def fresh_list_columns(outer: str = "pk") -> dict:
    """The four values as subqueries correlated with the case `outer` names (for update or annotate)."""
    open_deadlines = Deadline.objects.filter(case=OuterRef(outer), state=Deadline.State.OPEN).order_by(
        "due_at", "kind", "pk"
    )
    contacts = Contact.objects.filter(Q(case=OuterRef(outer)) | Q(intake__case=OuterRef(outer))).order_by(
        "-contacted_at"
    )
    dispatches = Dispatch.objects.filter(case=OuterRef(outer)).order_by("-dispatched_at")
    delegated = (
        Deadline.objects.filter(
            case=OuterRef(outer), state=Deadline.State.OPEN, case__assigned_worker__isnull=False
        )
        .exclude(owner=OuterRef("assigned_worker"))
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        "next_deadline_due_at": Subquery(open_deadlines.values("due_at")[:1]),
        "next_deadline_kind": Coalesce(Subquery(open_deadlines.values("kind")[:1]), Value("")),
        "last_contact_at": Subquery(contacts.values("contacted_at")[:1]),
        "last_dispatched_at": Subquery(dispatches.values("dispatched_at")[:1]),
        "delegated_deadlines": Coalesce(Subquery(delegated), Value(0)),
    }


def case_list_columns_refresh(*, case_ids: Iterable) -> None:
    """Recompute the kept values of these cases, inside the caller's transaction. Two queries.

    The case rows are locked first and the values computed in a statement of its own: under READ
    COMMITTED that statement sees every change committed by a transaction that refreshed the same
    case before, so concurrent writers cannot leave a stale value behind.
    """
    ids = lock_cases(case_ids)
    if ids:
        Case.objects.filter(pk__in=ids).update(**fresh_list_columns())


def lock_cases(case_ids: Iterable) -> list:
    """Lock these case rows (in id order, so two writers never wait on each other crosswise). The
    tracker locks the case before its deadline rows, as the contact and dispatch services do."""
    ids = sorted({pk for pk in case_ids if pk is not None}, key=str)
    if ids:
        list(Case.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    return ids


# Set-based: for the migration that added the columns and for the benchmark's bulk seeding (a Python
# loop over a million cases would take hours). Writes only the rows whose values differ.
REFRESH_ALL_SQL = """
WITH next_due AS (
    SELECT DISTINCT ON (case_id) case_id, due_at, kind FROM cases_deadline
    WHERE state = 'open' ORDER BY case_id, due_at, kind, id
), contacts AS (
    SELECT case_id, max(at) AS at FROM (
        SELECT case_id, contacted_at AS at FROM cases_contact WHERE case_id IS NOT NULL
        UNION ALL
        SELECT i.case_id, c.contacted_at FROM cases_contact c JOIN cases_intake i ON i.id = c.intake_id
        WHERE i.case_id IS NOT NULL
    ) t GROUP BY case_id
), dispatches AS (
    SELECT case_id, max(dispatched_at) AS at FROM cases_dispatch GROUP BY case_id
), delegated AS (
    SELECT d.case_id, count(*) AS n FROM cases_deadline d JOIN cases_case c ON c.id = d.case_id
    WHERE d.state = 'open' AND c.assigned_worker_id IS NOT NULL
        AND d.owner_id IS DISTINCT FROM c.assigned_worker_id
    GROUP BY d.case_id
), kept AS (
    SELECT c.id, n.due_at, coalesce(n.kind, '') AS kind, k.at AS contact_at, d.at AS dispatched_at,
        coalesce(g.n, 0) AS delegated
    FROM cases_case c
    LEFT JOIN next_due n ON n.case_id = c.id
    LEFT JOIN contacts k ON k.case_id = c.id
    LEFT JOIN dispatches d ON d.case_id = c.id
    LEFT JOIN delegated g ON g.case_id = c.id
)
UPDATE cases_case c
SET next_deadline_due_at = kept.due_at, next_deadline_kind = kept.kind,
    last_contact_at = kept.contact_at, last_dispatched_at = kept.dispatched_at,
    delegated_deadlines = kept.delegated
FROM kept
WHERE kept.id = c.id AND (
    c.next_deadline_due_at IS DISTINCT FROM kept.due_at OR c.next_deadline_kind IS DISTINCT FROM kept.kind
    OR c.last_contact_at IS DISTINCT FROM kept.contact_at
    OR c.last_dispatched_at IS DISTINCT FROM kept.dispatched_at
    OR c.delegated_deadlines IS DISTINCT FROM kept.delegated
)
"""


def case_list_columns_refresh_all() -> int:
    """Bring every case's kept values up to date in one statement (PostgreSQL; elsewhere by subqueries)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(REFRESH_ALL_SQL)
            return cursor.rowcount
    # SQLite (development): compare in Python, so the count is of the cases that differed, as above.
    fresh = fresh_list_columns()
    stale = [
        row["pk"]
        for row in Case.objects.annotate(**{f"fresh_{k}": v for k, v in fresh.items()}).values(
            "pk", *fresh, *(f"fresh_{k}" for k in fresh)
        )
        if any(row[k] != row[f"fresh_{k}"] for k in fresh)
    ]
    for start in range(0, len(stale), 500):
        Case.objects.filter(pk__in=stale[start : start + 500]).update(**fresh)
    return len(stale)
