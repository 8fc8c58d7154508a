"""Volume in minutes: copy seeded cases in set-based SQL (PostgreSQL), rows and all.

`bench.seed` writes cases through the model classes (Fernet, blind indexes): about 1.5 ms a case,
25 minutes for a million. Past the first `--python-cases`, the command copies existing cases with
INSERT ... SELECT instead: each round picks up to as many cases as exist, at random, and copies
each with its victim, intakes (and their referral forms), dispatches and deadlines, in a handful of
statements. Copies get new ids and case numbers and are moved up to two days earlier, so the shares
by age and state stay those of the seeder; waiting and closed intakes are copied in the seeder's
proportions.

A copy reuses its original's ciphertext (it decrypts like any row) and its name index (names
repeat), but gets a blind index of its own for the mobile and the ID number, so a mobile still
finds one victim, as in life. Columns are read from the database, so a column another app adds is
copied as it is.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

from bench.seed import CLOSED_INTAKE_SHARE, PENDING_SHARE
from cases import counters
from cases.models import Case, CaseNumberCounter, Deadline, Dispatch, Intake, Victim
from referrals.models import Referral
from safety import counters as safety_counters

MAX_SHIFT_DAYS = 2


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _columns(model) -> list[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
    return [col.name for col in description]


def _copy(cursor, model, source: str, overrides: dict[str, str], params=()) -> int:
    """INSERT INTO model's table every column from `source` (aliased src), with some replaced."""
    columns = _columns(model)
    select = ", ".join(overrides.get(c, f"src.{connection.ops.quote_name(c)}") for c in columns)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    cursor.execute(f"INSERT INTO {_table(model)} ({names}) SELECT {select} FROM {source}", params)
    return cursor.rowcount


def _own_index(column: str, salt: str) -> str:
    # 64 hex digits like an HMAC, unique per copy; empty stays empty (no mobile, no ID number).
    return (
        f"CASE WHEN src.{column} = '' THEN '' "
        f"ELSE encode(sha256(convert_to(m.new_victim::text || '{salt}', 'UTF8')), 'hex') END"
    )


def clone_round(k: int) -> dict[str, int]:
    """Copy k random existing cases (k at most the number of cases) and their rows; one transaction."""
    written = {}
    with transaction.atomic(), connection.cursor() as cursor:
        # Every copy points at rows that exist (its own new rows or the users), so the deferred foreign
        # key checks Django's constraints would run at COMMIT (one index probe per reference, minutes
        # for a round of 100,000 cases) are skipped for this transaction. Needs a superuser, as the
        # benchmark's own database has.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            f"""
            CREATE TEMP TABLE bench_case_map ON COMMIT DROP AS
            SELECT s.id AS old_id, s.victim_id AS old_victim, gen_random_uuid() AS new_id,
                   gen_random_uuid() AS new_victim, s.shift, s.new_opened,
                   (extract(year FROM s.new_opened AT TIME ZONE 'Asia/Taipei') - 1911)::int AS roc_year,
                   ''::varchar(20) AS number
            FROM (
                SELECT t.*, t.opened_at + t.shift AS new_opened FROM (
                    SELECT c.id, c.victim_id, c.opened_at,
                           -make_interval(secs => random() * %s * 86400) AS shift
                    FROM {_table(Case)} c ORDER BY random() LIMIT %s
                ) t
            ) s
            """,
            [MAX_SHIFT_DAYS, k],
        )
        # Case numbers continue each ROC year's counter, in order of opening, as the services number them.
        cursor.execute(
            f"""
            INSERT INTO {_table(CaseNumberCounter)} (roc_year, last_number)
            SELECT DISTINCT roc_year, 0 FROM bench_case_map
            ON CONFLICT (roc_year) DO NOTHING
            """
        )
        cursor.execute(
            f"""
            UPDATE bench_case_map m SET number = n.number FROM (
                SELECT m2.new_id, m2.roc_year::text || '-' || lpad((c.last_number + row_number() OVER (
                    PARTITION BY m2.roc_year ORDER BY m2.new_opened))::text, 6, '0') AS number
                FROM bench_case_map m2 JOIN {_table(CaseNumberCounter)} c ON c.roc_year = m2.roc_year
            ) n WHERE n.new_id = m.new_id
            """
        )
        cursor.execute(
            f"""
            UPDATE {_table(CaseNumberCounter)} c SET last_number = c.last_number + n.added
            FROM (SELECT roc_year, count(*) AS added FROM bench_case_map GROUP BY roc_year) n
            WHERE n.roc_year = c.roc_year
            """
        )
        written["victims"] = _copy(
            cursor,
            Victim,
            f"{_table(Victim)} src JOIN bench_case_map m ON m.old_victim = src.id",
            {
                "id": "m.new_victim",
                "created_at": "src.created_at + m.shift",
                "phone_index": _own_index("phone_index", "p"),
                "national_id_index": _own_index("national_id_index", "n"),
            },
        )
        written["cases"] = _copy(
            cursor,
            Case,
            f"{_table(Case)} src JOIN bench_case_map m ON m.old_id = src.id",
            {
                "id": "m.new_id",
                "victim_id": "m.new_victim",
                "number": "m.number",
                "opened_at": "m.new_opened",
                "updated_at": "src.updated_at + m.shift",
                "danger_since": "src.danger_since + m.shift",
                # The lists' kept columns move with the copied deadlines, contacts and dispatches; the
                # worker's name (cases.worker_sort, whose triggers are off here) is the source's, as the
                # copy keeps its worker.
                "next_deadline_due_at": "src.next_deadline_due_at + m.shift",
                "last_contact_at": "src.last_contact_at + m.shift",
                "last_dispatched_at": "src.last_dispatched_at + m.shift",
            },
        )
        # Intakes: those of the copied cases, plus waiting and closed ones in the seeder's shares.
        cursor.execute(
            f"""
            CREATE TEMP TABLE bench_intake_map ON COMMIT DROP AS
            SELECT i.id AS old_id, gen_random_uuid() AS new_id, m.new_id AS new_case, m.shift
            FROM {_table(Intake)} i JOIN bench_case_map m ON m.old_id = i.case_id
            """
        )
        for status, share in (
            (Intake.Status.PENDING, PENDING_SHARE),
            (Intake.Status.CLOSED, CLOSED_INTAKE_SHARE),
        ):
            cursor.execute(
                f"""
                INSERT INTO bench_intake_map
                SELECT i.id, gen_random_uuid(), NULL::uuid, -make_interval(secs => random() * %s * 86400)
                FROM {_table(Intake)} i
                CROSS JOIN generate_series(1, greatest(1, ceil(%s::float / greatest(1, (
                    SELECT count(*) FROM {_table(Intake)} WHERE status = %s AND case_id IS NULL
                ))))::int) repeat
                WHERE i.status = %s AND i.case_id IS NULL ORDER BY random() LIMIT %s
                """,
                [MAX_SHIFT_DAYS, round(k * share), str(status), str(status), round(k * share)],
            )
        written["intakes"] = _copy(
            cursor,
            Intake,
            f"{_table(Intake)} src JOIN bench_intake_map m ON m.old_id = src.id",
            {
                "id": "m.new_id",
                "case_id": "m.new_case",
                "received_at": "src.received_at + m.shift",
                "created_at": "src.created_at + m.shift",
                "handled_at": "src.handled_at + m.shift",
            },
        )
        written["referrals"] = _copy(
            cursor,
            Referral,
            f"{_table(Referral)} src JOIN bench_intake_map m ON m.old_id = src.intake_id",
            {
                "id": "gen_random_uuid()",
                "intake_id": "m.new_id",
                "submitted_at": "src.submitted_at + m.shift",
            },
        )
        written["dispatches"] = _copy(
            cursor,
            Dispatch,
            f"{_table(Dispatch)} src JOIN bench_case_map m ON m.old_id = src.case_id",
            {
                "id": "gen_random_uuid()",
                "case_id": "m.new_id",
                "dispatched_at": "src.dispatched_at + m.shift",
            },
        )
        written["deadlines"] = _copy(
            cursor,
            Deadline,
            f"{_table(Deadline)} src JOIN bench_case_map m ON m.old_id = src.case_id",
            {
                "id": "gen_random_uuid()",
                "case_id": "m.new_id",
                # The tracker keys a case's own deadlines by the case id; others by their source row.
                "source_id": "CASE WHEN src.source_id = src.case_id::text THEN m.new_id::text "
                "ELSE gen_random_uuid()::text END",
                "due_at": "src.due_at + m.shift",
                "created_at": "src.created_at + m.shift",
                "closed_at": "src.closed_at + m.shift",
            },
        )
    return written


def clone(*, cases: int, log=print) -> dict[str, int]:
    """Copy existing cases until `cases` more exist (PostgreSQL only); returns rows written per table."""
    if connection.vendor != "postgresql":
        raise RuntimeError("set-based copying needs PostgreSQL")
    started = time.perf_counter()
    totals: dict[str, int] = {}
    done = 0
    while done < cases:
        existing = Case.objects.count()
        if not existing:
            raise RuntimeError("nothing to copy: seed some cases first")
        k = min(existing, cases - done)
        for table, n in clone_round(k).items():
            totals[table] = totals.get(table, 0) + n
        done += k
        log(f"  copied {done:,} / {cases:,} cases ({time.perf_counter() - started:.0f} s)")
    # The copies were written with triggers off (session_replication_role): the overview's counters
    # are counted again from the tables (one scan of the cases and of the intakes).
    counters.recount()
    safety_counters.recount()
    totals["seconds"] = round(time.perf_counter() - started, 1)
    return totals


def fill_inboxes(users) -> int:
    """Unread notifications as a unit would have them after months of reminders (the overdue ones go
    to the supervisors too): per 1,000 cases, 40 for the supervisor and 1 for each worker. Tops up."""
    from cases.models import Notification

    cases = Case.objects.count()
    wanted = [(users.supervisor, cases * 40 // 1000)] + [(w, cases // 1000) for w in users.workers]
    added = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for user, target in wanted:
            missing = target - Notification.objects.filter(recipient=user, read_at__isnull=True).count()
            if missing <= 0:
                continue
            cursor.execute(
                f"""
                INSERT INTO {_table(Notification)} (recipient_id, kind, text, url, created_at, read_at)
                SELECT %s, %s, '期限提醒（量測資料）', '', now() - g * interval '7 minutes', NULL
                FROM generate_series(1, %s) g
                """,
                [user.pk, str(Notification.Kind.DEADLINE), missing],
            )
            added += missing
    return added
