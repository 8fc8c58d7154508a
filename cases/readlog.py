"""The case read log (指引 G-1): who opened which page of a case, and when."""

from __future__ import annotations

import uuid

from django.db import connection
from django.utils import timezone

from cases.audit_chain import chain_digest, content_json, pii_digest, sealed
from cases.models import Case, CaseReadLog

_STAND_IN = uuid.UUID(int=0)  # no case or intake has it (uuid4 sets version bits)


def log_case_read(*, user, case: Case, view: str) -> None:
    """One row per page view that shows a case's content; supervisors see it on the case timeline.

    `view` is the page as staff name it (「案件頁面」, 「法律服務：報案編輯頁」).
    """
    if getattr(case, "break_glass", None) is not None:  # opened through 緊急調閱 (selectors.break_glass_case)
        view = f"緊急調閱・{view}"[:40]
    # The same INSERT as a list's, but its commit waits for the WAL flush: this is the read of the file.
    _insert(user=user, links=[("case_id", case.pk)], view=view, wait_for_flush=True)


def log_list_reads(*, user, case_ids=(), intake_ids=(), view: str) -> None:
    """A page that shows victims' names in a list: one row per case (or waiting intake) shown, in one
    INSERT (the hash chain is set by the table's triggers, so no other query)."""
    links = [("case_id", pk) for pk in dict.fromkeys(case_ids)]
    links += [("intake_id", pk) for pk in dict.fromkeys(intake_ids)]
    if links:
        _insert(user=user, links=links, view=view, wait_for_flush=False)


def _insert(*, user, links: list[tuple[str, object]], view: str, wait_for_flush: bool) -> None:
    if connection.vendor != "postgresql":
        CaseReadLog.objects.bulk_create(
            sealed([CaseReadLog(**{column: pk}, user=user, view=view) for column, pk in links])
        )
        return
    # On PostgreSQL three arrays and one statement: building 50 model instances and the ORM's INSERT
    # cost more than the insert itself on every list page. The digests are the ones seal() computes.
    now = timezone.now()
    no_pii = pii_digest(CaseReadLog, {})
    # Every row of the page shares its user, view and time: the canonical JSON is built once per column
    # with a stand-in id and only the id differs per row (tests/audit/test_chain.py verifies the chain).
    shared = {"user_id": user.pk, "view": view, "read_at": now}
    around = {
        column: content_json(CaseReadLog, {column: _STAND_IN, **shared}).split(_STAND_IN.hex)
        for column in {column for column, _ in links}
    }
    digests = [
        chain_digest(f"{around[column][0]}{uuid.UUID(str(pk)).hex}{around[column][1]}", no_pii)
        for column, pk in links
    ]
    # A page that is not itself a transaction commits its list read without waiting for the WAL flush:
    # both statements go in one message, which PostgreSQL runs as one implicit transaction, so SET LOCAL
    # holds for this insert alone. The wait was most of the insert's cost on every list page. A crash of
    # the database server can lose the last fraction of a second of such rows (whole rows, the chain
    # stays whole); case-page reads and every change stay synchronous (docs/privacy.md).
    asynchronous = not wait_for_flush and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute(
            ("SET LOCAL synchronous_commit TO OFF; " if asynchronous else "")
            + f"INSERT INTO {CaseReadLog._meta.db_table} "  # noqa: S608 - the table name is the model's
            "(case_id, intake_id, user_id, view, read_at, chain_digest, pii_digest, chain_hash) "
            "SELECT nullif(c, '')::uuid, nullif(i, '')::uuid, %s, %s, %s, d, %s, '' "
            "FROM unnest(string_to_array(%s, ','), string_to_array(%s, ','), string_to_array(%s, ',')) "
            "AS r(c, i, d)",
            [
                user.pk,
                view,
                now,
                no_pii,
                # Each column as one comma-separated text (ids and hex digests hold no comma): the client
                # quoted three 50-element arrays element by element, a quarter of the insert's cost.
                ",".join(str(pk) if column == "case_id" else "" for column, pk in links),
                ",".join(str(pk) if column == "intake_id" else "" for column, pk in links),
                ",".join(digests),
            ],
        )
