"""The safety pages: the case panel, the forms, the printed sheet, the overview (指引 7-1 … 7-3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseReadLog, Deadline
from safety.models import SafetyPlan, SafetySheet, SheetDelivery, ShelterPlacement
from tests.factories import make_case
from tests.pdf import assert_printed_in_cjk
from tests.safety.factories import HOTEL, flag_danger, make_delivery, make_order, make_placement, make_plan

pytestmark = pytest.mark.django_db


def _case_page(client, case) -> str:
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


class TestCasePanel:
    def test_the_sheet_warning_shows_until_its_delivery_is_recorded(self, client, worker, case_of_worker):
        client.force_login(worker)
        assert 'id="sheet-warning"' in _case_page(client, case_of_worker)
        handed_over = timezone.localtime()  # this minute: a fixed 09:30 is in the future after midnight
        response = client.post(
            reverse("safety:sheet_delivery_new", args=[case_of_worker.pk]),
            {
                "method": "in_person",
                "delivered_at_0": handed_over.date().isoformat(),
                "delivered_at_1": handed_over.strftime("%H:%M"),
            },
        )
        assert response.status_code == 302
        delivery = SheetDelivery.objects.get(case=case_of_worker)
        assert (delivery.method, delivery.delivered_by) == ("in_person", worker)
        html = _case_page(client, case_of_worker)
        assert 'id="sheet-warning"' not in html
        assert "面交" in html

    def test_a_flagged_case_shows_what_to_do_now_and_the_plan_prompt(self, client, worker, case_of_worker):
        flag_danger(case=case_of_worker, worker=worker)
        client.force_login(worker)
        html = _case_page(client, case_of_worker)
        assert 'id="safety-now"' in html and "110" in html
        assert "標記後尚未檢視" in html
        assert reverse("safety:plan_review", args=[case_of_worker.pk]) in html
        assert reverse("safety:shelter_add", args=[case_of_worker.pk]) in html

    def test_after_the_review_the_prompt_says_it_was_reviewed(self, client, worker, case_of_worker):
        flag_danger(case=case_of_worker, worker=worker)
        client.force_login(worker)
        response = client.post(
            reverse("safety:plan_review", args=[case_of_worker.pk]),
            {
                "reviewed_at_0": timezone.localdate().isoformat(),
                "reviewed_at_1": timezone.localtime().strftime("%H:%M"),
                "note": "被害人今晚住朋友家",
            },
        )
        assert response.status_code == 302
        html = _case_page(client, case_of_worker)
        assert "標記後已檢視安全計畫" in html
        assert "標記後尚未檢視" not in html

    def test_an_unflagged_case_has_no_what_to_do_now_box(self, client, worker, case_of_worker):
        client.force_login(worker)
        assert 'id="safety-now"' not in _case_page(client, case_of_worker)

    def test_the_hotline_sees_the_plans_review_date_and_orders_but_no_notes_and_no_shelter(
        self, client, hotline, worker, case_of_worker
    ):
        make_plan(actor=worker, case=case_of_worker, notes="被害人改由姊姊接送下班")
        make_order(actor=worker, case=case_of_worker)
        make_placement(actor=worker, case=case_of_worker)
        flag_danger(case=case_of_worker, worker=worker)
        client.force_login(hotline)
        html = _case_page(client, case_of_worker)
        assert 'id="safety-now"' in html and 'id="plan-last-reviewed"' in html
        assert "通常保護令" in html
        assert "被害人改由姊姊接送下班" not in html
        assert HOTEL not in html and "緊急安置（指引 7-3）" not in html
        assert reverse("safety:plan_edit", args=[case_of_worker.pk]) not in html

    def test_the_assigned_worker_sees_the_hotel(self, client, worker, case_of_worker):
        make_placement(actor=worker, case=case_of_worker)
        client.force_login(worker)
        assert HOTEL in _case_page(client, case_of_worker)


class TestForms:
    def test_bad_shelter_input_comes_back_with_what_was_typed(self, client, worker, case_of_worker, scheme):
        client.force_login(worker)
        response = client.post(
            reverse("safety:shelter_add", args=[case_of_worker.pk]),
            {
                "scheme": scheme.pk,
                "hotel": HOTEL,
                "check_in": "115.12.05",
                "check_out": "115.12.03",
                "cost": "-5",
            },
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "退房日期須晚於入住日期。" in html
        assert "費用不能是負數。" in html
        assert HOTEL in html and "115.12.05" in html
        assert not ShelterPlacement.objects.exists()

    def test_a_service_error_lands_on_its_field(self, client, worker, case_of_worker):
        client.force_login(worker)
        response = client.post(
            reverse("safety:plan_edit", args=[case_of_worker.pk]),
            {
                "offender_knows_home": "yes",
                "offender_knows_work": "no",
                "offender_knows_school": "unsure",
                "will_meet_offender": "no",
                "offender_relationship": "intimate",
                "patrol_point_requested": "on",
            },
        )
        assert response.status_code == 200
        assert "已申請巡邏點時，請填寫派出所。" in response.content.decode()
        assert not SafetyPlan.objects.exists()

    def test_the_plan_form_proposes_the_routes_of_the_saved_plan(self, client, worker, case_of_worker):
        make_plan(actor=worker, case=case_of_worker, offender_relationship="intimate")
        client.force_login(worker)
        html = client.get(reverse("safety:plan_edit", args=[case_of_worker.pk])).content.decode()
        assert "家庭暴力防治法：聲請民事保護令" in html
        assert CaseReadLog.objects.filter(case=case_of_worker, view="人身安全：安全計畫編輯頁").exists()

    def test_an_order_with_its_expiry_goes_to_the_tracker(self, client, worker, case_of_worker):
        client.force_login(worker)
        response = client.post(
            reverse("safety:order_add", args=[case_of_worker.pk]),
            {
                "kind": "stalking",
                "court": "臺灣臺北地方法院",
                "applied_on": "115.01.05",
                "issued_on": "115.02.01",
                "expires_on": "117.02.01",
            },
        )
        assert response.status_code == 302
        deadline = case_of_worker.deadlines.get(kind=Deadline.Kind.PROTECTION_ORDER)
        assert "跟蹤騷擾防制法第12條" in deadline.note

    def test_the_supervisor_approves_a_placement(self, client, worker, supervisor, case_of_worker):
        placement = make_placement(actor=worker, case=case_of_worker)
        client.force_login(supervisor)
        url = reverse("safety:shelter_approve", args=[placement.pk])
        assert HOTEL in client.get(url).content.decode()  # the supervisor approves knowing where
        assert "請勾選確認後再核准。" in client.post(url, {}).content.decode()
        assert client.post(url, {"confirm": "on"}).status_code == 302
        placement.refresh_from_db()
        assert placement.approved_by == supervisor


class TestSheetPdf:
    def test_the_sheet_prints_in_cjk_with_the_centres_text(self, client, hotline):
        client.force_login(hotline)
        response = client.get(reverse("safety:sheet_pdf"))
        assert response["Content-Type"] == "application/pdf"
        text = assert_printed_in_cjk(response.content)
        assert "安全提醒單" in text and "110" in text and "調整上下班" in text

    def test_an_edited_sheet_prints_the_new_text(self, client, worker):
        sheet = SafetySheet.objects.get(is_current=True)
        sheet.body = "中心版本\n請把緊急聯絡人存在手機首頁"
        sheet.save()
        client.force_login(worker)
        text = assert_printed_in_cjk(client.get(reverse("safety:sheet_pdf")).content)
        assert "請把緊急聯絡人存在手機首頁" in text
        assert "調整上下班" not in text


class TestOverview:
    def test_flagged_cases_say_whether_the_plan_was_reviewed_since_the_flag(
        self, client, hotline, worker, supervisor
    ):
        reviewed = make_case(actor=hotline, worker=worker)
        waiting = make_case(actor=hotline, worker=worker)
        for case in (reviewed, waiting):
            flag_danger(case=case, worker=worker)
        from safety import services

        services.plan_review(actor=worker, case=reviewed, reviewed_at=timezone.now())
        client.force_login(supervisor)
        html = client.get(reverse("cases:overview")).content.decode()
        section = html[html.index('id="flagged-cases"') :]
        assert "安全計畫已於標記後檢視" in section
        assert "標記後尚未檢視安全計畫" in section

    def test_the_overview_counts_open_cases_without_the_sheet(self, client, hotline, worker, supervisor):
        cases = [make_case(actor=hotline, worker=worker) for _ in range(3)]
        make_delivery(actor=worker, case=cases[0])
        client.force_login(supervisor)
        html = client.get(reverse("cases:overview")).content.decode()
        assert '<strong class="fs-5" id="sheet-missing-count">2</strong>' in html
        assert cases[1].number in html and cases[2].number in html

    def test_the_overview_panel_reads_the_same_queries_for_n_and_3n_cases(
        self, rf, hotline, worker, supervisor, django_assert_num_queries
    ):
        from cases.selectors import unit_overview
        from safety.panels import _overview, _overview_counts

        request = rf.get("/")
        request.user = supervisor
        _overview_counts(request)  # permissions cached, as on the page
        for n in (2, 4):  # 2 cases, then 6
            for _ in range(n):
                make_case(actor=hotline, worker=worker)
            # the overview reads the panel's counter with its own counts
            counts = unit_overview(also=_overview_counts(request))["also"]
            with django_assert_num_queries(1):  # the first rows
                ctx = _overview(request, counts)
            assert ctx["count"] == len(ctx["cases"])


class TestTimeline:
    def test_the_audit_timeline_names_changed_fields_never_the_hotel(
        self, client, worker, supervisor, case_of_worker
    ):
        from safety import services

        placement = make_placement(actor=worker, case=case_of_worker)
        services.shelter_update(actor=worker, placement=placement, hotel="另一家友善旅館大安館")
        client.force_login(supervisor)
        html = client.get(reverse("cases:timeline", args=[case_of_worker.pk])).content.decode()
        assert "緊急安置" in html and "安置旅館" in html
        assert HOTEL not in html and "另一家友善旅館大安館" not in html


def test_the_placement_is_only_in_the_past_after_checkout(worker, case_of_worker):
    today = timezone.localdate()
    placement = make_placement(
        actor=worker,
        case=case_of_worker,
        check_in=today - dt.timedelta(days=5),
        check_out=today - dt.timedelta(days=1),
    )
    from safety.selectors import case_safety_panel

    assert case_safety_panel(case_of_worker, worker)["current_placement"] is None
    assert placement.nights == 4
