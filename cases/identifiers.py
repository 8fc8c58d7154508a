"""Normalising and masking the identifiers the hub matches on (phone, national ID). Pure functions."""

from __future__ import annotations


def normalise_phone(value: str) -> str:
    """Digits only; +886 9xx becomes 09xx so the same phone always indexes the same."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if digits.startswith("8869") and len(digits) == 12:
        digits = "0" + digits[3:]
    return digits


def normalise_national_id(value: str) -> str:
    return "".join(value.split()).upper()


def mask_phone(phone: str) -> str:
    """0912345678 -> 0912***678, for logs, errors and lists."""
    digits = normalise_phone(phone or "")
    if len(digits) < 7:
        return "***"
    return f"{digits[:4]}***{digits[-3:]}"
