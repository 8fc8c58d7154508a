"""Legal period arithmetic (guideline 4-3-1A, 4-3-1B; docs/legal.md). Pure functions, no Django.

Periods are counted by the Civil Code (Code of Criminal Procedure art. 65 → Civil Code arts. 120–122).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Container

from cases.rocdate import format_roc

COMPLAINT_PERIOD_MONTHS = 6  # Code of Criminal Procedure art. 237


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def period_end(start: dt.date, *, months: int) -> dt.date:
    """Last day of a period of `months` that starts on (and counts) `start`.

    Civil Code art. 121 §2: the day before the corresponding day of the last month; when that month
    has no corresponding day, its last day. A period starting on the 1st therefore ends on the last
    day of the month before the corresponding month, which the same rule gives.
    """
    year, month = _add_months(start.year, start.month, months)
    last_day = calendar.monthrange(year, month)[1]
    if start.day > last_day:
        return dt.date(year, month, last_day)
    return dt.date(year, month, start.day) - dt.timedelta(days=1)


def complaint_deadline(knowledge_date: dt.date) -> dt.date:
    """Last day to file a complaint: six months from knowing the offender (知悉犯人).

    Art. 120 §2: the day of knowledge is not counted, so the period starts the next day. The art. 122
    shift to the next working day is deliberately not applied (see `complaint_deadline_note`).
    """
    return period_end(knowledge_date + dt.timedelta(days=1), months=COMPLAINT_PERIOD_MONTHS)


def limitation_deadline(offence_date: dt.date, years: int) -> dt.date:
    """Last day of the prosecution limitation (Criminal Code art. 80): `years` from the offence.

    Art. 80 §2 counts from the day the offence was completed (or continuing conduct ended). Whether
    that day itself counts is argued; counting it gives the earlier date, and the tracker must never
    be later than the law, so it is counted.
    """
    return period_end(offence_date, months=12 * years)


def is_rest_day(day: dt.date, holidays: Container[dt.date], workdays: Container[dt.date] = ()) -> bool:
    """A Saturday, Sunday or official holiday, unless the calendar makes it a working day (補行上班)."""
    if day in workdays:
        return False
    return day.weekday() >= 5 or day in holidays


def next_working_day(
    day: dt.date, holidays: Container[dt.date], workdays: Container[dt.date] = ()
) -> dt.date:
    while is_rest_day(day, holidays, workdays):
        day += dt.timedelta(days=1)
    return day


def complaint_deadline_note(
    deadline: dt.date, holidays: Container[dt.date], workdays: Container[dt.date] = ()
) -> str:
    """A note (never a new date) when the last day falls on a weekend or an official holiday.

    Civil Code art. 122 would move it to the next working day; whether that applies to the complaint
    period is unsettled, so staff act by the unshifted date.
    """
    if not is_rest_day(deadline, holidays, workdays):
        return ""
    shifted = next_working_day(deadline, holidays, workdays)
    return (
        f"期間末日為例假日；依民法第122條或可延至 {format_roc(shifted)}，"
        "但實務見解不一，請以原末日為準提出告訴。"
    )
