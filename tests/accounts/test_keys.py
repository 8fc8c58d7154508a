"""`manage.py check` refuses keys that are long but not random; real and development keys pass."""

from __future__ import annotations

import base64
import secrets

import pytest
from cryptography.fernet import Fernet

from config.keys import fernet_key_problem, text_key_problem
from tests.test_settings import _manage, _real_secrets


@pytest.mark.parametrize(
    "value",
    [
        "a" * 64,
        "ab" * 32,
        "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP",
        "django-insecure-" + "x" * 48,
    ],
)
def test_patterned_text_keys_are_not_random(value):
    assert text_key_problem(value, min_length=32) is not None


@pytest.mark.parametrize(
    "value", [base64.urlsafe_b64encode(b"a" * 32), base64.urlsafe_b64encode(bytes(range(32)))]
)
def test_fernet_keys_of_patterned_bytes_are_not_random(value):
    Fernet(value)  # a valid Fernet key all the same
    assert fernet_key_problem(value.decode()) is not None


def test_generated_keys_pass():
    for _ in range(200):
        assert text_key_problem(secrets.token_urlsafe(60), min_length=50) is None
        assert text_key_problem(secrets.token_urlsafe(48), min_length=32) is None
        assert fernet_key_problem(Fernet.generate_key().decode()) is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECRET_KEY", "a" * 60),
        ("BLIND_INDEX_KEY", "a" * 32),
        ("FIELD_ENCRYPTION_KEYS", base64.urlsafe_b64encode(b"a" * 32).decode()),
    ],
)
def test_check_refuses_a_long_key_that_is_not_random(name, value):
    result = _manage("check", **{**_real_secrets(), name: value})
    assert result.returncode != 0
    assert name in result.stderr and "random" in result.stderr


def test_check_refuses_them_in_development_too():
    result = _manage("check", **{**_real_secrets(), "DEBUG": "true", "BLIND_INDEX_KEY": "b" * 40})
    assert result.returncode != 0 and "BLIND_INDEX_KEY" in result.stderr


def test_deploy_check_warns_when_production_runs_without_two_factor():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", **_real_secrets(), TWO_FACTOR_REQUIRED="false"
    )
    assert result.returncode != 0 and "accounts.W001" in result.stderr
