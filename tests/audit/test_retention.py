"""Retention (個人資料保護法第 11 條; issue 21, point 8): closed cases past the period lose the victim's PII,
live and in history, and keep what the statistics count; the run is in the audit trail."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cases import services
from cases.audit_chain import chained_models, verify_table
from cases.models import AuditEvent, Case, CaseStatusChange, Intake, Victim
from tests.cases.contact_factories import request_closing
from tests.factories import make_case

pytestmark = pytest.mark.django_db

NAME = "鍾離雪霏"


def close(case, *, worker, supervisor, years_ago: float) -> None:
    request_closing(actor=worker, case=case)
    services.case_close_decide(actor=supervisor, case=case, approve=True, comment="")
    when = timezone.now() - dt.timedelta(days=365 * years_ago)
    CaseStatusChange.objects.filter(case=case).update(
        at=when
    )  # as if closed then (live rows are not audit rows)


def raw(table: str, column: str, where: str, pk) -> list:
    """The stored column as it is (no decryption), by UUID."""
    value = pk.hex if connection.vendor == "sqlite" else pk
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {where} = %s", [value])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def run(*args) -> str:
    out = io.StringIO()
    call_command("anonymise_expired", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def expired(settings, hotline, worker, supervisor):
    settings.RETENTION_YEARS_AFTER_CLOSURE = 5
    case = make_case(actor=hotline, worker=worker, victim_name=NAME, victim_phone="0912000001")
    close(case, worker=worker, supervisor=supervisor, years_ago=6)
    return case


def test_a_dry_run_lists_the_cases_and_changes_nothing(expired):
    out = run("--dry-run")
    assert expired.number in out and "試算" in out
    assert Victim.objects.get(pk=expired.victim_id).name == NAME
    assert not AuditEvent.objects.filter(action="anonymise").exists()


def test_removes_the_victims_pii_live_and_in_history_and_keeps_the_statistics(expired, worker):
    intake = Intake.objects.get(case=expired)
    out = run()
    assert f"[1/1] {expired.number}" in out
    victim = Victim.objects.get(pk=expired.victim_id)
    assert (victim.name, victim.phone, victim.phone_index, victim.name_index) == ("", "", "", "")
    assert set(raw("cases_historicalvictim", "name", "id", victim.pk)) == {""}
    intake.refresh_from_db()
    assert (intake.victim_name, intake.narrative, intake.victim_phone_index) == ("", "", "")
    assert set(raw("cases_historicalintake", "narrative", "case_id", expired.pk)) == {""}
    # What the dashboards count stays.
    case = Case.objects.get(pk=expired.pk)
    assert (case.status, case.assigned_worker, case.number) == (Case.Status.CLOSED, worker, expired.number)
    assert (intake.source, intake.received_at) == (Intake.Source.CALL, intake.received_at)
    event = AuditEvent.objects.get(action="anonymise", case=case)
    assert "個人資料保護法第 11 條" in event.detail
    assert AuditEvent.objects.filter(action="anonymise", case__isnull=True).count() == 1  # the run
    # The trail still verifies: blanked PII reads as redacted, and on PostgreSQL the trigger allowed it.
    assert [verify_table(m).finding for m in chained_models() if verify_table(m).finding] == []
    assert "案件 0 件" in run()  # done once


def test_cases_within_the_period_and_a_victims_other_kept_case_are_left_alone(
    expired, settings, hotline, worker, supervisor
):
    recent = make_case(actor=hotline, worker=worker, victim_name="司徒映雪", victim_phone="0912000002")
    close(recent, worker=worker, supervisor=supervisor, years_ago=1)
    open_case = make_case(actor=hotline, worker=worker, victim_name="歐陽若水", victim_phone="0912000003")
    run()
    assert Victim.objects.get(pk=recent.victim_id).name == "司徒映雪"
    assert Victim.objects.get(pk=open_case.victim_id).name == "歐陽若水"
    assert Victim.objects.get(pk=expired.victim_id).name == ""


def test_an_intake_closed_without_a_case_goes_too(settings, hotline):
    from tests.factories import make_intake

    settings.RETENTION_YEARS_AFTER_CLOSURE = 5
    intake = make_intake(actor=hotline, victim_name=NAME)
    services.intake_close(actor=hotline, intake=intake, note="只是詢問資訊")
    Intake.objects.filter(pk=intake.pk).update(handled_at=timezone.now() - dt.timedelta(days=365 * 6))
    kept = make_intake(actor=hotline, victim_name="司徒映雪")
    services.intake_close(actor=hotline, intake=kept, note="只是詢問資訊")
    out = run()
    assert "不開案" in out
    intake.refresh_from_db()
    kept.refresh_from_db()
    assert (intake.victim_name, intake.closed_note, intake.victim_name_index) == ("", "", "")
    assert kept.victim_name == "司徒映雪"
    assert set(raw("cases_historicalintake", "victim_name", "id", intake.pk)) == {""}
    assert [m for m in chained_models() if verify_table(m).finding] == []
    assert "不開案受理紀錄 0 筆" in run()  # done once
