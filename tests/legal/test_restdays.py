"""The art. 122 note comes from the official calendar (holidays.TW) plus administrators' overrides."""

from __future__ import annotations

import datetime as dt

import pytest

from legal.models import RestDay
from legal.restdays import art122_notes, rest_day_calendar

pytestmark = pytest.mark.django_db
D = dt.date


def test_national_holidays_and_bridge_days_come_from_the_calendar():
    rest, work = rest_day_calendar([2025, 2026])
    assert D(2026, 2, 27) in rest  # 和平紀念日（補假）, a Friday
    assert D(2025, 1, 27) in rest  # bridge day before Lunar New Year
    assert D(2025, 2, 8) in work  # the Saturday worked in exchange


def test_a_make_up_working_saturday_gets_no_note_and_an_ordinary_saturday_does():
    notes = art122_notes([D(2025, 2, 8), D(2025, 2, 15)])
    assert notes[D(2025, 2, 8)] == ""
    assert "114.02.17" in notes[D(2025, 2, 15)]


def test_an_administrator_adds_a_typhoon_day_off():
    wednesday = D(2026, 9, 16)
    assert art122_notes([wednesday])[wednesday] == ""
    RestDay.objects.create(date=wednesday, kind=RestDay.Kind.REST, name="颱風停止上班")
    assert "115.09.17" in art122_notes([wednesday])[wednesday]


def test_an_administrator_turns_a_weekend_day_into_a_working_day():
    saturday = D(2026, 3, 14)
    assert art122_notes([saturday])[saturday] != ""
    RestDay.objects.create(date=saturday, kind=RestDay.Kind.WORKDAY, name="補行上班")
    assert art122_notes([saturday])[saturday] == ""


def test_a_shift_across_new_year_uses_the_next_years_holidays():
    # 2027-12-31 is a Friday; 2028-01-01 (Saturday, 開國紀念日) and the weekend follow.
    friday = D(2027, 12, 31)
    RestDay.objects.create(date=friday, kind=RestDay.Kind.REST, name="測試停班")
    assert "117.01.03" in art122_notes([friday])[friday]


def test_no_days_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert art122_notes([]) == {}
