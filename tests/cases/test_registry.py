"""The hub's extension points satellites use without importing each other (cases/registry.py)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases import registry, services
from cases.models import Contact
from tests.factories import make_case
from tests.legal import factories as legal_factories

pytestmark = pytest.mark.django_db


def test_legal_offers_its_police_reports_and_consultations_as_linkable_records(hotline, worker):
    case = make_case(actor=hotline, worker=worker)
    report = legal_factories.make_police_report(actor=worker, case=case)
    consultation = legal_factories.make_consultation(actor=worker, case=case)
    (linked_report,) = registry.linkable_records(case, "police_report")
    (linked_consultation,) = registry.linkable_records(case, "legal_consultation")
    assert linked_report.key == registry.record_key(report) == f"legal.policereport:{report.pk}"
    assert linked_report.label.startswith("報案 ")
    assert linked_consultation.key == f"legal.legalconsultation:{consultation.pk}"
    assert registry.linkable_records(case, "no_such_kind") == []


def test_danger_listeners_run_when_a_case_is_flagged(hotline, worker, monkeypatch):
    seen = []
    monkeypatch.setattr(registry, "_danger_listeners", [lambda *, case, actor: seen.append((case.pk, actor))])
    case = make_case(actor=hotline, worker=worker)
    services.contact_record(
        actor=worker,
        case=case,
        contacted_at=timezone.now(),
        mode=Contact.Mode.PHONE,
        result=Contact.Result.REACHED,
        immediate_danger=Contact.Danger.NO,
    )
    assert seen == []
    services.contact_record(
        actor=worker,
        case=case,
        contacted_at=timezone.now(),
        mode=Contact.Mode.PHONE,
        result=Contact.Result.REACHED,
        immediate_danger=Contact.Danger.YES,
    )
    assert seen == [(case.pk, worker)]


def test_flag_notes_and_overview_panels_reach_the_overview(client, hotline, worker, supervisor, monkeypatch):
    case = make_case(actor=hotline, worker=worker)
    services.contact_record(
        actor=worker,
        case=case,
        contacted_at=timezone.now(),
        mode=Contact.Mode.PHONE,
        result=Contact.Result.REACHED,
        immediate_danger=Contact.Danger.YES,
    )
    monkeypatch.setattr(
        registry,
        "_flag_notes",
        [registry.FlagNotes(columns=dict, text=lambda row: "安全計畫未檢視" if row.danger_since else "")],
    )
    client.force_login(supervisor)
    html = client.get("/overview/").content.decode()
    assert "安全計畫未檢視" in html
