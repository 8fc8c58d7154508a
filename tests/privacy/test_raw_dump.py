"""Acceptance: a raw dump of the whole database, history tables included, holds no victim PII in clear.

PostgreSQL: pg_dump of the test database (the data has to be committed, hence transaction=True).
SQLite: the connection's iterdump(). Either way the dump is searched as plain text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from django.db import connection

from cases.models import Case, Dispatch, Intake, Victim
from cases.roles import sync_role_groups
from tests.privacy.helpers import PII, build_case_file, pii_needles, raw_tokens

HISTORY_TABLES = [
    Victim.history.model._meta.db_table,
    Case.history.model._meta.db_table,
    Intake.history.model._meta.db_table,
    Dispatch.history.model._meta.db_table,
]


def _dump() -> str:
    if connection.vendor == "postgresql":
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            pytest.fail("pg_dump is needed for the raw dump test on PostgreSQL")
        conf = connection.settings_dict
        cmd = [pg_dump, "--no-owner", "--no-privileges", "--encoding=UTF8"]
        if conf.get("HOST"):
            cmd += ["-h", conf["HOST"]]
        if conf.get("PORT"):
            cmd += ["-p", str(conf["PORT"])]
        if conf.get("USER"):
            cmd += ["-U", conf["USER"]]
        cmd.append(conf["NAME"])
        env = {**os.environ}
        if conf.get("PASSWORD"):
            env["PGPASSWORD"] = conf["PASSWORD"]
        result = subprocess.run(cmd, capture_output=True, env=env, check=False, timeout=120)
        assert result.returncode == 0, result.stderr.decode(errors="replace")
        return result.stdout.decode("utf-8")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return "\n".join(connection.connection.iterdump())
    pytest.fail(f"no raw dump recipe for {connection.vendor}: add one before running on it")


def _dumped_rows(dump: str, table: str) -> int:
    """Data rows of one table in the dump (COPY block on PostgreSQL, INSERT lines on SQLite)."""
    if connection.vendor == "postgresql":
        match = re.search(
            rf"^COPY public\.{re.escape(table)} \(.*?\) FROM stdin;\n(.*?)^\\\.$", dump, re.M | re.S
        )
        assert match, f"no COPY block for {table}"
        return len([line for line in match.group(1).splitlines() if line])
    return len(re.findall(rf'^INSERT INTO "{re.escape(table)}" VALUES', dump, re.M))


@pytest.mark.django_db(transaction=True)
def test_raw_database_dump_holds_no_pii_in_clear():
    sync_role_groups()  # a transactional test may start after another one's flush
    made = build_case_file("dump")
    case, ref_case = made["case"], made["ref_case"]

    # The data really is there, with history rows for every change.
    assert Victim.objects.get(pk=made["victim"].pk).address == PII["address"]
    assert Victim.history.filter(id=made["victim"].pk).count() >= 2
    assert Case.history.filter(id=case.pk).count() >= 3  # opened, dispatched, re-dispatched
    assert Dispatch.history.filter(case=case).count() == 2

    dump = _dump()

    # The dump is real and complete: non-PII markers and the tables are in it...
    assert case.number in dump and ref_case.number in dump
    assert made["referral"].referring_agency in dump
    for table in HISTORY_TABLES:
        assert table in dump
    assert _dumped_rows(dump, Victim.history.model._meta.db_table) >= 3  # two victims, one updated
    assert _dumped_rows(dump, Case.history.model._meta.db_table) >= 4
    assert _dumped_rows(dump, Dispatch.history.model._meta.db_table) >= 2
    # ...including the encrypted columns, as ciphertext (live and history).
    tokens = raw_tokens()
    history_labels = {
        m._meta.label for m in (Victim.history.model, Intake.history.model, Dispatch.history.model)
    }
    assert history_labels <= {label for label, _, _ in tokens}
    for token in tokens.values():
        assert token.startswith("gAAAAA")
        assert token in dump

    # ...and not one piece of PII in clear, in any form.
    leaks = [needle for needle in pii_needles() if needle in dump]
    assert leaks == []
