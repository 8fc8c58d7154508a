"""The settings contract: production refuses toy secrets; with real ones the deploy check is clean."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Every contract variable is given explicitly so a developer's .env cannot fill the gaps.
    base = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "",
        "FIELD_ENCRYPTION_KEYS": "",
        "BLIND_INDEX_KEY": "",
        "ALLOWED_HOSTS": "ncii.example.org",
        "DATABASE_URL": "sqlite:////tmp/ncii-settings-check.sqlite3",
    }
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )


def _real_secrets() -> dict:
    return {
        "SECRET_KEY": secrets.token_urlsafe(60),
        "FIELD_ENCRYPTION_KEYS": f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}",
        "BLIND_INDEX_KEY": secrets.token_urlsafe(40),
    }


def test_production_refuses_to_start_without_keys():
    result = _manage("check")
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS" in result.stderr
    assert "BLIND_INDEX_KEY" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_key_that_is_not_fernet():
    result = _manage("check", **{**_real_secrets(), "FIELD_ENCRYPTION_KEYS": "not-a-key"})
    assert result.returncode != 0
    assert "not a Fernet key" in result.stderr


def test_production_refuses_the_django_insecure_placeholder():
    result = _manage("check", **{**_real_secrets(), "SECRET_KEY": "django-insecure-" + "x" * 60})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_deploy_check_passes_with_real_keys():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_real_secrets())
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_debug_mode_still_needs_keys_from_the_environment():
    # Development gets its keys from the .env that `make run` writes, never from code.
    result = _manage("check", DEBUG="true")
    assert result.returncode != 0
