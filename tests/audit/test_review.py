"""The supervisors' audit review (issue 21, point 1): one timeline per case and per user, filters,
PII shown only to whoever may read the case, and a CSV export that needs a reason and is itself logged."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.audit import record_event
from cases.audit_trail import MASK
from cases.models import AuditEvent
from cases.readlog import log_case_read
from tests.factories import make_case, make_user

pytestmark = pytest.mark.django_db


def entries(response):
    return response.context["entries"]


def test_a_case_timeline_shows_field_changes_with_before_and_after(
    client, hotline, worker, worker2, supervisor
):
    case = make_case(actor=hotline, worker=worker, victim_name="鍾離雪霏")
    services.dispatch_case(actor=hotline, case=case, worker=worker2, reason="原社工請長假")
    log_case_read(user=worker2, case=case, view="案件頁面")
    client.force_login(supervisor)
    response = client.get(reverse("cases:audit_case", kwargs={"pk": case.pk}))
    assert response.status_code == 200
    changed = [c for e in entries(response) for c in e.changes if c.label == "承辦社工"]
    assert any(c.before == "陳社工" and c.after == "王社工" for c in changed), changed
    names = [c for e in entries(response) for c in e.changes if c.label == "姓名"]
    assert names and names[0].after == "鍾離雪霏"  # a supervisor may read the case
    assert {"change", "read"} <= {e.kind for e in entries(response)}


def test_pii_is_masked_for_a_reviewer_who_may_not_read_the_case(client, hotline, worker):
    case = make_case(actor=hotline, worker=worker, victim_name="鍾離雪霏")
    auditor = make_user("auditor", None)
    auditor.user_permissions.add(Permission.objects.get(codename="review_audit"))
    client.force_login(auditor)
    response = client.get(reverse("cases:audit_trail"), {"case": case.number})
    names = [c for e in entries(response) for c in e.changes if c.label == "姓名"]
    assert names and all(c.after == MASK for c in names)
    assert "鍾離雪霏" not in response.content.decode()


def test_a_user_timeline_has_their_sign_ins_failed_attempts_reads_and_searches(
    client, hotline, worker, supervisor
):
    case = make_case(actor=hotline, worker=worker)
    client.post(reverse("login"), {"username": "worker", "password": "not-the-password"})
    client.post(reverse("login"), {"username": "worker", "password": "pw-worker"})
    client.get(case.get_absolute_url())
    client.post(reverse("cases:search"), {"q": case.number})
    client.logout()
    client.force_login(supervisor)
    response = client.get(reverse("cases:audit_user", kwargs={"pk": worker.pk}))
    kinds = {e.kind for e in entries(response)}
    assert {"login_failed", "login", "read", "search"} <= kinds
    assert all(e.user in (worker, None) for e in entries(response))


def test_filters_by_action_and_date(client, hotline, worker, supervisor):
    make_case(actor=hotline, worker=worker)
    record_event(actor=worker, action="login")
    client.force_login(supervisor)
    response = client.get(reverse("cases:audit_trail"), {"kind": "login"})
    assert entries(response) and all(e.kind == "login" for e in entries(response))
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.get(reverse("cases:audit_trail"), {"date_to": yesterday})
    assert entries(response) == []
    response = client.get(reverse("cases:audit_trail"), {"case": "999-999999", "date_from": "昨天"})
    page = response.content.decode()
    assert "找不到此案號" in page and "日期格式不正確" in page


def test_the_trail_is_paginated(client, supervisor, worker):
    for _ in range(55):
        record_event(actor=worker, action="login")
    client.force_login(supervisor)
    first = client.get(reverse("cases:audit_user", kwargs={"pk": worker.pk}), {"kind": "login"})
    assert len(entries(first)) == 50 and first.context["has_next"]
    second = client.get(reverse("cases:audit_user", kwargs={"pk": worker.pk}), {"kind": "login", "page": "2"})
    assert len(entries(second)) == 5 and not second.context["has_next"]


class TestExport:
    def test_refused_without_a_reason_with_a_clear_message(self, client, supervisor):
        client.force_login(supervisor)
        response = client.post(reverse("cases:audit_export"), {"reason": "  "})
        assert response.status_code == 200
        assert "請寫下匯出理由" in response.content.decode()
        assert not AuditEvent.objects.filter(action="audit_export").exists()

    def test_is_logged_and_holds_no_victim_pii(self, client, hotline, worker, supervisor):
        case = make_case(actor=hotline, worker=worker, victim_name="鍾離雪霏", victim_phone="0912000001")
        log_case_read(user=worker, case=case, view="案件頁面")
        client.force_login(supervisor)
        response = client.post(
            reverse("cases:audit_export"), {"reason": "市府稽核調閱本季紀錄", "case": case.number}
        )
        assert response["Content-Type"].startswith("text/csv")
        body = response.content.decode("utf-8-sig")
        assert case.number in body and "案件頁面" in body
        assert "鍾離雪霏" not in body and "0912000001" not in body
        event = AuditEvent.objects.get(action="audit_export")
        assert event.actor == supervisor and event.case == case and "市府稽核調閱本季紀錄" in event.detail


def test_the_demo_has_audit_events_and_an_export_to_review(settings, client):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    settings.DEBUG = True
    settings.DEMO_PASSWORD = "a-demo-password"
    call_command("seed_demo")
    client.force_login(get_user_model().objects.get(username="supervisor"))
    response = client.get(reverse("cases:audit_trail"))
    assert response.status_code == 200 and entries(response)
    exports = client.get(reverse("cases:audit_trail"), {"kind": "audit_export"})
    assert [e.kind for e in entries(exports)] == ["audit_export"]
    failed = client.get(reverse("cases:audit_trail"), {"kind": "login_failed"})
    assert len(entries(failed)) == 2
