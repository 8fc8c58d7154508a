"""The supervisor overview's counts (issue 19: "counters kept up to date in the same transaction as the
change"): cases per state, flagged cases, waiting intakes.

Database triggers write them, so every path that changes a counted value is covered: the services, the
admin, bulk seeding, a raw UPDATE. A change appends a signed delta row to `cases_unitcounter` in the
writer's transaction and the page sums the rows per key (one query). Why deltas and not one row per key
updated in place: that row would be locked by every writer until its commit, and two transactions
touching two counters in opposite statement order (an intake accepted as a new case, a case flagged
while an intake closes) would deadlock; an INSERT locks nothing another writer waits for. The rows are
folded back to one per key by `compact()` (the overview's beat job, cases.tasks), so the page sums a few
hundred rows at most.

Triggers (installed by migration 0030):

- PostgreSQL: INSERT and DELETE are statement triggers with transition tables (the bench's bulk seeding
  and its set-based copy write one delta row per key per statement); UPDATE is a row trigger whose WHEN
  clause fires only when a counted value changes, so bulk updates of other columns (the lists' kept
  columns, the name index, retention's blanking) cost nothing and capture no transition table.
- SQLite (development, tests): row triggers for the three events.

A writer that switches triggers off (bench/clone.py's session_replication_role = replica) or a TRUNCATE
bypasses them: `recount()` rebuilds every counter from the tables.
"""

from __future__ import annotations

from django.db import connection, connections, transaction

TABLE = "cases_unitcounter"
CASES = "cases_case"
INTAKES = "cases_intake"

# What the overview shows: the case states (Case.Status values, keys "case:<status>"), plus these.
FLAGGED = "case:flagged"
PENDING_INTAKES = "intake:pending"
_PENDING = "pending"  # Intake.Status.PENDING, spelled out for the SQL below

_PG = f"""
CREATE OR REPLACE FUNCTION cases_unitcounter_case_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {TABLE} (key, value)
        SELECT k, sum(d) FROM (
            SELECT 'case:' || status AS k, 1 AS d FROM new_rows
            UNION ALL SELECT '{FLAGGED}', 1 FROM new_rows WHERE danger_since IS NOT NULL
        ) deltas GROUP BY k;
    ELSE
        INSERT INTO {TABLE} (key, value)
        SELECT k, -sum(d) FROM (
            SELECT 'case:' || status AS k, 1 AS d FROM old_rows
            UNION ALL SELECT '{FLAGGED}', 1 FROM old_rows WHERE danger_since IS NOT NULL
        ) deltas GROUP BY k;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION cases_unitcounter_case_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} (key, value)
    SELECT k, sum(d) FROM (VALUES
        ('case:' || OLD.status, -1),
        ('case:' || NEW.status, 1),
        ('{FLAGGED}', (NEW.danger_since IS NOT NULL)::int - (OLD.danger_since IS NOT NULL)::int)
    ) deltas (k, d) GROUP BY k HAVING sum(d) <> 0;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION cases_unitcounter_intake_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {TABLE} (key, value)
        SELECT '{PENDING_INTAKES}', count(*) FROM new_rows WHERE status = '{_PENDING}' HAVING count(*) > 0;
    ELSE
        INSERT INTO {TABLE} (key, value)
        SELECT '{PENDING_INTAKES}', -count(*) FROM old_rows WHERE status = '{_PENDING}' HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION cases_unitcounter_intake_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} (key, value)
    VALUES ('{PENDING_INTAKES}', CASE WHEN NEW.status = '{_PENDING}' THEN 1 ELSE -1 END);
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS unitcounter_insert ON {CASES};
CREATE TRIGGER unitcounter_insert AFTER INSERT ON {CASES} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_unitcounter_case_rows();
DROP TRIGGER IF EXISTS unitcounter_delete ON {CASES};
CREATE TRIGGER unitcounter_delete AFTER DELETE ON {CASES} REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_unitcounter_case_rows();
DROP TRIGGER IF EXISTS unitcounter_update ON {CASES};
CREATE TRIGGER unitcounter_update AFTER UPDATE ON {CASES} FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
          OR (OLD.danger_since IS NULL) <> (NEW.danger_since IS NULL))
    EXECUTE FUNCTION cases_unitcounter_case_update();

DROP TRIGGER IF EXISTS unitcounter_insert ON {INTAKES};
CREATE TRIGGER unitcounter_insert AFTER INSERT ON {INTAKES} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_unitcounter_intake_rows();
DROP TRIGGER IF EXISTS unitcounter_delete ON {INTAKES};
CREATE TRIGGER unitcounter_delete AFTER DELETE ON {INTAKES} REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cases_unitcounter_intake_rows();
DROP TRIGGER IF EXISTS unitcounter_update ON {INTAKES};
CREATE TRIGGER unitcounter_update AFTER UPDATE ON {INTAKES} FOR EACH ROW
    WHEN ((OLD.status = '{_PENDING}') IS DISTINCT FROM (NEW.status = '{_PENDING}'))
    EXECUTE FUNCTION cases_unitcounter_intake_update();
"""

_SQLITE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS unitcounter_case_insert AFTER INSERT ON {CASES} BEGIN
        INSERT INTO {TABLE} (key, value) VALUES ('case:' || NEW.status, 1);
        INSERT INTO {TABLE} (key, value) SELECT '{FLAGGED}', 1 WHERE NEW.danger_since IS NOT NULL;
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS unitcounter_case_delete AFTER DELETE ON {CASES} BEGIN
        INSERT INTO {TABLE} (key, value) VALUES ('case:' || OLD.status, -1);
        INSERT INTO {TABLE} (key, value) SELECT '{FLAGGED}', -1 WHERE OLD.danger_since IS NOT NULL;
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS unitcounter_case_update AFTER UPDATE OF status, danger_since ON {CASES}
    WHEN OLD.status IS NOT NEW.status OR (OLD.danger_since IS NULL) <> (NEW.danger_since IS NULL) BEGIN
        INSERT INTO {TABLE} (key, value)
            SELECT 'case:' || OLD.status, -1 WHERE OLD.status IS NOT NEW.status;
        INSERT INTO {TABLE} (key, value)
            SELECT 'case:' || NEW.status, 1 WHERE OLD.status IS NOT NEW.status;
        INSERT INTO {TABLE} (key, value)
            SELECT '{FLAGGED}', CASE WHEN NEW.danger_since IS NULL THEN -1 ELSE 1 END
            WHERE (OLD.danger_since IS NULL) <> (NEW.danger_since IS NULL);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS unitcounter_intake_insert AFTER INSERT ON {INTAKES}
    WHEN NEW.status = '{_PENDING}' BEGIN
        INSERT INTO {TABLE} (key, value) VALUES ('{PENDING_INTAKES}', 1);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS unitcounter_intake_delete AFTER DELETE ON {INTAKES}
    WHEN OLD.status = '{_PENDING}' BEGIN
        INSERT INTO {TABLE} (key, value) VALUES ('{PENDING_INTAKES}', -1);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS unitcounter_intake_update AFTER UPDATE OF status ON {INTAKES}
    WHEN (OLD.status = '{_PENDING}') <> (NEW.status = '{_PENDING}') BEGIN
        INSERT INTO {TABLE} (key, value)
            VALUES ('{PENDING_INTAKES}', CASE WHEN NEW.status = '{_PENDING}' THEN 1 ELSE -1 END);
    END
    """,
]

_RECOUNT = f"""
INSERT INTO {TABLE} (key, value)
SELECT 'case:' || status, count(*) FROM {CASES} GROUP BY status
UNION ALL SELECT '{FLAGGED}', count(*) FROM {CASES} WHERE danger_since IS NOT NULL
UNION ALL SELECT '{PENDING_INTAKES}', count(*) FROM {INTAKES} WHERE status = '{_PENDING}'
"""


def install(using: str = "default") -> None:
    """Create (or replace) the triggers and count what the tables hold now."""
    install_triggers(using, postgresql=_PG, sqlite=_SQLITE)
    recount(using=using)


def install_after_migrate(using: str = "default", **kwargs) -> None:
    """post_migrate: SQLite drops a table's triggers when a migration rebuilds the table (most column
    changes do), so any missing trigger is put back and every counter recounted."""
    if triggers_missing(using, prefix="unitcounter", expected=6, tables=[TABLE]):
        install(using=using)


# Shared by every app that keeps a counter here (safety/counters.py): its triggers are named with a prefix.
_TRIGGERS_NAMED = {
    "postgresql": "SELECT count(*) FROM pg_trigger WHERE tgname LIKE %s AND NOT tgisinternal",
    "sqlite": "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
}


def install_triggers(using: str, *, postgresql: str, sqlite: list[str]) -> None:
    """Run a counter's trigger SQL for this database's vendor, in one transaction."""
    conn = connections[using]
    with transaction.atomic(using=using), conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(postgresql)
        elif conn.vendor == "sqlite":
            for sql in sqlite:
                cursor.execute(sql)
        else:  # pragma: no cover - the project runs on these two
            raise NotImplementedError(conn.vendor)


def triggers_missing(using: str, *, prefix: str, expected: int, tables: list[str]) -> bool:
    """Whether fewer than `expected` triggers named `prefix`… exist while all of `tables` do."""
    conn = connections[using]
    present_tables = conn.introspection.table_names()
    if conn.vendor not in _TRIGGERS_NAMED or any(t not in present_tables for t in tables):
        return False
    with conn.cursor() as cursor:
        cursor.execute(_TRIGGERS_NAMED[conn.vendor], [f"{prefix}%"])
        (present,) = cursor.fetchone()
    return present < expected


def recount(using: str = "default") -> None:
    """Every counter from the tables (after writes with triggers off, or to repair). On PostgreSQL the
    tables are locked against writers (SHARE) until the end of the transaction, so no change is counted
    twice or missed; one scan of the cases and of the intakes."""
    conn = connections[using]
    with transaction.atomic(using=using), conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {CASES}, {INTAKES}, {TABLE} IN SHARE ROW EXCLUSIVE MODE")
        # The hub's keys only: an app keeps its own (safety/counters.py).
        cursor.execute(f"DELETE FROM {TABLE} WHERE key LIKE %s OR key LIKE %s", ["case:%", "intake:%"])
        cursor.execute(_RECOUNT)


def compact(using: str = "default") -> None:
    """Fold the delta rows into one row per key (none for a sum of 0). Safe alongside writers: on
    PostgreSQL one statement deletes the rows it sees and inserts their sums (rows of transactions not
    yet committed are neither seen nor deleted); SQLite has one writer at a time."""
    conn = connections[using]
    with transaction.atomic(using=using), conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                f"""
                WITH gone AS (DELETE FROM {TABLE} RETURNING key, value)
                INSERT INTO {TABLE} (key, value)
                SELECT key, sum(value) FROM gone GROUP BY key HAVING sum(value) <> 0
                """
            )
        else:
            cursor.execute(f"SELECT max(id) FROM {TABLE}")
            (last,) = cursor.fetchone()
            if last is None:
                return
            cursor.execute(
                f"SELECT key, sum(value) FROM {TABLE} WHERE id <= %s GROUP BY key HAVING sum(value) <> 0",
                [last],
            )
            sums = cursor.fetchall()
            cursor.execute(f"DELETE FROM {TABLE} WHERE id <= %s", [last])
            cursor.executemany(f"INSERT INTO {TABLE} (key, value) VALUES (%s, %s)", sums)


def read(*, also: dict | None = None, cap: int) -> tuple[dict[str, int], dict]:
    """Every counter ({key: n}, a key never written is absent, apps' keys included) and, in the same
    query, the capped counts of `also` ({key: queryset}, counted up to `cap` rows from their indexes)."""
    also = also or {}
    parts, params = [f"SELECT key, SUM(value) FROM {TABLE} GROUP BY key"], []
    tags = {}
    for i, qs in enumerate(also.values()):
        sql, p = qs.order_by().values("pk")[:cap].query.sql_with_params()
        tags[f"also:{i}"] = i
        parts.append(f"SELECT %s, (SELECT COUNT(*) FROM ({sql}) capped)")
        params += [f"also:{i}", *p]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    keys = list(also)
    counters, counted = {}, {}
    for key, n in rows:
        if key in tags:
            counted[keys[tags[key]]] = int(n)
        else:
            counters[key] = int(n)
    return counters, counted
