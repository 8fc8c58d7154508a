"""docs/runbook.md "Backup and restore", done as the run book says.

A victim's case is made through the real services; the database is backed up (PostgreSQL: `pg_dump -Fc`,
restored with `pg_restore` into a new database; SQLite: the online backup `sqlite3 … ".backup …"` uses)
and read back by a fresh process that has only the environment: with the same keys it reads the victim's
name; with other keys it stops with the encrypted field's own error and shows no ciphertext, and
`rotate_keys --dry-run` (the run book's key check) refuses without showing any either.

On PostgreSQL the restored copy is also granted to an application role with deploy/postgresql/grants.sql,
which reads the case and dispatches it again (history rows the triggers chain; audit_verify agrees), while
the audit tables stay append-only for it and it cannot switch their triggers off, truncate them, or skip
them with session_replication_role.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection

from cases.models import Case
from cases.roles import sync_role_groups
from tests.factories import make_case

ROOT = Path(__file__).resolve().parents[2]
NAME = "鍾離晴川"
FERNET_PREFIX = "gAAAAA"  # every Fernet token starts so (version byte 0x80 and the timestamp)

# A write as the app does it: the dispatch, the case's new state and their history rows, which the audit
# triggers chain (an INSERT that also updates the chain's head row).
DISPATCH_AGAIN = """
import sys
import django
django.setup()
from django.contrib.auth import get_user_model
from cases import services
from cases.models import Case
users = get_user_model().objects
case = Case.objects.get(pk=sys.argv[1])
services.dispatch_case(
    actor=users.get(pk=sys.argv[2]), case=case, worker=users.get(pk=sys.argv[3]), reason="還原後改派"
)
print("dispatches:", case.dispatches.count())
"""

READ_VICTIM = """
import sys
import django
django.setup()
from cases.models import Case
case = Case.objects.select_related("victim").get(pk=sys.argv[1])
print("victim:", case.victim.name)
"""


def _env(database_url: str, *, keys: list[str], blind_index_key: str) -> dict[str, str]:
    """What a new server would have: production settings, the database, the keys; nothing from .env."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": ",".join(keys),
        "BLIND_INDEX_KEY": blind_index_key,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "localhost",
        "SMS_REMINDER_CALLBACK_NUMBER": "(02)2700-1234",
        "PYTHONUNBUFFERED": "1",
    }


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _pg_args(conf: dict) -> tuple[list[str], dict[str, str]]:
    args = ["-h", conf.get("HOST") or "127.0.0.1", "-p", str(conf.get("PORT") or 5432)]
    if conf.get("USER"):
        args += ["-U", conf["USER"]]
    env = {**os.environ}
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = conf["PASSWORD"]
    return args, env


def _binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is needed (apt-get install postgresql-client; .ci/run does it)")
    return path


def _url(conf: dict, name: str, *, user: str | None = None, password: str | None = None) -> str:
    user = user or conf.get("USER") or ""
    password = password if user != conf.get("USER") else conf.get("PASSWORD")
    auth = f"{user}:{password}" if password else user
    return f"postgres://{auth}@{conf.get('HOST') or '127.0.0.1'}:{conf.get('PORT') or 5432}/{name}"


@contextlib.contextmanager
def _restored_postgres(tmp_path: Path):
    """pg_dump the test database, pg_restore it into <name>_restore_<hex>; dropped afterwards."""
    conf = connection.settings_dict
    args, env = _pg_args(conf)
    dump = tmp_path / "ncii.dump"
    backup = [_binary("pg_dump"), *args, "--format=custom", f"--file={dump}", conf["NAME"]]
    result = subprocess.run(backup, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    new = f"{conf['NAME'].removeprefix('test_')}_restore_{uuid.uuid4().hex[:8]}"
    psql = [_binary("psql"), *args, "-v", "ON_ERROR_STOP=1", "-d", "postgres"]
    subprocess.run([*psql, "-c", f'CREATE DATABASE "{new}"'], env=env, check=True, capture_output=True)
    try:
        restore = [_binary("pg_restore"), *args, "--no-owner", "--exit-on-error", "-d", new, str(dump)]
        result = subprocess.run(restore, env=env, capture_output=True, text=True, timeout=300, check=False)
        assert result.returncode == 0, result.stderr
        yield _url(conf, new), new
    finally:
        subprocess.run(
            [*psql, "-c", f'DROP DATABASE IF EXISTS "{new}" WITH (FORCE)'], env=env, capture_output=True
        )


@contextlib.contextmanager
def _restored_sqlite(tmp_path: Path):
    """The online backup API (what `sqlite3 db.sqlite3 ".backup copy.sqlite3"` runs) into a new file."""
    copy = tmp_path / "restored.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    yield f"sqlite:///{copy}", None


@contextlib.contextmanager
def _restored(tmp_path: Path):
    if connection.vendor == "postgresql":
        with _restored_postgres(tmp_path) as restored:
            yield restored
    elif connection.vendor == "sqlite":
        with _restored_sqlite(tmp_path) as restored:
            yield restored
    else:
        pytest.fail(f"no backup recipe for {connection.vendor}: add one to docs/runbook.md and here")


def _app_role_checks(database: str, case: Case, actor, worker) -> None:
    """deploy/postgresql/grants.sql on the restored copy: the app role reads and writes as the app does,
    and cannot unseal the trail."""
    conf = connection.settings_dict
    args, env = _pg_args(conf)
    role, password = f"{database}_app", secrets.token_urlsafe(18)
    admin = [_binary("psql"), *args, "-v", "ON_ERROR_STOP=1", "-d", database]
    subprocess.run([*admin, "-c", f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}'"], env=env, check=True)
    try:
        grants = [*admin, "-v", f"owner_role={conf.get('USER') or 'postgres'}", "-v", f"app_role={role}"]
        result = subprocess.run(
            [*grants, "-f", str(ROOT / "deploy" / "postgresql" / "grants.sql")],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr

        app_url = _url(conf, database, user=role, password=password)
        keys = {"keys": settings.FIELD_ENCRYPTION_KEYS, "blind_index_key": settings.BLIND_INDEX_KEY}
        read = _run(["-c", READ_VICTIM, str(case.pk)], _env(app_url, **keys))
        assert read.returncode == 0, read.stderr
        assert f"victim: {NAME}" in read.stdout
        write = _run(
            ["-c", DISPATCH_AGAIN, str(case.pk), str(actor.pk), str(worker.pk)], _env(app_url, **keys)
        )
        assert write.returncode == 0, write.stderr
        assert "dispatches: 2" in write.stdout
        verify = _run(["manage.py", "audit_verify"], _env(app_url, **keys))
        assert verify.returncode == 0, verify.stdout + verify.stderr

        history = Case.history.model._meta.db_table
        app_env = {**env, "PGPASSWORD": password}
        app_psql = [_binary("psql"), *args[:4], "-U", role, "-v", "ON_ERROR_STOP=1", "-d", database, "-c"]
        refused = {
            f"UPDATE {history} SET history_change_reason = 'x'": "append-only",
            f"TRUNCATE {history}": "permission denied",
            f"ALTER TABLE {history} DISABLE TRIGGER audit_append_only": "must be owner",
            "SET session_replication_role = replica": "permission denied",
        }
        for sql, error in refused.items():
            result = subprocess.run(
                [*app_psql, sql], env=app_env, capture_output=True, text=True, check=False
            )
            assert result.returncode != 0 and error in result.stderr, (sql, result.stderr)
    finally:
        drop = f'DROP OWNED BY "{role}"; DROP ROLE "{role}"'
        subprocess.run([*admin, "-c", drop], env=env, capture_output=True)


@pytest.fixture
def role_groups(transactional_db):
    """Before the role users: a transactional test may start after another one's flush emptied them."""
    sync_role_groups()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_new_database_and_reads_only_with_the_same_keys(
    role_groups, hotline, worker, worker2, tmp_path
):
    case = make_case(actor=hotline, worker=worker, victim_name=NAME, victim_phone="0933-271-846")
    same = {"keys": settings.FIELD_ENCRYPTION_KEYS, "blind_index_key": settings.BLIND_INDEX_KEY}
    wrong = {"keys": [Fernet.generate_key().decode()], "blind_index_key": secrets.token_urlsafe(48)}

    with _restored(tmp_path) as (url, database):
        read = _run(["-c", READ_VICTIM, str(case.pk)], _env(url, **same))
        assert read.returncode == 0, read.stderr
        assert f"victim: {NAME}" in read.stdout

        # The hash chain came through the backup whole (the run book's check after a restore).
        verify = _run(["manage.py", "audit_verify"], _env(url, **same))
        assert verify.returncode == 0, verify.stdout + verify.stderr

        # Wrong keys: the field's own error, and neither the name nor any ciphertext on the screen.
        read = _run(["-c", READ_VICTIM, str(case.pk)], _env(url, **wrong))
        shown = read.stdout + read.stderr
        assert read.returncode != 0
        assert read.stderr.rstrip().endswith(
            "cases.privacy.DecryptionError: stored value does not decrypt with the configured keys"
        )
        assert NAME not in shown and FERNET_PREFIX not in shown

        check = _run(["manage.py", "rotate_keys", "--dry-run"], _env(url, **wrong))
        shown = check.stdout + check.stderr
        assert check.returncode != 0
        assert "CommandError" in shown and "cases.Victim" in shown
        assert NAME not in shown and FERNET_PREFIX not in shown

        check = _run(["manage.py", "rotate_keys", "--dry-run"], _env(url, **same))
        assert check.returncode == 0, check.stdout + check.stderr

        if database is not None:
            _app_role_checks(database, case, hotline, worker2)
