"""Referral views (轉介表): one class per view. Access per role is in tests/test_access_matrix.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import services
from cases.models import Intake
from referrals.models import Referral
from tests.factories import make_referral

pytestmark = pytest.mark.django_db

ASKED_ERROR = "員警受理案件時應主動詢問被害人是否需要轉介社工，請確認後勾選。"


def referral_form(**overrides) -> dict:
    data = {
        "referring_agency": "臺北市政府警察局大安分局",
        "contact_person": "張警員",
        "contact_phone": "02-27001234",
        "victim_name": "吳測試",
        "victim_phone": "0933-222-111",
        "victim_national_id": "",
        "victim_birth_date": "",
        "report_taken": "on",
        "police_asked_about_social_worker": "on",
        "victim_wants_social_worker": Referral.VictimWantsSocialWorker.YES,
        "immediate_danger": Intake.Danger.NO,
        "narrative": "被害人到分局報案，對方在 IG 散布私密照片。",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


class TestReferralNew:
    url = reverse("referrals:new")

    def test_police_referral_enters_the_intake_queue_and_shows_the_officer_their_referral(
        self, client, police
    ):
        client.force_login(police)
        response = client.post(self.url, referral_form())
        referral = Referral.objects.get()
        assert response.status_code == 302 and response.url == referral.get_absolute_url()
        assert referral.referrer == police
        assert referral.police_asked_about_social_worker is True and referral.report_taken is True
        intake = referral.intake
        assert intake.source == Intake.Source.REFERRAL and intake.status == Intake.Status.PENDING
        assert intake.victim_name == "吳測試" and intake.created_by == police

    def test_police_must_tick_that_they_asked_about_a_social_worker(self, client, police):
        client.force_login(police)
        data = referral_form(police_asked_about_social_worker=None)
        response = client.post(self.url, data)
        assert response.status_code == 200
        html = response.content.decode()
        assert ASKED_ERROR in html
        assert not Referral.objects.exists() and not Intake.objects.exists()
        # What the officer typed is still there.
        for name in (
            "referring_agency",
            "contact_person",
            "contact_phone",
            "victim_name",
            "victim_phone",
            "narrative",
        ):
            assert data[name] in html, f"{name} was lost"

    def test_the_hotline_entering_another_agencys_form_need_not_tick_the_police_question(
        self, client, hotline
    ):
        client.force_login(hotline)
        response = client.post(
            self.url,
            referral_form(referring_agency="臺北市立聯合醫院", police_asked_about_social_worker=None),
        )
        referral = Referral.objects.get()
        # The hotline is sent on to handle the intake; the form is not "theirs" as referrer.
        assert response.status_code == 302 and response.url == referral.intake.get_absolute_url()
        assert referral.referrer is None
        assert referral.intake.caller_relation == Intake.CallerRelation.PROFESSIONAL

    def test_a_bad_national_id_is_refused_in_chinese(self, client, police):
        client.force_login(police)
        response = client.post(self.url, referral_form(victim_national_id="A123456788"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "身分證字號檢查碼不符，請再核對一次。" in html and "A123456788" in html
        assert not Referral.objects.exists()

    def test_a_police_case_number_without_digits_is_refused_and_the_form_kept(self, client, police):
        # The search box looks up only terms with digits as police case numbers (a name has none).
        client.force_login(police)
        response = client.post(self.url, referral_form(police_case_number="大安分局"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "警方案號應含數字" in html and "吳測試" in html
        assert not Referral.objects.exists()
        client.post(self.url, referral_form(police_case_number="ＡＢ １２３"))
        assert Referral.objects.get().police_case_number == "AB123"


class TestReferralList:
    def test_police_see_only_their_own_referrals_with_the_shared_status(self, client, police, police2):
        make_referral(police=police, referring_agency="婦幼警察隊甲組")
        make_referral(police=police2, referring_agency="信義分局乙組")
        client.force_login(police)
        html = client.get(reverse("referrals:list")).content.decode()
        assert "我的轉介" in html
        assert "婦幼警察隊甲組" in html and "家防中心已收件，處理中" in html
        assert "信義分局乙組" not in html

    def test_each_row_links_its_form_and_shows_how_far_it_got(self, client, hotline, worker, police):
        opened = make_referral(police=police, referring_agency="<b>大安分局</b>")
        case = services.case_open_from_intake(actor=hotline, intake=opened.intake)
        services.dispatch_case(actor=hotline, case=case, worker=worker, reason="x")
        make_referral(police=police, referring_agency="信義分局")
        client.force_login(police)
        html = client.get(reverse("referrals:list")).content.decode()
        assert "&lt;b&gt;大安分局&lt;/b&gt;" in html and "<b>大安分局</b>" not in html
        assert f'href="{opened.get_absolute_url()}"' in html
        assert html.count("已開案，社工服務中") == 1 and html.count("家防中心已收件，處理中") == 1

    def test_the_hotline_sees_every_referral(self, client, hotline, police, police2):
        make_referral(police=police, referring_agency="婦幼警察隊甲組")
        make_referral(police=police2, referring_agency="信義分局乙組")
        client.force_login(hotline)
        response = client.get(reverse("referrals:list"))
        assert len(response.context["page"].object_list) == 2


class TestReferralDetail:
    @pytest.mark.parametrize(
        ("step", "shown"),
        [
            ("received", "家防中心已收件，處理中"),
            ("opened", "已開案，等待派案"),
            ("dispatched", "已開案，社工服務中"),
            ("closed", "家防中心已處理，未開案"),
        ],
    )
    def test_police_see_how_far_their_referral_got(self, client, hotline, worker, police, step, shown):
        referral = make_referral(police=police)
        if step in ("opened", "dispatched"):
            case = services.case_open_from_intake(actor=hotline, intake=referral.intake)
            if step == "dispatched":
                services.dispatch_case(actor=hotline, case=case, worker=worker, reason="x")
        elif step == "closed":
            services.intake_close(actor=hotline, intake=referral.intake, note="被害人暫無意願")
        client.force_login(police)
        response = client.get(referral.get_absolute_url())
        assert response.status_code == 200
        assert f'<span id="shared-status">{shown}</span>' in response.content.decode()

    def test_police_get_no_link_into_the_intake(self, client, police):
        referral = make_referral(police=police)
        client.force_login(police)
        html = client.get(referral.get_absolute_url()).content.decode()
        assert referral.intake.get_absolute_url() not in html

    def test_the_hotline_can_go_on_to_the_intake(self, client, hotline, police):
        referral = make_referral(police=police)
        client.force_login(hotline)
        html = client.get(referral.get_absolute_url()).content.decode()
        assert referral.intake.get_absolute_url() in html


def test_staff_reading_the_referral_of_a_case_is_logged_but_the_referring_officer_is_not(
    client, hotline, supervisor, police
):
    from cases import services
    from cases.models import CaseReadLog
    from tests.factories import make_referral

    referral = make_referral(police=police)
    case = services.case_open_from_intake(actor=hotline, intake=referral.intake)
    client.force_login(police)
    client.get(referral.get_absolute_url())
    assert not CaseReadLog.objects.exists()
    client.force_login(supervisor)
    client.get(referral.get_absolute_url())
    assert list(CaseReadLog.objects.values_list("case", "user", "view")) == [
        (case.pk, supervisor.pk, "轉介表頁")
    ]
