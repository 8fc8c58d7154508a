"""Querysets compiled to SQL once per process (issue 19).

On the busiest pages, building a queryset and compiling it cost more than running it: a case page's
three panels, the overview's cases, the search box's union. Such a queryset's SQL is the same on every
request but for a few values (the case, the user, a blind index), so it is built once, with stand-ins
for those values, and each request runs that SQL with its own values in their place. The rows get the
ORM's own conversions (decryption, SQLite's dates), as values_list() would give them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

# Values no row has: no case has the nil UUID (uuid4 sets version bits), user ids count up from 1, and a
# blind index is 64 hex digits.
STAND_IN_CASE = uuid.UUID(int=0)
STAND_IN_USER = -1
STAND_IN_TEXT = "stand-in: a value given per request"

# (name, database alias, vendor) -> (SQL, params, converters by position); None: the queryset matches
# nothing (.none()), so it has no SQL.
_compiled: dict[tuple[str, str, str], tuple[str, list, list] | None] = {}


def compiled_values(
    name: str, build: Callable[[], QuerySet], *, values: Mapping | None = None, using: str = "default"
) -> list:
    """The rows of build(), a values_list() queryset built with stand-ins (STAND_IN_CASE, STAND_IN_USER,
    STAND_IN_TEXT) where each request has its own value; `values` maps each stand-in to this request's.

    `name` tells the SQL apart: everything else the queryset depends on (a role's scope, a page size) must
    be part of it ("<app_label>.<what>" outside the hub). A list-valued stand-in is not supported."""
    connection = connections[using]
    key = (name, using, connection.vendor)
    if key not in _compiled:
        try:
            _compiled[key] = _compile(build(), using)
        except EmptyResultSet:  # raised while building, as by a part compiled into raw SQL
            _compiled[key] = None
    entry = _compiled[key]
    if entry is None:
        return []
    sql, params, converters = entry
    forms = _forms(values or {})
    with connection.cursor() as cursor:
        cursor.execute(sql, [forms.get(p, p) if _substitutable(p) else p for p in params])
        rows = cursor.fetchall()
    if not converters:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for position, functions, expression in converters:
            for convert in functions:
                row[position] = convert(row[position], expression, connection)
        converted.append(row)
    return converted


def _compile(queryset: QuerySet, using: str) -> tuple[str, list, list]:
    compiler = queryset.query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    columns = [column[0] for column in compiler.select[: compiler.col_count]]
    converters = [
        (position, functions, expression)
        for position, (functions, expression) in compiler.get_converters(columns).items()
    ]
    return sql, list(params), converters


def _substitutable(param) -> bool:
    return isinstance(param, uuid.UUID | str | int) and not isinstance(param, bool)


def _forms(values: Mapping) -> dict:
    """Each stand-in in every form a backend's compiler may have given it (a UUID is a UUID on
    PostgreSQL, hex text on SQLite), mapped to this request's value in the same form."""
    forms = {}
    for stand_in, value in values.items():
        if isinstance(stand_in, uuid.UUID):
            value = value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
            forms[stand_in.hex] = value.hex
            forms[str(stand_in)] = str(value)
        forms[stand_in] = value
    return forms


def forget_compiled() -> None:
    """Tests that change what a compiled queryset depends on (a registry, a setting) start afresh."""
    _compiled.clear()


__all__ = ["STAND_IN_CASE", "STAND_IN_TEXT", "STAND_IN_USER", "compiled_values", "forget_compiled"]
