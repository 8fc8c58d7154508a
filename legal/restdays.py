"""The official calendar for the Civil Code art. 122 note: Taiwan's holidays plus the admins' overrides.

`holidays.TW()` knows the national holidays, bridge days and make-up working Saturdays; the yearly
official calendar and typhoon days off are added by administrators as `RestDay` rows, which win.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays

from legal.deadlines import complaint_deadline_note
from legal.models import RestDay


@lru_cache(maxsize=16)
def _official(years: tuple[int, ...]) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    calendar = holidays.TW(years=years)
    return frozenset(calendar.keys()), frozenset(calendar.weekend_workdays)


def rest_day_calendar(years: Iterable[int]) -> tuple[set[dt.date], set[dt.date]]:
    """(rest days, working weekend days) for the given years; one query for the overrides."""
    years = tuple(sorted(set(years)))
    official_rest, official_work = _official(years)
    rest, work = set(official_rest), set(official_work)
    overrides = RestDay.objects.filter(
        date__gte=dt.date(years[0], 1, 1), date__lte=dt.date(years[-1], 12, 31)
    )
    for day, kind in overrides.order_by().values_list("date", "kind"):
        if kind == RestDay.Kind.REST:
            rest.add(day)
            work.discard(day)
        else:
            work.add(day)
            rest.discard(day)
    return rest, work


def art122_notes(days: Iterable[dt.date]) -> dict[dt.date, str]:
    """The art. 122 note for each last day (empty when it is a working day); one query in all."""
    days = set(days)
    if not days:
        return {}
    # A shift can run past New Year (e.g. 12/31 on a Saturday), so the following year is loaded too.
    years = {d.year for d in days} | {d.year + 1 for d in days}
    rest, work = rest_day_calendar(years)
    return {day: complaint_deadline_note(day, rest, work) for day in days}
