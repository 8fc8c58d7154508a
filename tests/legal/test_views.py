"""Legal views through the test client: one class per view, the page as staff use it.

Who may open which page is in tests/test_access_matrix.py; here is what the pages do.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import CaseReadLog, Deadline
from cases.rocdate import format_roc
from legal import services
from legal.models import (
    Accusation,
    CaseOffence,
    LawExplanation,
    LawyerReferral,
    LegalConsultation,
    PoliceReport,
    ProsecutorDirection,
    SubsidyApplication,
)
from legal.reference import SEXUAL_ASSAULT_ACT_REFERENCE
from tests.factories import make_case, make_referral
from tests.legal.factories import (
    make_accusation,
    make_case_offence,
    make_consultation,
    make_direction,
    make_police_report,
    make_referred_case,
    make_subsidy,
    offence,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def roc(day: dt.date) -> str:
    return format_roc(day)


def offence_form(**overrides) -> dict:
    """A complete offence form as the browser posts it (ROC dates, as staff type them)."""
    data = {
        "offence": str(offence("C-B").pk),
        "learned_on": "114.03.10",
        "offence_on": "114.03.01",
        "offender_known": "on",
        "knew_offender_on": "114.03.12",
        "victim_wishes": CaseOffence.Wishes.WANTS,
        "complaint_filed_on": "",
        "note": "前男友把合意拍攝的影片傳給共同朋友。",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def assert_kept(html: str, data: dict, *names: str) -> None:
    for name in names:
        assert data[name] in html, f"{name} was lost"


class TestOffenceAdd:
    def url(self, case):
        return reverse("legal:offence_add", args=[case.pk])

    def test_the_worker_records_an_offence_and_its_periods_are_tracked(self, client, worker, case_of_worker):
        client.force_login(worker)
        response = client.post(self.url(case_of_worker), offence_form())
        assert response.status_code == 302
        assert response.url == case_of_worker.get_absolute_url() + "#legal"
        item = CaseOffence.objects.get()
        assert item.offence.code == "C-B" and item.created_by == worker
        assert item.note == "前男友把合意拍攝的影片傳給共同朋友。"
        kinds = set(Deadline.objects.filter(source_id=str(item.pk)).values_list("kind", flat=True))
        assert kinds == {Deadline.Kind.COMPLAINT, Deadline.Kind.LIMITATION}

    def test_the_form_shows_the_catalogue_for_reference(self, client, worker, case_of_worker):
        client.force_login(worker)
        html = client.get(self.url(case_of_worker)).content.decode()
        assert "犯罪類型參考（指引 4-1-1）" in html
        assert "遭他人恐嚇散布性影像" in html and "10 年" in html

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"learned_on": "future"}, "知悉影像（犯罪）的日期不能晚於今天。"),
            ({"knew_offender_on": "future", "learned_on": "114.03.10"}, "知悉犯人的日期不能晚於今天。"),
            (
                {"offence_on": "114.03.20"},
                "犯罪行為日期不能晚於知悉影像（犯罪）的日期；持續行為請填開始日期。",
            ),
            (
                {"continuing": "on", "conduct_ended_on": "114.02.01"},
                "持續行為的結束日期不能早於開始日期（犯罪行為日期）。",
            ),
            (
                {"conduct_ended_on": "114.03.05"},
                "只有持續行為才填結束日期；請勾選「持續行為」或清除結束日期。",
            ),
            (
                {"knew_offender_on": "114.03.05"},
                "知悉犯人的日期不能早於知悉影像（犯罪）的日期；告訴期間自兩者都知悉時起算。",
            ),
            ({"knew_offender_on": ""}, "已知悉犯人時，請填寫知悉犯人的日期（告訴期間由此起算）。"),
            (
                {"offender_known": None},
                "填了知悉犯人的日期，請勾選「已知悉犯人」；尚未知悉請清除該日期。",
            ),
            (
                {"victim_wishes": "declines", "complaint_filed_on": "114.03.20"},
                "已填寫提出告訴／報案的日期，報案意願不能是「無意願報案」。",
            ),
            (
                {"learned_on": "114.13.40"},
                "114.13.40 不存在，請再核對一次。",
            ),  # the hub's wording (ROCDateField)
            ({"learned_on": "上個月"}, "日期格式不正確，請輸入民國日期"),
            ({"offence": ""}, "這個欄位是必須的。"),
        ],
    )
    def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(
        self, client, worker, case_of_worker, overrides, message
    ):
        tomorrow = roc(TODAY() + dt.timedelta(days=1))
        overrides = {k: (tomorrow if v == "future" else v) for k, v in overrides.items()}
        client.force_login(worker)
        data = offence_form(**overrides)
        response = client.post(self.url(case_of_worker), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html
        assert "資料有誤，請依下方標示修正" in html
        assert not CaseOffence.objects.exists() and not Deadline.objects.exists()
        assert_kept(html, data, "learned_on", "offence_on", "note")


class TestOffenceEdit:
    def test_the_form_shows_the_dates_in_roc_and_the_read_is_logged(self, client, worker, case_of_worker):
        item = make_case_offence(actor=worker, case=case_of_worker)
        client.force_login(worker)
        html = client.get(reverse("legal:offence_edit", args=[item.pk])).content.decode()
        assert 'value="114.03.10"' in html and 'value="114.03.12"' in html
        assert CaseReadLog.objects.filter(
            case=case_of_worker, user=worker, view="法律服務：罪名編輯頁"
        ).exists()

    def test_the_offender_becoming_known_recounts_the_complaint_period(self, client, worker, case_of_worker):
        item = make_case_offence(
            actor=worker, case=case_of_worker, code="C-A", offender_known=False, knew_offender_on=None
        )
        client.force_login(worker)
        data = offence_form(offence=str(item.offence_id), knew_offender_on="114.04.01")
        response = client.post(reverse("legal:offence_edit", args=[item.pk]), data)
        assert response.status_code == 302
        deadline = Deadline.objects.get(source_id=str(item.pk), kind=Deadline.Kind.COMPLAINT)
        assert deadline.is_warning is False
        assert timezone.localtime(deadline.due_at).date() == dt.date(2025, 10, 1)

    def test_a_deactivated_offence_stays_selectable_on_its_own_record(self, client, worker, case_of_worker):
        item = make_case_offence(actor=worker, case=case_of_worker, code="P-F")
        retired = item.offence
        retired.is_active = False
        retired.save()
        client.force_login(worker)
        form = client.get(reverse("legal:offence_edit", args=[item.pk])).context["form"]
        assert retired in form.fields["offence"].queryset
        add_form = client.get(reverse("legal:offence_add", args=[case_of_worker.pk])).context["form"]
        assert retired not in add_form.fields["offence"].queryset

    def test_an_error_keeps_what_was_typed_and_changes_nothing(self, client, worker, case_of_worker):
        item = make_case_offence(actor=worker, case=case_of_worker)
        client.force_login(worker)
        data = offence_form(offence_on="114.03.11", note="補充：對方又傳訊息。")
        response = client.post(reverse("legal:offence_edit", args=[item.pk]), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'value="114.03.11"' in html and "補充：對方又傳訊息。" in html
        item.refresh_from_db()
        assert item.offence_on == dt.date(2025, 3, 1) and item.note == ""


class TestAccusationList:
    url = reverse("legal:accusations")

    def test_supervisors_see_every_open_accusation_of_the_unit(
        self, client, hotline, worker, worker2, supervisor, case_of_worker, case_of_worker2
    ):
        open_one = make_accusation(actor=worker, case=case_of_worker)
        filed = make_accusation(actor=worker2, case=case_of_worker2)
        from legal.services import accusation_file

        accusation_file(actor=worker2, accusation=filed, filed_on=TODAY(), filed_with="臺灣士林地方檢察署")
        client.force_login(supervisor)
        response = client.get(self.url)
        assert [a for a, _ in response.context["rows"]] == [open_one]
        html = response.content.decode()
        assert case_of_worker.number in html and "P-D 遭他人恐嚇散布性影像" in html
        assert "臺灣士林地方檢察署" in html  # in the recently filed list


class TestAccusationFile:
    def test_filing_closes_the_task_and_its_deadline(self, client, worker, case_of_worker):
        accusation = make_accusation(actor=worker, case=case_of_worker)
        client.force_login(worker)
        url = reverse("legal:accusation_file", args=[accusation.pk])
        page = client.get(url).content.decode()
        assert "被害人無意願報案" in page and f'value="{roc(TODAY())}"' in page
        response = client.post(
            url, {"filed_on": roc(TODAY()), "filed_with": "臺灣臺北地方檢察署", "note": ""}
        )
        assert response.status_code == 302
        accusation.refresh_from_db()
        assert accusation.state == Accusation.State.FILED and accusation.filed_by == worker
        deadline = Deadline.objects.get(kind=Deadline.Kind.ACCUSATION)
        assert deadline.state == Deadline.State.DONE

    def test_a_future_date_is_refused_and_the_task_stays_open(self, client, worker, case_of_worker):
        accusation = make_accusation(actor=worker, case=case_of_worker)
        client.force_login(worker)
        tomorrow = roc(TODAY() + dt.timedelta(days=1))
        response = client.post(
            reverse("legal:accusation_file", args=[accusation.pk]),
            {"filed_on": tomorrow, "filed_with": "臺灣臺北地方檢察署"},
        )
        html = response.content.decode()
        assert response.status_code == 200 and "告發日期不能晚於今天。" in html
        assert tomorrow in html and "臺灣臺北地方檢察署" in html
        accusation.refresh_from_db()
        assert accusation.state == Accusation.State.OPEN


class TestConsultationAdd:
    def test_booking_puts_the_appointment_on_the_tracker(self, client, worker, worker2, case_of_worker):
        client.force_login(worker)
        day = TODAY() + dt.timedelta(days=4)
        response = client.post(
            reverse("legal:consultation_add", args=[case_of_worker.pk]),
            {
                "scheduled_at_0": roc(day),
                "scheduled_at_1": "14:30",
                "provider": "法律扶助基金會臺北分會",
                "mode": "in_person",
                "escorted": "on",
                "escort_worker": str(worker2.pk),
            },
        )
        assert response.status_code == 302
        consultation = LegalConsultation.objects.get()
        local = timezone.localtime(consultation.scheduled_at)
        assert (local.date(), local.strftime("%H:%M")) == (day, "14:30")
        deadline = Deadline.objects.get(kind=Deadline.Kind.APPOINTMENT)
        assert deadline.owner == worker2 and deadline.due_at == consultation.scheduled_at

    def test_an_escort_without_a_worker_is_refused_and_the_typed_time_kept(
        self, client, worker, case_of_worker
    ):
        client.force_login(worker)
        day = roc(TODAY() + dt.timedelta(days=4))
        response = client.post(
            reverse("legal:consultation_add", args=[case_of_worker.pk]),
            {
                "scheduled_at_0": day,
                "scheduled_at_1": "09:15",
                "provider": "王律師",
                "mode": "phone",
                "escorted": "on",
            },
        )
        html = response.content.decode()
        assert "勾選社工陪同時，請選擇陪同的社工。" in html
        assert day in html and "09:15" in html and "王律師" in html
        assert not LegalConsultation.objects.exists()


class TestConsultationEdit:
    def test_recording_the_outcome_after_the_consultation(self, client, worker, case_of_worker):
        consultation = make_consultation(actor=worker, case=case_of_worker)
        consultation.scheduled_at = timezone.now() - dt.timedelta(hours=3)
        consultation.save(update_fields=["scheduled_at"])
        past = timezone.localtime(consultation.scheduled_at)
        client.force_login(worker)
        response = client.post(
            reverse("legal:consultation_edit", args=[consultation.pk]),
            {
                "scheduled_at_0": roc(past.date()),
                "scheduled_at_1": past.strftime("%H:%M"),
                "provider": consultation.provider,
                "mode": "in_person",
                "status": "held",
                "outcome": "律師建議先提告訴，並申請律師費補助。",
            },
        )
        assert response.status_code == 302
        consultation.refresh_from_db()
        assert consultation.status == "held" and consultation.outcome.startswith("律師建議")
        assert Deadline.objects.get(kind=Deadline.Kind.APPOINTMENT).state == Deadline.State.DONE


class TestSubsidyAdd:
    def url(self, case):
        return reverse("legal:subsidy_add", args=[case.pk])

    def test_reminds_to_consult_a_lawyer_first_when_no_consultation_was_held(
        self, client, worker, case_of_worker
    ):
        client.force_login(worker)
        html = client.get(self.url(case_of_worker)).content.decode()
        assert "建議先完成法律諮詢再決定（指引 4-2-3）" in html
        make_consultation(actor=worker, case=case_of_worker)
        html = client.get(self.url(case_of_worker)).content.decode()
        assert "建議先完成法律諮詢再決定（指引 4-2-3）" in html and "已預約" in html

    def test_no_reminder_after_a_consultation_was_held(self, client, worker, case_of_worker):
        consultation = make_consultation(actor=worker, case=case_of_worker)
        LegalConsultation.objects.filter(pk=consultation.pk).update(
            status="held", scheduled_at=timezone.now() - dt.timedelta(days=1)
        )
        client.force_login(worker)
        html = client.get(self.url(case_of_worker)).content.decode()
        assert "指引 4-2-3" not in html

    def test_an_application_is_recorded(self, client, worker, case_of_worker):
        client.force_login(worker)
        response = client.post(
            self.url(case_of_worker),
            {"kind": "lawyer_fees", "applied_on": roc(TODAY()), "status": "applied", "approved_amount": ""},
        )
        assert response.status_code == 302
        assert SubsidyApplication.objects.get().applied_on == TODAY()

    def test_a_negative_amount_is_refused(self, client, worker, case_of_worker):
        client.force_login(worker)
        response = client.post(
            self.url(case_of_worker),
            {
                "kind": "lawyer_fees",
                "applied_on": roc(TODAY()),
                "status": "approved",
                "decided_on": roc(TODAY()),
                "approved_amount": "-5",
            },
        )
        assert "金額不能是負數。" in response.content.decode()
        assert not SubsidyApplication.objects.exists()


class TestSubsidyEdit:
    def test_approval_needs_an_amount(self, client, worker, case_of_worker):
        subsidy = make_subsidy(actor=worker, case=case_of_worker)
        client.force_login(worker)
        url = reverse("legal:subsidy_edit", args=[subsidy.pk])
        data = {
            "kind": "lawyer_fees",
            "applied_on": roc(TODAY()),
            "status": "approved",
            "decided_on": roc(TODAY()),
        }
        response = client.post(url, data)
        assert "已核定時，請填寫核定金額。" in response.content.decode()
        response = client.post(url, {**data, "approved_amount": "30000"})
        assert response.status_code == 302
        subsidy.refresh_from_db()
        assert subsidy.approved_amount == 30000


class TestLawExplanationAdd:
    def url(self, case):
        return reverse("legal:law_explanation_add", args=[case.pk])

    def test_the_form_shows_the_sexual_assault_act_reference(self, client, worker, case_of_worker):
        client.force_login(worker)
        html = client.get(self.url(case_of_worker)).content.decode()
        assert 'id="law-reference"' in html
        for heading, text in SEXUAL_ASSAULT_ACT_REFERENCE:
            assert heading in html and text in html
        assert roc(TODAY()) in html  # today and the signed-in worker are offered

    def test_the_worker_records_what_was_explained(self, client, worker, case_of_worker):
        client.force_login(worker)
        response = client.post(
            self.url(case_of_worker),
            {
                "explained_on": roc(TODAY()),
                "by": str(worker.pk),
                "topics": ["criminal_code", "sexual_assault_act", "complaint_period"],
                "note": "說明身分保密與社工可陪同偵訊。",
            },
        )
        assert response.status_code == 302
        assert response.url == case_of_worker.get_absolute_url() + "#legal"
        explanation = LawExplanation.objects.get()
        assert (explanation.case, explanation.by, explanation.explained_on) == (
            case_of_worker,
            worker,
            TODAY(),
        )
        assert explanation.topics == ["criminal_code", "sexual_assault_act", "complaint_period"]

    def test_no_topic_is_refused_and_what_was_typed_is_kept(self, client, worker, case_of_worker):
        client.force_login(worker)
        data = {"explained_on": "114.04.01", "by": str(worker.pk), "note": "被害人詢問民事求償。"}
        response = client.post(self.url(case_of_worker), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "請勾選向被害人說明了哪些法律規定（指引 4-A）。" in html
        assert_kept(html, data, "explained_on", "note")
        assert not LawExplanation.objects.exists()

    def test_other_without_a_note_is_refused_by_the_service_and_the_ticks_kept(
        self, client, worker, case_of_worker
    ):
        client.force_login(worker)
        data = {"explained_on": "114.04.01", "by": str(worker.pk), "topics": ["protection_order", "other"]}
        response = client.post(self.url(case_of_worker), data)
        html = response.content.decode()
        assert "勾選「其他」時，請在備註寫明說明了哪些規定。" in html
        assert "114.04.01" in html
        assert html.count("checked") >= 2
        assert not LawExplanation.objects.exists()


class TestLawExplanationEdit:
    def test_the_read_is_logged_and_a_correction_saved(self, client, worker, case_of_worker):
        explanation = services.law_explanation_record(
            actor=worker, case=case_of_worker, explained_on=TODAY(), topics=["criminal_code"]
        )
        client.force_login(worker)
        url = reverse("legal:law_explanation_edit", args=[explanation.pk])
        html = client.get(url).content.decode()
        assert roc(TODAY()) in html
        assert CaseReadLog.objects.filter(case=case_of_worker, view="法律服務：法律規定說明編輯頁").exists()
        response = client.post(
            url,
            {"explained_on": roc(TODAY()), "by": str(worker.pk), "topics": ["criminal_code", "limitation"]},
        )
        assert response.status_code == 302
        explanation.refresh_from_db()
        assert explanation.topics == ["criminal_code", "limitation"]

    def test_a_future_date_is_refused_and_the_typed_note_kept(self, client, worker, case_of_worker):
        explanation = services.law_explanation_record(
            actor=worker, case=case_of_worker, explained_on=TODAY(), topics=["criminal_code"]
        )
        client.force_login(worker)
        data = {
            "explained_on": roc(TODAY() + dt.timedelta(days=3)),
            "by": str(worker.pk),
            "topics": ["criminal_code"],
            "note": "改期再說明。",
        }
        response = client.post(reverse("legal:law_explanation_edit", args=[explanation.pk]), data)
        html = response.content.decode()
        assert "說明日期不能晚於今天。" in html
        assert_kept(html, data, "explained_on", "note")
        explanation.refresh_from_db()
        assert explanation.explained_on == TODAY() and explanation.note == ""


class TestLawyerReferralAdd:
    def url(self, case):
        return reverse("legal:lawyer_referral_add", args=[case.pk])

    def test_a_match_is_recorded_with_the_lawyer_fee_subsidy(self, client, worker, case_of_worker):
        subsidy = make_subsidy(actor=worker, case=case_of_worker)
        client.force_login(worker)
        html = client.get(self.url(case_of_worker)).content.decode()
        assert "建議先完成法律諮詢再決定（指引 4-2-3）" in html
        assert "委任律師費用（審核中）" in html  # the case's subsidies are offered
        response = client.post(
            self.url(case_of_worker),
            {
                "lawyer_or_org": "法律扶助基金會臺北分會 陳律師",
                "matched_on": roc(TODAY()),
                "status": "matching",
                "subsidy": str(subsidy.pk),
            },
        )
        assert response.status_code == 302
        referral = LawyerReferral.objects.get()
        assert referral.subsidy == subsidy and referral.created_by == worker
        assert referral.matched_on == TODAY()

    def test_a_subsidy_of_another_case_is_not_offered(
        self, client, worker, worker2, case_of_worker, case_of_worker2
    ):
        other = make_subsidy(actor=worker2, case=case_of_worker2)
        client.force_login(worker)
        data = {
            "lawyer_or_org": "王律師",
            "matched_on": "114.04.03",
            "status": "matching",
            "subsidy": str(other.pk),
        }
        response = client.post(self.url(case_of_worker), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "資料有誤" in html
        assert_kept(html, data, "lawyer_or_org", "matched_on")
        assert not LawyerReferral.objects.exists()

    def test_a_future_date_is_refused_and_the_typed_text_kept(self, client, worker, case_of_worker):
        client.force_login(worker)
        data = {
            "lawyer_or_org": "臺北律師公會 林律師",
            "matched_on": roc(TODAY() + dt.timedelta(days=5)),
            "status": "matching",
            "note": "被害人希望女性律師。",
        }
        response = client.post(self.url(case_of_worker), data)
        html = response.content.decode()
        assert "媒合日期不能晚於今天。" in html
        assert_kept(html, data, "lawyer_or_org", "matched_on", "note")
        assert not LawyerReferral.objects.exists()


class TestLawyerReferralEdit:
    def test_the_read_is_logged_and_retaining_the_lawyer_recorded(self, client, worker, case_of_worker):
        referral = services.lawyer_referral_record(
            actor=worker, case=case_of_worker, lawyer_or_org="王律師", matched_on=TODAY()
        )
        client.force_login(worker)
        url = reverse("legal:lawyer_referral_edit", args=[referral.pk])
        assert "王律師" in client.get(url).content.decode()
        assert CaseReadLog.objects.filter(case=case_of_worker, view="法律服務：媒合委任律師編輯頁").exists()
        response = client.post(
            url,
            {"lawyer_or_org": "王律師", "matched_on": roc(TODAY()), "status": "retained", "note": "已委任。"},
        )
        assert response.status_code == 302
        referral.refresh_from_db()
        assert referral.status == LawyerReferral.Status.RETAINED and referral.note == "已委任。"

    def test_an_empty_lawyer_is_refused_and_nothing_changes(self, client, worker, case_of_worker):
        referral = services.lawyer_referral_record(
            actor=worker, case=case_of_worker, lawyer_or_org="王律師", matched_on=TODAY()
        )
        client.force_login(worker)
        data = {
            "lawyer_or_org": "",
            "matched_on": roc(TODAY()),
            "status": "not_retained",
            "note": "被害人決定不委任。",
        }
        response = client.post(reverse("legal:lawyer_referral_edit", args=[referral.pk]), data)
        assert response.status_code == 200
        assert_kept(response.content.decode(), data, "note")
        referral.refresh_from_db()
        assert referral.lawyer_or_org == "王律師" and referral.status == LawyerReferral.Status.MATCHING


class TestPoliceReportAdd:
    def url(self, case):
        return reverse("legal:police_report_add", args=[case.pk])

    def form(self, **overrides):
        data = {
            "unit_kind": "precinct",
            "unit_name": "大安分局和平東路派出所",
            "scheduled_at_0": roc(TODAY() + dt.timedelta(days=2)),
            "scheduled_at_1": "10:00",
            "officer_gender_asked": "on",
            "officer_gender": "female",
            "laws": ["criminal_complaint", "stalking_act"],
            "evidence_handed_over": "on",
            "victim_keeps_copy": "on",
            "escorted": "",
            "minor_companion": "",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    def test_booking_records_the_preparation_and_tracks_the_appointment(self, client, worker, case_of_worker):
        client.force_login(worker)
        response = client.post(self.url(case_of_worker), self.form())
        assert response.status_code == 302
        report = PoliceReport.objects.get()
        assert report.laws == ["criminal_complaint", "stalking_act"]
        assert report.officer_gender == "female" and report.evidence_handed_over and report.victim_keeps_copy
        assert Deadline.objects.get(kind=Deadline.Kind.APPOINTMENT).due_at == report.scheduled_at

    def test_the_laws_are_suggested_from_the_case_offences(self, client, worker, case_of_worker):
        make_case_offence(actor=worker, case=case_of_worker, code="C-B")
        make_case_offence(actor=worker, case=case_of_worker, code="P-D")
        client.force_login(worker)
        form = client.get(self.url(case_of_worker)).context["form"]
        assert form.initial["laws"] == ["criminal_complaint", "criminal_public"]

    def test_a_victim_under_18_is_flagged(self, client, hotline, worker):
        birth = TODAY().replace(year=TODAY().year - 17) - dt.timedelta(days=30)
        case = make_case(actor=hotline, worker=worker, victim_birth_date=birth)
        client.force_login(worker)
        html = client.get(self.url(case)).content.decode()
        assert "未滿18歲" in html and "指引 9-2-7" in html

    def test_an_adult_is_not_flagged(self, client, hotline, worker):
        case = make_case(actor=hotline, worker=worker, victim_birth_date=dt.date(1995, 6, 1))
        client.force_login(worker)
        assert "未滿18歲" not in client.get(self.url(case)).content.decode()

    def test_not_asking_about_the_officers_gender_is_refused(self, client, worker, case_of_worker):
        client.force_login(worker)
        data = self.form(officer_gender_asked=None)
        response = client.post(self.url(case_of_worker), data)
        html = response.content.decode()
        assert "請先詢問被害人是否需要指定員警性別（指引 9-1-2），並勾選。" in html
        assert "大安分局和平東路派出所" in html and data["scheduled_at_0"] in html
        assert not PoliceReport.objects.exists()


class TestPoliceReportEdit:
    def test_marking_the_report_done_closes_the_appointment(self, client, worker, case_of_worker):
        report = make_police_report(actor=worker, case=case_of_worker)
        PoliceReport.objects.filter(pk=report.pk).update(scheduled_at=timezone.now() - dt.timedelta(hours=5))
        report.refresh_from_db()
        past = timezone.localtime(report.scheduled_at)
        client.force_login(worker)
        response = client.post(
            reverse("legal:police_report_edit", args=[report.pk]),
            {
                "unit_kind": "brigade",
                "unit_name": report.unit_name,
                "scheduled_at_0": roc(past.date()),
                "scheduled_at_1": past.strftime("%H:%M"),
                "officer_gender_asked": "on",
                "officer_gender": "female",
                "laws": ["criminal_complaint"],
                "status": "done",
                "complaint_decision": "deferred",  # 9-2-5: a done report records the decision
                "age_answer": "adult",  # 9-2-7: no birth date on file, so the worker confirms the age
            },
        )
        assert response.status_code == 302
        assert Deadline.objects.get(kind=Deadline.Kind.APPOINTMENT).state == Deadline.State.DONE


class TestPoliceCases:
    url = reverse("legal:police_cases")

    def test_police_see_only_the_cases_of_their_referrals_and_no_case_content(
        self, client, hotline, worker, police, police2
    ):
        mine = make_referral(police=police, victim_name="甲轉介被害人", referring_agency="大安分局")
        theirs = make_referral(police=police2, victim_name="乙轉介被害人", referring_agency="信義分局")
        case = make_referred_case(hotline=hotline, referral=mine, worker=worker)
        make_referred_case(hotline=hotline, referral=theirs, worker=worker)
        make_referral(police=police, victim_name="未開案被害人")  # still pending: no case yet
        client.force_login(police)
        html = client.get(self.url).content.decode()
        assert "甲轉介被害人" in html and "大安分局" in html
        assert "乙轉介被害人" not in html and "未開案被害人" not in html
        assert case.number not in html and "承辦" not in html
        assert reverse("legal:prosecutor_new", args=[case.pk]) in html

    def test_a_case_an_officer_referred_twice_is_listed_once(self, client, hotline, worker, police):
        first = make_referral(police=police, victim_name="重複轉介者")
        case = make_referred_case(hotline=hotline, referral=first, worker=worker)
        second = make_referral(police=police, victim_name="重複轉介者")
        case_services.intake_attach(actor=hotline, intake=second.intake, case=case)
        client.force_login(police)
        cases = client.get(self.url).context["cases"]
        assert cases == [case] and len(cases[0].my_referrals) == 2


class TestProsecutorNew:
    def test_police_record_a_request_for_their_referred_case(
        self, client, hotline, worker, police, referral_of_police
    ):
        case = make_referred_case(hotline=hotline, referral=referral_of_police, worker=worker)
        client.force_login(police)
        url = reverse("legal:prosecutor_new", args=[case.pk])
        page = client.get(url).content.decode()
        assert referral_of_police.intake.victim_name in page and case.number not in page
        now = timezone.localtime()
        response = client.post(
            url,
            {
                "requested_at_0": roc(now.date()),
                "requested_at_1": now.strftime("%H:%M"),
                "prosecutor_office": "臺灣臺北地方檢察署",
                "urgency": "加害人揚言今晚上傳，需扣押手機。",
            },
        )
        assert response.status_code == 302 and response.url == reverse("legal:police_cases")
        direction = ProsecutorDirection.objects.get()
        assert direction.case == case and direction.requested_by == police
        assert direction.outcome == ProsecutorDirection.Outcome.PENDING
        assert CaseReadLog.objects.filter(case=case, user=police).exists()

    def test_the_urgency_must_be_described(self, client, hotline, police, referral_of_police):
        case = make_referred_case(hotline=hotline, referral=referral_of_police)
        client.force_login(police)
        now = timezone.localtime()
        response = client.post(
            reverse("legal:prosecutor_new", args=[case.pk]),
            {
                "requested_at_0": roc(now.date()),
                "requested_at_1": "08:00",
                "prosecutor_office": "臺灣臺北地方檢察署",
            },
        )
        assert response.status_code == 200 and "這個欄位是必須的。" in response.content.decode()
        assert not ProsecutorDirection.objects.exists()


class TestProsecutorEdit:
    def test_police_record_the_outcome_and_the_worker_sees_it_on_the_case(
        self, client, hotline, worker, police, referral_of_police
    ):
        case = make_referred_case(hotline=hotline, referral=referral_of_police, worker=worker)
        direction = make_direction(police=police, case=case)
        requested = timezone.localtime(direction.requested_at)
        client.force_login(police)
        response = client.post(
            reverse("legal:prosecutor_edit", args=[direction.pk]),
            {
                "requested_at_0": roc(requested.date()),
                "requested_at_1": requested.strftime("%H:%M"),
                "prosecutor_office": direction.prosecutor_office,
                "urgency": direction.urgency,
                "outcome": "directed",
                "outcome_on": roc(TODAY()),
                "outcome_note": "檢察官指揮扣押手機。",
            },
        )
        assert response.status_code == 302
        client.force_login(worker)
        html = client.get(case.get_absolute_url()).content.decode()
        assert "檢察官指揮偵辦" in html and "檢察官指揮扣押手機。" in html


class TestCasePanel:
    def test_the_worker_sees_the_periods_in_roc_dates_with_days_left(self, client, worker, case_of_worker):
        knew = TODAY() - dt.timedelta(days=10)
        make_case_offence(
            actor=worker,
            case=case_of_worker,
            code="C-B",
            learned_on=knew,
            offence_on=knew - dt.timedelta(days=5),
            knew_offender_on=knew,
        )
        from legal.deadlines import complaint_deadline, limitation_deadline

        due = complaint_deadline(knew)
        limit = limitation_deadline(knew - dt.timedelta(days=5), 20)
        client.force_login(worker)
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        assert roc(due) in html and f"剩 {(due - TODAY()).days} 天" in html
        assert roc(limit) in html and f"剩 {(limit - TODAY()).days:,} 天（約 19 年）" in html
        assert reverse("legal:offence_add", args=[case_of_worker.pk]) in html

    def test_an_unknown_offender_shows_the_date_if_known_today_and_never_overdue(
        self, client, worker, case_of_worker
    ):
        # Issue 14 point 1: learned 114.03.10, long ago; the old page said 已逾期 although no period ran.
        from legal.deadlines import complaint_deadline

        make_case_offence(
            actor=worker, case=case_of_worker, code="C-A", offender_known=False, knew_offender_on=None
        )
        client.force_login(worker)
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        assert (
            "暫估" in html and f"若今天知悉犯人，告訴期間將至 {roc(complaint_deadline(TODAY()))} 止" in html
        )
        assert "已逾期" not in html and "已逾告訴期間" not in html

    def test_the_hotline_reads_the_legal_side_but_gets_no_edit_links(
        self, client, hotline, worker, case_of_worker
    ):
        accusation = make_accusation(actor=worker, case=case_of_worker)
        client.force_login(hotline)
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        assert "待中心告發" in html and "P-D" in html
        assert reverse("legal:offence_edit", args=[accusation.case_offence_id]) not in html
        assert reverse("legal:accusation_file", args=[accusation.pk]) not in html
        assert reverse("legal:offence_add", args=[case_of_worker.pk]) not in html

    def test_the_supervisor_timeline_lists_legal_changes(self, client, worker, supervisor, case_of_worker):
        make_accusation(actor=worker, case=case_of_worker)
        client.force_login(supervisor)
        html = client.get(reverse("cases:timeline", args=[case_of_worker.pk])).content.decode()
        assert "罪名與期間" in html and "中心告發" in html

    def test_the_panel_shows_the_law_explained_and_the_lawyer_matched(
        self, client, worker, hotline, case_of_worker
    ):
        subsidy = make_subsidy(actor=worker, case=case_of_worker)
        explanation = services.law_explanation_record(
            actor=worker,
            case=case_of_worker,
            explained_on=TODAY(),
            topics=["sexual_assault_act", "protection_order"],
            note="說明身分保密。",
        )
        referral = services.lawyer_referral_record(
            actor=worker,
            case=case_of_worker,
            lawyer_or_org="法扶 陳律師",
            matched_on=TODAY(),
            subsidy=subsidy,
        )
        client.force_login(worker)
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        assert "法律規定說明（指引 4-A）" in html and "性侵害犯罪防治法（被害人權益與服務）、保護令" in html
        assert "說明身分保密。" in html
        assert "媒合委任律師（指引 4-1-2）" in html and "法扶 陳律師" in html and "媒合中" in html
        assert "委任律師費用・" in html
        assert reverse("legal:law_explanation_edit", args=[explanation.pk]) in html
        assert reverse("legal:lawyer_referral_edit", args=[referral.pk]) in html
        assert "說明法律規定：" in html  # on the case's one chronological record too
        client.force_login(hotline)
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        assert "法扶 陳律師" in html
        assert reverse("legal:lawyer_referral_edit", args=[referral.pk]) not in html
        assert reverse("legal:law_explanation_add", args=[case_of_worker.pk]) not in html

    def test_the_supervisor_timeline_lists_explanations_and_lawyer_matches(
        self, client, worker, supervisor, case_of_worker
    ):
        services.law_explanation_record(
            actor=worker, case=case_of_worker, explained_on=TODAY(), topics=["criminal_code"]
        )
        services.lawyer_referral_record(
            actor=worker, case=case_of_worker, lawyer_or_org="王律師", matched_on=TODAY()
        )
        client.force_login(supervisor)
        html = client.get(reverse("cases:timeline", args=[case_of_worker.pk])).content.decode()
        assert "法律規定說明" in html and "媒合委任律師" in html
