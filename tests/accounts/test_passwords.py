"""Passwords: at least 12 characters, not a common one; the demo password must pass too."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["Short-pw-11", "password1234", "123456789012"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_passes():
    validate_password("Plum-river-lantern-42")


def test_the_development_demo_password_passes():
    # scripts/dev-env writes this default into .env for `make run`.
    validate_password("ncii-demo-2026")


def test_seed_demo_refuses_a_demo_password_the_validators_refuse(settings):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo"
    with pytest.raises(CommandError, match="DEMO_PASSWORD"):
        call_command("seed_demo")


def test_changing_ones_own_password_shows_the_rules_in_chinese(client, worker):
    client.force_login(worker)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "pw-worker", "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "12" in response.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "pw-worker",
            "new_password1": "Plum-river-lantern-42",
            "new_password2": "Plum-river-lantern-42",
        },
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.check_password("Plum-river-lantern-42")
