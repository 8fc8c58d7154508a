"""Quiet hours and retry backoff. Pure functions on local (Asia/Taipei) times."""

from __future__ import annotations

import datetime as dt


def parse_clock(text: str) -> dt.time:
    """'22:00' -> time(22, 0); anything else raises ValueError (settings fail loudly)."""
    hours, _, minutes = text.strip().partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"not a HH:MM time: {text!r}")
    return dt.time(int(hours), int(minutes))


def quiet_hours_end(local: dt.datetime, start: dt.time, end: dt.time) -> dt.datetime | None:
    """When the quiet period that `local` falls in ends, or None when `local` is outside it.

    The period is [start, end): 22:00 is quiet, 08:00 is not. It may wrap midnight (22:00-08:00).
    start == end means no quiet hours. `local` is an aware datetime in the local time zone; the
    result is in the same zone.
    """
    if start == end:
        return None
    clock = local.time().replace(tzinfo=None)
    day = local.date()
    if start < end:
        quiet = start <= clock < end
        end_day = day
    else:
        quiet = clock >= start or clock < end
        end_day = day + dt.timedelta(days=1) if clock >= start else day
    if not quiet:
        return None
    return dt.datetime.combine(end_day, end, tzinfo=local.tzinfo)


def retry_delay(attempts: int, *, base: int, cap: int) -> dt.timedelta:
    """Exponential backoff after the n-th failed attempt: base, 2·base, 4·base … at most cap seconds."""
    return dt.timedelta(seconds=min(cap, base * 2 ** max(attempts - 1, 0)))


def quiet_hours_start(local: dt.datetime, start: dt.time, end: dt.time) -> dt.datetime | None:
    """When the quiet period that `local` falls in began, or None when `local` is outside it."""
    if quiet_hours_end(local, start, end) is None:
        return None
    clock = local.time().replace(tzinfo=None)
    day = local.date()
    if start > end and clock < end:  # after midnight in a period that began the evening before
        day -= dt.timedelta(days=1)
    return dt.datetime.combine(day, start, tzinfo=local.tzinfo)


def appointment_reminder_time(
    wanted: dt.datetime, appointment: dt.datetime, start: dt.time, end: dt.time
) -> dt.datetime:
    """When to remind of an appointment: `wanted`, unless quiet hours would hold the message until
    after the appointment (a 07:30 appointment, reminded at 07:30 the day before, is fine; one reminded
    at 23:00 for 07:30 is not): then shortly before that quiet period begins.
    """
    ends = quiet_hours_end(wanted, start, end)
    if ends is None or ends < appointment:
        return wanted
    return quiet_hours_start(wanted, start, end) - dt.timedelta(minutes=30)
