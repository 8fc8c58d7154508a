"""Normalising and masking the identifiers the hub matches on (phone, national ID). Pure functions."""

from __future__ import annotations

import unicodedata


def normalise_phone(value: str) -> str:
    """Digits only; +886 9xx becomes 09xx so the same phone always indexes the same."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if digits.startswith("8869") and len(digits) == 12:
        digits = "0" + digits[3:]
    return digits


def normalise_national_id(value: str) -> str:
    return "".join(value.split()).upper()


def mask_phone(phone: str) -> str:
    """0912345678 -> *******678, for logs, errors and lists: at most the last 3 digits (issue 21).

    With the prefix too (0912***678) seven of ten digits were kept, enough to find the victim among
    a few thousand numbers; three tell staff which of a victim's phones a message went to.
    """
    digits = normalise_phone(phone or "")
    if len(digits) < 7:
        return "***"
    return "*" * min(len(digits) - 3, 12) + digits[-3:]


def normalise_name(value: str) -> str:
    """A name in any width or spacing: NFKC (full width to half), no spaces or middle dots, case-folded,
    so 「陳 小 美」 matches 「陳小美」, and 「ＣＨＥＮ　Ｍｅｉ」 matches "chen mei"."""
    folded = unicodedata.normalize("NFKC", value or "").casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "·・.-_")
