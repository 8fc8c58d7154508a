"""Pages of a long list without counting all of it: the count stops at a cap ("999+").

An exact COUNT(*) reads every row in scope on each request (165 ms for a million cases); counting
at most `cap` rows reads at most that many index entries. Past the cap the page still knows whether
a next page exists: the limit grows to one row past the page asked for.
"""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import IntegerField, Subquery

COUNT_CAP = 1000


def page_number(value) -> int:
    """The page asked for (1 when missing or not a number)."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and 0 < len(text) < 7 else 1


_page_number = page_number


class CappedPaginator(Paginator):
    """A Paginator whose count is exact up to `cap` rows (or the page asked for) and capped beyond.

    `count_from`: the rows to count when the page is read from a narrower queryset that holds every row
    up to the page asked for (the case list by worker) but not all the others.
    """

    def __init__(self, object_list, per_page, *, page=None, cap: int = COUNT_CAP, count_from=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = max(cap, _page_number(page) * per_page + 1)
        self.count_from = count_from

    @cached_property
    def count(self) -> int:
        rows = self.object_list if self.count_from is None else self.count_from
        if hasattr(rows, "count_up_to"):  # cases.compiled.CompiledRows
            n = rows.count_up_to(self.limit)
        elif hasattr(rows, "values"):  # a queryset: count primary keys of at most `limit` rows, unordered
            n = rows.order_by().values("pk")[: self.limit].count()
        else:
            n = min(len(rows), self.limit)
        return Capped(n, self.limit)

    @property
    def capped(self) -> bool:
        return self.count >= self.limit

    @cached_property
    def num_pages(self) -> int:
        pages = super().num_pages
        return _AtLeast(pages) if self.capped else pages


def capped_page(object_list, per_page: int, page, *, cap: int = COUNT_CAP, count_from=None):
    """The requested page of a capped list (an invalid or too-high number shows the last page)."""
    return CappedPaginator(object_list, per_page, page=page, cap=cap, count_from=count_from).get_page(page)


def capped_counts(querysets: dict[str, object], *, cap: int = COUNT_CAP) -> dict[str, int]:
    """Several capped counts in one query: {key: number of rows, at most cap}."""
    from django.db import connections

    if not querysets:
        return {}
    parts, params = [], []
    for qs in querysets.values():
        sql, p = qs.order_by().values("pk")[:cap].query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) capped)")
        params += list(p)
    db = next(iter(querysets.values())).db
    with connections[db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets, (int(n) for n in row), strict=True))


class Capped(int):
    """A count that prints as 「999+」 at its cap; compares and adds like the int it is, so templates and
    callers need no change."""

    def __new__(cls, value: int, cap: int = COUNT_CAP):
        obj = super().__new__(cls, value)
        obj.cap = cap
        return obj

    def __str__(self) -> str:
        return f"{self.cap - 1:,}+" if self >= self.cap else int.__repr__(self)

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else int.__format__(self, spec)


class _AtLeast(int):
    """A page count known only from below: prints 「20+」."""

    def __str__(self) -> str:
        return f"{int.__repr__(self)}+"


def capped(n: int, cap: int = COUNT_CAP) -> Capped:
    return Capped(n, cap)


class CappedCount(Subquery):
    """COUNT(*) of a correlated subquery's rows, reading at most `cap` of them (an index range)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) capped_rows)"

    def __init__(self, queryset, *, cap: int = COUNT_CAP):
        super().__init__(queryset.order_by().values("pk")[:cap], output_field=IntegerField())
