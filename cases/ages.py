"""Minor or adult (指引 G-5): one answer for every app, from the victim's birth date.

The takedown SLA (24 h for a minor, 72 h for an adult), StopNCII eligibility (adults only) and the
police-report rule of 9-2-7 (a minor needs a guardian or a social worker present) all ask it. With no
birth date the answer is None (unknown): callers decide what unknown means for them, and say so.
"""

from __future__ import annotations

import datetime as dt

ADULT_AGE = 18  # Civil Code art. 12 (since 112.01.01)


def age_on(birth_date: dt.date | None, day: dt.date) -> int | None:
    """Completed years on `day`; None without a birth date."""
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_minor_on(birth_date: dt.date | None, day: dt.date) -> bool | None:
    """True under 18 on `day`, False from the 18th birthday on, None when the birth date is unknown."""
    age = age_on(birth_date, day)
    return None if age is None else age < ADULT_AGE


def victim_is_minor(victim, day: dt.date | None = None) -> bool | None:
    """Is the victim a minor on `day` (default today, Asia/Taipei)? True / False / None (unknown)."""
    from django.utils import timezone

    return is_minor_on(victim.birth_date, day or timezone.localdate())


def minor_label(minor: bool | None) -> str:
    """What the intake and case pages show."""
    return {True: "未成年（未滿18歲）", False: "成年", None: "年齡不明（未填出生日期）"}[minor]
