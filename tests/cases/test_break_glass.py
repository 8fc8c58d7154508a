"""緊急調閱 (issue 21): a worker opens a case not assigned to them only with a reason, read-only, for a
limited time, logged, and queued for a supervisor to acknowledge or question."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import BreakGlassGrant, CaseReadLog, Notification
from cases.selectors import case_for_user

pytestmark = pytest.mark.django_db

REASON = "承辦社工休假，被害人來電表示加害人今晚要到住處。"
Review = BreakGlassGrant.Review


def grant(worker, case, reason=REASON):
    return services.break_glass_open(actor=worker, reason=reason, case=case)


class TestCasePageRefusal:
    def test_an_unassigned_case_is_404_with_the_break_glass_form(self, client, worker2, case_of_worker):
        client.force_login(worker2)
        response = client.get(case_of_worker.get_absolute_url())
        assert response.status_code == 404
        html = response.content.decode()
        assert "找不到這個頁面" in html and "緊急調閱" in html
        assert case_of_worker.number not in html and case_of_worker.victim.name not in html

    def test_a_case_that_does_not_exist_gets_the_same_page(self, client, worker2, case_of_worker):
        client.force_login(worker2)
        real = client.get(case_of_worker.get_absolute_url()).content.decode()
        missing_pk = "00000000-0000-4000-8000-000000000000"
        missing = client.get(reverse("cases:detail", args=[missing_pk])).content.decode()

        # Only the case id in the form's action differs (and the per-page tokens): nothing says whether
        # a case exists.
        def same(html, pk):
            return re.sub(r'="[A-Za-z0-9_\-]{30,}"', "", html.replace(pk, "X"))

        assert same(real, str(case_of_worker.pk)) == same(missing, missing_pk)

    @pytest.mark.parametrize("role", ["police", "admin_user", "no_role_user"])
    def test_roles_without_break_glass_get_the_plain_404(self, client, request, role, case_of_worker):
        client.force_login(request.getfixturevalue(role))
        response = client.get(case_of_worker.get_absolute_url())
        assert response.status_code == 404
        assert "緊急調閱" not in response.content.decode()


class TestGrant:
    def test_reason_opens_the_case_read_only_and_tells_the_supervisors(
        self, client, worker2, supervisor, case_of_worker
    ):
        client.force_login(worker2)
        url = reverse("cases:break_glass_case", args=[case_of_worker.pk])
        response = client.post(url, {"reason": REASON})
        assert response.status_code == 302 and response.url == case_of_worker.get_absolute_url()
        page = client.get(case_of_worker.get_absolute_url())
        assert page.status_code == 200
        html = page.content.decode()
        assert 'id="break-glass-banner"' in html and case_of_worker.victim.name in html
        assert "新增聯繫紀錄" not in html  # read-only
        # Writing stays 404.
        assert client.get(reverse("cases:contact_new", args=[case_of_worker.pk])).status_code == 404
        assert client.get(reverse("cases:victim_edit", args=[case_of_worker.pk])).status_code == 404
        views = list(
            CaseReadLog.objects.filter(case=case_of_worker, user=worker2).values_list("view", flat=True)
        )
        assert "緊急調閱：開始" in views and "緊急調閱・案件頁面" in views
        note = Notification.objects.get(recipient=supervisor, url=reverse("cases:break_glass_reviews"))
        assert case_of_worker.number in note.text and case_of_worker.victim.name not in note.text
        got = BreakGlassGrant.objects.get()
        assert (got.user, got.case, got.review) == (worker2, case_of_worker, Review.PENDING)

    def test_a_short_reason_is_refused_with_a_message(self, client, worker2, case_of_worker):
        client.force_login(worker2)
        response = client.post(reverse("cases:break_glass_case", args=[case_of_worker.pk]), {"reason": "急"})
        assert response.status_code == 200
        assert "至少 10 個字" in response.content.decode()
        assert not BreakGlassGrant.objects.exists()

    def test_access_ends_when_the_grant_expires(self, worker2, case_of_worker, settings):
        g = grant(worker2, case_of_worker)
        assert case_for_user(worker2, case_of_worker.pk).break_glass == g
        BreakGlassGrant.objects.filter(pk=g.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
        with pytest.raises(Http404):
            case_for_user(worker2, case_of_worker.pk)

    def test_grant_lasts_the_setting(self, worker2, case_of_worker, settings):
        settings.BREAK_GLASS_HOURS = 2
        g = grant(worker2, case_of_worker)
        assert g.expires_at - g.requested_at == dt.timedelta(hours=2)

    def test_the_grant_is_for_that_case_only(self, worker2, case_of_worker, hotline, worker):
        from tests.factories import make_case

        other = make_case(actor=hotline, worker=worker)
        grant(worker2, case_of_worker)
        with pytest.raises(Http404):
            case_for_user(worker2, other.pk)

    def test_own_case_costs_no_grant(self, client, worker, case_of_worker):
        client.force_login(worker)
        response = client.post(
            reverse("cases:break_glass_case", args=[case_of_worker.pk]), {"reason": REASON}
        )
        assert response.status_code == 302
        assert not BreakGlassGrant.objects.exists()

    @pytest.mark.parametrize("role", ["hotline", "police", "supervisor", "admin_user"])
    def test_only_social_workers_may_break_the_glass(self, request, role, case_of_worker):
        with pytest.raises(PermissionDenied):
            services.break_glass_open(actor=request.getfixturevalue(role), reason=REASON, case=case_of_worker)


class TestByNumberFromSearch:
    def test_search_page_offers_break_glass_to_workers_only(self, client, worker2, hotline):
        client.force_login(worker2)
        assert 'id="break-glass-entry"' in client.get(reverse("cases:search")).content.decode()
        client.force_login(hotline)
        assert 'id="break-glass-entry"' not in client.get(reverse("cases:search")).content.decode()

    def test_by_number_opens_the_case(self, client, worker2, case_of_worker):
        client.force_login(worker2)
        response = client.post(
            reverse("cases:break_glass"), {"number": case_of_worker.number, "reason": REASON}
        )
        assert response.status_code == 302 and response.url == case_of_worker.get_absolute_url()

    def test_a_number_that_matches_nothing_is_recorded_for_review(self, client, worker2, supervisor):
        client.force_login(worker2)
        response = client.post(reverse("cases:break_glass"), {"number": "115-999999", "reason": REASON})
        assert response.status_code == 404
        assert "找不到可調閱的案件" in response.content.decode()
        miss = BreakGlassGrant.objects.get()
        assert (miss.case, miss.requested_number, miss.expires_at) == (None, "115-999999", None)
        assert Notification.objects.filter(recipient=supervisor, text__contains="查無此案件").exists()

    @pytest.mark.parametrize("term", ["0912345678", "A123456789", "王小美"])
    def test_names_phones_and_ids_are_not_accepted(self, client, worker2, term):
        client.force_login(worker2)
        response = client.post(reverse("cases:break_glass"), {"number": term, "reason": REASON})
        assert response.status_code == 200 and "請輸入案號" in response.content.decode()
        assert not BreakGlassGrant.objects.exists()


class TestReview:
    def test_supervisor_acknowledges(self, client, supervisor, worker2, case_of_worker):
        g = grant(worker2, case_of_worker)
        client.force_login(supervisor)
        page = client.get(reverse("cases:break_glass_reviews")).content.decode()
        assert REASON in page and case_of_worker.number in page
        response = client.post(
            reverse("cases:break_glass_review", args=[g.pk]), {f"{g.pk}-decision": "acknowledged"}
        )
        assert response.status_code == 302
        g.refresh_from_db()
        assert (g.review, g.reviewed_by) == (Review.ACKNOWLEDGED, supervisor)
        assert case_for_user(worker2, case_of_worker.pk)  # acknowledging leaves the access running
        assert g.history.count() == 2

    def test_questioning_ends_the_access_and_tells_the_worker(self, supervisor, worker2, case_of_worker):
        g = grant(worker2, case_of_worker)
        services.break_glass_review(
            actor=supervisor, grant=g, decision=Review.QUESTIONED, note="請說明為何不先聯繫承辦社工"
        )
        with pytest.raises(Http404):
            case_for_user(worker2, case_of_worker.pk)
        assert Notification.objects.filter(recipient=worker2, text__contains="提出疑問").exists()
        assert CaseReadLog.objects.filter(case=case_of_worker, view="緊急調閱：督導提出疑問").exists()

    def test_questioning_needs_a_note(self, supervisor, worker2, case_of_worker):
        g = grant(worker2, case_of_worker)
        with pytest.raises(ValidationError):
            services.break_glass_review(actor=supervisor, grant=g, decision=Review.QUESTIONED, note="")

    def test_a_grant_is_reviewed_once(self, supervisor, worker2, case_of_worker):
        g = grant(worker2, case_of_worker)
        services.break_glass_review(actor=supervisor, grant=g, decision=Review.ACKNOWLEDGED)
        with pytest.raises(ValidationError):
            services.break_glass_review(actor=supervisor, grant=g, decision=Review.QUESTIONED, note="x")

    def test_review_page_query_count_is_constant(self, client, supervisor, worker2, hotline, worker):
        from tests.factories import make_case

        for _ in range(3):
            grant(worker2, make_case(actor=hotline, worker=worker))
        client.force_login(supervisor)
        client.get(reverse("cases:break_glass_reviews"))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("cases:break_glass_reviews"))
        for _ in range(6):
            grant(worker2, make_case(actor=hotline, worker=worker))
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("cases:break_glass_reviews"))
        assert len(many) == len(few)


class TestAuditTrail:
    def test_a_grant_and_its_review_are_audit_events_without_the_reason(
        self, supervisor, worker2, case_of_worker
    ):
        from cases.models import AuditEvent

        g = grant(worker2, case_of_worker)
        services.break_glass_review(actor=supervisor, grant=g, decision=Review.QUESTIONED, note="請說明")
        events = list(AuditEvent.objects.filter(case=case_of_worker).order_by("id"))
        assert [(e.action, e.actor_id, e.target_user_id) for e in events] == [
            ("break_glass", worker2.pk, worker2.pk),
            ("break_glass_review", supervisor.pk, worker2.pk),
        ]
        assert case_of_worker.number in events[0].detail and "督導提出疑問" in events[1].detail
        # Free text may name the victim: the grant keeps it encrypted, the event never copies it.
        assert all(REASON not in e.detail and "請說明" not in e.detail for e in events)

    def test_a_number_that_matches_nothing_is_an_audit_event_too(self, worker2):
        from cases.models import AuditEvent

        services.break_glass_open(actor=worker2, reason=REASON, number="999-000")
        event = AuditEvent.objects.get(action="break_glass")
        assert event.case_id is None and "999-000" in event.detail
