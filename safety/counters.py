"""The overview's count of cases not closed whose victim has not had the reminder sheet (指引 7-1b), kept
by database triggers in the hub's counter table (cases/counters.py says why signed delta rows).

Counted from an index with a cap it read cases until it found 1,000 without a sheet: fast while few
cases had one, and slower the more of them did (56 ms when the cases' physical order put the closed
ones first). The triggers add -1 when a case not closed gets its first sheet, +1 when its last sheet
is deleted, ±1 when a case without a sheet is opened, deleted, closed or reopened.

Two transactions giving the same case its first sheet at once would both see only their own row and
both subtract: the delivery triggers first lock the cases they touch (in id order), so the second waits
for the first and then sees its row. A status change of the case holds the same row lock.
"""

from __future__ import annotations

from django.db import connections, transaction

from cases.counters import TABLE, install_triggers, triggers_missing

KEY = "safety:without_sheet"
CASES = "cases_case"
DELIVERIES = "safety_sheetdelivery"
_CLOSED = "closed"  # Case.Status.CLOSED

_PG = f"""
CREATE OR REPLACE FUNCTION safety_counter_case_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {TABLE} (key, value)
        SELECT '{KEY}', count(*) FROM new_rows c
        WHERE c.status <> '{_CLOSED}' AND NOT EXISTS (SELECT 1 FROM {DELIVERIES} d WHERE d.case_id = c.id)
        HAVING count(*) > 0;
    ELSE
        INSERT INTO {TABLE} (key, value)
        SELECT '{KEY}', -count(*) FROM old_rows c
        WHERE c.status <> '{_CLOSED}' AND NOT EXISTS (SELECT 1 FROM {DELIVERIES} d WHERE d.case_id = c.id)
        HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION safety_counter_case_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM {DELIVERIES} d WHERE d.case_id = NEW.id) THEN
        INSERT INTO {TABLE} (key, value)
        VALUES ('{KEY}', CASE WHEN NEW.status = '{_CLOSED}' THEN -1 ELSE 1 END);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION safety_counter_delivery_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM {CASES} WHERE id IN (SELECT case_id FROM new_rows) ORDER BY id FOR NO KEY UPDATE;
        -- A case's first sheets: every sheet it has now came in this statement.
        INSERT INTO {TABLE} (key, value)
        SELECT '{KEY}', -count(*) FROM (SELECT case_id, count(*) AS added FROM new_rows GROUP BY case_id) n
        JOIN {CASES} c ON c.id = n.case_id
        WHERE c.status <> '{_CLOSED}'
          AND (SELECT count(*) FROM {DELIVERIES} d WHERE d.case_id = n.case_id) = n.added
        HAVING count(*) > 0;
    ELSE
        PERFORM 1 FROM {CASES} WHERE id IN (SELECT case_id FROM old_rows) ORDER BY id FOR NO KEY UPDATE;
        INSERT INTO {TABLE} (key, value)
        SELECT '{KEY}', count(*) FROM (SELECT DISTINCT case_id FROM old_rows) o
        JOIN {CASES} c ON c.id = o.case_id
        WHERE c.status <> '{_CLOSED}'
          AND NOT EXISTS (SELECT 1 FROM {DELIVERIES} d WHERE d.case_id = o.case_id)
        HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS safety_counter_insert ON {CASES};
CREATE TRIGGER safety_counter_insert AFTER INSERT ON {CASES} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION safety_counter_case_rows();
DROP TRIGGER IF EXISTS safety_counter_delete ON {CASES};
CREATE TRIGGER safety_counter_delete AFTER DELETE ON {CASES} REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION safety_counter_case_rows();
DROP TRIGGER IF EXISTS safety_counter_update ON {CASES};
CREATE TRIGGER safety_counter_update AFTER UPDATE ON {CASES} FOR EACH ROW
    WHEN ((OLD.status = '{_CLOSED}') IS DISTINCT FROM (NEW.status = '{_CLOSED}'))
    EXECUTE FUNCTION safety_counter_case_update();
DROP TRIGGER IF EXISTS safety_counter_insert ON {DELIVERIES};
CREATE TRIGGER safety_counter_insert AFTER INSERT ON {DELIVERIES} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION safety_counter_delivery_rows();
DROP TRIGGER IF EXISTS safety_counter_delete ON {DELIVERIES};
CREATE TRIGGER safety_counter_delete AFTER DELETE ON {DELIVERIES} REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION safety_counter_delivery_rows();
"""

_WITHOUT = f"NOT EXISTS (SELECT 1 FROM {DELIVERIES} d WHERE d.case_id = %s)"

_SQLITE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS safety_counter_case_insert AFTER INSERT ON {CASES}
    WHEN NEW.status <> '{_CLOSED}' AND {_WITHOUT % "NEW.id"} BEGIN
        INSERT INTO {TABLE} (key, value) VALUES ('{KEY}', 1);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS safety_counter_case_delete AFTER DELETE ON {CASES}
    WHEN OLD.status <> '{_CLOSED}' AND {_WITHOUT % "OLD.id"} BEGIN
        INSERT INTO {TABLE} (key, value) VALUES ('{KEY}', -1);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS safety_counter_case_update AFTER UPDATE OF status ON {CASES}
    WHEN (OLD.status = '{_CLOSED}') <> (NEW.status = '{_CLOSED}') AND {_WITHOUT % "NEW.id"} BEGIN
        INSERT INTO {TABLE} (key, value)
            VALUES ('{KEY}', CASE WHEN NEW.status = '{_CLOSED}' THEN -1 ELSE 1 END);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS safety_counter_delivery_insert AFTER INSERT ON {DELIVERIES}
    WHEN (SELECT count(*) FROM {DELIVERIES} d WHERE d.case_id = NEW.case_id) = 1
     AND (SELECT status FROM {CASES} WHERE id = NEW.case_id) <> '{_CLOSED}' BEGIN
        INSERT INTO {TABLE} (key, value) VALUES ('{KEY}', -1);
    END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS safety_counter_delivery_delete AFTER DELETE ON {DELIVERIES}
    WHEN {_WITHOUT % "OLD.case_id"}
     AND (SELECT status FROM {CASES} WHERE id = OLD.case_id) <> '{_CLOSED}' BEGIN
        INSERT INTO {TABLE} (key, value) VALUES ('{KEY}', 1);
    END
    """,
]


def install(using: str = "default") -> None:
    """Create (or replace) the triggers and count what the tables hold now."""
    install_triggers(using, postgresql=_PG, sqlite=_SQLITE)
    recount(using=using)


def install_after_migrate(using: str = "default", **kwargs) -> None:
    """post_migrate: SQLite drops a table's triggers when a migration rebuilds it; put them back."""
    if triggers_missing(using, prefix="safety_counter", expected=5, tables=[TABLE, DELIVERIES]):
        install(using=using)


def recount(using: str = "default") -> None:
    """The count from the tables (after writes with triggers off, or to repair), writers locked out."""
    conn = connections[using]
    with transaction.atomic(using=using), conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {CASES}, {DELIVERIES}, {TABLE} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {TABLE} WHERE key = %s", [KEY])
        cursor.execute(
            f"INSERT INTO {TABLE} (key, value) SELECT %s, count(*) FROM {CASES} c "
            f"WHERE c.status <> %s AND {_WITHOUT % 'c.id'}",
            [KEY, _CLOSED],
        )
