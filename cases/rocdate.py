"""ROC (民國) dates: staff read 112.10.18 for 2023-10-18 and type either form."""

from __future__ import annotations

import datetime as dt
import re

ROC_OFFSET = 1911

_ROC = re.compile(r"^\s*(?:民國)?\s*(\d{2,3})\s*[./\-年]\s*(\d{1,2})\s*[./\-月]\s*(\d{1,2})\s*日?\s*$")
_ISO = re.compile(r"^\s*(\d{4})\s*[./\-]\s*(\d{1,2})\s*[./\-]\s*(\d{1,2})\s*$")


def format_roc(value: dt.date | None) -> str:
    """2023-10-18 -> '112.10.18'."""
    if value is None:
        return ""
    return f"{value.year - ROC_OFFSET}.{value.month:02d}.{value.day:02d}"


def parse_date(text: str) -> dt.date:
    """Accept '112.10.18', '112/10/18', '民國112年10月18日', '2023-10-18' or '2023/10/18'.

    Raises ValueError for anything else or for a day that does not exist.
    """
    match = _ISO.match(text)
    if match:
        year = int(match.group(1))
    else:
        match = _ROC.match(text)
        if not match:
            raise ValueError(f"not a date: {text!r}")
        year = int(match.group(1)) + ROC_OFFSET
    return dt.date(year, int(match.group(2)), int(match.group(3)))
