"""Which of a case's record tables hold any row, asked in ONE query per case page.

The case page shows some thirty kinds of records (the hub's contacts and closing steps, every app's
panel) and most cases have rows in only a few of them; asking each table for its rows made the page
42 queries. Each app registers, for a case, one queryset per kind of record it reads
(`register_case_records`); the case page asks them all at once with `probe_case_records`
(`SELECT EXISTS(...), EXISTS(...), …`, one index probe each), and the apps read their rows through
`case_rows` / `case_first`, which skip the query (and, given a function that builds it, the queryset)
for a kind the probe found empty. Outside the case page (no probe ran) they simply query. The case page
reads the probe as one more column of its case's query (`with_case_records_probe`), not as a query of
its own.

Asked for a user, the probe also says whether that user has unread dispatch notices of the case, so
opening the case marks them read (cases.notifications.mark_read_for_case) only when there are some.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.db import connections
from django.db.models import CharField, Q, QuerySet
from django.db.models.expressions import RawSQL

_sources: list[Callable] = []

_PROBED = "_case_records_present"
_PROBED_FOR = "_case_records_user"

UNREAD_DISPATCH_NOTICES = "cases.unread_dispatch_notices"


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


def _user_records(case, user) -> dict[str, QuerySet]:
    from cases.models import Notification
    from cases.notifications import unread_for

    return {UNREAD_DISPATCH_NOTICES: unread_for(user).filter(case=case, kind=Notification.Kind.DISPATCH)}


_STAND_IN = uuid.UUID(int=0)
_STAND_IN_USER = -1
# (db, with a user) -> (keys, one EXISTS(...) per key, params, how many of the params are the case part's)
_compiled: dict[tuple[str, bool], tuple[list[str], list[str], list, int]] = {}
_COLUMN = "case_records_probe"  # the probe as one column of the case's own query (with_case_records_probe)
_FROM_COLUMN = "_case_records_from_column"


def _probe_parts(db: str, *, with_user: bool) -> tuple[list[str], list[str], list, int]:
    """(keys, parts, params, n) of the probe for the stand-in case (and user), compiled once per process and
    database; the first n params are the case's kinds', the rest the user's."""
    if (db, with_user) not in _compiled:
        from django.contrib.auth import get_user_model

        from cases.models import Case

        stand_in = Case(pk=_STAND_IN)
        querysets = _hub_records(stand_in)
        for source in _sources:
            querysets.update(source(stand_in))
        parts, params = [], []

        def add(querysets):
            for qs in querysets.values():
                sql, p = qs.using(db).order_by().values("pk")[:1].query.sql_with_params()
                parts.append(f"EXISTS({sql})")
                params.extend(p)

        add(querysets)
        n = len(params)
        if with_user:
            user_querysets = _user_records(stand_in, get_user_model()(pk=_STAND_IN_USER))
            add(user_querysets)
            querysets.update(user_querysets)
        _compiled[db, with_user] = (list(querysets), parts, params, n)
    return _compiled[db, with_user]


def _bind(params: list, n: int, pk, user) -> list:
    """The compiled params with the case's key (and the user's) for the stand-ins."""
    # The stand-in in the form the backend's compiler gave it (a UUID on PostgreSQL, hex text on SQLite).
    pk = pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))
    forms = {_STAND_IN: pk, _STAND_IN.hex: pk.hex, str(_STAND_IN): str(pk)}
    params = [forms.get(p, p) if isinstance(p, uuid.UUID | str) else p for p in params]
    if user is not None:
        # The user's stand-in only in the user's part: a kind's own integer parameter is left alone.
        params[n:] = [user.pk if p == _STAND_IN_USER else p for p in params[n:]]
    return params


def _keep(case, keys: list[str], answers, user) -> dict[str, bool]:
    present = dict(zip(keys, (bool(int(x)) for x in answers), strict=True))
    case.__dict__[_PROBED] = present
    case.__dict__[_PROBED_FOR] = None if user is None else user.pk
    return present


def probe_case_records(case, user=None) -> dict[str, bool]:
    """Ask every registered kind of record whether the case has a row of it (and, with `user`, whether the
    user has unread dispatch notices of the case), in one query; the answer is kept on the case for this
    request (the case object lives as long as the request). No query when the case was read with the
    probe for the same user (with_case_records_probe)."""
    if case.__dict__.pop(_FROM_COLUMN, False) and case.__dict__[_PROBED_FOR] == (user and user.pk):
        return case.__dict__[_PROBED]
    db = case._state.db or "default"
    keys, parts, params, n = _probe_parts(db, with_user=user is not None)
    with connections[db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), _bind(params, n, case.pk, user))
        row = cursor.fetchone()
    return _keep(case, keys, row, user)


def with_case_records_probe(queryset, pk, user=None) -> QuerySet:
    """`queryset` (of cases, to be read by `pk`) with the probe of case `pk` (for `user`) as one more
    column: the case page reads its case and the probe in ONE query (cases.selectors.case_for_user with
    probe=True), then take_case_records_probe() keeps the answer as probe_case_records() would. Without a
    case of that key in the queryset (no access), nothing is read."""
    try:
        uuid.UUID(str(pk))
    except ValueError:
        return queryset  # not a case's key: the caller's get() says so
    keys, parts, params, n = _probe_parts(queryset.db, with_user=user is not None)
    # One text column of 0s and 1s: the same SQL on PostgreSQL and SQLite, whatever the number of kinds.
    sql = " || ".join(f"(CASE WHEN {part} THEN '1' ELSE '0' END)" for part in parts)
    return queryset.annotate(**{_COLUMN: RawSQL(sql, _bind(params, n, pk, user), output_field=CharField())})


def take_case_records_probe(case, user=None) -> None:
    """Keep the probe read with the case (with_case_records_probe, for the same `user`) as its answer; the
    next probe_case_records(case, user) returns it without a query. A case read otherwise (break-glass)
    has no such column and is probed by a query."""
    column = case.__dict__.pop(_COLUMN, None)
    if column is not None:
        _keep(case, _probe_parts(case._state.db or "default", with_user=user is not None)[0], column, user)
        case.__dict__[_FROM_COLUMN] = True


def _empty(case, key: str) -> bool:
    present = case.__dict__.get(_PROBED)
    return present is not None and present.get(key) is False


def no_unread_dispatch_notices(case, user) -> bool:
    """True when the case page's probe, asked for `user`, found none of their dispatch notices of the case
    unread (so there is nothing to mark read); False when it found some or was not asked."""
    return case.__dict__.get(_PROBED_FOR) == user.pk and _empty(case, UNREAD_DISPATCH_NOTICES)


def case_rows(case, key: str, queryset) -> list:
    """The rows of `queryset` (the case's records of kind `key`), or [] without a query when the case
    page's probe found none. `queryset` may be a function returning it: then a kind the case does not
    have costs not even building the queryset (the page asks for thirty kinds, most of them empty)."""
    if _empty(case, key):
        return []
    return list(queryset() if callable(queryset) else queryset)


def case_first(case, key: str, queryset):
    """queryset.first(), or None without a query when the case page's probe found no row of `key`
    (`queryset` may be a function returning it, as for case_rows)."""
    if _empty(case, key):
        return None
    return (queryset() if callable(queryset) else queryset).first()
