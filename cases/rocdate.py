"""ROC (民國) dates: staff read 112.10.18 for 2023-10-18 and type it many ways.

Accepted: 115.11.30, 115/11/30, 115-11-30, 1151130 (7 digits), 民國115年11月30日, ISO 2026-11-30 or
2026/11/30 or 20261130, with full-width digits from a Chinese input method; times 0930, 9:30, 09:30,
9點30分. A day that does not exist (115.02.30) is named as such, not called a format error.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

ROC_OFFSET = 1911

_SEP = r"\s*[./\-年]\s*"
_SEP2 = r"\s*[./\-月]\s*"
_ROC = re.compile(r"^\s*(?:民國)?\s*(\d{2,3})" + _SEP + r"(\d{1,2})" + _SEP2 + r"(\d{1,2})\s*日?\s*$")
_ROC_COMPACT = re.compile(r"^\s*(?:民國)?\s*(\d{3})(\d{2})(\d{2})\s*$")  # 1151130
_ISO = re.compile(r"^\s*(\d{4})\s*[./\-]\s*(\d{1,2})\s*[./\-]\s*(\d{1,2})\s*$")
_ISO_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")  # 20261130
_TIME = re.compile(r"^\s*(\d{1,2})\s*(?:點\s*(?:(\d{1,2})\s*分)?|[:：]\s*(\d{1,2}))?\s*$")


class ImpossibleDate(ValueError):
    """The text is a date, but that day does not exist (e.g. 115.02.30)."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def format_roc(value: dt.date | None) -> str:
    """2023-10-18 -> '112.10.18'."""
    if value is None:
        return ""
    return f"{value.year - ROC_OFFSET}.{value.month:02d}.{value.day:02d}"


def _halfwidth(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def parse_date(text: str) -> dt.date:
    """A date typed in any of the accepted forms. ValueError when it is not a date; ImpossibleDate (a
    ValueError) when it is one that does not exist."""
    text = _halfwidth(text)
    for pattern, roc in ((_ISO, False), (_ROC, True), (_ROC_COMPACT, True), (_ISO_COMPACT, False)):
        match = pattern.match(text)
        if match:
            year = int(match.group(1)) + (ROC_OFFSET if roc else 0)
            month, day = int(match.group(2)), int(match.group(3))
            try:
                return dt.date(year, month, day)
            except ValueError:
                shown = (
                    f"{year - ROC_OFFSET}.{month:02d}.{day:02d}" if roc else f"{year}-{month:02d}-{day:02d}"
                )
                raise ImpossibleDate(shown) from None
    raise ValueError(f"not a date: {text!r}")


def parse_time(text: str) -> dt.time:
    """0930, 930, 9:30, 09:30, 9：30, 9點30分, 9 (on the hour). ValueError otherwise."""
    match = _TIME.match(_halfwidth(text))
    if not match:
        digits = _halfwidth(text).strip()
        if digits.isdigit() and len(digits) in (3, 4):  # 930, 0930
            hour, minute = int(digits[:-2]), int(digits[-2:])
            return dt.time(hour, minute) if hour < 24 and minute < 60 else _bad_time(text)
        raise ValueError(f"not a time: {text!r}")
    hour = int(match.group(1))
    minute = int(match.group(2) or match.group(3) or 0)
    if hour > 23 or minute > 59:
        _bad_time(text)
    return dt.time(hour, minute)


def _bad_time(text: str):
    raise ValueError(f"not a time: {text!r}")
