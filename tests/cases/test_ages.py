"""Minor or adult (cases/ages.py, 指引 G-5): completed years, the 18th birthday, Feb 29, unknown."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cases.ages import ADULT_AGE, age_on, is_minor_on, minor_label, victim_is_minor

D = dt.date


class TestAgeOn:
    @pytest.mark.parametrize(
        ("day", "age"),
        [
            (D(2000, 6, 15), 0),
            (D(2001, 6, 14), 0),
            (D(2001, 6, 15), 1),
            (D(2018, 6, 14), 17),  # the day before the birthday
            (D(2018, 6, 15), 18),  # the birthday itself
            (D(2018, 12, 31), 18),
            (D(2019, 1, 1), 18),
            (D(2019, 6, 14), 18),
            (D(2019, 6, 15), 19),
        ],
    )
    def test_counts_completed_years(self, day, age):
        assert age_on(D(2000, 6, 15), day) == age

    def test_a_birthday_at_the_turn_of_the_year(self):
        assert age_on(D(2008, 12, 31), D(2026, 12, 30)) == 17
        assert age_on(D(2008, 12, 31), D(2026, 12, 31)) == 18
        assert age_on(D(2009, 1, 1), D(2026, 12, 31)) == 17
        assert age_on(D(2009, 1, 1), D(2027, 1, 1)) == 18

    @pytest.mark.parametrize(
        ("day", "age"),
        [
            (D(2012, 2, 28), 3),
            (D(2012, 2, 29), 4),  # a leap year: the birthday exists
            (D(2013, 2, 28), 4),  # not a leap year: still 4 on Feb 28 ...
            (D(2013, 3, 1), 5),  # ... and one year older on Mar 1
        ],
    )
    def test_a_leap_day_birthday_counts_from_march_first_in_other_years(self, day, age):
        assert age_on(D(2008, 2, 29), day) == age

    def test_unknown_without_a_birth_date(self):
        assert age_on(None, D(2026, 11, 30)) is None


class TestIsMinorOn:
    def test_the_law_says_eighteen(self):
        assert ADULT_AGE == 18

    def test_a_minor_until_the_day_before_the_18th_birthday(self):
        assert is_minor_on(D(2008, 11, 30), D(2026, 11, 29)) is True

    def test_an_adult_on_the_18th_birthday_itself(self):
        assert is_minor_on(D(2008, 11, 30), D(2026, 11, 30)) is False

    def test_an_adult_long_after(self):
        assert is_minor_on(D(1980, 1, 1), D(2026, 11, 30)) is False

    def test_a_child(self):
        assert is_minor_on(D(2015, 5, 5), D(2026, 11, 30)) is True

    def test_born_on_feb_29_still_a_minor_on_feb_28_of_the_18th_year(self):
        # 2026 has no Feb 29: the 18 years end with Feb 28 (民法 121 II), adult from Mar 1.
        assert is_minor_on(D(2008, 2, 29), D(2026, 2, 28)) is True
        assert is_minor_on(D(2008, 2, 29), D(2026, 3, 1)) is False

    def test_unknown_is_none_not_false(self):
        assert is_minor_on(None, D(2026, 11, 30)) is None


class TestVictimIsMinor:
    def test_on_a_given_day(self):
        victim = SimpleNamespace(birth_date=D(2008, 11, 30))
        assert victim_is_minor(victim, D(2026, 11, 29)) is True
        assert victim_is_minor(victim, D(2026, 11, 30)) is False

    def test_without_a_birth_date_is_unknown(self):
        assert victim_is_minor(SimpleNamespace(birth_date=None)) is None
        assert victim_is_minor(SimpleNamespace(birth_date=None), D(2026, 11, 30)) is None

    def test_defaults_to_today_in_taipei_not_in_utc(self, monkeypatch):
        # 2026-02-28 16:30 UTC is already 2026-03-01 00:30 in Taipei: the 18th birthday there.
        instant = dt.datetime(2026, 2, 28, 16, 30, tzinfo=dt.UTC)
        monkeypatch.setattr(timezone, "now", lambda: instant)
        assert instant.astimezone(ZoneInfo("Asia/Taipei")).date() == D(2026, 3, 1)
        assert victim_is_minor(SimpleNamespace(birth_date=D(2008, 3, 1))) is False
        assert victim_is_minor(SimpleNamespace(birth_date=D(2008, 3, 2))) is True


class TestMinorLabel:
    @pytest.mark.parametrize(
        ("minor", "label"),
        [(True, "未成年（未滿18歲）"), (False, "成年"), (None, "年齡不明（未填出生日期）")],
    )
    def test_labels(self, minor, label):
        assert minor_label(minor) == label
