"""The encrypted field family: round trips, ciphertext at rest (history too), fail closed, no SQL lookups,
blind index and masking."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError
from django.db import connection
from django.test import override_settings

from cases import privacy
from cases.identifiers import mask_phone
from cases.models import Dispatch, Intake, Victim
from cases.privacy import (
    DecryptionError,
    EncryptedMixin,
    national_id_index,
    needs_rotation,
    phone_index,
    rotate_token,
)

pytestmark = pytest.mark.django_db

NAME = "范姜若蘅"
PHONE = "0912345678"
NATIONAL_ID = "A123456789"
ADDRESS = "臺北市大安區和平東路一段一號"
BIRTH = dt.date(1990, 2, 28)


def _raw(model, column: str, pk) -> list:
    """Raw column text for one object (history tables: all its history rows), bypassing from_db_value."""
    qn = connection.ops.quote_name
    # "id" is the object's UUID in the live table and in its history table (whose PK is history_id)
    pk_db = model._meta.get_field("id").get_db_prep_value(pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {qn(column)} FROM {qn(model._meta.db_table)} WHERE {qn('id')} = %s", [pk_db])
        return [row[0] for row in cursor.fetchall()]


def _set_raw(model, column: str, pk, value) -> None:
    qn = connection.ops.quote_name
    pk_db = model._meta.get_field("id").get_db_prep_value(pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {qn(model._meta.db_table)} SET {qn(column)} = %s WHERE {qn('id')} = %s", [value, pk_db]
        )


def _victim(**extra) -> Victim:
    fields = {
        "name": NAME,
        "phone": PHONE,
        "national_id": NATIONAL_ID,
        "address": ADDRESS,
        "birth_date": BIRTH,
    }
    fields.update(extra)
    return Victim.objects.create(**fields)


def _fernet_decrypt(token: str) -> str:
    """Independent of cases.privacy: decrypt with the configured keys straight through cryptography."""
    return MultiFernet([Fernet(k) for k in settings.FIELD_ENCRYPTION_KEYS]).decrypt(token.encode()).decode()


# --- the field family ----------------------------------------------------------------------------

PII_FIELDS = {
    Victim: ["name", "phone", "national_id", "address", "birth_date"],
    Intake: [
        "caller_name",
        "victim_name",
        "victim_phone",
        "victim_national_id",
        "victim_birth_date",
        "narrative",
        "wishes_note",
        "closed_note",
    ],
    Dispatch: ["reason"],
}


@pytest.mark.parametrize("model", list(PII_FIELDS))
def test_pii_fields_are_encrypted_field_classes_also_in_history(model):
    for target in (model, model.history.model):
        for name in PII_FIELDS[model]:
            field = target._meta.get_field(name)
            assert "Encrypted" in type(field).__name__, (target, name)
            assert isinstance(field, EncryptedMixin) and field.encrypted
    assert isinstance(privacy._fernet(), MultiFernet)


# --- round trips ---------------------------------------------------------------------------------


def test_round_trip_char_text_and_date():
    victim = _victim()
    loaded = Victim.objects.get(pk=victim.pk)
    assert (loaded.name, loaded.phone, loaded.national_id, loaded.address) == (
        NAME,
        PHONE,
        NATIONAL_ID,
        ADDRESS,
    )
    assert loaded.birth_date == BIRTH and isinstance(loaded.birth_date, dt.date)
    # values_list goes through from_db_value too
    assert list(Victim.objects.filter(pk=victim.pk).values_list("name", "birth_date")) == [(NAME, BIRTH)]


def test_round_trip_text_field(hotline):
    narrative = "多行案情\n第二行：含標點、emoji 🙂 與 'quotes' \"double\""
    intake = Intake.objects.create(
        source=Intake.Source.CALL, victim_name=NAME, narrative=narrative, created_by=hotline
    )
    assert Intake.objects.get(pk=intake.pk).narrative == narrative


def test_date_accepts_iso_string_and_empty_values():
    victim = _victim(birth_date="1985-12-01", phone="", address="")
    victim.refresh_from_db()
    assert victim.birth_date == dt.date(1985, 12, 1)
    assert victim.phone == "" and victim.address == ""
    other = _victim(birth_date=None)
    other.refresh_from_db()
    assert other.birth_date is None
    assert _raw(Victim, "birth_date", other.pk) == [None]


# --- ciphertext at rest --------------------------------------------------------------------------


def test_db_columns_hold_fernet_tokens_not_clear_text():
    victim = _victim()
    for column, clear in [
        ("name", NAME),
        ("phone", PHONE),
        ("national_id", NATIONAL_ID),
        ("address", ADDRESS),
        ("birth_date", BIRTH.isoformat()),
    ]:
        [raw] = _raw(Victim, column, victim.pk)
        assert raw != clear and clear not in raw
        assert raw.startswith("gAAAAA")  # Fernet version byte 0x80, base64
        assert _fernet_decrypt(raw) == clear


def test_same_value_encrypts_differently_each_time():
    a, b = _victim(), _victim()
    assert _raw(Victim, "name", a.pk) != _raw(Victim, "name", b.pk)


def test_history_rows_hold_ciphertext_not_clear_text():
    victim = _victim()
    victim.address = "新北市板橋區文化路二段"
    victim.save()
    rows = _raw(Victim.history.model, "address", victim.pk)
    assert len(rows) == 2
    for raw in rows:
        assert raw.startswith("gAAAAA") and "板橋" not in raw and "大安" not in raw
    assert sorted(_fernet_decrypt(r) for r in rows) == sorted([ADDRESS, "新北市板橋區文化路二段"])
    for raw in _raw(Victim.history.model, "name", victim.pk):
        assert NAME not in raw and _fernet_decrypt(raw) == NAME
    # and the history API still shows the clear values
    assert {h.address for h in victim.history.all()} == {ADDRESS, "新北市板橋區文化路二段"}


# --- fail closed ---------------------------------------------------------------------------------


def test_wrong_key_raises_never_returns_ciphertext_or_empty():
    victim = _victim()
    with override_settings(FIELD_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]):
        with pytest.raises(DecryptionError):
            Victim.objects.get(pk=victim.pk)
        with pytest.raises(DecryptionError):
            list(Victim.objects.filter(pk=victim.pk).values_list("birth_date", flat=True))
        with pytest.raises(DecryptionError):
            victim.history.first()
    # back on the right key everything reads again
    assert Victim.objects.get(pk=victim.pk).name == NAME


@pytest.mark.parametrize("stored", ["clear ascii text", "未加密的中文姓名", "gAAAAAbroken-token"])
def test_value_that_is_not_a_valid_token_raises(stored):
    victim = _victim()
    _set_raw(Victim, "name", victim.pk, stored)
    with pytest.raises(DecryptionError):
        Victim.objects.get(pk=victim.pk)
    assert needs_rotation(stored)
    with pytest.raises(DecryptionError):
        rotate_token(stored)


def test_needs_rotation_and_rotate_token():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[old]):
        token = privacy.encrypt_text("秘密")
        assert not needs_rotation(token)
    with override_settings(FIELD_ENCRYPTION_KEYS=[new, old]):
        assert needs_rotation(token)
        rotated = rotate_token(token)
        assert not needs_rotation(rotated)
    assert Fernet(new).decrypt(rotated.encode()).decode() == "秘密"


# --- no SQL lookups on ciphertext ----------------------------------------------------------------


@pytest.mark.parametrize(
    "lookup",
    [
        {"name": "x"},
        {"name__exact": "x"},
        {"name__iexact": "x"},
        {"phone__contains": "0912"},
        {"national_id__startswith": "A1"},
        {"birth_date__gt": dt.date(1990, 1, 1)},
        {"name__in": ["x"]},
    ],
)
def test_filter_on_encrypted_field_raises_field_error(lookup):
    with pytest.raises(FieldError):
        Victim.objects.filter(**lookup)


def test_filter_on_encrypted_text_field_raises_field_error():
    with pytest.raises(FieldError):
        Intake.objects.filter(narrative__icontains="影片")


def test_isnull_lookup_still_works():
    victim = _victim(birth_date=None)
    assert list(Victim.objects.filter(birth_date__isnull=True)) == [victim]


# --- blind index and masking ---------------------------------------------------------------------


def test_phone_index_normalises_formats():
    expected = phone_index("0912345678")
    assert expected
    for variant in ["+886 912-345-678", "+886912345678", "0912-345-678", " 0912 345 678 ", "886-912-345-678"]:
        assert phone_index(variant) == expected, variant
    assert phone_index("0912345679") != expected
    assert phone_index("") == "" and phone_index(None) == ""


def test_national_id_index_is_case_and_space_insensitive():
    expected = national_id_index("A123456789")
    assert national_id_index("a123456789") == expected
    assert national_id_index(" a12345 6789 ") == expected
    assert national_id_index("A123456780") != expected


def test_blind_index_is_keyed_hmac_not_a_plain_hash():
    import hashlib

    first = phone_index("0912345678")
    assert "0912345678" not in first and len(first) == 64
    assert first != hashlib.sha256(b"phone:0912345678").hexdigest()
    with override_settings(BLIND_INDEX_KEY="another-blind-index-key-of-at-least-32-chars"):
        assert phone_index("0912345678") != first
    # kinds are separated: the same digits as phone and as ID do not collide
    assert privacy.blind_index("phone", "A1") != privacy.blind_index("national_id", "A1")


def test_national_id_index_depends_on_key():
    first = national_id_index("A123456789")
    with override_settings(BLIND_INDEX_KEY="another-blind-index-key-of-at-least-32-chars"):
        assert national_id_index("A123456789") != first


def test_mask_phone():
    assert mask_phone("0912345678") == "*******678"
    assert mask_phone("+886 912-345-678") == "*******678"
    assert mask_phone("12345") == "***"
    assert mask_phone("") == "***"
