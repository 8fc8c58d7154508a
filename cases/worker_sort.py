"""The unit's case list by worker (issue 19): each case keeps its assigned worker's last and first name
(`Case.worker_last_name`, `Case.worker_first_name`; null without a worker), so a page of 50 is read from
an index in the list's order: name, then the worker's id, unassigned last, newest first. Sorting every
case in scope by a joined name took a second at 100,000 cases.

Database triggers keep the two columns, and not the services, because a name changes in places the hub
does not own: the Django admin's user form, the shell, a directory sync, anything that saves a User. A
service would have to be called from each of them; a trigger on the user table cannot be bypassed by
forgetting. The case side is a trigger too, for the same reason (dispatch_case is the only service that
assigns today, but the admin, bulk seeding and raw SQL write cases as well), and because it also repairs
a stale value a full `save()` of an old Case instance would write back: it recomputes whenever the
worker or either name column is written with a different value.

- PostgreSQL: BEFORE INSERT/UPDATE row triggers on the case set the names from the user row, read FOR
  SHARE so that a rename committing at the same time either waits for the case's transaction (and then
  updates that case too) or is seen by it; an AFTER UPDATE row trigger on the user copies a new name
  to the user's cases (a worker with 28,000 cases at a million: one indexed UPDATE, rare).
- SQLite (development, tests): AFTER triggers that UPDATE the case row (SQLite cannot assign NEW).

Installed by migration 0031 and again after every `migrate` (post_migrate), so a table SQLite rebuilt
for a later migration gets them back. A writer that switches triggers off (bench/clone.py's
session_replication_role = replica copies the columns with the rest of the case) or restores a dump
without them: `refresh_all()` brings every case's names up to date in one statement.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connections, transaction

CASES = "cases_case"


def _users() -> str:
    return get_user_model()._meta.db_table


def _pg() -> str:
    users = _users()
    return f"""
CREATE OR REPLACE FUNCTION cases_case_worker_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- No row (no worker) leaves both null.
    SELECT u.last_name, u.first_name INTO NEW.worker_last_name, NEW.worker_first_name
    FROM {users} u WHERE u.id = NEW.assigned_worker_id FOR SHARE;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION cases_user_worker_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {CASES} SET worker_last_name = NEW.last_name, worker_first_name = NEW.first_name
    WHERE assigned_worker_id = NEW.id;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS worker_name_insert ON {CASES};
CREATE TRIGGER worker_name_insert BEFORE INSERT ON {CASES} FOR EACH ROW
    WHEN (NEW.assigned_worker_id IS NOT NULL OR NEW.worker_last_name IS NOT NULL
          OR NEW.worker_first_name IS NOT NULL)
    EXECUTE FUNCTION cases_case_worker_name();
DROP TRIGGER IF EXISTS worker_name_update ON {CASES};
CREATE TRIGGER worker_name_update
    BEFORE UPDATE OF assigned_worker_id, worker_last_name, worker_first_name ON {CASES} FOR EACH ROW
    WHEN (OLD.assigned_worker_id IS DISTINCT FROM NEW.assigned_worker_id
          OR OLD.worker_last_name IS DISTINCT FROM NEW.worker_last_name
          OR OLD.worker_first_name IS DISTINCT FROM NEW.worker_first_name)
    EXECUTE FUNCTION cases_case_worker_name();
DROP TRIGGER IF EXISTS case_worker_name ON {users};
CREATE TRIGGER case_worker_name AFTER UPDATE OF last_name, first_name ON {users} FOR EACH ROW
    WHEN (OLD.last_name IS DISTINCT FROM NEW.last_name OR OLD.first_name IS DISTINCT FROM NEW.first_name)
    EXECUTE FUNCTION cases_user_worker_name();
"""


def _sqlite() -> list[str]:
    users = _users()
    set_names = f"""
        UPDATE {CASES} SET
            worker_last_name = (SELECT last_name FROM {users} WHERE id = NEW.assigned_worker_id),
            worker_first_name = (SELECT first_name FROM {users} WHERE id = NEW.assigned_worker_id)
        WHERE id = NEW.id;
    """
    return [
        f"""
        CREATE TRIGGER IF NOT EXISTS worker_name_insert AFTER INSERT ON {CASES}
        WHEN NEW.assigned_worker_id IS NOT NULL OR NEW.worker_last_name IS NOT NULL
            OR NEW.worker_first_name IS NOT NULL
        BEGIN {set_names} END
        """,
        f"""
        CREATE TRIGGER IF NOT EXISTS worker_name_update
        AFTER UPDATE OF assigned_worker_id, worker_last_name, worker_first_name ON {CASES}
        WHEN OLD.assigned_worker_id IS NOT NEW.assigned_worker_id
            OR OLD.worker_last_name IS NOT NEW.worker_last_name
            OR OLD.worker_first_name IS NOT NEW.worker_first_name
        BEGIN {set_names} END
        """,
        f"""
        CREATE TRIGGER IF NOT EXISTS case_worker_name AFTER UPDATE OF last_name, first_name ON {users}
        WHEN OLD.last_name IS NOT NEW.last_name OR OLD.first_name IS NOT NEW.first_name
        BEGIN
            UPDATE {CASES} SET worker_last_name = NEW.last_name, worker_first_name = NEW.first_name
            WHERE assigned_worker_id = NEW.id;
        END
        """,
    ]


def install(using: str = "default") -> None:
    """Create (or replace) the triggers. Does nothing before the columns exist (a migration back)."""
    conn = connections[using]
    with transaction.atomic(using=using), conn.cursor() as cursor:
        columns = {c.name for c in conn.introspection.get_table_description(cursor, CASES)}
        if "worker_last_name" not in columns:
            return
        if conn.vendor == "postgresql":
            cursor.execute(_pg())
        elif conn.vendor == "sqlite":
            for sql in _sqlite():
                cursor.execute(sql)
        else:  # pragma: no cover - the project runs on these two
            raise NotImplementedError(conn.vendor)


def uninstall(using: str = "default") -> None:
    conn = connections[using]
    with conn.cursor() as cursor:
        for name, table in (
            ("worker_name_insert", CASES),
            ("worker_name_update", CASES),
            ("case_worker_name", _users()),
        ):
            on = f" ON {table}" if conn.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}{on}")
        if conn.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS cases_case_worker_name()")
            cursor.execute("DROP FUNCTION IF EXISTS cases_user_worker_name()")


def install_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate of the cases app."""
    install(using=using)


def refresh_all(using: str = "default") -> int:
    """Every case's worker names from the user table, set-based; writes only the rows that differ (the
    migration that added the columns: a million cases in one statement). Returns how many."""
    users = _users()
    conn = connections[using]
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                f"""
                UPDATE {CASES} c SET worker_last_name = u.last_name, worker_first_name = u.first_name
                FROM {users} u
                WHERE u.id = c.assigned_worker_id AND (c.worker_last_name IS DISTINCT FROM u.last_name
                    OR c.worker_first_name IS DISTINCT FROM u.first_name)
                """
            )
            named = cursor.rowcount
            cursor.execute(
                f"""
                UPDATE {CASES} SET worker_last_name = NULL, worker_first_name = NULL
                WHERE assigned_worker_id IS NULL
                    AND (worker_last_name IS NOT NULL OR worker_first_name IS NOT NULL)
                """
            )
            return named + cursor.rowcount
        else:
            fresh_last = f"(SELECT last_name FROM {users} u WHERE u.id = {CASES}.assigned_worker_id)"
            fresh_first = f"(SELECT first_name FROM {users} u WHERE u.id = {CASES}.assigned_worker_id)"
            cursor.execute(
                f"""
                UPDATE {CASES} SET worker_last_name = {fresh_last}, worker_first_name = {fresh_first}
                WHERE worker_last_name IS NOT {fresh_last} OR worker_first_name IS NOT {fresh_first}
                """
            )
        return cursor.rowcount
