"""Case-hub views through the test client: one class per view, the page as staff use it.

Who may open which page is in tests/test_access_matrix.py; here is what the pages do.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.dashboards import refresh_unit_statistics
from cases.models import Case, CaseReadLog, Dispatch, Intake
from cases.templatetags.roc import person
from tests.factories import make_case, make_intake

pytestmark = pytest.mark.django_db


def call_form(**overrides) -> dict:
    """A complete hotline-call form as the browser posts it (date and time are two inputs)."""
    data = {
        "received_at_0": "113.03.05",
        "received_at_1": "21:35",
        "channel": Intake.Channel.HOTLINE,
        "caller_relation": Intake.CallerRelation.FRIEND,
        "caller_name": "來電友人周先生",
        "victim_name": "林測試",
        "victim_phone": "0912-345-678",
        "victim_national_id": "A123456789",
        "victim_birth_date": "85.06.01",
        "immediate_danger": Intake.Danger.NO,
        "requests": ["takedown", "legal"],
        "narrative": "前男友把合意拍攝的影片傳到論壇，朋友看到後告知。",
        "services_offered": ["explain"],
        "wishes": Intake.Wishes.WANTS_SERVICE,
        "wishes_note": "希望白天聯絡",
    }
    data.update(overrides)
    return data


def table_rows(html: str) -> list[str]:
    return re.findall(r"<tr.*?</tr>", html, flags=re.S)


class TestHome:
    @pytest.mark.parametrize(
        ("role", "destination"),
        [
            ("hotline", "cases:intake_queue"),
            ("worker", "cases:my_cases"),
            ("police", "referrals:list"),
            ("supervisor", "cases:overview"),
            ("admin_user", "admin:index"),
        ],
    )
    def test_each_role_lands_on_its_own_page(self, client, request, role, destination):
        client.force_login(request.getfixturevalue(role))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response.url == reverse(destination)

    def test_a_user_without_a_role_is_refused(self, client, no_role_user):
        client.force_login(no_role_user)
        assert client.get(reverse("home")).status_code == 403

    def test_anonymous_goes_to_login(self, client):
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


class TestIntakeNewCall:
    url = reverse("cases:intake_new_call")

    def test_logging_a_call_creates_an_intake_and_redirects_to_it(self, client, hotline):
        client.force_login(hotline)
        response = client.post(self.url, call_form())
        intake = Intake.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("cases:intake_detail", args=[intake.pk])
        assert intake.source == Intake.Source.CALL and intake.status == Intake.Status.PENDING
        assert intake.victim_name == "林測試" and intake.caller_name == "來電友人周先生"
        assert intake.created_by == hotline
        assert intake.requests == ["takedown", "legal"]
        assert timezone.localtime(intake.received_at).replace(tzinfo=None) == dt.datetime(2024, 3, 5, 21, 35)
        assert intake.victim_birth_date == dt.date(1996, 6, 1)

    @pytest.mark.parametrize(
        ("field", "bad_value", "message"),
        [
            ("victim_phone", "0212345678", "請輸入臺灣手機號碼：09 開頭共 10 碼"),
            ("victim_national_id", "A123456788", "身分證字號檢查碼不符，請再核對一次。"),
            ("victim_birth_date", "112.13.40", "112.13.40 不存在，請再核對一次。"),
        ],
    )
    def test_an_error_redisplays_the_form_in_chinese_with_everything_typed(
        self, client, hotline, field, bad_value, message
    ):
        client.force_login(hotline)
        data = call_form(**{field: bad_value})
        response = client.post(self.url, data)
        assert response.status_code == 200
        assert not Intake.objects.exists()
        html = response.content.decode()
        assert message in html
        assert "資料有誤，請依下方標示修正" in html
        assert response.context["form"].errors[field]
        # Every typed value is still on the page, the wrong one included, so nothing is asked twice.
        for name in (
            "victim_name",
            "caller_name",
            "victim_phone",
            "victim_national_id",
            "victim_birth_date",
            "narrative",
            "wishes_note",
            "received_at_0",
            "received_at_1",
        ):
            assert data[name] in html, f"{name} was lost"
        assert re.search(r'value="takedown"[^>]*checked', html), "ticked request was lost"

    def test_a_call_by_someone_else_needs_the_callers_name(self, client, hotline):
        client.force_login(hotline)
        response = client.post(self.url, call_form(caller_name=""))
        assert response.status_code == 200
        assert "非被害人本人來電時，請填寫來電者姓名或稱呼。" in response.content.decode()
        assert not Intake.objects.exists()

    @pytest.mark.parametrize("typed", ["112.10.18", "2023-10-18", "民國112年10月18日"])
    def test_birth_date_accepts_roc_and_iso(self, client, hotline, typed):
        client.force_login(hotline)
        response = client.post(self.url, call_form(victim_birth_date=typed))
        assert response.status_code == 302
        assert Intake.objects.get().victim_birth_date == dt.date(2023, 10, 18)

    def test_birth_date_in_the_future_is_refused(self, client, hotline):
        client.force_login(hotline)
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        response = client.post(self.url, call_form(victim_birth_date=tomorrow.isoformat()))
        assert "出生日期不能晚於今天。" in response.content.decode()
        assert not Intake.objects.exists()


class TestIntakeQueue:
    def test_lists_pending_intakes_only_and_flags_a_known_victim(self, client, hotline):
        make_case(actor=hotline, victim_name="已開案者", victim_phone="0912000111")
        make_intake(actor=hotline, victim_name="再次來電者", victim_phone="0912-000-111")
        make_intake(actor=hotline, victim_name="新來電者", victim_phone="0988777666")
        closed = make_intake(actor=hotline, victim_name="不開案者")
        services.intake_close(actor=hotline, intake=closed, note="僅詢問資訊")
        client.force_login(hotline)
        html = client.get(reverse("cases:intake_queue")).content.decode()
        rows = {name: row for row in table_rows(html) for name in ("再次來電者", "新來電者") if name in row}
        assert set(rows) == {"再次來電者", "新來電者"}
        assert "不開案者" not in html and "已開案者" not in html
        assert "可能為既有案件" in rows["再次來電者"]
        assert "可能為既有案件" not in rows["新來電者"]


class TestIntakeDetail:
    def test_a_known_phone_offers_to_attach_to_the_existing_case(self, client, hotline):
        case = make_case(actor=hotline, victim_phone="0912000111")
        intake = make_intake(actor=hotline, victim_phone="+886912000111")
        client.force_login(hotline)
        html = client.get(reverse("cases:intake_detail", args=[intake.pk])).content.decode()
        assert f"案號 {case.number}" in html
        assert reverse("cases:intake_attach", args=[intake.pk]) in html

    def test_an_unknown_victim_is_offered_no_attach(self, client, hotline):
        make_case(actor=hotline, victim_phone="0912000111", victim_national_id="")
        intake = make_intake(actor=hotline, victim_phone="0988777666", victim_national_id="")
        client.force_login(hotline)
        html = client.get(reverse("cases:intake_detail", args=[intake.pk])).content.decode()
        assert reverse("cases:intake_attach", args=[intake.pk]) not in html
        assert reverse("cases:intake_accept", args=[intake.pk]) in html

    def test_an_intake_of_a_case_is_logged_as_a_read_of_that_case(self, client, hotline, supervisor):
        pending = make_intake(actor=hotline)
        case = make_case(actor=hotline)
        handled = case.intakes.get()
        client.force_login(supervisor)
        client.get(reverse("cases:intake_detail", args=[pending.pk]))
        assert not CaseReadLog.objects.exists()
        client.get(reverse("cases:intake_detail", args=[handled.pk]))
        assert list(CaseReadLog.objects.values_list("case", "user", "view")) == [
            (case.pk, supervisor.pk, "受理紀錄頁")
        ]


class TestIntakeAccept:
    def test_accepting_opens_a_case_and_redirects_to_dispatch(self, client, hotline):
        intake = make_intake(actor=hotline, victim_name="開案者")
        client.force_login(hotline)
        response = client.post(reverse("cases:intake_accept", args=[intake.pk]))
        case = Case.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("cases:dispatch", args=[case.pk])
        intake.refresh_from_db()
        assert (
            intake.status == Intake.Status.ACCEPTED and intake.case == case and intake.handled_by == hotline
        )
        assert case.victim.name == "開案者"

    def test_accepting_a_handled_intake_opens_no_second_case(self, client, hotline):
        intake = make_intake(actor=hotline)
        client.force_login(hotline)
        client.post(reverse("cases:intake_accept", args=[intake.pk]))
        response = client.post(reverse("cases:intake_accept", args=[intake.pk]), follow=True)
        assert Case.objects.count() == 1
        assert response.redirect_chain[-1][0] == reverse("cases:intake_detail", args=[intake.pk])
        assert "這筆受理紀錄已處理過" in response.content.decode()


class TestIntakeAttach:
    def test_attaching_joins_the_existing_case_without_a_new_one(self, client, hotline, case_of_worker):
        second = make_intake(actor=hotline, victim_name="同一被害人", narrative="第二次來電補充的內容")
        client.force_login(hotline)
        response = client.post(reverse("cases:intake_attach", args=[second.pk]), {"case": case_of_worker.pk})
        assert response.status_code == 302 and response.url == case_of_worker.get_absolute_url()
        second.refresh_from_db()
        assert second.status == Intake.Status.ATTACHED and second.case == case_of_worker
        assert Case.objects.count() == 1

    @pytest.mark.parametrize("case_value", ["", "not-a-uuid", "00000000-0000-0000-0000-000000000000"])
    def test_attaching_to_a_missing_or_malformed_case_is_404(self, client, hotline, case_value):
        intake = make_intake(actor=hotline)
        client.force_login(hotline)
        response = client.post(reverse("cases:intake_attach", args=[intake.pk]), {"case": case_value})
        assert response.status_code == 404
        intake.refresh_from_db()
        assert intake.status == Intake.Status.PENDING


class TestIntakeClose:
    def test_closing_requires_a_note(self, client, hotline):
        intake = make_intake(actor=hotline)
        client.force_login(hotline)
        response = client.post(reverse("cases:intake_close", args=[intake.pk]), {"note": ""})
        assert response.status_code == 200
        assert "這個欄位是必須的。" in response.content.decode()
        intake.refresh_from_db()
        assert intake.status == Intake.Status.PENDING

    def test_closing_with_a_note_closes_and_returns_to_the_queue(self, client, hotline):
        intake = make_intake(actor=hotline)
        client.force_login(hotline)
        response = client.post(
            reverse("cases:intake_close", args=[intake.pk]), {"note": "被害人暫無意願，已寄送資源簡訊"}
        )
        assert response.status_code == 302 and response.url == reverse("cases:intake_queue")
        intake.refresh_from_db()
        assert intake.status == Intake.Status.CLOSED
        assert intake.closed_note == "被害人暫無意願，已寄送資源簡訊"
        assert not Case.objects.exists()

    def test_closing_a_handled_intake_shows_why_and_changes_nothing(self, client, hotline):
        intake = make_intake(actor=hotline)
        services.case_open_from_intake(actor=hotline, intake=intake)
        client.force_login(hotline)
        response = client.post(reverse("cases:intake_close", args=[intake.pk]), {"note": "太晚了"})
        assert response.status_code == 200
        assert "這筆受理紀錄已處理過" in response.content.decode()
        intake.refresh_from_db()
        assert intake.status == Intake.Status.ACCEPTED


class TestMyCases:
    def test_a_worker_sees_only_their_own_cases(self, client, hotline, worker, worker2):
        mine = make_case(actor=hotline, worker=worker, victim_name="我的被害人")
        theirs = make_case(actor=hotline, worker=worker2, victim_name="別人的被害人")
        client.force_login(worker)
        html = client.get(reverse("cases:my_cases")).content.decode()
        assert "我的案件" in html
        assert mine.number in html and "我的被害人" in html
        assert theirs.number not in html and "別人的被害人" not in html

    def test_supervisor_sees_all_cases_and_can_filter_by_state(self, client, hotline, supervisor, worker):
        assigned = make_case(actor=hotline, worker=worker)
        waiting = make_case(actor=hotline)
        client.force_login(supervisor)
        html = client.get(reverse("cases:my_cases")).content.decode()
        assert "全部案件" in html and assigned.number in html and waiting.number in html
        html = client.get(reverse("cases:my_cases"), {"status": Case.Status.NEW}).content.decode()
        assert waiting.number in html and assigned.number not in html


class TestCaseDetail:
    def test_the_assigned_worker_sees_what_the_victim_already_told(self, client, hotline, worker):
        case = make_case(actor=hotline, worker=worker, narrative="第一次來電：影片在論壇被轉貼")
        second = make_intake(actor=hotline, narrative="第二次來電：對方又在 IG 私訊威脅")
        services.intake_attach(actor=hotline, intake=second, case=case)
        client.force_login(worker)
        html = client.get(case.get_absolute_url()).content.decode()
        assert "第一次來電：影片在論壇被轉貼" in html
        assert "第二次來電：對方又在 IG 私訊威脅" in html
        assert case.victim.name in html
        # A worker neither dispatches nor reads the audit trail.
        assert reverse("cases:dispatch", args=[case.pk]) not in html
        assert reverse("cases:timeline", args=[case.pk]) not in html

    def test_each_view_writes_exactly_one_read_log_row(self, client, case_of_worker, worker):
        client.force_login(worker)
        client.get(case_of_worker.get_absolute_url())
        assert list(CaseReadLog.objects.values_list("case", "user", "view")) == [
            (case_of_worker.pk, worker.pk, "案件頁面")
        ]
        client.get(case_of_worker.get_absolute_url())
        assert CaseReadLog.objects.filter(case=case_of_worker, user=worker).count() == 2

    def test_a_refused_view_writes_no_read_log(self, client, case_of_worker, worker2):
        client.force_login(worker2)
        assert client.get(case_of_worker.get_absolute_url()).status_code == 404
        assert not CaseReadLog.objects.exists()

    def test_the_referral_panel_shows_for_a_referred_case(self, client, hotline, worker, police):
        from tests.factories import make_referral

        referral = make_referral(police=police, referring_agency="信義分局測試隊")
        case = services.case_open_from_intake(actor=hotline, intake=referral.intake)
        services.dispatch_case(actor=hotline, case=case, worker=worker, reason="x")
        client.force_login(worker)
        html = client.get(case.get_absolute_url()).content.decode()
        assert "轉介資訊" in html and "信義分局測試隊" in html


class TestCaseDispatch:
    def test_the_form_dispatches_to_the_chosen_worker(self, client, hotline, worker):
        case = make_case(actor=hotline)
        client.force_login(hotline)
        response = client.post(
            reverse("cases:dispatch", args=[case.pk]), {"worker": worker.pk, "reason": "住大安區"}
        )
        assert response.status_code == 302 and response.url == case.get_absolute_url()
        case.refresh_from_db()
        assert case.assigned_worker == worker and case.status == Case.Status.ASSIGNED
        dispatch = Dispatch.objects.get()
        assert (dispatch.worker, dispatch.dispatched_by, dispatch.reason) == (worker, hotline, "住大安區")

    def test_a_redispatch_shows_both_rows_on_the_case_page(
        self, client, hotline, supervisor, worker, worker2
    ):
        case = make_case(actor=hotline)
        client.force_login(hotline)
        client.post(
            reverse("cases:dispatch", args=[case.pk]), {"worker": worker.pk, "reason": "首次派案說明"}
        )
        client.force_login(supervisor)
        client.post(
            reverse("cases:dispatch", args=[case.pk]), {"worker": worker2.pk, "reason": "原社工休假改派"}
        )
        html = client.get(case.get_absolute_url()).content.decode()
        rows = re.findall(r'<li class="border-top py-2">(.*?)</li>', html, flags=re.S)
        assert len(rows) == 2
        assert "首次派案說明" in rows[0] and person(worker) in rows[0]
        assert "原社工休假改派" in rows[1] and person(worker2) in rows[1]
        assert f"原承辦 {person(worker)}" in rows[1]
        assert f"承辦社工：{person(worker2)}" in html

    def test_the_form_lists_only_social_workers(self, client, hotline, worker, police):
        case = make_case(actor=hotline)
        client.force_login(hotline)
        html = client.get(reverse("cases:dispatch", args=[case.pk])).content.decode()
        assert f'value="{worker.pk}"' in html
        assert f'value="{police.pk}"' not in html

    def test_a_dispatch_without_a_reason_is_redisplayed_and_not_saved(self, client, hotline, worker):
        case = make_case(actor=hotline)
        client.force_login(hotline)
        response = client.post(reverse("cases:dispatch", args=[case.pk]), {"worker": worker.pk, "reason": ""})
        assert response.status_code == 200
        assert "這個欄位是必須的。" in response.content.decode()
        assert not Dispatch.objects.exists()

    def test_dispatching_to_the_current_worker_is_refused(self, client, hotline, case_of_worker, worker):
        client.force_login(hotline)
        response = client.post(
            reverse("cases:dispatch", args=[case_of_worker.pk]), {"worker": worker.pk, "reason": "再派一次"}
        )
        assert response.status_code == 200
        assert "此案已由這位社工承辦。" in response.content.decode()
        assert Dispatch.objects.count() == 1


class TestCaseTimeline:
    def test_shows_changes_and_reads_with_the_acting_users_name(
        self, client, hotline, supervisor, worker, worker2
    ):
        case = make_case(actor=hotline, worker=worker)
        client.force_login(worker)
        client.get(case.get_absolute_url())
        client.force_login(supervisor)
        client.post(reverse("cases:dispatch", args=[case.pk]), {"worker": worker2.pk, "reason": "改派"})
        html = client.get(reverse("cases:timeline", args=[case.pk])).content.decode()
        rows = table_rows(html)[1:]  # skip the header row

        def has_row(user, action, subject, fields=None):
            cells = [f"<td>{person(user)}</td>", f"<td>{action}</td>", f"<td>{subject}</td>"]
            return any(all(c in row for c in cells) and (fields is None or fields in row) for row in rows)

        assert has_row(worker, "閱覽", "案件頁面")
        assert has_row(hotline, "新增", "案件")
        assert has_row(hotline, "新增", "派案")
        assert has_row(supervisor, "新增", "派案")
        assert has_row(supervisor, "修改", "案件", fields="承辦社工")
        assert not has_row(supervisor, "閱覽", "案件頁面")  # a POST to dispatch is not a read
        # Field names only, never the values.
        assert "改派" not in "".join(rows)
        assert case.victim.name not in html


class TestOverview:
    def test_shows_the_queue_and_each_workers_caseload(self, client, hotline, supervisor, worker, worker2):
        make_case(actor=hotline, worker=worker)
        make_case(actor=hotline, worker=worker)
        make_intake(actor=hotline)
        refresh_unit_statistics()  # the beat job's work: caseloads are one of the overview's charts
        client.force_login(supervisor)
        response = client.get(reverse("cases:overview"))
        assert response.context["pending_intakes"] == 1
        html = response.content.decode()
        caseload = html[html.index('id="table-cases-caseload"') :]
        caseload = caseload[: caseload.index("</table>")]
        rows = table_rows(caseload)
        assert any(person(worker) in row and ">2<" in row for row in rows)
        assert any(person(worker2) in row and ">0<" in row for row in rows)


class TestCaseListSaysWhatToDoNext:
    """The worker's list: danger, next deadline, last contact, dispatch; filters and sorts; empty states."""

    url = reverse("cases:my_cases")

    def test_each_row_shows_the_next_deadline_last_contact_and_flag(self, client, hotline, worker):
        import datetime as dt

        from django.utils import timezone

        from cases import tracker
        from cases.models import Deadline

        case = make_case(actor=hotline, worker=worker)
        services.contact_record(
            actor=worker,
            case=case,
            contacted_at=timezone.now() - dt.timedelta(days=2),
            mode="phone",
            result="reached",
            immediate_danger="yes",
        )
        tracker.deadline_open(
            case=case,
            kind=Deadline.Kind.COMPLAINT,
            source=case.intakes.get(),
            title="告訴期間",
            due=timezone.localdate() + dt.timedelta(days=5),
        )
        client.force_login(worker)
        row = client.get(self.url).context["page"].object_list[0]
        assert row.next_deadline_kind == Deadline.Kind.COMPLAINT and row.danger_since is not None
        assert timezone.localtime(row.last_contact_at).date() == timezone.localdate() - dt.timedelta(days=2)
        html = client.get(self.url).content.decode()
        assert "告訴期間（6個月）" in html and "剩 5 天" in html and "2 天前" in html and "有立即危險" in html

    def test_filter_by_flag_and_sort_by_next_deadline(self, client, hotline, worker):
        import datetime as dt

        from django.utils import timezone

        calm = make_case(actor=hotline, worker=worker)
        flagged = make_case(actor=hotline, worker=worker)
        services.contact_record(
            actor=worker,
            case=flagged,
            contacted_at=timezone.now() - dt.timedelta(hours=1),
            mode="phone",
            result="reached",
            immediate_danger="yes",
        )
        client.force_login(worker)
        listed = client.get(self.url, {"flag": "1"}).context["page"].object_list
        assert [c.pk for c in listed] == [flagged.pk]
        by_danger = [c.pk for c in client.get(self.url).context["page"].object_list]
        assert by_danger == [flagged.pk, calm.pk]  # the default sort puts danger first

    def test_rows_built_in_python_escape_what_staff_typed(self, client, hotline, worker, supervisor):
        """Rows joined in Python (cases/case_rows.py): the list, queue and overview escape every value."""
        from tests.factories import make_intake

        typed = '<script>alert("x")</script>&王'
        make_case(actor=hotline, worker=worker, victim_name=typed)
        make_intake(actor=hotline, victim_name=typed, source_organisation='大安分局 <b>"')
        escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;王"
        for user, url in (
            (worker, self.url),
            (hotline, reverse("cases:intake_queue")),
            (supervisor, reverse("cases:overview")),
        ):
            client.force_login(user)
            html = client.get(url).content.decode()
            assert escaped in html and "<script>alert" not in html, url
        assert "大安分局 &lt;b&gt;&quot;" in client.get(reverse("cases:intake_queue")).content.decode()

    def test_friendly_empty_states(self, client, worker):
        client.force_login(worker)
        assert "目前沒有派給您的案件" in client.get(self.url).content.decode()
        assert "沒有符合篩選條件的案件" in client.get(self.url, {"flag": "1"}).content.decode()

    def test_a_strange_sort_or_worker_is_ignored(self, client, supervisor):
        client.force_login(supervisor)
        assert client.get(self.url, {"sort": "victim__name", "worker": "²"}).status_code == 200


def test_the_intake_queue_puts_immediate_danger_first_and_shows_the_wait(client, hotline):
    from django.utils import timezone

    older = make_intake(actor=hotline, received_at=timezone.now() - dt.timedelta(hours=5))
    danger = make_intake(actor=hotline, immediate_danger=Intake.Danger.YES)
    client.force_login(hotline)
    response = client.get(reverse("cases:intake_queue"))
    assert [row.pk for row in response.context["page"].object_list] == [danger.pk, older.pk]
    assert "5小時" in response.content.decode().replace("\xa0", "")
