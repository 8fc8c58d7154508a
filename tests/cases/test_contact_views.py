"""Contact, danger-flag and closing pages through the test client, and what the case page and the lists
show of them. Who may open which page in general is in tests/test_access_matrix.py."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, CaseStatusChange, Contact, Deadline, Intake, Notification, SmsMessage
from cases.rocdate import format_roc
from cases.templatetags.roc import person
from cases.tracker import end_of_day
from tests.cases.contact_factories import close_case, record_contact, request_closing
from tests.factories import make_case, make_referral

pytestmark = pytest.mark.django_db

Danger, Result = Contact.Danger, Contact.Result
REQUIRED = "這個欄位是必須的。"
FORM_HAS_ERRORS = "資料有誤，請依下方標示修正"


def contact_form(**overrides) -> dict:
    """A complete contact form as the browser posts it: an hour ago, reached, 無立即危險."""
    when = timezone.localtime() - dt.timedelta(hours=1)
    data = {
        "contacted_at_0": format_roc(when.date()),
        "contacted_at_1": when.strftime("%H:%M"),
        "mode": Contact.Mode.PHONE,
        "result": Result.REACHED,
        "immediate_danger": Danger.NO,
        "danger_not_asked_reason": "",
        "duration_minutes": "25",
        "notes": "被害人說明加害人已刪除貼文，但擔心備份仍在。",
        "next_contact_on": "",
    }
    data.update(overrides)
    return data


def section(html: str, element_id: str) -> str:
    """The element with this id, up to its own closing tag (nested ones of the same name included)."""
    start = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>', html)
    assert start, f"no #{element_id} on the page"
    tag, depth = start.group(1), 1
    for match in re.finditer(rf"<(/?){tag}\b[^>]*>", html[start.end() :]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return html[start.start() : start.end() + match.end()]
    raise AssertionError(f"#{element_id} is not closed")


def table_rows(html: str) -> list[str]:
    return re.findall(r"<tr.*?</tr>", html, flags=re.S)


def page(client, case) -> str:
    return client.get(case.get_absolute_url()).content.decode()


@pytest.fixture
def case(hotline, worker):
    return make_case(actor=hotline, worker=worker, victim_name="被害人丁", victim_phone="0912345678")


@pytest.fixture
def flagged(case, worker):
    record_contact(actor=worker, case=case, immediate_danger=Danger.YES)
    case.refresh_from_db()
    return case


class TestContactNew:
    def url(self, case):
        return reverse("cases:contact_new", args=[case.pk])

    def test_the_worker_records_a_contact_and_returns_to_the_case(self, client, case, worker):
        client.force_login(worker)
        data = contact_form()
        response = client.post(self.url(case), data)
        assert response.status_code == 302 and response.url == case.get_absolute_url()
        contact = Contact.objects.get()
        assert (contact.case, contact.staff, contact.result, contact.immediate_danger) == (
            case,
            worker,
            "reached",
            "no",
        )
        local = timezone.localtime(contact.contacted_at)
        assert (format_roc(local.date()), local.strftime("%H:%M")) == (
            data["contacted_at_0"],
            data["contacted_at_1"],
        )
        assert contact.duration_minutes == 25 and contact.notes == data["notes"]

    def test_the_date_may_be_typed_in_iso_too(self, client, case, worker):
        client.force_login(worker)
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        client.post(
            self.url(case), contact_form(contacted_at_0=yesterday.isoformat(), contacted_at_1="14:05")
        )
        local = timezone.localtime(Contact.objects.get().contacted_at)
        assert (local.date(), local.hour, local.minute) == (yesterday, 14, 5)

    def test_a_reached_contact_without_the_danger_answer_is_redisplayed_with_what_was_typed(
        self, client, case, worker
    ):
        client.force_login(worker)
        data = contact_form(immediate_danger="", notes="被害人哭著說對方又傳訊息來", duration_minutes="40")
        response = client.post(self.url(case), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert FORM_HAS_ERRORS in html
        assert "請記錄是否有立即人身安全危險" in html
        assert response.context["form"].errors["immediate_danger"]
        for name in ("notes", "contacted_at_0", "contacted_at_1", "duration_minutes"):
            assert data[name] in html, f"{name} was lost"
        assert not Contact.objects.exists()

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            (
                {"immediate_danger": Danger.NOT_ASKED, "danger_not_asked_reason": ""},
                "danger_not_asked_reason",
                "請說明這次未能詢問立即危險的原因。",
            ),
            (
                {"result": Result.NOT_REACHED},
                "immediate_danger",
                "聯繫未果時沒有詢問到危險狀況，請將此欄留空。",
            ),
            (
                {"send_resource_sms": "on"},
                "send_resource_sms",
                "服務資源簡訊只在「聯繫未果」或「被害人暫無意願」時傳送",
            ),
            ({"duration_minutes": "-5"}, "duration_minutes", "時間長度不能是負數。"),
        ],
    )
    def test_the_rules_are_shown_in_chinese_on_the_field(
        self, client, case, worker, overrides, field, message
    ):
        client.force_login(worker)
        response = client.post(self.url(case), contact_form(**overrides))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert message in " ".join(response.context["form"].errors[field])
        assert not Contact.objects.exists()

    def test_a_time_in_the_future_is_refused(self, client, case, worker):
        client.force_login(worker)
        later = timezone.localtime() + dt.timedelta(hours=2)
        response = client.post(
            self.url(case),
            contact_form(contacted_at_0=later.date().isoformat(), contacted_at_1=later.strftime("%H:%M")),
        )
        assert "聯繫時間不能晚於現在。" in response.content.decode()
        assert not Contact.objects.exists()

    def test_a_service_refusal_is_shown_on_the_form_too(self, client, hotline, worker):
        # The form cannot know the victim has no mobile; the service says so and the page keeps the text.
        no_phone = make_case(actor=hotline, worker=worker, victim_phone="")
        client.force_login(worker)
        data = contact_form(
            result=Result.NOT_REACHED, immediate_danger="", send_resource_sms="on", notes="三次未接"
        )
        response = client.post(self.url(no_phone), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert "被害人沒有可接收簡訊的手機號碼，請先補上手機。" in html and "三次未接" in html
        assert not Contact.objects.exists()

    def test_yes_flags_the_case_and_the_page_says_so(self, client, case, worker, supervisor):
        client.force_login(worker)
        response = client.post(self.url(case), contact_form(immediate_danger=Danger.YES), follow=True)
        html = response.content.decode()
        assert "已記錄「有立即危險」：案件已標記，督導已收到通知。" in html
        assert "有立即人身安全危險" in section(html, "danger-flag")
        assert Notification.objects.filter(recipient=supervisor, kind=Notification.Kind.SAFETY).count() == 1

    def test_a_next_contact_date_in_roc_becomes_the_workers_deadline(self, client, case, worker, supervisor):
        client.force_login(supervisor)
        day = timezone.localdate() + dt.timedelta(days=14)
        client.post(self.url(case), contact_form(next_contact_on=format_roc(day)))
        deadline = Deadline.objects.get(kind=Deadline.Kind.NEXT_CONTACT)
        assert (deadline.owner, deadline.due_at) == (worker, end_of_day(day))
        assert Contact.objects.get().next_contact_on == day

    def test_a_not_reached_contact_may_send_the_resource_sms(self, client, case, worker, settings, tmp_path):
        settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
        settings.SMS_QUIET_HOURS_START = settings.SMS_QUIET_HOURS_END = "00:00"
        client.force_login(worker)
        client.post(
            self.url(case),
            contact_form(result=Result.NOT_REACHED, immediate_danger="", send_resource_sms="on"),
        )
        assert Contact.objects.get().resource_sms is True
        message = SmsMessage.objects.get()
        assert (message.case, message.purpose) == (case, SmsMessage.Purpose.GENERIC_RESOURCE)
        assert "已傳送服務資源簡訊" in section(page(client, case), "case-contacts")

    def test_the_form_shows_the_flag_of_a_flagged_case(self, client, flagged, worker):
        client.force_login(worker)
        html = client.get(self.url(flagged)).content.decode()
        assert "此案件標記「有立即危險」" in html
        assert 'name="immediate_danger"' in html and 'name="next_contact_on"' in html

    def test_a_supervisor_may_record_a_contact(self, client, case, supervisor):
        client.force_login(supervisor)
        assert client.post(self.url(case), contact_form()).status_code == 302
        assert Contact.objects.get().staff == supervisor

    @pytest.mark.parametrize(("role", "status"), [("worker2", 404), ("hotline", 404), ("police", 403)])
    def test_others_may_not_record_on_the_case(self, client, request, case, role, status):
        client.force_login(request.getfixturevalue(role))
        assert client.post(self.url(case), contact_form()).status_code == status
        assert client.get(self.url(case)).status_code == status
        assert not Contact.objects.exists()

    def test_a_closed_case_refuses_with_a_reason(self, client, case, worker, supervisor):
        close_case(worker=worker, supervisor=supervisor, case=case)
        client.force_login(worker)
        response = client.post(self.url(case), contact_form())
        assert response.status_code == 403
        assert "此案件已結案，僅供查閱" in response.content.decode()
        assert not Contact.objects.exists()


class TestIntakeContactNew:
    def url(self, intake):
        return reverse("cases:intake_contact_new", args=[intake.pk])

    def test_the_hotline_follows_up_a_referral_and_it_shows_on_the_intake(self, client, hotline, police):
        referral = make_referral(police=police)
        client.force_login(hotline)
        response = client.get(self.url(referral.intake))
        assert 'name="next_contact_on"' not in response.content.decode()  # no deadlines before a case
        response = client.post(
            self.url(referral.intake),
            contact_form(result=Result.NOT_REACHED, immediate_danger="", notes="轉介後第一次致電未接"),
        )
        assert response.status_code == 302 and response.url == referral.intake.get_absolute_url()
        contact = Contact.objects.get()
        assert (contact.intake, contact.case, contact.staff) == (referral.intake, None, hotline)
        html = client.get(referral.intake.get_absolute_url()).content.decode()
        assert "轉介後第一次致電未接" in section(html, "intake-contacts")

    def test_yes_alerts_the_supervisors(self, client, hotline, supervisor, police):
        referral = make_referral(police=police)
        client.force_login(hotline)
        client.post(self.url(referral.intake), contact_form(immediate_danger=Danger.YES))
        alert = Notification.objects.get(kind=Notification.Kind.SAFETY)
        assert alert.recipient == supervisor and alert.url == referral.intake.get_absolute_url()

    def test_an_error_keeps_what_was_typed(self, client, hotline, police):
        referral = make_referral(police=police)
        client.force_login(hotline)
        response = client.post(
            self.url(referral.intake), contact_form(immediate_danger="", notes="被害人說晚點再談")
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "被害人說晚點再談" in html and "請記錄是否有立即人身安全危險" in html
        assert not Contact.objects.exists()

    def test_an_intake_that_became_a_case_sends_the_staff_to_the_case(self, client, hotline, supervisor):
        case = make_case(actor=hotline)
        client.force_login(supervisor)
        response = client.get(self.url(case.intakes.get()))
        assert response.status_code == 302
        assert response.url == reverse("cases:contact_new", args=[case.pk])

    def test_the_intake_contacts_show_on_the_case_once_accepted(self, client, hotline, worker, police):
        referral = make_referral(police=police)
        client.force_login(hotline)
        client.post(self.url(referral.intake), contact_form(notes="被害人同意由社工協助"))
        client.post(reverse("cases:intake_accept", args=[referral.intake.pk]))
        case = Case.objects.get()
        services.dispatch_case(actor=hotline, case=case, worker=worker, reason="派案")
        client.force_login(worker)
        html = page(client, case)
        assert "被害人同意由社工協助" in section(html, "case-contacts")
        assert person(hotline) in section(html, "case-contacts")

    def test_a_worker_may_not(self, client, worker, police):
        referral = make_referral(police=police)
        client.force_login(worker)
        assert client.post(self.url(referral.intake), contact_form()).status_code == 403
        assert not Contact.objects.exists()


class TestDangerClear:
    def url(self, case):
        return reverse("cases:danger_clear", args=[case.pk])

    def test_a_supervisor_clears_the_flag_with_a_reason(self, client, flagged, supervisor):
        client.force_login(supervisor)
        assert self.url(flagged) in section(page(client, flagged), "danger-flag")
        response = client.post(self.url(flagged), {"note": "警方確認被害人已安置"}, follow=True)
        assert response.redirect_chain[-1][0] == flagged.get_absolute_url()
        html = response.content.decode()
        assert "已解除立即危險標記" in html and 'id="danger-flag"' not in html
        assert not Case.objects.get(pk=flagged.pk).in_danger

    def test_without_a_reason_nothing_changes(self, client, flagged, supervisor):
        client.force_login(supervisor)
        response = client.post(self.url(flagged), {"note": ""})
        assert response.status_code == 200 and REQUIRED in response.content.decode()
        assert Case.objects.get(pk=flagged.pk).in_danger

    def test_a_case_without_the_flag_goes_back_to_the_case_and_says_so(self, client, case, supervisor):
        client.force_login(supervisor)
        response = client.post(self.url(case), {"note": "確認安全"}, follow=True)
        assert response.redirect_chain[-1][0] == case.get_absolute_url()
        assert "這個案件目前沒有立即危險標記。" in response.content.decode()
        assert not any(row.danger_note for row in case.history.all())  # nothing was written

    def test_the_worker_sees_the_flag_but_may_not_clear_it(self, client, flagged, worker):
        client.force_login(worker)
        flag = section(page(client, flagged), "danger-flag")
        assert "有立即人身安全危險" in flag and self.url(flagged) not in flag
        assert client.post(self.url(flagged), {"note": "我覺得安全了"}).status_code == 403
        assert Case.objects.get(pk=flagged.pk).in_danger


class TestCloseRequest:
    def url(self, case):
        return reverse("cases:close_request", args=[case.pk])

    def form(self, **overrides):
        data = {
            "closing_reason": CaseStatusChange.ClosingReason.GOALS_MET,
            "note": "影像已下架，被害人同意結案",
        }
        data.update(overrides)
        return data

    def test_the_worker_asks_and_the_case_page_shows_it_pending(self, client, case, worker):
        client.force_login(worker)
        assert self.url(case) in page(client, case)
        response = client.post(self.url(case), self.form(), follow=True)
        assert response.redirect_chain[-1][0] == case.get_absolute_url()
        html = response.content.decode()
        assert "結案申請已送出，等待督導審核。" in html
        assert f"結案審核中：{person(worker)}" in html and "服務目標已達成" in html
        assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSE_REQUESTED
        assert self.url(case) not in html  # no second request

    def test_open_deadlines_are_listed_and_block_the_request(self, client, case, worker):
        record_contact(actor=worker, case=case, next_contact_on=timezone.localdate() + dt.timedelta(days=3))
        deadline = Deadline.objects.get()
        client.force_login(worker)
        html = client.get(self.url(case)).content.decode()
        assert "尚有 1 個進行中的期限" in html and "下次聯繫被害人" in html
        assert reverse("cases:deadline_close", args=[deadline.pk]) in html
        response = client.post(self.url(case), self.form(note="我的結案說明"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "尚有 1 個進行中的期限（下次聯繫被害人）" in html and "我的結案說明" in html
        assert Case.objects.get(pk=case.pk).status == Case.Status.ASSIGNED

    @pytest.mark.parametrize("missing", ["closing_reason", "note"])
    def test_reason_and_note_are_required(self, client, case, worker, missing):
        client.force_login(worker)
        response = client.post(self.url(case), self.form(**{missing: ""}))
        assert response.status_code == 200
        assert response.context["form"].errors[missing] == [REQUIRED]
        assert not CaseStatusChange.objects.exists()

    @pytest.mark.parametrize(("role", "status"), [("worker2", 404), ("hotline", 404), ("police", 403)])
    def test_only_the_worker_or_a_supervisor(self, client, request, case, role, status):
        client.force_login(request.getfixturevalue(role))
        assert client.post(self.url(case), self.form()).status_code == status
        assert not CaseStatusChange.objects.exists()

    def test_a_second_request_shows_why_it_is_refused(self, client, case, worker):
        request_closing(actor=worker, case=case)
        client.force_login(worker)
        response = client.post(self.url(case), self.form())
        assert response.status_code == 200
        assert "這個案件目前不能申請結案" in response.content.decode()
        assert CaseStatusChange.objects.count() == 1


class TestCloseDecide:
    def url(self, case):
        return reverse("cases:close_decide", args=[case.pk])

    def test_the_supervisor_sees_the_request_and_approves_it(self, client, case, worker, supervisor):
        request_closing(actor=worker, case=case, note="服務摘要：三個平台皆已下架")
        client.force_login(supervisor)
        assert self.url(case) in page(client, case)
        html = client.get(self.url(case)).content.decode()
        assert "服務摘要：三個平台皆已下架" in html and person(worker) in html
        response = client.post(self.url(case), {"decision": "approve", "comment": "同意"}, follow=True)
        html = response.content.decode()
        assert "已核定結案。" in html and "此案件已結案，僅供查閱" in html
        assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED
        assert reverse("cases:reopen", args=[case.pk]) in html

    def test_approval_needs_no_comment(self, client, case, worker, supervisor):
        request_closing(actor=worker, case=case)
        client.force_login(supervisor)
        response = client.post(self.url(case), {"decision": "approve", "comment": ""})
        assert response.status_code == 302
        assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED

    def test_a_return_needs_a_comment_and_keeps_the_request(self, client, case, worker, supervisor):
        request_closing(actor=worker, case=case)
        client.force_login(supervisor)
        response = client.post(self.url(case), {"decision": "return", "comment": " "})
        assert response.status_code == 200
        assert "退回結案申請時，請寫下要補充或繼續處理的事項。" in response.content.decode()
        assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSE_REQUESTED

    def test_a_return_gives_the_case_back_to_the_worker(self, client, case, worker, supervisor):
        request_closing(actor=worker, case=case)
        client.force_login(supervisor)
        response = client.post(self.url(case), {"decision": "return", "comment": "請再確認備份是否刪除"})
        assert response.status_code == 302
        assert Case.objects.get(pk=case.pk).status == Case.Status.ASSIGNED
        client.force_login(worker)
        html = page(client, case)
        assert "請再確認備份是否刪除" in section(html, "case-record")
        assert reverse("cases:close_request", args=[case.pk]) in html  # may ask again

    def test_without_a_pending_request_it_goes_back_to_the_case(self, client, case, supervisor):
        client.force_login(supervisor)
        response = client.get(self.url(case), follow=True)
        assert response.redirect_chain[-1][0] == case.get_absolute_url()
        assert "這個案件沒有待審核的結案申請。" in response.content.decode()

    def test_a_worker_may_not_decide(self, client, case, worker):
        request_closing(actor=worker, case=case)
        client.force_login(worker)
        assert client.post(self.url(case), {"decision": "approve", "comment": "自己核定"}).status_code == 403
        assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSE_REQUESTED


class TestReopen:
    def url(self, case):
        return reverse("cases:reopen", args=[case.pk])

    def test_a_supervisor_reopens_with_a_reason(self, client, case, worker, supervisor):
        close_case(worker=worker, supervisor=supervisor, case=case)
        client.force_login(supervisor)
        response = client.post(self.url(case), {"note": "影像再次出現"})
        assert response.status_code == 302 and response.url == case.get_absolute_url()
        assert Case.objects.get(pk=case.pk).status == Case.Status.ASSIGNED
        client.force_login(worker)
        assert reverse("cases:contact_new", args=[case.pk]) in page(client, case)

    def test_a_reason_is_required(self, client, case, worker, supervisor):
        close_case(worker=worker, supervisor=supervisor, case=case)
        client.force_login(supervisor)
        response = client.post(self.url(case), {"note": ""})
        assert response.status_code == 200 and REQUIRED in response.content.decode()
        assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED

    def test_an_open_case_is_not_reopened(self, client, case, supervisor):
        client.force_login(supervisor)
        response = client.post(self.url(case), {"note": "x"}, follow=True)
        assert "這個案件沒有結案。" in response.content.decode()
        assert not CaseStatusChange.objects.exists()

    def test_a_worker_may_not_reopen(self, client, case, worker, supervisor):
        close_case(worker=worker, supervisor=supervisor, case=case)
        client.force_login(worker)
        assert client.post(self.url(case), {"note": "我想再服務"}).status_code == 403
        assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED


class TestCasePage:
    @pytest.mark.parametrize(
        ("years_ago", "label"),
        [(17, "未成年（未滿18歲）"), (18, "成年"), (None, "年齡不明（未填出生日期）")],
    )
    def test_shows_whether_the_victim_is_a_minor(self, client, hotline, worker, years_ago, label):
        today = timezone.localdate()
        born = None
        if years_ago is not None:
            try:
                born = today.replace(year=today.year - years_ago)
            except ValueError:  # today is Feb 29: that birthday falls on Feb 28 then
                born = today.replace(year=today.year - years_ago, day=28)
        minor_case = make_case(actor=hotline, worker=worker, victim_birth_date=born)
        client.force_login(worker)
        html = page(client, minor_case)
        badge = re.search(r'<span[^>]*id="minor-status"[^>]*>(.*?)</span>', html).group(1)
        assert badge == label

    def test_no_flag_without_danger(self, client, case, worker):
        client.force_login(worker)
        assert 'id="danger-flag"' not in page(client, case)

    def test_the_flag_shows_since_when_and_why(self, client, flagged, worker):
        client.force_login(worker)
        flag = section(page(client, flagged), "danger-flag")
        assert "有立即人身安全危險" in flag and flagged.danger_note in flag
        assert format_roc(timezone.localtime(flagged.danger_since).date()) in flag

    def test_contacts_and_the_record_newest_first(self, client, case, worker):
        now = timezone.now()
        record_contact(
            actor=worker, case=case, contacted_at=now - dt.timedelta(days=2), notes="第一次聯繫內容"
        )
        record_contact(
            actor=worker,
            case=case,
            contacted_at=now - dt.timedelta(hours=1),
            immediate_danger=Danger.YES,
            notes="第二次聯繫內容",
        )
        client.force_login(worker)
        html = page(client, case)
        contacts = section(html, "case-contacts")
        assert contacts.index("第二次聯繫內容") < contacts.index("第一次聯繫內容")
        assert "有立即危險" in contacts and person(worker) in contacts
        record = section(html, "case-record")
        assert record.index("第二次聯繫內容") < record.index("第一次聯繫內容")
        assert "電話・已聯繫・有立即危險" in record and "電話・已聯繫・無立即危險" in record
        assert "聯繫紀錄（2）" in html

    def test_a_closed_case_offers_no_changes(self, client, case, worker, supervisor):
        close_case(worker=worker, supervisor=supervisor, case=case)
        client.force_login(worker)
        html = page(client, case)
        assert "此案件已結案，僅供查閱" in html
        for name in ("contact_new", "close_request", "victim_edit"):
            assert reverse(f"cases:{name}", args=[case.pk]) not in html, name
        assert "核定結案" in section(html, "case-record")

    def test_the_page_query_count_does_not_grow_with_the_contacts(
        self, client, hotline, worker, django_assert_num_queries
    ):
        def case_with(n):
            c = make_case(actor=hotline, worker=worker)
            for i in range(n):
                record_contact(actor=worker, case=c, contacted_at=timezone.now() - dt.timedelta(hours=i + 1))
            return c

        small, large = case_with(1), case_with(4)
        client.force_login(worker)
        page(client, small)  # warm the session and the caches
        page(client, large)  # each opened once: its dispatch notice is read (one UPDATE, the first time)
        with CaptureQueriesContext(connection) as ctx:
            page(client, small)
        with django_assert_num_queries(len(ctx.captured_queries)):
            html = page(client, large)
        assert "聯繫紀錄（4）" in html


class TestLists:
    def test_the_workers_list_flags_the_case_in_danger(self, client, hotline, worker, flagged):
        calm = make_case(actor=hotline, worker=worker)
        client.force_login(worker)
        rows = table_rows(client.get(reverse("cases:my_cases")).content.decode())
        (danger_row,) = [r for r in rows if flagged.number in r]
        (calm_row,) = [r for r in rows if calm.number in r]
        assert "有立即危險" in danger_row and "danger-flag" in danger_row
        assert "有立即危險" not in calm_row

    def test_the_overview_lists_flagged_cases_until_cleared(
        self, client, hotline, worker, supervisor, flagged
    ):
        calm = make_case(actor=hotline, worker=worker)
        client.force_login(supervisor)
        html = section(client.get(reverse("cases:overview")).content.decode(), "flagged-cases")
        assert flagged.number in html and calm.number not in html
        assert "有立即危險的案件（1）" in html and person(worker) in html
        services.case_clear_danger(actor=supervisor, case=flagged, note="已安置")
        html = section(client.get(reverse("cases:overview")).content.decode(), "flagged-cases")
        assert flagged.number not in html and "目前沒有標記立即危險的案件。" in html

    def test_a_flag_raised_at_intake_shows_on_the_overview(self, client, hotline, supervisor):
        intake_case = make_case(actor=hotline, immediate_danger=Intake.Danger.YES)
        client.force_login(supervisor)
        html = section(client.get(reverse("cases:overview")).content.decode(), "flagged-cases")
        assert intake_case.number in html

    def test_the_overview_query_count_does_not_grow_with_flagged_cases(
        self, client, hotline, worker, supervisor, django_assert_num_queries
    ):
        def flag_one():
            c = make_case(actor=hotline, worker=worker)
            record_contact(actor=worker, case=c, immediate_danger=Danger.YES)

        flag_one()
        client.force_login(supervisor)
        client.get(reverse("cases:overview"))
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("cases:overview"))
        for _ in range(3):
            flag_one()
        with django_assert_num_queries(len(ctx.captured_queries)):
            response = client.get(reverse("cases:overview"))
        assert len(response.context["flagged"]) == 4
