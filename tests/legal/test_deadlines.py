"""Civil Code arts. 120-121 counting for the complaint period and the limitation."""

import datetime as dt

import pytest

from legal.deadlines import complaint_deadline, complaint_deadline_note, limitation_deadline

D = dt.date


@pytest.mark.parametrize(
    ("knew", "deadline"),
    [
        (D(2023, 10, 18), D(2024, 4, 18)),  # the guideline's own revision date: an ordinary mid-month day
        (D(2023, 1, 15), D(2023, 7, 15)),
        (D(2023, 7, 31), D(2024, 1, 31)),  # start 8/1 (a month start) ends at the end of January
        (D(2023, 9, 30), D(2024, 3, 31)),  # start 10/1: March's last day, not 3/30
        (D(2023, 4, 30), D(2023, 10, 31)),
        (D(2023, 8, 31), D(2024, 2, 29)),  # start 9/1: leap February ends on the 29th
        (D(2023, 8, 30), D(2024, 2, 29)),  # start 8/31: no 31st in February -> its last day
        (D(2023, 8, 29), D(2024, 2, 29)),  # start 8/30: no 30th in February -> its last day
        (D(2023, 8, 28), D(2024, 2, 28)),  # start 8/29: 2/29 exists in 2024 -> the day before
        (D(2022, 8, 28), D(2023, 2, 28)),  # start 8/29: no 2/29 in 2023 -> February's last day
        (D(2022, 8, 27), D(2023, 2, 27)),
        (D(2024, 2, 29), D(2024, 8, 31)),  # start 3/1
        (D(2024, 2, 28), D(2024, 8, 28)),  # start 2/29 -> corresponding 8/29, the day before
        (D(2023, 2, 28), D(2023, 8, 31)),  # start 3/1 in a common year
        (D(2023, 6, 30), D(2023, 12, 31)),  # start 7/1
        (D(2023, 7, 1), D(2024, 1, 1)),  # year end crossing: start 7/2 -> day before 1/2
        (D(2023, 12, 31), D(2024, 6, 30)),  # start 1/1 of the next year
        (D(2023, 12, 30), D(2024, 6, 30)),  # start 12/31 -> June has no 31st -> June 30
        (D(2023, 12, 1), D(2024, 6, 1)),
    ],
)
def test_complaint_deadline(knew, deadline):
    assert complaint_deadline(knew) == deadline


def test_complaint_deadline_is_never_before_six_months_minus_a_day():
    day = D(2020, 1, 1)
    while day < D(2025, 1, 1):
        end = complaint_deadline(day)
        assert end > day + dt.timedelta(days=180)
        assert end <= day + dt.timedelta(days=184)
        day += dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("offence", "years", "deadline"),
    [
        (D(2023, 10, 18), 20, D(2043, 10, 17)),
        (D(2023, 10, 18), 10, D(2033, 10, 17)),
        (D(2024, 2, 29), 10, D(2034, 2, 28)),  # no 2/29 in 2034: the month's last day
        (D(2024, 2, 29), 20, D(2044, 2, 28)),  # 2044 has a 2/29: the day before it
        (D(2024, 3, 1), 20, D(2044, 2, 29)),
        (D(2023, 1, 1), 20, D(2042, 12, 31)),
    ],
)
def test_limitation_deadline(offence, years, deadline):
    assert limitation_deadline(offence, years) == deadline


def test_note_only_when_the_last_day_is_a_rest_day():
    holidays = {D(2026, 2, 27)}  # 和平紀念日（補假）
    assert complaint_deadline_note(D(2026, 2, 26), holidays) == ""  # Thursday
    note = complaint_deadline_note(D(2026, 2, 27), holidays)  # Friday, a holiday
    assert "115.03.02" in note and "民法第122條" in note  # next working day is Monday
    assert "115.03.02" in complaint_deadline_note(D(2026, 2, 28), holidays)  # Saturday
