"""Querysets compiled to SQL once per process (issue 19).

On the busiest pages, building a queryset and compiling it cost more than running it: a case page's
three panels, the overview's cases, the search box's union, a list's page and its capped count. Such a
queryset's SQL is the same on every request but for a few values (the case, the user, a blind index), so
it is built once, with stand-ins for those values, and each request runs that SQL with its own values in
their place. The rows get the ORM's own conversions (decryption, SQLite's dates), as values_list() would
give them.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict, namedtuple
from collections.abc import Callable, Mapping

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

# Values no row has: no case has the nil UUID (uuid4 sets version bits), user ids count up from 1, and a
# blind index is 64 hex digits.
STAND_IN_CASE = uuid.UUID(int=0)
STAND_IN_USER = -1
STAND_IN_OTHER_USER = -2  # a second user in the same query (a list filtered to one worker)
STAND_IN_TEXT = "stand-in: a value given per request"

# (name, database alias, vendor, wrap) -> (SQL, params, converters by position, column names); None: the
# queryset matches nothing (.none()), so it has no SQL. Least recently used first, and bounded: a name
# may carry a filter's value (a list's state).
_compiled: OrderedDict[tuple[str, str, str, str], tuple[str, list, list, tuple] | None] = OrderedDict()
KEEP = 2048


def compiled_values(
    name: str,
    build: Callable[[], QuerySet],
    *,
    values: Mapping | None = None,
    using: str = "default",
    named: bool = False,
    wrap: str = "",
    tail: tuple = (),
) -> list:
    """The rows of build(), a values_list() queryset built with stand-ins (STAND_IN_CASE, STAND_IN_USER,
    STAND_IN_TEXT, or a caller's own value no row has) where each request has its own value; `values`
    maps each stand-in to this request's. named: the rows as namedtuples, as values_list(named=True) gives
    them. wrap: SQL around the queryset's that keeps its columns ("{}" where it goes), with `tail` the
    values of its own placeholders (a page's LIMIT and OFFSET).

    `name` tells the SQL apart: everything else the queryset depends on (a role's scope, a page size) must
    be part of it ("<app_label>.<what>" outside the hub). A list-valued stand-in is not supported."""
    entry = _entry(name, build, using, wrap)
    if entry is None:
        return []
    sql, params, converters, names = entry
    rows = _execute(sql, params, values, tail, using)
    if converters:
        connection = connections[using]
        converted = []
        for row in rows:
            row = list(row)
            for position, functions, expression in converters:
                for convert in functions:
                    row[position] = convert(row[position], expression, connection)
            converted.append(row)
        rows = converted
    if named:
        row_type = _row_type(names)
        return [row_type(*row) for row in rows]
    return rows


def compiled_count(
    name: str, build: Callable[[], QuerySet], *, limit: int, values: Mapping | None = None, using="default"
) -> int:
    """How many rows build() has, counting at most `limit` (an index range, as cases.paging does)."""
    wrap = "SELECT COUNT(*) FROM ({} LIMIT %s) capped_rows"
    entry = _entry(f"{name}:count", lambda: build().order_by().values_list("pk"), using, wrap)
    if entry is None:
        return 0
    sql, params, _, _ = entry
    return int(_execute(sql, params, values, (limit,), using)[0][0])


class CompiledRows:
    """A values_list() queryset's rows as a paginator's list (cases.paging.CappedPaginator): each page
    and the capped count run SQL compiled once per process (a page's LIMIT and OFFSET are parameters);
    build() is called only to compile. Rows are namedtuples, as values_list(named=True) gives them."""

    ordered = True  # build() orders its rows (Django's paginator warns otherwise)

    def __init__(self, name: str, build: Callable[[], QuerySet], *, values: Mapping | None = None):
        self.name, self.build, self.values = name, build, values or {}

    def __getitem__(self, index: slice) -> list:
        start, stop = index.start or 0, index.stop
        return compiled_values(
            self.name,
            self.build,
            values=self.values,
            named=True,
            wrap="{} LIMIT %s OFFSET %s",
            tail=(stop - start, start),
        )

    def count_up_to(self, limit: int) -> int:
        return compiled_count(self.name, self.build, limit=limit, values=self.values)


def _entry(name: str, build: Callable[[], QuerySet], using: str, wrap: str):
    connection = connections[using]
    key = (name, using, connection.vendor, wrap)
    if key in _compiled:
        _compiled.move_to_end(key)
        return _compiled[key]
    try:
        entry = _compile(build(), using, wrap)
    except EmptyResultSet:  # raised while building, as by a part compiled into raw SQL
        entry = None
    _compiled[key] = entry
    if len(_compiled) > KEEP:
        _compiled.popitem(last=False)
    return entry


def _execute(sql: str, params: list, values: Mapping | None, tail: tuple, using: str) -> list:
    forms = _forms(values or {})
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [*(forms.get(p, p) if _substitutable(p) else p for p in params), *tail])
        return cursor.fetchall()


_row_types: dict[tuple, type] = {}


def _row_type(names: tuple) -> type:
    if names not in _row_types:
        _row_types[names] = namedtuple("Row", names)
    return _row_types[names]


def _compile(queryset: QuerySet, using: str, wrap: str) -> tuple[str, list, list, tuple]:
    compiler = queryset.query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    columns = [column[0] for column in compiler.select[: compiler.col_count]]
    converters = [
        (position, functions, expression)
        for position, (functions, expression) in compiler.get_converters(columns).items()
    ]
    query = queryset.query
    names = tuple(queryset._fields or (*query.extra_select, *query.values_select, *query.annotation_select))
    return (wrap.format(sql) if wrap else sql), list(params), converters, names


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


__all__ = [
    "STAND_IN_CASE",
    "STAND_IN_OTHER_USER",
    "STAND_IN_TEXT",
    "STAND_IN_USER",
    "CompiledRows",
    "compiled_count",
    "compiled_values",
    "forget_compiled",
]
