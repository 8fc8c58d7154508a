"""scripts/prod and config/production.py: production refuses DEBUG, development keys and per-process state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from config.production import EX_CONFIG, production_problems
from tests.serving.harness import ROOT, free_serve_port


def _random_keys() -> dict[str, str]:
    import secrets

    return {
        "SECRET_KEY": secrets.token_urlsafe(60),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": secrets.token_urlsafe(48),
    }


def _production_env(**extra: str) -> dict[str, str]:
    closed = free_serve_port()
    env = {
        "DEBUG": "false",
        **_random_keys(),
        "ALLOWED_HOSTS": "cases.example.org",
        "DATABASE_URL": f"postgres://ncii@127.0.0.1:{closed}/ncii",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{closed}/0",
        "CACHE_URL": f"redis://127.0.0.1:{closed}/1",
        "SMS_REMINDER_CALLBACK_NUMBER": "(02)2700-1234",
    }
    env.update(extra)
    return env


def _dev_env_file(tmp_path: Path) -> dict[str, str]:
    """What scripts/dev-env writes (into a file of the test's own)."""
    target = tmp_path / "dev.env"
    subprocess.run([str(ROOT / "scripts" / "dev-env"), str(target)], check=True, capture_output=True)
    lines = [line.split("=", 1) for line in target.read_text().splitlines() if "=" in line]
    return {name: value for name, value in lines}


def _run_prod_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    full = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        [str(ROOT / "scripts" / "prod"), "check"],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


class TestProductionProblems:
    def test_a_complete_production_environment_has_none(self, tmp_path):
        assert production_problems(_production_env(), dotenv=tmp_path / "absent") == []

    @pytest.mark.parametrize(
        ("change", "problem"),
        [
            ({"DEBUG": "true"}, "DEBUG must be false"),
            ({"DEBUG": "1"}, "DEBUG must be false"),
            ({"DATABASE_URL": ""}, "DATABASE_URL is not set"),
            ({"DATABASE_URL": "sqlite:////srv/ncii/db.sqlite3"}, "not SQLite"),
            ({"CELERY_BROKER_URL": ""}, "CELERY_BROKER_URL is not set"),
            ({"CACHE_URL": ""}, "shared cache"),
            ({"CACHE_URL": "locmemcache://"}, "shared cache"),
        ],
    )
    def test_each_gap_is_named(self, tmp_path, change, problem):
        problems = production_problems(_production_env(**change), dotenv=tmp_path / "absent")
        assert len(problems) == 1 and problem in problems[0]

    def test_keys_written_by_dev_env_are_refused_by_their_mark(self, tmp_path):
        dev = _dev_env_file(tmp_path)
        keys = {name: dev[name] for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY")}
        problems = production_problems(_production_env(**keys), dotenv=tmp_path / "absent")
        assert len(problems) == 3 and all("development key" in p for p in problems)

    def test_keys_of_an_older_development_env_are_refused_too(self, tmp_path):
        """A .env with DEBUG=true written before the mark existed: its keys are development keys."""
        keys = _random_keys()
        dotenv = tmp_path / ".env"
        dotenv.write_text("DEBUG=true\n" + "".join(f"{k}={v}\n" for k, v in keys.items()))
        field_key = {
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode() + "," + keys["FIELD_ENCRYPTION_KEYS"]
        }
        problems = production_problems(_production_env(**field_key), dotenv=dotenv)
        assert len(problems) == 1 and problems[0].startswith("FIELD_ENCRYPTION_KEYS 是開發用金鑰")
        dotenv.write_text("DEBUG=false\n" + "".join(f"{k}={v}\n" for k, v in keys.items()))
        assert production_problems(_production_env(**field_key), dotenv=dotenv) == []


class TestScriptsProd:
    def test_refuses_debug_with_exit_78_and_says_why(self):
        result = _run_prod_check(_production_env(DEBUG="true"))
        assert result.returncode == EX_CONFIG
        assert "拒絕以正式環境啟動" in result.stderr and "DEBUG must be false" in result.stderr

    def test_refuses_the_keys_dev_env_writes(self, tmp_path):
        dev = _dev_env_file(tmp_path)
        keys = {name: dev[name] for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY")}
        result = _run_prod_check(_production_env(**keys))
        assert result.returncode == EX_CONFIG
        assert "SECRET_KEY 是開發用金鑰" in result.stderr

    def test_refuses_keys_that_are_not_random(self):
        result = _run_prod_check(_production_env(BLIND_INDEX_KEY="ab" * 20))
        assert result.returncode == EX_CONFIG and "BLIND_INDEX_KEY" in result.stderr

    def test_passes_a_complete_production_environment(self):
        result = _run_prod_check(_production_env())
        assert result.returncode == 0, result.stderr


def _production_setting(expression: str, **env: str):
    """A value of config/settings.py itself (not the test settings), read in a fresh process."""
    full = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        **_random_keys(),
        **env,
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({expression}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=full, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_development_sqlite_uses_wal_and_immediate_transactions(tmp_path):
    """A worker's writes never lock an intake out (tests/serving/test_concurrent_writes.py)."""
    options = _production_setting(
        "s.DATABASES['default']['OPTIONS']", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"
    )
    assert options["init_command"] == "PRAGMA journal_mode=WAL" and options["transaction_mode"] == "IMMEDIATE"


@pytest.mark.parametrize(
    ("setting", "expected"), [(None, None), ("false", None), ("true", ["HTTP_X_FORWARDED_PROTO", "https"])]
)
def test_x_forwarded_proto_is_believed_only_when_a_proxy_overwrites_it(setting, expected):
    env = {"PROXY_SETS_X_FORWARDED_PROTO": setting} if setting else {}
    assert _production_setting("getattr(s, 'SECURE_PROXY_SSL_HEADER', None)", **env) == expected
