"""The services pages: forms re-display what was typed, the panel shows only to who may see it, the
printed forms read back in Traditional Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseReadLog, Deadline, Notification
from cases.rocdate import format_roc
from services.models import DeclinedEscortRequest, Escort, EscortReport, Screening
from tests.pdf import assert_printed_in_cjk
from tests.services.factories import make_court_escort, make_interview_escort, make_report, make_screening

pytestmark = pytest.mark.django_db


def _dt(prefix: str, moment) -> dict:
    local = timezone.localtime(moment)
    return {f"{prefix}_0": format_roc(local.date()), f"{prefix}_1": local.strftime("%H:%M")}


def _screening_post(**overrides) -> dict:
    data = {**_dt("screened_at", timezone.now() - dt.timedelta(minutes=5))}
    data |= {f"item{i}": "1" for i in range(1, 6)} | {"item_suicide": "0"}
    data.update(overrides)
    return data


class TestScreeningAdd:
    def test_the_worker_records_an_urgent_screening_and_sees_the_flag(
        self, client, worker, supervisor, case_of_worker
    ):
        client.force_login(worker)
        url = reverse("services:screening_add", args=[case_of_worker.pk])
        response = client.post(url, _screening_post(item_suicide="2"), follow=True)
        html = response.content.decode()
        assert "自殺意念達中等程度以上" in html
        assert 'id="screening-urgent"' in html
        assert Notification.objects.filter(recipient=supervisor, kind=Notification.Kind.SAFETY).exists()

    def test_a_missing_answer_redisplays_with_what_was_typed(self, client, worker, case_of_worker):
        client.force_login(worker)
        url = reverse("services:screening_add", args=[case_of_worker.pk])
        data = _screening_post(victim_response="被害人說想一想")
        del data["item3"]
        response = client.post(url, data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "資料有誤" in html and "被害人說想一想" in html
        assert not Screening.objects.exists()


class TestEscortPages:
    def _escort_post(self, **overrides):
        data = {
            "victim_consent": "on",
            **_dt("consent_at", timezone.now() - dt.timedelta(days=1)),
            "consent_how": "oral",
            **_dt("starts_at", timezone.now() - dt.timedelta(hours=2)),
            "status": "done",
            "place": "婦幼警察隊",
            "tick_0": "on",
            "ticknote_0": "證據已交付",
            "note": "筆錄過程順利",
        }
        data.update(overrides)
        return data

    def test_without_consent_nothing_is_saved_and_the_ticks_stay(self, client, worker, case_of_worker):
        client.force_login(worker)
        url = reverse("services:escort_add", args=[case_of_worker.pk]) + "?kind=interview"
        data = self._escort_post()
        del data["victim_consent"]
        response = client.post(url, data)
        html = response.content.decode()
        assert response.status_code == 200
        assert "陪同前須經被害人同意" in html
        assert "證據已交付" in html and "筆錄過程順利" in html
        assert not Escort.objects.exists()

    def test_the_worker_records_an_interview_escort_and_sees_the_record_deadline(
        self, client, worker, case_of_worker
    ):
        client.force_login(worker)
        url = reverse("services:escort_add", args=[case_of_worker.pk]) + "?kind=interview"
        response = client.post(url, self._escort_post(), follow=True)
        escort = Escort.objects.get()
        assert escort.ticks == ["3-1-1A"] and escort.notes_by_code() == {"3-1-1A": "證據已交付"}
        due = timezone.localtime(escort.starts_at).date() + dt.timedelta(days=3)
        assert f"出勤服務工作紀錄表請於 {format_roc(due)} 前完成" in response.content.decode()
        deadline = Deadline.objects.get(kind=Deadline.Kind.SERVICE_RECORD)
        assert deadline.owner == worker

    def test_the_record_form_completes_and_prints_in_chinese(self, client, worker, case_of_worker):
        escort = make_interview_escort(actor=worker, case=case_of_worker)
        client.force_login(worker)
        url = reverse("services:escort_report", args=[escort.pk])
        response = client.post(url, {"service_summary": "", "completed_on": format_roc(timezone.localdate())})
        assert "請填寫服務內容摘要" in response.content.decode()
        response = client.post(
            url,
            {
                "service_summary": "陪同被害人完成筆錄",
                "follow_up": "安排法律諮詢",
                "completed_on": format_roc(timezone.localdate()),
            },
        )
        assert response.status_code == 302
        assert Deadline.objects.get(kind=Deadline.Kind.SERVICE_RECORD).state == Deadline.State.DONE
        before = CaseReadLog.objects.count()
        pdf = client.get(reverse("services:escort_report_pdf", args=[escort.pk]))
        assert pdf["Content-Type"] == "application/pdf"
        assert (
            pdf["Content-Disposition"] == f'attachment; filename="service-record-{case_of_worker.number}.pdf"'
        )
        text = assert_printed_in_cjk(pdf.content)
        for expected in (
            "出勤服務工作紀錄表",
            case_of_worker.number,
            "陪同被害人完成筆錄",
            "安排法律諮詢",
            "3-1-1C",
        ):
            assert expected in text
        assert format_roc(timezone.localdate()) in text
        assert CaseReadLog.objects.count() == before + 1

    def test_the_court_record_prints_its_own_form(self, client, worker, case_of_worker):
        ticks = ["3-2-1B", "3-2-1C", "3-2-1E", "3-2-1F", "3-2-3A", "3-2-3C"]
        escort = make_court_escort(
            actor=worker,
            case=case_of_worker,
            starts_at=timezone.now() - dt.timedelta(hours=5),
            status=Escort.Status.DONE,
            protective_measures=["溫馨會談室"],
            further_need="法律諮詢",
            ticks=ticks,
        )
        assert escort.ticks == ticks
        make_report(actor=worker, escort=escort)
        client.force_login(worker)
        text = assert_printed_in_cjk(
            client.get(reverse("services:escort_report_pdf", args=[escort.pk])).content
        )
        for expected in (
            "陪同出庭服務紀錄表",
            "溫馨會談室",
            "臺灣臺北地方法院",
            "法律諮詢",
            "社工不主動發言",
        ):
            assert expected in text
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        assert reverse("legal:consultation_add", args=[case_of_worker.pk]) in html

    def test_no_pdf_before_the_form_is_done(self, client, worker, case_of_worker):
        escort = make_interview_escort(actor=worker, case=case_of_worker)
        client.force_login(worker)
        assert client.get(reverse("services:escort_report_pdf", args=[escort.pk])).status_code == 404

    def test_edit_keeps_the_version_and_shows_the_ticks(self, client, worker, case_of_worker):
        escort = make_interview_escort(actor=worker, case=case_of_worker)
        client.force_login(worker)
        html = client.get(reverse("services:escort_edit", args=[escort.pk])).content.decode()
        assert "陪同偵訊 第1版" in html and "警方安排隔離偵訊室" in html


class TestSupportNoteAdd:
    def test_the_worker_notes_the_emotions_and_the_hotline_never_sees_them(
        self, client, worker, hotline, case_of_worker
    ):
        client.force_login(worker)
        url = reverse("services:support_note_add", args=[case_of_worker.pk])
        data = {**_dt("noted_at", timezone.now()), "support_given": "陪伴被害人說出憤怒與焦慮"}
        response = client.post(url, data)
        assert "請勾選這次協助被害人梳理的情緒" in response.content.decode()
        assert "陪伴被害人說出憤怒與焦慮" in response.content.decode()
        response = client.post(url, {**data, "emotions": ["anger", "anxiety"]}, follow=True)
        html = response.content.decode()
        assert "憤怒、焦慮" in html and "陪伴被害人說出憤怒與焦慮" in html
        client.force_login(hotline)
        assert (
            "陪伴被害人說出憤怒與焦慮" not in client.get(case_of_worker.get_absolute_url()).content.decode()
        )


class TestDeclined:
    def test_the_worker_records_a_declined_request(self, client, worker, case_of_worker):
        client.force_login(worker)
        url = reverse("services:declined_add", args=[case_of_worker.pk])
        response = client.post(
            url,
            {"request": "fetch_belongings", "requested_on": format_roc(timezone.localdate())},
            follow=True,
        )
        assert "請找警察" in response.content.decode()
        assert DeclinedEscortRequest.objects.get().declined_by == worker


class TestCasePanel:
    def test_the_hotline_sees_the_case_but_not_the_screenings_or_escorts(
        self, client, hotline, worker, case_of_worker
    ):
        make_screening(actor=worker, case=case_of_worker, item_suicide=2, victim_response="被害人說很想消失")
        escort = make_interview_escort(actor=worker, case=case_of_worker, note="筆錄過程哭泣")
        make_report(actor=worker, escort=escort)
        client.force_login(worker)
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        assert "被害人說很想消失" in html and 'id="panel-services"' in html
        client.force_login(hotline)
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        assert client.get(case_of_worker.get_absolute_url()).status_code == 200
        assert 'id="panel-services"' not in html
        for secret in ("被害人說很想消失", "筆錄過程哭泣", "BSRS-5", "重度情緒困擾", "自殺意念"):
            assert secret not in html, secret

    def test_the_supervisor_sees_the_trend(self, client, supervisor, worker, case_of_worker):
        for items in ((3, 3, 3, 3, 3), (2, 2, 2, 2, 2), (1, 1, 1, 1, 1)):
            make_screening(actor=worker, case=case_of_worker, items=items)
        client.force_login(supervisor)
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        assert 'aria-label="BSRS-5 總分趨勢"' in html and "<polyline" in html
        assert html.count("trend-point") == 3

    def test_police_get_no_pdf(self, client, police, worker, case_of_worker):
        escort = make_interview_escort(actor=worker, case=case_of_worker)
        make_report(actor=worker, escort=escort)
        client.force_login(police)
        assert client.get(reverse("services:escort_report_pdf", args=[escort.pk])).status_code == 403
        assert EscortReport.objects.count() == 1
