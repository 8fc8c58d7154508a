"""Validators for the identifiers the hotline matches on, with messages staff can act on."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.identifiers import normalise_national_id, normalise_phone

# Letter codes of the national ID / resident certificate checksum (內政部 letter table).
_LETTER_VALUES = {
    "A": 10,
    "B": 11,
    "C": 12,
    "D": 13,
    "E": 14,
    "F": 15,
    "G": 16,
    "H": 17,
    "I": 34,
    "J": 18,
    "K": 19,
    "L": 20,
    "M": 21,
    "N": 22,
    "O": 35,
    "P": 23,
    "Q": 24,
    "R": 25,
    "S": 26,
    "T": 27,
    "U": 28,
    "V": 29,
    "W": 32,
    "X": 30,
    "Y": 31,
    "Z": 33,
}
_ID_SHAPE = re.compile(r"^[A-Z][1289]\d{8}$")
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 1)


def is_valid_national_id(value: str) -> bool:
    """National ID (second digit 1/2) or new-style resident certificate (8/9), with checksum."""
    value = normalise_national_id(value)
    if not _ID_SHAPE.match(value):
        return False
    letter = _LETTER_VALUES[value[0]]
    total = letter // 10 + (letter % 10) * 9
    total += sum(int(d) * w for d, w in zip(value[1:9], _WEIGHTS, strict=True))
    total += int(value[9])
    return total % 10 == 0


def validate_national_id(value: str) -> None:
    normalised = normalise_national_id(value)
    if not re.match(r"^[A-Z]", normalised):
        raise ValidationError(_("身分證字號應以英文字母開頭，例如 A123456789。"), code="id_letter")
    if not _ID_SHAPE.match(normalised):
        raise ValidationError(
            _("身分證字號格式不正確：應為 1 個英文字母加 9 個數字，第 2 碼為 1、2、8 或 9。"), code="id_shape"
        )
    if not is_valid_national_id(normalised):
        raise ValidationError(_("身分證字號檢查碼不符，請再核對一次。"), code="id_checksum")


def is_valid_tw_mobile(value: str) -> bool:
    return bool(re.fullmatch(r"09\d{8}", normalise_phone(value)))


def validate_tw_mobile(value: str) -> None:
    if re.search(r"[^\d\s\-+()]", value):
        raise ValidationError(_("手機號碼只能包含數字，例如 0912-345-678。"), code="phone_chars")
    if not is_valid_tw_mobile(value):
        raise ValidationError(
            _("請輸入臺灣手機號碼：09 開頭共 10 碼（例如 0912-345-678），或 +886 9 開頭。"),
            code="phone_shape",
        )
