import datetime as dt

import pytest

from cases.forms_fields import ROCDateField
from cases.rocdate import format_roc, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("112.10.18", dt.date(2023, 10, 18)),
        ("112/10/18", dt.date(2023, 10, 18)),
        ("112-1-8", dt.date(2023, 1, 8)),
        ("民國112年10月18日", dt.date(2023, 10, 18)),
        ("99.02.28", dt.date(2010, 2, 28)),
        ("2023-10-18", dt.date(2023, 10, 18)),
        ("2024/02/29", dt.date(2024, 2, 29)),
        ("113.02.29", dt.date(2024, 2, 29)),
    ],
)
def test_parse_accepts_roc_and_iso(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["112.13.01", "112.02.30", "112.10", "abc", "2023-02-29", "12345.1.1"])
def test_parse_rejects_impossible_dates(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_format_is_what_staff_read():
    assert format_roc(dt.date(2023, 10, 18)) == "112.10.18"
    assert format_roc(dt.date(2011, 1, 2)) == "100.01.02"
    assert format_roc(None) == ""


def test_form_field_error_is_in_chinese():
    field = ROCDateField()
    with pytest.raises(Exception) as exc:
        field.clean("112.10")
    assert "民國日期" in str(exc.value)
    with pytest.raises(Exception) as exc:
        field.clean("112.13.40")
    assert "112.13.40 不存在" in str(exc.value)
    assert field.clean("112.10.18") == dt.date(2023, 10, 18)


# --- dates and times as people type them (full-width digits from an input method, compact forms) ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("115.11.30", dt.date(2026, 11, 30)),
        ("115/11/30", dt.date(2026, 11, 30)),
        ("1151130", dt.date(2026, 11, 30)),
        ("民國115年11月30日", dt.date(2026, 11, 30)),
        ("民國 115 年 11 月 30 日", dt.date(2026, 11, 30)),
        ("１１５．１１．３０", dt.date(2026, 11, 30)),
        ("１１５１１３０", dt.date(2026, 11, 30)),
        ("2026-11-30", dt.date(2026, 11, 30)),
        ("20261130", dt.date(2026, 11, 30)),
        ("0991231", dt.date(2010, 12, 31)),
    ],
)
def test_every_way_staff_type_a_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "shown"), [("115.02.30", "115.02.30"), ("1150230", "115.02.30"), ("2026-02-29", "2026-02-29")]
)
def test_an_impossible_date_is_named_as_such(text, shown):
    from django.core.exceptions import ValidationError

    from cases.rocdate import ImpossibleDate

    with pytest.raises(ImpossibleDate):
        parse_date(text)
    with pytest.raises(ValidationError) as exc:
        ROCDateField().clean(text)
    assert exc.value.messages == [f"{shown} 不存在，請再核對一次。"]


def test_a_non_date_is_a_format_error_not_an_impossible_one():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        ROCDateField().clean("明天")
    assert "日期格式不正確" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:30", dt.time(9, 30)),
        ("9:30", dt.time(9, 30)),
        ("0930", dt.time(9, 30)),
        ("930", dt.time(9, 30)),
        ("２１：３５", dt.time(21, 35)),
        ("9點30分", dt.time(9, 30)),
        ("9點", dt.time(9, 0)),
        ("14", dt.time(14, 0)),
    ],
)
def test_every_way_staff_type_a_time(text, expected):
    from cases.rocdate import parse_time

    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "9:75", "2460", "abc", "9:3:0"])
def test_impossible_times_are_refused(text):
    from cases.rocdate import parse_time

    with pytest.raises(ValueError):
        parse_time(text)


def test_the_date_time_field_takes_compact_forms(settings):
    from django.utils import timezone

    from cases.forms_fields import ROCDateTimeField

    value = ROCDateTimeField().clean(["１１５１１３０", "0930"])
    local = timezone.localtime(value)
    assert (local.date(), local.time()) == (dt.date(2026, 11, 30), dt.time(9, 30))
