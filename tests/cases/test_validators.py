import pytest
from django.core.exceptions import ValidationError

from cases.demo import fictional_national_id
from cases.validators import (
    is_valid_national_id,
    is_valid_tw_mobile,
    validate_national_id,
    validate_tw_mobile,
)


@pytest.mark.parametrize("value", ["A123456789", "a123456789", " F131104093 ", "A800000014", "Y200000002"])
def test_valid_national_ids(value):
    assert is_valid_national_id(value)
    validate_national_id(value)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("A123456788", "檢查碼"),
        ("A323456789", "格式"),
        ("1234567890", "英文字母開頭"),
        ("A12345678", "格式"),
        ("", "英文字母開頭"),
    ],
)
def test_invalid_national_ids_say_what_is_wrong_in_chinese(value, fragment):
    with pytest.raises(ValidationError) as exc:
        validate_national_id(value)
    assert fragment in exc.value.messages[0]


def test_generated_demo_ids_pass_the_checksum():
    import random

    rng = random.Random(1)
    assert all(is_valid_national_id(fictional_national_id(rng)) for _ in range(200))


@pytest.mark.parametrize(
    "value", ["0912345678", "0912-345-678", "0912 345 678", "+886912345678", "+886 912 345 678"]
)
def test_valid_mobiles(value):
    assert is_valid_tw_mobile(value)
    validate_tw_mobile(value)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("0212345678", "09 開頭"),
        ("091234567", "09 開頭"),
        ("09123456789", "09 開頭"),
        ("0912abc678", "只能包含數字"),
    ],
)
def test_invalid_mobiles(value, fragment):
    with pytest.raises(ValidationError) as exc:
        validate_tw_mobile(value)
    assert fragment in exc.value.messages[0]
