"""Takedown pages: filing with the 8-2 prerequisite, outcomes per URL, StopNCII, advice, resources."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Deadline
from cases.registry import linkable_records
from cases.rocdate import format_roc
from takedown.models import PreventionAdvice, StopNCIICase, TakedownComplaint
from tests.evidence.factories import make_item, make_teaching
from tests.takedown.factories import make_complaint

pytestmark = pytest.mark.django_db


def _filed_at(moment) -> dict:
    local = timezone.localtime(moment)
    return {"filed_at_0": format_roc(local.date()), "filed_at_1": local.strftime("%H:%M")}


class TestComplaintAdd:
    def test_the_worker_files_a_complaint_and_the_sla_is_tracked(self, client, worker, case_of_worker):
        make_teaching(actor=worker, case=case_of_worker)
        make_item(actor=worker, case=case_of_worker)
        [record] = linkable_records(case_of_worker, "evidence_item")
        client.force_login(worker)
        response = client.post(
            reverse("takedown:complaint_add", args=[case_of_worker.pk]),
            {
                **_filed_at(timezone.now() - dt.timedelta(hours=2)),
                "evidence_keys": [record.key],
                "filed_by_kind": "worker",
                "minor_at_time": "no",
            },
        )
        assert response.status_code == 302
        complaint = TakedownComplaint.objects.get(case=case_of_worker)
        assert Deadline.objects.get(kind=Deadline.Kind.TAKEDOWN, source_id=str(complaint.pk)).state == "open"

    def test_without_the_checklist_the_page_says_what_is_missing_and_keeps_the_input(
        self, client, worker, case_of_worker
    ):
        make_item(actor=worker, case=case_of_worker)
        [record] = linkable_records(case_of_worker, "evidence_item")
        client.force_login(worker)
        page = client.get(reverse("takedown:complaint_add", args=[case_of_worker.pk])).content.decode()
        assert "尚未記錄蒐證教學與檢核" in page
        response = client.post(
            reverse("takedown:complaint_add", args=[case_of_worker.pk]),
            {
                **_filed_at(timezone.now()),
                "evidence_keys": [record.key],
                "filed_by_kind": "police",
                "minor_at_time": "no",
                "reference_no": "REF-77",
            },
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "指引 8-2" in html
        assert 'value="REF-77"' in html
        assert not TakedownComplaint.objects.exists()

    def test_the_minor_answer_defaults_from_the_victims_birth_date(self, client, worker, case_of_worker):
        victim = case_of_worker.victim
        victim.birth_date = timezone.localdate() - dt.timedelta(days=365 * 16)
        victim.save(update_fields=["birth_date"])
        client.force_login(worker)
        html = client.get(reverse("takedown:complaint_add", args=[case_of_worker.pk])).content.decode()
        assert re.search(r'value="yes"[^>]*checked', html)

    def test_an_unknown_age_defaults_to_unknown(self, client, worker, case_of_worker):
        client.force_login(worker)
        html = client.get(reverse("takedown:complaint_add", args=[case_of_worker.pk])).content.decode()
        assert re.search(r'value="unknown"[^>]*checked', html)


class TestComplaintEdit:
    def test_outcomes_per_url_show_on_the_case_page(self, client, worker, case_of_worker):
        complaint = make_complaint(actor=worker, case=case_of_worker, items=2)
        a, b = complaint.targets.all()
        client.force_login(worker)
        today = format_roc(timezone.localdate())
        local = timezone.localtime(complaint.filed_at)
        response = client.post(
            reverse("takedown:complaint_edit", args=[complaint.pk]),
            {
                "filed_at_0": format_roc(local.date()),
                "filed_at_1": local.strftime("%H:%M"),
                "filed_by_kind": "worker",
                "minor_at_time": "no",
                f"outcome_{a.pk}": "removed",
                f"outcome_on_{a.pk}": today,
                f"outcome_{b.pk}": "pending",
            },
        )
        assert response.status_code == 302, response.content.decode()
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        panel = html[html.index('id="takedown-urls"') :]
        assert "已下架" in panel and "處理中" in panel
        assert a.url in panel and b.url in panel

    def test_a_follow_up_is_logged(self, client, worker, case_of_worker):
        complaint = make_complaint(actor=worker, case=case_of_worker)
        client.force_login(worker)
        now = timezone.localtime()
        response = client.post(
            reverse("takedown:follow_up_add", args=[complaint.pk]),
            {"at_0": format_roc(now.date()), "at_1": now.strftime("%H:%M"), "result": "中心表示平台已回覆"},
        )
        assert response.status_code == 302
        assert complaint.follow_ups.get().result == "中心表示平台已回覆"


class TestStopNCII:
    def test_there_is_no_pin_field(self, client, worker, case_of_worker):
        client.force_login(worker)
        html = client.get(reverse("takedown:stopncii", args=[case_of_worker.pk])).content.decode()
        assert "pin" not in re.findall(r'name="([^"]+)"', html)
        assert 'type="password"' not in html
        assert "年齡不明" in html  # no birth date on the test victim

    def test_the_record_is_saved_with_its_eligibility(self, client, worker, case_of_worker):
        client.force_login(worker)
        response = client.post(
            reverse("takedown:stopncii", args=[case_of_worker.pk]),
            {
                "explained_on": format_roc(timezone.localdate()),
                "holds_images": "on",
                "explained_hash_on_device": "on",
            },
        )
        assert response.status_code == 302
        record = StopNCIICase.objects.get(case=case_of_worker)
        assert not record.eligible and "年齡不明" in record.ineligible_reason


class TestAdvice:
    def test_the_privacy_checklist_is_saved(self, client, worker, case_of_worker):
        client.force_login(worker)
        response = client.post(
            reverse("takedown:advice", args=[case_of_worker.pk]),
            {
                "spread_status": "spread",
                "platforms_known": "2",
                "urls_known": "5",
                "still_online": "yes",
                "advised_on": format_roc(timezone.localdate()),
                "advise_takedown_centre": "on",
                "privacy_given_on": format_roc(timezone.localdate()),
                "privacy_items": ["fb-audience", "line-block"],
            },
        )
        assert response.status_code == 302
        advice = PreventionAdvice.objects.get(case=case_of_worker)
        assert advice.privacy_items == ["fb-audience", "line-block"]
        assert (advice.spread_status, advice.platforms_known, advice.urls_known) == ("spread", 2, 5)
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        assert "散布狀況：已散布・2 個平台・5 個網址・仍在網路上" in html

    def test_the_spread_must_be_assessed_first_and_be_consistent(self, client, worker, case_of_worker):
        """指引 8-1-1: learn how far the images spread before advising; 'not spread' with URLs is refused."""
        client.force_login(worker)
        url = reverse("takedown:advice", args=[case_of_worker.pk])
        today = format_roc(timezone.localdate())
        missing = client.post(url, {"advised_on": today, "victim_response": "想先了解流程"})
        assert missing.status_code == 200 and "這個欄位是必須的" in missing.content.decode()
        assert "想先了解流程" in missing.content.decode()
        contradictory = client.post(
            url, {"advised_on": today, "spread_status": "not_spread", "urls_known": "3"}
        )
        assert contradictory.status_code == 200
        assert "散布狀況請選「已散布」" in contradictory.content.decode()
        assert not PreventionAdvice.objects.exists()


class TestResources:
    def test_the_resources_page_is_public_and_lists_the_guideline_resources(self, client):
        response = client.get(reverse("takedown:resources"))
        html = response.content.decode()
        assert response.status_code == 200
        for text in (
            "https://tw-ncii.win.org.tw/",
            "(02)66057373",
            "(02)23615295 分機226",
            "BUQ7EIfwerU",
            "cp-6608-74985-107",
        ):
            assert text in html
        assert "style=" not in html and "<script" not in html

    def test_an_edited_resource_shows_on_the_page(self, client):
        from takedown.models import ResourceLink

        link = ResourceLink.objects.get(code="private-me")
        link.hours = "09:00-21:00"
        link.save()
        assert "09:00-21:00" in client.get(reverse("takedown:resources")).content.decode()


class TestOverview:
    def test_supervisors_see_sla_compliance_across_the_unit(
        self, client, worker, worker2, supervisor, case_of_worker, case_of_worker2
    ):
        make_complaint(actor=worker, case=case_of_worker)
        late = make_complaint(
            actor=worker2, case=case_of_worker2, filed_at=timezone.now() - dt.timedelta(hours=80)
        )
        from takedown import services

        [t] = late.targets.all()
        services.complaint_update(
            actor=worker2, complaint=late, outcomes={str(t.pk): ("removed", timezone.localdate())}
        )
        from cases.dashboards import refresh_unit_statistics

        refresh_unit_statistics()
        client.force_login(supervisor)
        html = client.get(reverse("cases:overview")).content.decode()
        block = html[html.index('id="chart-takedown-sla"') :]
        block = block[: block.index("</section>")]
        assert "下架時效" in block and "<caption" in block
        assert "累計申訴 2 件，時效達成率 0%" in block  # the late one resolved, the other still open
        columns = list(zip(*(row["values"] for row in _sla_chart()["rows"]), strict=True))
        assert [sum(column) for column in columns[:4]] == [0, 1, 0, 1]  # met, late, overdue, in time

    def test_the_chart_reads_a_fixed_number_of_queries(
        self, worker, supervisor, hotline, django_assert_num_queries
    ):
        from tests.factories import make_case

        for added in (2, 4):  # N = 2 complaints, then 3N = 6
            for _ in range(added):
                make_complaint(actor=worker, case=make_case(actor=hotline, worker=worker))
            with django_assert_num_queries(3):  # by week, the totals, the pending URLs
                chart = _sla_chart()
        assert "累計申訴 6 件" in chart["note"]
        assert sum(row["values"][3] for row in chart["rows"]) == 6


def _sla_chart() -> dict:
    from takedown.selectors import sla_statistics

    return sla_statistics(timezone.now())


class TestTimeline:
    def test_the_supervisors_audit_timeline_lists_evidence_and_takedown_changes(
        self, client, worker, supervisor, case_of_worker
    ):
        complaint = make_complaint(actor=worker, case=case_of_worker)
        from takedown import services

        services.follow_up_add(actor=worker, complaint=complaint, at=timezone.now(), result="已追蹤")
        client.force_login(supervisor)
        response = client.get(reverse("cases:timeline", args=[case_of_worker.pk]))
        html = response.content.decode()
        assert response.status_code == 200
        for subject in ("蒐證教學", "證據項目", "下架申訴", "下架網址", "下架追蹤"):
            assert subject in html, subject
        assert "已追蹤" not in html  # the timeline names what changed, not the encrypted notes


class TestCaseRecord:
    def test_the_case_record_lists_the_complaint_and_its_follow_ups(self, client, worker, case_of_worker):
        complaint = make_complaint(actor=worker, case=case_of_worker)
        from takedown import services

        services.follow_up_add(actor=worker, complaint=complaint, at=timezone.now(), result="已追蹤")
        client.force_login(worker)
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        assert "向性影像處理中心申訴（社工）" in html
        assert "追蹤下架情形" in html
        assert "登錄證據：facebook" in html
