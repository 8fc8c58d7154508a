"""The fault drills (ops/faults/, docs/faults.md) at a size that fits the suite.

Each drill starts its own PostgreSQL cluster, Redis, gateway and app processes, injects its fault on
them and counts outcomes; the test fails with the drill's numbers. `make faults` runs them larger.
The private cluster gets the schema from the test database with pg_dump (seconds) when the suite runs
on PostgreSQL, as CI does; on SQLite it migrates once and keeps the result under FAULTS_TMP.
"""

from __future__ import annotations

import pytest

from ops.faults import double_beat, pg_restart, redis_stop, worker_kill

# The drills copy the test database's schema; the mark makes pytest-django create it for this module.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema_source(django_db_setup, django_db_blocker):
    from django.db import connection

    from tests.sms.harness import test_database_url

    with django_db_blocker.unblock():
        return test_database_url() if connection.vendor == "postgresql" else None


def test_postgresql_restarted_under_load(schema_source):
    from cases.formguard import WAIT_SECONDS

    # After the restart each client must save a call again. A client whose killed post left its claim
    # open is told 「處理中」 only after its resend has waited WAIT_SECONDS (10 s) for the outcome, and
    # then goes on to its next call: with 5 s after the restart, a run in which all three posts were
    # killed after their claims saved nothing more in time and failed (1 run in 8, 30 Nov).
    result = pg_restart.run(log=print, dump_from=schema_source, clients=3, warmup=2, after=WAIT_SECONDS + 3)
    print(result.line())
    assert result.ok, result.line()


def test_redis_stopped_during_intakes_loses_no_sms(schema_source):
    result = redis_stop.run(log=print, dump_from=schema_source, clients=2, down=4, after=3)
    print(result.line())
    assert result.ok, result.line()


def test_worker_killed_mid_send_loses_and_repeats_nothing(schema_source):
    result = worker_kill.run(log=print, dump_from=schema_source, messages=60, kill_after=15)
    print(result.line())
    assert result.ok, result.line()


def test_two_beats_send_no_reminder_or_sms_twice(schema_source):
    result = double_beat.run(log=print, dump_from=schema_source, cases=6, intakes=3, runs=4)
    print(result.line())
    assert result.ok, result.line()
