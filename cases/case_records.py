"""Which of a case's record tables hold any row, asked in ONE query per case page.

The case page shows some thirty kinds of records (the hub's contacts and closing steps, every app's
panel) and most cases have rows in only a few of them; asking each table for its rows made the page
42 queries. Each app registers, for a case, one queryset per kind of record it reads
(`register_case_records`); the case page asks them all at once with `probe_case_records`
(`SELECT EXISTS(...), EXISTS(...), …`, one index probe each), and the apps read their rows through
`case_rows` / `case_first`, which skip the query for a kind the probe found empty. Outside the case
page (no probe ran) they simply query.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.db import connections
from django.db.models import Q, QuerySet

_sources: list[Callable] = []

_PROBED = "_case_records_present"


def register_case_records(source: Callable) -> None:
    """source(case) -> {key: queryset of the case's rows of one kind}; keys are "<app_label>.<name>".

    The querysets may depend on the case's primary key only: the probe's SQL is compiled once per process
    for a stand-in case and reused with each case's key (compiling thirty querysets cost more than
    running the probe)."""
    _sources.append(source)
    _compiled.clear()


def _hub_records(case) -> dict[str, QuerySet]:
    from cases.models import CaseStatusChange, Contact, ServiceAppointment

    return {
        "cases.contacts": Contact.objects.filter(Q(case=case) | Q(intake__case=case)),
        "cases.status_changes": CaseStatusChange.objects.filter(case=case),
        "cases.appointments": ServiceAppointment.objects.filter(Q(case=case) | Q(intake__case=case)),
    }


_STAND_IN = uuid.UUID(int=0)
_compiled: dict[str, tuple[list[str], str, list]] = {}


def _probe_sql(db: str) -> tuple[list[str], str, list]:
    """(keys, SQL, params) of the probe for the stand-in case, compiled once per process and database."""
    if db not in _compiled:
        from cases.models import Case

        stand_in = Case(pk=_STAND_IN)
        querysets = _hub_records(stand_in)
        for source in _sources:
            querysets.update(source(stand_in))
        parts, params = [], []
        for qs in querysets.values():
            sql, p = qs.using(db).order_by().values("pk")[:1].query.sql_with_params()
            parts.append(f"EXISTS({sql})")
            params += list(p)
        _compiled[db] = (list(querysets), "SELECT " + ", ".join(parts), params)
    return _compiled[db]


def probe_case_records(case) -> dict[str, bool]:
    """Ask every registered kind of record whether the case has a row of it, in one query; the answer is
    kept on the case for this request (the case object lives as long as the request)."""
    db = case._state.db or "default"
    keys, sql, params = _probe_sql(db)
    # The stand-in in the form the backend's compiler gave it (a UUID on PostgreSQL, hex text on SQLite).
    pk = case.pk if isinstance(case.pk, uuid.UUID) else uuid.UUID(str(case.pk))
    forms = {_STAND_IN: pk, _STAND_IN.hex: pk.hex, str(_STAND_IN): str(pk)}
    params = [forms.get(p, p) if isinstance(p, uuid.UUID | str) else p for p in params]
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    present = dict(zip(keys, (bool(x) for x in row), strict=True))
    case.__dict__[_PROBED] = present
    return present


def _empty(case, key: str) -> bool:
    present = case.__dict__.get(_PROBED)
    return present is not None and present.get(key) is False


def case_rows(case, key: str, queryset) -> list:
    """The rows of `queryset` (the case's records of kind `key`), or [] without a query when the case
    page's probe found none."""
    return [] if _empty(case, key) else list(queryset)


def case_first(case, key: str, queryset):
    """queryset.first(), or None without a query when the case page's probe found no row of `key`."""
    return None if _empty(case, key) else queryset.first()
