"""The audit trail is tamper-evident and append-only (issue 21, point 2)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from cases.audit_chain import chained_models, verify_table
from cases.models import AuditEvent, Case, CaseReadLog, Victim
from cases.readlog import log_case_read, log_list_reads
from tests.factories import make_case

pytestmark = pytest.mark.django_db

HistoricalVictim = Victim.history.model


def tamper(sql: str, params=()) -> None:
    """What a superuser can do behind the app's back: on PostgreSQL with triggers switched off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = origin")


def test_every_history_model_of_every_app_is_part_of_the_chain():
    from django.apps import apps

    history = [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    unchained = [m._meta.label for m in history if m not in chained_models()]
    assert history and unchained == [], "use cases.history.AuditedHistoricalRecords"
    assert CaseReadLog in chained_models() and AuditEvent in chained_models()


def test_rows_are_chained_in_order_and_the_chain_verifies(hotline, worker):
    case = make_case(actor=hotline, worker=worker)
    log_case_read(user=worker, case=case, view="案件頁面")
    log_list_reads(user=worker, case_ids=[case.pk], view="案件列表")
    seqs = list(CaseReadLog.objects.order_by("chain_seq").values_list("chain_seq", flat=True))
    assert seqs == [1, 2]
    assert all(len(h) == 64 for h in CaseReadLog.objects.values_list("chain_hash", flat=True))
    for model in chained_models():
        report = verify_table(model)
        assert report.finding is None, report.finding
    call_command("audit_verify")


def test_a_many_row_insert_is_chained_row_by_row_and_moves_the_head_once(hotline, worker):
    """A list page logs 50 rows in one INSERT: each gets its own link, and the chain head ends on the last."""
    from cases.models import AuditChainHead

    cases = [make_case(actor=hotline, worker=worker) for _ in range(3)]
    log_case_read(user=worker, case=cases[0], view="案件頁面")
    log_list_reads(user=worker, case_ids=[c.pk for c in cases], view="案件列表")
    log_list_reads(user=worker, case_ids=[c.pk for c in reversed(cases)], view="案件列表")
    rows = list(CaseReadLog.objects.order_by("chain_seq").values_list("chain_seq", "chain_hash"))
    assert [seq for seq, _ in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert len({h for _, h in rows}) == 7
    head = AuditChainHead.objects.get(chain=CaseReadLog._meta.db_table)
    assert (head.seq, head.last_hash) == rows[-1]
    assert verify_table(CaseReadLog).finding is None


def test_audit_verify_finds_the_first_altered_row(hotline, worker):
    case = make_case(actor=hotline, worker=worker)
    for _ in range(3):
        log_case_read(user=worker, case=case, view="案件頁面")
    second = CaseReadLog.objects.get(chain_seq=2)
    tamper("UPDATE cases_casereadlog SET view = %s WHERE id = %s", ["假的頁面", second.pk])
    finding = verify_table(CaseReadLog).finding
    assert finding is not None and finding.seq == 2
    with pytest.raises(CommandError):
        call_command("audit_verify", table=["cases_casereadlog"])


def test_audit_verify_finds_a_removed_row_and_a_removed_last_row(hotline, worker):
    case = make_case(actor=hotline, worker=worker)
    for _ in range(4):
        log_case_read(user=worker, case=case, view="案件頁面")
    tamper("DELETE FROM cases_casereadlog WHERE chain_seq = 2")
    assert verify_table(CaseReadLog).finding.seq == 2
    tamper("DELETE FROM cases_casereadlog WHERE chain_seq >= 2")
    assert verify_table(CaseReadLog).finding.seq == 2  # the head still counts four rows


def test_an_altered_history_row_or_its_ciphertext_is_found(hotline, worker):
    make_case(actor=hotline, worker=worker)
    row = HistoricalVictim.objects.order_by("chain_seq").first()
    other = make_case(actor=hotline, worker=worker).victim
    token = HistoricalVictim.objects.filter(id=other.pk).values_list("history_id", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM cases_historicalvictim WHERE history_id = %s", [token])
        someone_elses_name = cursor.fetchone()[0]
    tamper("UPDATE cases_historicalvictim SET name = %s WHERE history_id = %s", [someone_elses_name, row.pk])
    finding = verify_table(HistoricalVictim).finding
    assert finding is not None and finding.pk == row.pk and "個資" in finding.problem


def test_blanked_pii_is_accepted_as_redacted_but_a_half_blanked_row_is_not(hotline, worker):
    """Retention blanks every PII column of a row at once; blanking only some is an alteration."""
    from cases.audit_chain import pii_fields

    make_case(actor=hotline, worker=worker)
    tamper("UPDATE cases_historicalvictim SET name = '', name_index = ''")
    assert verify_table(HistoricalVictim).finding is not None
    blank = ", ".join(f"{f.column} = ''" for f in pii_fields(HistoricalVictim))
    tamper(f"UPDATE cases_historicalvictim SET {blank}")
    assert verify_table(HistoricalVictim).finding is None


def test_the_database_refuses_to_change_or_delete_audit_rows(hotline, worker):
    """PostgreSQL: triggers refuse UPDATE and DELETE for every role. SQLite (development) has no such
    triggers (docs/privacy.md); there the same change is caught by the chain."""
    case = make_case(actor=hotline, worker=worker)
    log_case_read(user=worker, case=case, view="案件頁面")
    statements = [
        "UPDATE cases_casereadlog SET view = 'x'",
        "DELETE FROM cases_casereadlog",
        "UPDATE cases_historicalcase SET status = 'closed'",
        "DELETE FROM cases_historicalvictim",
    ]
    for sql in statements:
        if connection.vendor == "postgresql":
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(sql)
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql)
    broken = [m for m in (CaseReadLog, Case.history.model, HistoricalVictim) if verify_table(m).finding]
    assert len(broken) == (0 if connection.vendor == "postgresql" else 3)


def test_deleting_a_case_or_a_user_never_deletes_the_trail(hotline, worker):
    from django.db.models import ProtectedError

    case = make_case(actor=hotline, worker=worker)
    log_case_read(user=worker, case=case, view="案件頁面")
    with pytest.raises(ProtectedError):
        case.delete()
    with pytest.raises(ProtectedError):
        worker.delete()
    assert CaseReadLog.objects.filter(user=worker).count() == 1
    history_user = Victim.history.model._meta.get_field("history_user")
    assert history_user.remote_field.on_delete.__name__ == "PROTECT"


def test_no_admin_page_edits_or_deletes_audit_rows(rf, admin_user):
    """History, read-log and audit-event rows are not in the admin at all; simple-history's own pages on
    the catalogues only show history (its revert writes a new live version, never an old row)."""
    from django.contrib import admin

    request = rf.get("/")
    request.user = admin_user
    for model in chained_models():
        model_admin = admin.site._registry.get(model)
        if model_admin is not None:
            assert not model_admin.has_change_permission(request), model
            assert not model_admin.has_delete_permission(request), model
    assert AuditEvent not in admin.site._registry and CaseReadLog not in admin.site._registry


def test_key_rotation_of_history_rows_is_allowed_and_keeps_the_chain(settings, hotline, worker):
    """rotate_keys re-encrypts history rows too: the triggers let a new token through (app.key_rotation)
    and the chain still verifies, because the PII digest is of the clear value."""
    from io import StringIO

    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    make_case(actor=hotline, worker=worker)
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_keys", stdout=StringIO(), stderr=StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert [m for m in chained_models() if verify_table(m).finding] == []


@pytest.mark.django_db(transaction=True)
def test_a_list_read_outside_a_transaction_is_written_and_chained_and_only_it_skips_the_flush():
    """A page's list read commits on its own (synchronous_commit off for that one insert on PostgreSQL);
    the rows are there at once, chained, and the connection's setting is untouched afterwards."""
    from cases.roles import sync_role_groups
    from tests.factories import make_user

    sync_role_groups()  # transactional tests start from flushed tables
    hotline, worker = make_user("hotline", "hotline"), make_user("worker", "social_worker")
    cases = [make_case(actor=hotline, worker=worker) for _ in range(2)]
    assert not connection.in_atomic_block
    log_list_reads(user=worker, case_ids=[c.pk for c in cases], view="案件列表")
    assert set(CaseReadLog.objects.values_list("case_id", flat=True)) == {c.pk for c in cases}
    assert verify_table(CaseReadLog).finding is None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
