"""Issue 14 (the legal review), through the services and pages: points 1, 3, 5, 7 and 8.

The period arithmetic of points 1-4 is in tests/legal/test_scenarios.py, as a table.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import Deadline, Notification, SmsMessage
from cases.registry import LinkableRecord
from cases.rocdate import format_roc
from cases.sms import outbox
from cases.tracker import send_due_reminders
from cases.writes import model_save
from legal import selectors, services
from legal.deadlines import complaint_deadline
from legal.models import CaseOffence, PoliceReport, PreservationTalk, ProsecutorDirection, RestDay
from legal.views import _minor_warning
from tests.factories import make_case
from tests.legal.factories import make_case_offence, make_police_report, make_subsidy

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = timezone.localdate


def knew_for_due(due: dt.date) -> dt.date:
    """The day of knowing the offender whose six months end on `due`."""
    day = due - dt.timedelta(days=200)
    while complaint_deadline(day) < due:
        day += dt.timedelta(days=1)
    assert complaint_deadline(day) == due
    return day


def report_values(report: PoliceReport, **changes) -> dict:
    names = [
        "unit_kind",
        "unit_name",
        "scheduled_at",
        "officer_gender_asked",
        "officer_gender",
        "laws",
        "status",
        "evidence_handed_over",
        "victim_keeps_copy",
        "escorted",
        "escort_worker",
        "minor_companion",
        "note",
        "age_answer",
        "officer",
        "evidence_keys",
        "privacy_separate_room",
        "privacy_code_name",
        "statement_requests",
        "statement_reviewed",
        "statement_articles",
        "complaint_decision",
    ]
    values = {name: getattr(report, name) for name in names}
    values.update(changes)
    return values


def past_report(actor, case, **overrides) -> PoliceReport:
    """A report booked for earlier today (it has happened), through the services."""
    report = make_police_report(actor=actor, case=case, **overrides)
    PoliceReport.objects.filter(pk=report.pk).update(scheduled_at=timezone.now() - dt.timedelta(hours=3))
    report.refresh_from_db()
    return report


def finish(report: PoliceReport, actor, **changes) -> PoliceReport:
    values = report_values(report, status=PoliceReport.Status.DONE, **changes)
    return services.police_report_update(actor=actor, police_report=report, **values)


# --- 1. offender unknown: no overdue reminder, the SMS follows the running period ------------------------


class TestNothingRunsWhileTheOffenderIsUnknown:
    def test_no_reminder_ever_says_the_complaint_period_is_overdue(self, worker, supervisor, case_of_worker):
        make_case_offence(
            actor=worker,
            case=case_of_worker,
            code="C-A",
            learned_on=TODAY() - dt.timedelta(days=400),
            offence_on=TODAY() - dt.timedelta(days=410),
            offender_known=False,
            knew_offender_on=None,
        )
        send_due_reminders()
        send_due_reminders(now=timezone.now() + dt.timedelta(days=200))
        texts = list(Notification.objects.values_list("text", flat=True))
        assert not [t for t in texts if "告訴期間" in t], texts

    def test_the_victims_reminder_sms_follows_the_period_actually_running(
        self, worker, case_of_worker, settings
    ):
        settings.SMS_QUIET_HOURS_START = settings.SMS_QUIET_HOURS_END = "00:00"
        settings.SMS_VICTIM_REMINDER_DAYS = [7, 1]
        victim = case_of_worker.victim
        victim.sms_consent = True
        model_save(actor=worker, instance=victim, update_fields=["sms_consent"])
        make_case_offence(
            actor=worker,
            case=case_of_worker,
            code="C-A",
            learned_on=TODAY() - dt.timedelta(days=3),
            offence_on=TODAY() - dt.timedelta(days=4),
            offender_known=False,
            knew_offender_on=None,
        )
        due = TODAY() + dt.timedelta(days=5)
        knew = knew_for_due(due)
        make_case_offence(
            actor=worker,
            case=case_of_worker,
            code="C-B",
            learned_on=knew,
            offence_on=knew - dt.timedelta(days=1),
            knew_offender_on=knew,
        )
        assert outbox.sms_queue_due_victim_reminders() == 1
        message = SmsMessage.objects.get(purpose=SmsMessage.Purpose.DEADLINE_REMINDER)
        assert f"{due.month}月{due.day}日" in message.body


# --- 5. citations, the art. 122 note on the dashboard, the 4-2-3 reminder ----------------------------------


class TestCitationsAndNotes:
    def test_a_typhoon_day_added_later_puts_the_art_122_note_on_the_tracker_and_removing_it_clears_it(
        self, client, worker, case_of_worker
    ):
        item = make_case_offence(
            actor=worker, case=case_of_worker, code="C-B"
        )  # last day 114.09.12, a Friday
        deadline = Deadline.objects.get(source_id=str(item.pk), kind=Deadline.Kind.COMPLAINT)
        assert deadline.note == ""
        typhoon = RestDay.objects.create(date=D(2025, 9, 12), kind=RestDay.Kind.REST, name="颱風停班")
        deadline.refresh_from_db()
        assert "民法第122條" in deadline.note and "114.09.15" in deadline.note
        assert timezone.localtime(deadline.due_at).date() == D(2025, 9, 12)  # a note, never a new date
        client.force_login(worker)
        html = client.get(reverse("cases:deadlines")).content.decode()
        assert "114.09.15" in html  # the dashboard says what the case page says
        typhoon.delete()
        deadline.refresh_from_db()
        assert deadline.note == ""

    def test_the_case_page_cites_civil_code_120_2_through_ccp_65(self, client, worker, case_of_worker):
        make_case_offence(actor=worker, case=case_of_worker, code="C-B")
        client.force_login(worker)
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        assert "刑事訴訟法第65條準用民法第120條第2項" in html

    def test_the_consult_a_lawyer_first_reminder_is_only_for_lawyer_fees(
        self, client, worker, case_of_worker
    ):
        fees = make_subsidy(actor=worker, case=case_of_worker, kind="lawyer_fees")
        costs = make_subsidy(actor=worker, case=case_of_worker, kind="litigation_costs")
        client.force_login(worker)
        assert "指引 4-2-3" in client.get(reverse("legal:subsidy_edit", args=[fees.pk])).content.decode()
        assert "指引 4-2-3" not in client.get(reverse("legal:subsidy_edit", args=[costs.pk])).content.decode()
        response = client.post(
            reverse("legal:subsidy_add", args=[case_of_worker.pk]),
            {"kind": "litigation_costs", "applied_on": "不是日期", "status": "applied"},
        )
        assert response.status_code == 200 and "指引 4-2-3" not in response.content.decode()


# --- 7. police report details (9-1-3, 9-2-2, 9-2-4, 9-2-5, 9-2-7) ---------------------------------------


class TestPoliceReportDetails:
    def test_a_done_report_needs_the_complaint_decision(self, worker, hotline):
        case = make_case(actor=hotline, worker=worker, victim_birth_date=D(1995, 6, 1))
        report = past_report(worker, case)
        with pytest.raises(ValidationError) as exc:
            finish(report, worker)
        assert exc.value.message_dict["complaint_decision"] == [
            "已完成筆錄時，請登錄是否提出告訴（指引 9-2-5）。"
        ]

    def test_filing_at_the_report_fills_the_complaint_date_and_closes_the_complaint_period(
        self, worker, hotline
    ):
        case = make_case(actor=hotline, worker=worker, victim_birth_date=D(1995, 6, 1))
        known = make_case_offence(actor=worker, case=case, code="C-B", victim_wishes="undecided")
        unknown = make_case_offence(
            actor=worker, case=case, code="C-A", offender_known=False, knew_offender_on=None
        )
        filed_before = make_case_offence(
            actor=worker, case=case, code="C-A", complaint_filed_on=D(2025, 4, 1)
        )
        report = past_report(worker, case)
        finish(
            report,
            worker,
            complaint_decision="filed",
            statement_reviewed=True,
            statement_articles="刑法第319條之3",
            privacy_separate_room=True,
            privacy_code_name=True,
            statement_requests=["evidence_preservation", "protection_order"],
        )
        for item in (known, unknown, filed_before):
            item.refresh_from_db()
        # The report's own day (three hours ago: yesterday between midnight and 03:00 Taipei).
        report_day = timezone.localtime(report.scheduled_at).date()
        assert known.complaint_filed_on == report_day and known.victim_wishes == CaseOffence.Wishes.WANTS
        assert unknown.complaint_filed_on == report_day
        assert filed_before.complaint_filed_on == D(2025, 4, 1)  # an earlier filing is kept
        period = Deadline.objects.get(source_id=str(known.pk), kind=Deadline.Kind.COMPLAINT)
        assert period.state == Deadline.State.MISSED  # 114.09.12 had passed: recorded as it is
        report.refresh_from_db()
        assert report.statement_request_labels() == "證據保全（扣押、搜索相對人證物）、聲請保護令"

    def test_not_needed_is_refused_while_the_case_has_a_complaint_offence(self, worker, hotline):
        case = make_case(actor=hotline, worker=worker, victim_birth_date=D(1995, 6, 1))
        make_case_offence(actor=worker, case=case, code="C-B")
        report = past_report(worker, case)
        with pytest.raises(ValidationError) as exc:
            finish(report, worker, complaint_decision="not_needed")
        assert "C-B" in exc.value.message_dict["complaint_decision"][0]

    def test_statement_fields_wait_for_the_report(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            make_police_report(actor=worker, case=case_of_worker, statement_reviewed=True)
        assert "status" in exc.value.message_dict

    def test_a_minor_report_cannot_be_done_without_a_guardian_or_an_escorting_worker(self, worker, hotline):
        birth = TODAY().replace(year=TODAY().year - 17) - dt.timedelta(days=30)
        case = make_case(actor=hotline, worker=worker, victim_birth_date=birth)
        report = past_report(worker, case)
        with pytest.raises(ValidationError) as exc:
            finish(report, worker, complaint_decision="deferred")
        assert "minor_companion" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            finish(report, worker, complaint_decision="deferred", minor_companion="social_worker")
        assert "escort_worker" in exc.value.message_dict
        assert PoliceReport.objects.get(pk=report.pk).status == PoliceReport.Status.BOOKED
        finish(report, worker, complaint_decision="deferred", minor_companion="guardian")
        assert PoliceReport.objects.get(pk=report.pk).status == PoliceReport.Status.DONE

    def test_the_age_is_taken_on_the_report_day(self, worker, hotline):
        # 18 tomorrow: a report booked for next week is an adult's.
        birth = (TODAY() + dt.timedelta(days=1)).replace(year=TODAY().year - 18)
        case = make_case(actor=hotline, worker=worker, victim_birth_date=birth)
        report = make_police_report(
            actor=worker, case=case, scheduled_at=timezone.now() + dt.timedelta(days=7)
        )
        assert report.status == PoliceReport.Status.BOOKED
        minor, warnings = _minor_warning(case, timezone.localtime(report.scheduled_at).date())
        assert minor is False and warnings == []

    def test_unknown_age_asks_for_it_on_the_form_and_in_the_service(self, client, worker, case_of_worker):
        assert case_of_worker.victim.birth_date is None
        report = past_report(worker, case_of_worker)
        with pytest.raises(ValidationError) as exc:
            finish(report, worker, complaint_decision="deferred")
        assert "請確認報案時是否未滿18歲" in exc.value.message_dict["age_answer"][0]
        client.force_login(worker)
        html = client.get(reverse("legal:police_report_edit", args=[report.pk])).content.decode()
        assert "被害人報案時是否未滿18歲？" in html
        finish(report, worker, complaint_decision="deferred", age_answer="minor", minor_companion="guardian")

    def test_the_officer_must_be_a_police_account(self, worker, worker2, police, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            make_police_report(actor=worker, case=case_of_worker, officer=worker2)
        assert exc.value.message_dict["officer"] == ["請選擇在職員警的系統帳號。"]
        report = make_police_report(actor=worker, case=case_of_worker, officer=police)
        assert report.officer == police

    def test_evidence_items_come_from_the_case_list_and_show_by_label(
        self, client, worker, case_of_worker, monkeypatch
    ):
        item = LinkableRecord(key="evidence.evidenceitem:1", label="LINE 對話截圖（115.11.20）")

        def offered(case, kind):
            return [item] if kind == "evidence_item" and case.pk == case_of_worker.pk else []

        monkeypatch.setattr(services, "linkable_records", offered)
        monkeypatch.setattr(selectors, "linkable_records", offered)
        with pytest.raises(ValidationError) as exc:
            make_police_report(actor=worker, case=case_of_worker, evidence_keys=["evidence.evidenceitem:999"])
        assert "evidence_keys" in exc.value.message_dict
        make_police_report(actor=worker, case=case_of_worker, evidence_keys=[item.key])
        client.force_login(worker)
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        assert "整理的證據：LINE 對話截圖（115.11.20）" in html


# --- 8. urgent preservation discussed with the officer; police named on a report -------------------------


class TestPreservationTalk:
    def values(self, **changes):
        values = {
            "discussed_at": timezone.now() - dt.timedelta(hours=1),
            "triggers": ["leak", "seize"],
            "officer_name": "大安分局 李警員",
            "outcome": "requested",
            "outcome_note": "員警當場聯繫值班檢察官。",
        }
        values.update(changes)
        return values

    def test_the_worker_records_the_discussion_and_the_panel_shows_it(self, client, worker, case_of_worker):
        report = make_police_report(actor=worker, case=case_of_worker)
        talk = services.preservation_talk_record(
            actor=worker, case=case_of_worker, police_report=report, **self.values()
        )
        assert talk.trigger_labels() == "有遭洩漏、散布之虞、有必須扣押相對人證物"
        assert talk.history.first().history_user == worker
        client.force_login(worker)
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        assert "員警已報請檢察官指揮偵辦" in html and "大安分局 李警員" in html

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"triggers": []}, "triggers"),
            ({"triggers": ["other"]}, "other_trigger"),
            ({"officer_name": " "}, "officer_name"),
            ({"triggers": ["boredom"]}, "triggers"),
        ],
    )
    def test_incomplete_records_are_refused(self, worker, case_of_worker, changes, field):
        with pytest.raises(ValidationError) as exc:
            services.preservation_talk_record(actor=worker, case=case_of_worker, **self.values(**changes))
        assert field in exc.value.message_dict
        assert not PreservationTalk.objects.exists()

    def test_a_report_of_another_case_is_refused(self, worker, hotline, case_of_worker):
        other = make_case(actor=hotline, worker=worker)
        report = make_police_report(actor=worker, case=other)
        with pytest.raises(ValidationError) as exc:
            services.preservation_talk_record(
                actor=worker, case=case_of_worker, police_report=report, **self.values()
            )
        assert "police_report" in exc.value.message_dict

    def test_the_page_keeps_what_was_typed_on_error(self, client, worker, case_of_worker):
        client.force_login(worker)
        url = reverse("legal:preservation_add", args=[case_of_worker.pk])
        now = timezone.localtime()
        data = {
            "discussed_at_0": format_roc(now.date()),
            "discussed_at_1": now.strftime("%H:%M"),
            "triggers": ["other"],
            "other_trigger": "",
            "officer_name": "婦幼隊 陳警員",
            "outcome": "assessing",
        }
        response = client.post(url, data)
        assert response.status_code == 200 and "請說明急迫情形" in response.content.decode()
        assert "婦幼隊 陳警員" in response.content.decode()
        data["other_trigger"] = "相對人揚言今晚上傳"
        assert client.post(url, data).status_code == 302
        talk = PreservationTalk.objects.get()
        assert talk.other_trigger == "相對人揚言今晚上傳"
        edit = client.post(
            reverse("legal:preservation_edit", args=[talk.pk]), {**data, "outcome": "not_requested"}
        )
        assert edit.status_code == 302
        talk.refresh_from_db()
        assert talk.outcome == "not_requested"


class TestPoliceNamedOnAReport:
    def test_the_officer_who_took_the_report_may_record_a_direction_and_sees_only_the_status(
        self, client, hotline, worker, police, police2
    ):
        case = make_case(actor=hotline, worker=worker, victim_name="自行求助被害人")
        make_police_report(actor=worker, case=case, officer=police2, unit_name="信義分局三張犁派出所")
        client.force_login(police2)
        html = client.get(reverse("legal:police_cases")).content.decode()
        assert "信義分局三張犁派出所" in html and "服務中" in html
        assert "自行求助被害人" not in html and case.number not in html
        response = client.post(
            reverse("legal:prosecutor_new", args=[case.pk]),
            {
                # This minute: a fixed 09:00 today is in the future before 09:00 Taipei.
                "requested_at_0": format_roc(TODAY()),
                "requested_at_1": timezone.localtime().strftime("%H:%M"),
                "prosecutor_office": "臺灣臺北地方檢察署",
                "urgency": "相對人手機內有影片，需即時扣押。",
            },
        )
        assert response.status_code == 302
        direction = ProsecutorDirection.objects.get()
        assert direction.case == case and direction.requested_by == police2
        assert client.get(reverse("legal:prosecutor_edit", args=[direction.pk])).status_code == 200

    def test_another_officer_gets_nothing(self, client, hotline, worker, police, police2):
        case = make_case(actor=hotline, worker=worker)
        make_police_report(actor=worker, case=case, officer=police2)
        client.force_login(police)
        assert client.get(reverse("legal:prosecutor_new", args=[case.pk])).status_code == 404
        assert client.get(reverse("legal:police_cases")).context["cases"] == []

    def test_the_worker_chooses_the_officer_from_police_accounts(
        self, client, worker, police, case_of_worker
    ):
        client.force_login(worker)
        form = client.get(reverse("legal:police_report_add", args=[case_of_worker.pk])).context["form"]
        officers = list(form.fields["officer"].queryset)
        assert police in officers and worker not in officers


class TestMigrationWithdrawsLegacyWarnings:
    def test_open_periods_that_were_never_running_are_withdrawn(self, worker, case_of_worker):
        """Before issue 14 an unknown offender opened a warning row counted from learning of the images."""
        import importlib

        from django.apps import apps

        from cases.tracker import deadline_open

        migration = importlib.import_module("legal.migrations.0004_police_report_details_and_preservation")
        unknown = make_case_offence(
            actor=worker, case=case_of_worker, code="C-A", offender_known=False, knew_offender_on=None
        )
        known = make_case_offence(actor=worker, case=case_of_worker, code="C-B")
        deadline_open(
            case=case_of_worker,
            kind=Deadline.Kind.COMPLAINT,
            source=unknown,
            title="告訴期間：C-A",
            due=D(2025, 9, 10),
            is_warning=True,
        )
        migration.withdraw_periods_not_running(apps, None)
        legacy = Deadline.objects.get(source_id=str(unknown.pk), kind=Deadline.Kind.COMPLAINT)
        assert legacy.state == Deadline.State.NOT_APPLICABLE and "尚未知悉犯人" in legacy.close_reason
        running = Deadline.objects.get(source_id=str(known.pk), kind=Deadline.Kind.COMPLAINT)
        assert running.state == Deadline.State.OPEN
