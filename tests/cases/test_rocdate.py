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
        field.clean("112.13.40")
    assert "民國日期" in str(exc.value)
    assert field.clean("112.10.18") == dt.date(2023, 10, 18)
