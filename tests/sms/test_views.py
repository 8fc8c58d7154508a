"""SMS pages: the hotline checkbox, the template pages, the case panel, settling, delivery reports, admin."""

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Intake, Notification, SmsMessage, SmsTemplate
from cases.roles import Role
from cases.sms import outbox
from cases.sms.text import GUIDELINE_GENERIC_TEXT
from tests.factories import make_intake, make_user
from tests.sms.factories import make_sms

pytestmark = pytest.mark.django_db

State = SmsMessage.State
SECRET = "s" * 8 + "-callback-secret"


def call_data(**overrides):
    data = {
        "received_at_0": "115.03.05",
        "received_at_1": "21:35",
        "channel": Intake.Channel.HOTLINE,
        "caller_relation": Intake.CallerRelation.VICTIM,
        "victim_name": "林測試",
        "victim_phone": "0912-345-678",
        "immediate_danger": Intake.Danger.NO,
        "narrative": "前男友散布影片。",
        "wishes": Intake.Wishes.DECLINES,
    }
    data.update(overrides)
    return data


class TestHotlineCallForm:
    url = reverse("cases:intake_new_call")

    def test_the_checkbox_is_offered(self, client, hotline):
        client.force_login(hotline)
        html = client.get(self.url).content.decode()
        assert "傳送服務資源簡訊（中心統一版本）" in html and 'name="send_resource_sms"' in html

    def test_declining_caller_gets_the_generic_sms(
        self, client, hotline, django_capture_on_commit_callbacks, phone_outbox
    ):
        client.force_login(hotline)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(self.url, call_data(send_resource_sms="on"))
        intake = Intake.objects.get()
        assert response.status_code == 302 and response.url == intake.get_absolute_url()
        (sent,) = phone_outbox()
        assert (sent["to"], sent["body"]) == ("0912345678", GUIDELINE_GENERIC_TEXT)
        page = client.get(response.url).content.decode()
        assert "服務資源簡訊（指引 1-3）" in page and "*******678" in page and "已送出" in page
        assert "0912345678" not in page.replace("0912-345-678", "")  # the intake shows the number as typed

    @pytest.mark.parametrize(
        ("overrides", "field_error"),
        [
            ({"wishes": Intake.Wishes.WANTS_SERVICE}, "只在被害人「暫無意願接受服務」時傳送"),
            ({"victim_phone": ""}, "要傳送服務資源簡訊，請填寫被害人手機"),
        ],
    )
    def test_form_errors_and_nothing_saved(self, client, hotline, overrides, field_error):
        client.force_login(hotline)
        response = client.post(self.url, call_data(send_resource_sms="on", **overrides))
        assert response.status_code == 200 and field_error in response.content.decode()
        assert not Intake.objects.exists() and not SmsMessage.objects.exists()

    def test_unchecked_sends_nothing(self, client, hotline):
        client.force_login(hotline)
        assert client.post(self.url, call_data()).status_code == 302
        assert not SmsMessage.objects.exists()


class TestTemplatePages:
    def template(self, key="appointment_reminder"):
        return outbox.sms_template_get(key)

    def test_list_shows_every_template_with_its_segments(self, client, supervisor):
        client.force_login(supervisor)
        html = client.get(reverse("cases:sms_templates")).content.decode()
        assert GUIDELINE_GENERIC_TEXT in html
        assert "156 字，分 3 則簡訊傳送（每則 67 字）" in html
        assert "預約提醒" in html and "重要日期提醒" in html

    def test_supervisor_edits_with_history(self, client, supervisor):
        template = self.template()
        client.force_login(supervisor)
        body = "您好，{time}在{place_code}的約定請準時。需要更改請來電{callback}。"
        response = client.post(
            reverse("cases:sms_template_edit", args=[template.pk]), {"body": body, "save": "1"}
        )
        assert response.status_code == 302
        template.refresh_from_db()
        assert (template.body, template.updated_by) == (body, supervisor)
        latest = template.history.latest()
        assert (latest.body, latest.history_user) == (body, supervisor)
        assert "修改" in client.get(reverse("cases:sms_template_edit", args=[template.pk])).content.decode()

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ("{name}您好，提醒您{time}的約定。", "不可使用代入欄位 {name}"),
            ("提醒您{time}到法院開庭。", "簡訊內容不可出現可能透露案情的字詞：法院、開庭"),
            ("您的案件{time}有新進度。", "案件"),
            ("好" * 400, "超過上限"),
        ],
    )
    def test_refused_with_a_clear_message_and_not_saved(self, client, supervisor, body, message):
        template = self.template()
        before = template.body
        client.force_login(supervisor)
        response = client.post(
            reverse("cases:sms_template_edit", args=[template.pk]), {"body": body, "save": "1"}
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        template.refresh_from_db()
        assert template.body == before and template.history.count() == 0

    def test_preview_shows_the_text_and_the_segment_count_without_saving(self, client, supervisor):
        template = self.template()
        client.force_login(supervisor)
        body = "您好，提醒您{time}在{place_code}的約定。" + "好" * 60
        html = client.post(
            reverse("cases:sms_template_edit", args=[template.pk]), {"body": body, "preview": "1"}
        ).content.decode()
        assert "在A3的約定" in html and "分 2 則簡訊傳送" in html
        template.refresh_from_db()
        assert template.body != body

    def test_the_generic_text_can_be_respaced_but_not_reworded(self, client, supervisor):
        template = self.template("generic_resource")
        url = reverse("cases:sms_template_edit", args=[template.pk])
        client.force_login(supervisor)
        spaced = GUIDELINE_GENERIC_TEXT.replace(".tw/", ".tw/ ")  # keep the link apart from 瞭解
        assert client.post(url, {"body": spaced, "save": "1"}).status_code == 302
        reworded = GUIDELINE_GENERIC_TEXT.replace("親愛的市民您好，如有遇到", "您好，關於您")
        html = client.post(url, {"body": reworded, "save": "1"}).content.decode()
        assert "性影像" in html and "簡訊可能被其他人看到" in html

    def test_hotline_and_workers_cannot_edit(self, client, hotline, worker):
        template = self.template()
        for user in (hotline, worker):
            client.force_login(user)
            assert client.get(reverse("cases:sms_templates")).status_code == 403
            post = client.post(
                reverse("cases:sms_template_edit", args=[template.pk]), {"body": "x", "save": "1"}
            )
            assert post.status_code == 403
        assert template.history.count() == 0

    def test_unknown_template_is_404(self, client, supervisor):
        client.force_login(supervisor)
        url = reverse("cases:sms_template_edit", args=["00000000-0000-0000-0000-000000000000"])
        assert client.get(url).status_code == 404


class TestCasePanel:
    def test_states_are_shown_without_number_or_text(self, client, hotline, worker, case_of_worker):
        sent = make_sms(case=case_of_worker, state=State.SENT)
        uncertain = make_sms(case=case_of_worker, phone="0922333444", state=State.UNCERTAIN)
        client.force_login(worker)
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        assert "簡訊紀錄" in html and "已送出" in html and "送出結果不明（待人工確認）" in html
        assert "*******444" in html and "0922333444" not in html
        assert GUIDELINE_GENERIC_TEXT not in html
        assert reverse("cases:sms_resolve", args=[uncertain.pk]) in html
        assert reverse("cases:sms_resolve", args=[sent.pk]) not in html

    def test_the_panel_never_loads_number_or_text(self, case_of_worker):
        make_sms(case=case_of_worker)
        (message,) = outbox.sms_messages_for_case(case_of_worker)
        assert {"phone", "body"} <= message.get_deferred_fields()

    def test_no_panel_without_messages(self, client, worker, case_of_worker):
        client.force_login(worker)
        assert "簡訊紀錄" not in client.get(case_of_worker.get_absolute_url()).content.decode()


class TestResolve:
    def test_worker_settles_an_uncertain_message(self, client, worker, case_of_worker):
        message = make_sms(case=case_of_worker, state=State.UNCERTAIN)
        client.force_login(worker)
        url = reverse("cases:sms_resolve", args=[message.pk])
        html = client.get(url).content.decode()
        assert "可能已經送出" in html and message.idempotency_key in html
        response = client.post(url, {"action": "mark_sent"})
        assert response.status_code == 302 and response.url == case_of_worker.get_absolute_url()
        message.refresh_from_db()
        assert (message.state, message.resolved_by) == (State.SENT, worker)

    def test_other_workers_and_the_hotline_get_404_for_a_case_message(
        self, client, hotline, worker2, case_of_worker
    ):
        message = make_sms(case=case_of_worker, state=State.UNCERTAIN)
        for user in (worker2, hotline):
            client.force_login(user)
            assert (
                client.post(reverse("cases:sms_resolve", args=[message.pk]), {"action": "cancel"}).status_code
                == 404
            )
        message.refresh_from_db()
        assert message.state == State.UNCERTAIN

    def test_hotline_settles_the_generic_sms_of_an_intake(self, client, hotline):
        intake = make_intake(actor=hotline, victim_phone="0912345678", wishes=Intake.Wishes.DECLINES)
        message = make_sms(intake=intake, state=State.FAILED)
        client.force_login(hotline)
        response = client.post(reverse("cases:sms_resolve", args=[message.pk]), {"action": "cancel"})
        assert response.status_code == 302 and response.url == intake.get_absolute_url()

    def test_nothing_to_do_for_a_sent_message(self, client, worker, case_of_worker):
        message = make_sms(case=case_of_worker, state=State.SENT)
        client.force_login(worker)
        url = reverse("cases:sms_resolve", args=[message.pk])
        assert "目前不需要處理" in client.get(url).content.decode()
        assert client.post(url, {"action": "cancel"}).status_code == 200
        message.refresh_from_db()
        assert message.state == State.SENT


class TestDeliveryReport:
    url = reverse("cases:sms_delivery_report")

    @pytest.fixture(autouse=True)
    def secret(self, settings):
        settings.SMS_CALLBACK_SECRET = SECRET

    @pytest.fixture
    def sent(self, case_of_worker):
        message = make_sms(case=case_of_worker, state=State.SENT)
        SmsMessage.objects.filter(pk=message.pk).update(provider_message_id="1010079522")
        return message

    def test_delivered_report_with_the_secret_in_a_header(self, sent):
        gateway = Client(enforce_csrf_checks=True)  # the gateway has no CSRF token
        response = gateway.get(
            self.url,
            {"msgid": "1010079522", "statuscode": "4", "dstaddr": "0912345678"},
            headers={"X-Sms-Callback-Secret": SECRET},  # added by the reverse proxy (docs/sms.md)
        )
        assert response.status_code == 200
        assert response.content.decode() == "magicid=sms_gateway_rpack\nmsgid=1010079522\n"
        sent.refresh_from_db()
        assert sent.delivery_status == "delivered" and sent.delivery_reported_at is not None

    def test_post_with_the_secret_in_a_header(self, sent, worker):
        gateway = Client(enforce_csrf_checks=True)
        response = gateway.post(
            self.url, {"msgid": "1010079522", "statuscode": "6"}, headers={"X-Sms-Callback-Secret": SECRET}
        )
        assert response.status_code == 200
        sent.refresh_from_db()
        assert sent.delivery_status == "undelivered"
        assert Notification.objects.filter(recipient=worker, text__contains="無法送達").exists()

    def test_post_with_the_secret_in_the_body(self, sent):
        response = Client(enforce_csrf_checks=True).post(
            self.url, {"secret": SECRET, "msgid": "1010079522", "statuscode": "4"}
        )
        assert response.status_code == 200
        sent.refresh_from_db()
        assert sent.delivery_status == "delivered"

    @pytest.mark.parametrize("method", ["get", "post"])
    def test_the_right_secret_in_the_query_string_is_refused(self, sent, method, caplog):
        """A URL lands in access logs, so a secret there is refused even when it is right (issue 21)."""
        url = f"{self.url}?secret={SECRET}&msgid=1010079522&statuscode=4"
        response = getattr(Client(), method)(url)
        assert response.status_code == 403
        sent.refresh_from_db()
        assert sent.delivery_status == ""
        assert SECRET not in caplog.text

    @pytest.mark.parametrize("given", ["", "wrong", SECRET[:-1], SECRET + "x"])
    def test_a_bad_secret_is_403_and_changes_nothing(self, sent, given):
        response = Client().post(self.url, {"secret": given, "msgid": "1010079522", "statuscode": "6"})
        assert response.status_code == 403
        sent.refresh_from_db()
        assert sent.delivery_status == ""

    def test_no_secret_configured_refuses_everything(self, sent, settings):
        settings.SMS_CALLBACK_SECRET = ""
        assert (
            Client().post(self.url, {"secret": "", "msgid": "1010079522", "statuscode": "4"}).status_code
            == 403
        )


class TestAdmin:
    def test_outbox_admin_shows_the_masked_number_only(self, client, case_of_worker):
        message = make_sms(case=case_of_worker, phone="0912345678", state=State.FAILED)
        superuser = make_user("root", None, is_staff=True, is_superuser=True)
        client.force_login(superuser)
        for url in (
            reverse("admin:cases_smsmessage_changelist"),
            reverse("admin:cases_smsmessage_change", args=[message.pk]),
        ):
            html = client.get(url).content.decode()
            assert "*******678" in html
            assert "0912345678" not in html and GUIDELINE_GENERIC_TEXT not in html

    def test_role_admins_do_not_see_the_outbox(self, client, admin_user):
        client.force_login(admin_user)
        assert client.get(reverse("admin:cases_smsmessage_changelist")).status_code == 403


class TestNavigation:
    def test_template_link_for_supervisors_and_admins_only(self, client, supervisor, admin_user, hotline):
        for user, shown in ((supervisor, True), (admin_user, True), (hotline, False)):
            client.force_login(user)
            html = client.get(reverse("cases:notifications")).content.decode()
            assert (reverse("cases:sms_templates") in html) is shown, user


def test_role_groups_hold_the_template_permissions():
    from django.contrib.auth.models import Group

    for role in (Role.SUPERVISOR, Role.ADMIN):
        perms = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
        assert {"view_smstemplate", "change_smstemplate"} <= perms
    # Loaded by migration 0006 (this test runs on the migrated database, not after a flush).
    assert SmsTemplate.objects.filter(key="generic_resource", body=GUIDELINE_GENERIC_TEXT).exists()
    assert SmsTemplate.objects.count() == 3
