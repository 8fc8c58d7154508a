"""Privacy primitives every app uses: encrypted fields and the blind index.

Guideline G-1: victims' personal data is encrypted at rest and matched without being stored in
clear (指引 1-A, one window). The read log is in cases/readlog.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver

from cases.forms_fields import ROCDateField
from cases.identifiers import normalise_name, normalise_national_id, normalise_phone


class DecryptionError(Exception):
    """A stored value did not decrypt with any configured key (fail closed, never show ciphertext)."""


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])


@cache
def _primary_fernet() -> Fernet:
    return Fernet(settings.FIELD_ENCRYPTION_KEYS[0])


@receiver(setting_changed)
def _reset_keys(*, setting: str, **kwargs) -> None:
    if setting in ("FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"):
        _fernet.cache_clear()
        _primary_fernet.cache_clear()


def encrypt_text(value: str) -> str:
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError, ValueError) as exc:
        raise DecryptionError("stored value does not decrypt with the configured keys") from exc


def needs_rotation(token: str) -> bool:
    """True when the token is not readable with the newest key (so rotate_keys can resume)."""
    try:
        _primary_fernet().decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeError, ValueError):
        return True
    return False


def rotate_token(token: str) -> str:
    try:
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError, ValueError) as exc:
        raise DecryptionError("stored value does not decrypt with the configured keys") from exc


class EncryptedMixin:
    """Stores a Fernet token in a text column; Python sees the clear value.

    Encrypted columns cannot be filtered or ordered in SQL: only the isnull lookup works,
    anything else must go through a blind index.
    """

    encrypted = True

    def get_internal_type(self) -> str:
        return "TextField"

    def db_type(self, connection):
        return models.TextField().db_type(connection)

    def to_clear(self, value):
        """Python value -> text to encrypt."""
        return str(value)

    def from_clear(self, text: str):
        """Decrypted text -> Python value."""
        return text

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return self.empty_python_value(value)
        return self.from_clear(decrypt_text(value))

    def empty_python_value(self, value):
        return value

    def get_prep_value(self, value):
        value = self.to_python(value)
        if value is None:
            return None
        if value == "":
            return ""
        return encrypt_text(self.to_clear(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        if prepared:
            return value
        return self.get_prep_value(value)

    def get_lookup(self, lookup_name):
        if lookup_name in ("isnull",):
            return super().get_lookup(lookup_name)
        return None

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, kwargs


class EncryptedTextField(EncryptedMixin, models.TextField):
    """Free text (narratives, notes) encrypted at rest."""


class EncryptedCharField(EncryptedMixin, models.TextField):
    """Short text (name, phone, ID number, address) encrypted at rest; max_length applies to the form."""

    def __init__(self, *args, max_length: int | None = None, **kwargs):
        self.form_max_length = max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.form_max_length is not None:
            kwargs["max_length"] = self.form_max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        defaults = {"form_class": forms.CharField, "max_length": self.form_max_length}
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)


class EncryptedDateField(EncryptedMixin, models.TextField):
    """A date (birth date) encrypted at rest; stored as an encrypted ISO string."""

    def empty_python_value(self, value):
        return None

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(str(value))

    def to_clear(self, value) -> str:
        return value.isoformat()

    def from_clear(self, text: str):
        return dt.date.fromisoformat(text)

    def get_prep_value(self, value):
        value = self.to_python(value)
        if value is None:
            return None
        return encrypt_text(self.to_clear(value))

    def formfield(self, **kwargs):
        defaults = {"form_class": ROCDateField}
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return value.isoformat() if value else ""


def encrypted_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]


# --- blind index -------------------------------------------------------------------------------


def blind_index(kind: str, normalised: str) -> str:
    """Keyed HMAC-SHA256 of a normalised value: equal inputs match, the value cannot be read back."""
    if not normalised:
        return ""
    message = f"{kind}:{normalised}".encode()
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), message, hashlib.sha256).hexdigest()


def phone_index(phone: str) -> str:
    return blind_index("phone", normalise_phone(phone or ""))


def national_id_index(national_id: str) -> str:
    return blind_index("national_id", normalise_national_id(national_id or ""))


def name_index(name: str) -> str:
    return blind_index("name", normalise_name(name or ""))
