"""Contacts with the victim (cases/services/contacts.py): the danger answer, the case's flag and who is
alerted, the next-contact deadline, the resource SMS, and contacts logged on an intake before a case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import selectors, services
from cases.models import Case, Contact, Deadline, Intake, Notification, SmsMessage
from cases.rocdate import format_roc
from cases.roles import Role
from cases.sms.backends import read_file_outbox
from cases.sms.text import GUIDELINE_GENERIC_TEXT
from cases.tracker import end_of_day
from tests.cases.contact_factories import close_case, record_contact
from tests.factories import make_case, make_intake, make_referral, make_user

pytestmark = pytest.mark.django_db

Danger, Result = Contact.Danger, Contact.Result


@pytest.fixture
def case(hotline, worker):
    return make_case(actor=hotline, worker=worker, victim_name="被害人甲", victim_phone="0912345678")


@pytest.fixture
def sms_file(settings, tmp_path):
    """The file backend in a temp dir, no quiet hours: what would have been sent, as a list."""
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    settings.SMS_QUIET_HOURS_START = settings.SMS_QUIET_HOURS_END = "00:00"
    return lambda: read_file_outbox(settings.SMS_FILE_PATH)


def safety_alerts():
    return Notification.objects.filter(kind=Notification.Kind.SAFETY)


def recipients(qs) -> set[str]:
    return set(qs.values_list("recipient__username", flat=True))


def refreshed(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


class TestRecording:
    def test_a_reached_contact_is_saved_with_the_staff_member_and_the_answer(self, case, worker):
        when = timezone.now() - dt.timedelta(minutes=30)
        contact = record_contact(
            actor=worker,
            case=case,
            contacted_at=when,
            mode=Contact.Mode.VISIT,
            duration_minutes=45,
            notes="  面訪，討論下架進度。  ",
        )
        stored = Contact.objects.get()
        assert stored.pk == contact.pk
        assert (stored.case, stored.intake, stored.staff) == (case, None, worker)
        assert (stored.mode, stored.result, stored.immediate_danger) == ("visit", "reached", "no")
        assert (stored.contacted_at, stored.duration_minutes) == (when, 45)
        assert stored.notes == "面訪，討論下架進度。"
        assert stored.resource_sms is False
        assert stored.history.get().history_user == worker

    @pytest.mark.parametrize("result", [Result.REACHED, Result.NO_WISH])
    def test_reaching_the_victim_without_the_danger_answer_saves_nothing(self, case, worker, result):
        with pytest.raises(ValidationError) as exc:
            record_contact(actor=worker, case=case, result=result, immediate_danger="", next_contact_on=None)
        assert set(exc.value.message_dict) == {"immediate_danger"}
        assert "立即人身安全危險" in exc.value.message_dict["immediate_danger"][0]
        assert not Contact.objects.exists()
        assert not refreshed(case).in_danger

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            (lambda now: {"result": Result.NOT_REACHED, "immediate_danger": Danger.NO}, "immediate_danger"),
            (
                lambda now: {"immediate_danger": Danger.NOT_ASKED, "danger_not_asked_reason": " "},
                "danger_not_asked_reason",
            ),
            (lambda now: {"contacted_at": now + dt.timedelta(minutes=11)}, "contacted_at"),
            (
                lambda now: {
                    "contacted_at": now - dt.timedelta(days=2),
                    "next_contact_on": timezone.localdate(now) - dt.timedelta(days=3),
                },
                "next_contact_on",
            ),
        ],
        ids=["danger_when_not_reached", "not_asked_without_reason", "future_time", "next_before_contact"],
    )
    def test_what_the_rules_refuse_is_not_saved(self, case, worker, overrides, field):
        with pytest.raises(ValidationError) as exc:
            record_contact(actor=worker, case=case, **overrides(timezone.now()))
        assert set(exc.value.message_dict) == {field}
        assert not Contact.objects.exists()
        assert not Deadline.objects.filter(kind=Deadline.Kind.NEXT_CONTACT).exists()

    def test_a_clock_a_few_minutes_fast_is_accepted(self, case, worker):
        record_contact(actor=worker, case=case, contacted_at=timezone.now() + dt.timedelta(minutes=8))
        assert Contact.objects.count() == 1

    def test_the_not_asked_reason_is_kept_only_with_not_asked(self, case, worker):
        asked = record_contact(
            actor=worker, case=case, immediate_danger=Danger.NO, danger_not_asked_reason="x"
        )
        not_asked = record_contact(
            actor=worker,
            case=case,
            immediate_danger=Danger.NOT_ASKED,
            danger_not_asked_reason="  加害人在旁，無法詢問  ",
        )
        assert Contact.objects.get(pk=asked.pk).danger_not_asked_reason == ""
        assert Contact.objects.get(pk=not_asked.pk).danger_not_asked_reason == "加害人在旁，無法詢問"

    def test_a_contact_belongs_to_a_case_or_an_intake_not_both_nor_neither(self, case, worker, hotline):
        intake = make_intake(actor=hotline)
        with pytest.raises(ValueError):
            record_contact(actor=worker, case=case, intake=intake)
        with pytest.raises(ValueError):
            record_contact(actor=worker)
        assert not Contact.objects.exists()

    def test_a_closed_case_refuses_contacts(self, case, worker, supervisor):
        close_case(worker=worker, supervisor=supervisor, case=case)
        with pytest.raises(ValidationError) as exc:
            record_contact(actor=worker, case=case)
        assert exc.value.code == "case_closed"
        assert "已結案" in exc.value.messages[0]
        assert not Contact.objects.exists()


class TestDangerFlag:
    def test_yes_flags_the_case_and_alerts_every_active_supervisor_and_not_the_actor(
        self, case, worker, supervisor, hotline
    ):
        make_user("supervisor2", Role.SUPERVISOR)
        make_user("retired_supervisor", Role.SUPERVISOR, is_active=False)
        before = timezone.now()
        record_contact(actor=worker, case=case, immediate_danger=Danger.YES)
        flagged = refreshed(case)
        assert flagged.in_danger and before <= flagged.danger_since <= timezone.now()
        assert "有立即危險" in flagged.danger_note
        assert recipients(safety_alerts()) == {"supervisor", "supervisor2"}  # not the worker, who recorded it
        assert safety_alerts().count() == 2

    def test_a_supervisors_yes_alerts_the_assigned_worker_and_the_other_supervisors(self, case, supervisor):
        make_user("supervisor2", Role.SUPERVISOR)
        record_contact(actor=supervisor, case=case, immediate_danger=Danger.YES)
        assert recipients(safety_alerts()) == {"worker", "supervisor2"}

    def test_the_alert_names_the_case_number_and_never_the_victim(self, case, worker, supervisor):
        record_contact(actor=worker, case=case, immediate_danger=Danger.YES)
        alert = safety_alerts().get()
        assert case.number in alert.text
        assert "被害人甲" not in alert.text and case.victim.name not in alert.text
        assert alert.case == case and alert.url == case.get_absolute_url()

    def test_the_flag_note_gives_the_day_of_the_contact(self, case, worker):
        three_days_ago = timezone.now() - dt.timedelta(days=3)
        record_contact(actor=worker, case=case, contacted_at=three_days_ago, immediate_danger=Danger.YES)
        day = format_roc(timezone.localtime(three_days_ago).date())
        assert refreshed(case).danger_note == f"{day} 聯繫時被害人表示有立即危險"

    def test_a_second_yes_keeps_the_time_the_flag_was_first_raised(self, case, worker, supervisor):
        record_contact(actor=worker, case=case, immediate_danger=Danger.YES)
        first = refreshed(case).danger_since
        record_contact(actor=worker, case=case, immediate_danger=Danger.YES)
        assert refreshed(case).danger_since == first

    def test_a_later_no_clears_the_flag(self, case, worker, supervisor):
        now = timezone.now()
        record_contact(
            actor=worker, case=case, contacted_at=now - dt.timedelta(hours=2), immediate_danger=Danger.YES
        )
        record_contact(
            actor=worker, case=case, contacted_at=now - dt.timedelta(hours=1), immediate_danger=Danger.NO
        )
        cleared = refreshed(case)
        assert not cleared.in_danger and cleared.danger_since is None
        assert "無立即危險" in cleared.danger_note

    @pytest.mark.parametrize(
        "later",
        [
            {"immediate_danger": Danger.NOT_ASKED, "danger_not_asked_reason": "被害人在公司不便談"},
            {"result": Result.NOT_REACHED},
        ],
        ids=["not_asked", "not_reached"],
    )
    def test_not_asked_or_not_reached_leaves_the_flag(self, case, worker, supervisor, later):
        record_contact(actor=worker, case=case, immediate_danger=Danger.YES)
        since = refreshed(case).danger_since
        record_contact(actor=worker, case=case, **later)
        assert refreshed(case).danger_since == since

    def test_no_on_a_case_without_the_flag_changes_nothing_on_the_case(self, case, worker):
        rows = case.history.count()
        record_contact(actor=worker, case=case, immediate_danger=Danger.NO)
        assert case.history.count() == rows
        assert not safety_alerts().exists()

    def test_the_alert_query_count_does_not_grow_with_the_number_of_supervisors(
        self, hotline, worker, supervisor, django_assert_num_queries
    ):
        small = make_case(actor=hotline, worker=worker)
        with CaptureQueriesContext(connection) as ctx:
            record_contact(actor=worker, case=small, immediate_danger=Danger.YES)
        for n in range(4):
            make_user(f"extra_supervisor{n}", Role.SUPERVISOR)
        large = make_case(actor=hotline, worker=worker)
        with django_assert_num_queries(len(ctx.captured_queries)):
            record_contact(actor=worker, case=large, immediate_danger=Danger.YES)
        assert safety_alerts().filter(case=large).count() == 5

    def test_an_older_no_entered_late_does_not_clear_a_newer_yes(self, case, worker, supervisor):
        now = timezone.now()
        record_contact(
            actor=worker, case=case, contacted_at=now - dt.timedelta(hours=1), immediate_danger=Danger.YES
        )
        record_contact(
            actor=worker, case=case, contacted_at=now - dt.timedelta(days=3), immediate_danger=Danger.NO
        )
        assert refreshed(case).in_danger


class TestClearDanger:
    def test_a_supervisor_clears_the_flag_with_a_note(self, case, worker, supervisor):
        record_contact(actor=worker, case=case, immediate_danger=Danger.YES)
        services.case_clear_danger(actor=supervisor, case=case, note="  警方已確認被害人安置於親友處  ")
        cleared = refreshed(case)
        assert not cleared.in_danger
        assert cleared.danger_note == "督導解除：警方已確認被害人安置於親友處"

    @pytest.mark.parametrize("note", ["", "   "])
    def test_clearing_needs_a_note(self, case, worker, supervisor, note):
        record_contact(actor=worker, case=case, immediate_danger=Danger.YES)
        with pytest.raises(ValidationError) as exc:
            services.case_clear_danger(actor=supervisor, case=case, note=note)
        assert set(exc.value.message_dict) == {"note"}
        assert refreshed(case).in_danger

    def test_clearing_a_case_without_the_flag_is_refused(self, case, supervisor):
        with pytest.raises(ValidationError) as exc:
            services.case_clear_danger(actor=supervisor, case=case, note="確認安全")
        assert exc.value.code == "not_flagged"

    def test_the_history_shows_who_raised_and_who_cleared_the_flag(self, case, worker, supervisor):
        record_contact(actor=worker, case=case, immediate_danger=Danger.YES)
        services.case_clear_danger(actor=supervisor, case=case, note="已確認安全")
        rows = list(case.history.order_by("history_date", "history_id"))
        changes = [
            (row.history_user, row.danger_since is not None)
            for previous, row in zip(rows, rows[1:], strict=False)
            if (previous.danger_since is None) != (row.danger_since is None)
        ]
        assert changes == [(worker, True), (supervisor, False)]
        assert rows[-1].danger_note == "督導解除：已確認安全"


class TestNextContact:
    def test_a_next_contact_date_opens_a_deadline_for_the_assigned_worker(self, case, worker, supervisor):
        day = timezone.localdate() + dt.timedelta(days=7)
        contact = record_contact(actor=supervisor, case=case, next_contact_on=day)
        deadline = Deadline.objects.get()
        assert (deadline.kind, deadline.state, deadline.case) == (Deadline.Kind.NEXT_CONTACT, "open", case)
        assert deadline.owner == worker  # the case's worker, though the supervisor recorded it
        assert deadline.due_at == end_of_day(day) and deadline.all_day
        assert deadline.source_id == str(contact.pk)

    def test_on_a_case_without_a_worker_the_deadline_is_the_actors(self, hotline, supervisor):
        unassigned = make_case(actor=hotline)
        record_contact(actor=supervisor, case=unassigned, next_contact_on=timezone.localdate())
        assert Deadline.objects.get().owner == supervisor

    def test_the_next_contact_settles_the_earlier_next_contact_deadline(self, case, worker):
        first_day = timezone.localdate() + dt.timedelta(days=3)
        second_day = timezone.localdate() + dt.timedelta(days=10)
        now = timezone.now()
        record_contact(
            actor=worker, case=case, contacted_at=now - dt.timedelta(hours=2), next_contact_on=first_day
        )
        earlier = Deadline.objects.get()
        second = record_contact(
            actor=worker, case=case, contacted_at=now - dt.timedelta(hours=1), next_contact_on=second_day
        )
        earlier.refresh_from_db()
        assert (earlier.state, earlier.closed_by) == (Deadline.State.DONE, worker)
        assert (
            earlier.close_reason == f"已於 {format_roc(timezone.localtime(second.contacted_at).date())} 聯繫"
        )
        still_open = Deadline.objects.get(state=Deadline.State.OPEN)
        assert still_open.pk != earlier.pk and still_open.due_at == end_of_day(second_day)

    def test_a_contact_without_a_next_date_still_settles_the_open_one(self, case, worker):
        now = timezone.now()
        record_contact(
            actor=worker,
            case=case,
            contacted_at=now - dt.timedelta(hours=2),
            next_contact_on=timezone.localdate() + dt.timedelta(days=3),
        )
        record_contact(actor=worker, case=case, contacted_at=now - dt.timedelta(hours=1))
        assert not Deadline.objects.filter(state=Deadline.State.OPEN).exists()

    def test_a_contact_entered_late_for_an_earlier_day_does_not_settle_the_follow_up(self, case, worker):
        now = timezone.now()
        record_contact(
            actor=worker,
            case=case,
            contacted_at=now - dt.timedelta(hours=1),
            next_contact_on=timezone.localdate() + dt.timedelta(days=7),
        )
        record_contact(
            actor=worker, case=case, contacted_at=now - dt.timedelta(days=5), notes="補登上週的電話"
        )
        assert Deadline.objects.get().state == Deadline.State.OPEN

    def test_other_kinds_of_deadline_are_left_open(self, case, worker):
        from cases import tracker

        other = tracker.deadline_open(
            case=case,
            kind=Deadline.Kind.COMPLAINT,
            source=case.intakes.get(),
            title="告訴期間",
            due=timezone.localdate() + dt.timedelta(days=90),
        )
        record_contact(actor=worker, case=case)
        other.refresh_from_db()
        assert other.state == Deadline.State.OPEN

    def test_a_refused_contact_leaves_the_open_deadline_open(self, case, worker):
        record_contact(actor=worker, case=case, next_contact_on=timezone.localdate() + dt.timedelta(days=3))
        with pytest.raises(ValidationError):
            record_contact(actor=worker, case=case, immediate_danger="")
        assert Deadline.objects.get().state == Deadline.State.OPEN


class TestResourceSms:
    @pytest.mark.parametrize("result", [Result.NOT_REACHED, Result.NO_WISH])
    def test_queues_one_generic_message_sent_after_commit(
        self, case, worker, sms_file, django_capture_on_commit_callbacks, result
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            contact = record_contact(actor=worker, case=case, result=result, send_resource_sms=True)
        message = SmsMessage.objects.get()
        assert message.purpose == SmsMessage.Purpose.GENERIC_RESOURCE
        assert message.body == GUIDELINE_GENERIC_TEXT
        assert "被害人甲" not in message.body
        assert (message.case, message.intake, message.phone) == (case, None, "0912345678")
        assert message.state == SmsMessage.State.QUEUED
        assert Contact.objects.get(pk=contact.pk).resource_sms is True
        # Nothing leaves before the commit; the commit hands it to the sender.
        assert len(callbacks) == 1 and sms_file() == []
        callbacks[0]()
        assert SmsMessage.objects.get().state == SmsMessage.State.SENT
        assert [(m["to"], m["body"]) for m in sms_file()] == [("0912345678", GUIDELINE_GENERIC_TEXT)]

    def test_each_contact_sends_its_own_message(self, case, worker, sms_file):
        record_contact(actor=worker, case=case, result=Result.NOT_REACHED, send_resource_sms=True)
        record_contact(actor=worker, case=case, result=Result.NOT_REACHED, send_resource_sms=True)
        assert SmsMessage.objects.count() == 2

    def test_without_the_box_ticked_nothing_is_queued(self, case, worker, sms_file):
        record_contact(actor=worker, case=case, result=Result.NOT_REACHED)
        assert not SmsMessage.objects.exists()

    def test_refused_after_a_reached_contact(self, case, worker, sms_file):
        with pytest.raises(ValidationError) as exc:
            record_contact(actor=worker, case=case, send_resource_sms=True)
        assert set(exc.value.message_dict) == {"send_resource_sms"}
        assert not Contact.objects.exists() and not SmsMessage.objects.exists()

    def test_refused_when_the_victim_has_no_phone(self, hotline, worker, sms_file):
        no_phone = make_case(actor=hotline, worker=worker, victim_phone="")
        with pytest.raises(ValidationError) as exc:
            record_contact(actor=worker, case=no_phone, result=Result.NOT_REACHED, send_resource_sms=True)
        assert "手機" in exc.value.message_dict["send_resource_sms"][0]
        assert not Contact.objects.exists() and not SmsMessage.objects.exists()

    def test_a_landline_refuses_the_whole_contact(self, hotline, worker, sms_file):
        landline = make_case(actor=hotline, worker=worker, victim_phone="02-2361-5295")
        with pytest.raises(ValidationError) as exc:
            record_contact(actor=worker, case=landline, result=Result.NOT_REACHED, send_resource_sms=True)
        assert "手機" in " ".join(exc.value.messages)
        assert not Contact.objects.exists() and not SmsMessage.objects.exists()

    def test_from_a_pending_intake_it_goes_to_the_number_on_the_intake(self, hotline, police, sms_file):
        referral = make_referral(police=police, victim_phone="0987654321")
        record_contact(
            actor=hotline, intake=referral.intake, result=Result.NOT_REACHED, send_resource_sms=True
        )
        message = SmsMessage.objects.get()
        assert (message.intake, message.case, message.phone) == (referral.intake, None, "0987654321")
        assert message.body == GUIDELINE_GENERIC_TEXT


class TestIntakeContacts:
    def test_the_hotline_follows_up_a_pending_referral_before_any_case(self, hotline, police):
        referral = make_referral(police=police)
        contact = record_contact(actor=hotline, intake=referral.intake, notes="已致電被害人說明服務")
        assert (contact.intake, contact.case) == (referral.intake, None)
        assert list(selectors.intake_contacts(referral.intake)) == [contact]
        assert not Case.objects.exists()
        referral.intake.refresh_from_db()
        assert referral.intake.status == Intake.Status.PENDING

    def test_yes_alerts_the_hotline_and_supervisors_but_not_the_recorder(
        self, hotline, supervisor, police, worker
    ):
        make_user("hotline2", Role.HOTLINE)
        referral = make_referral(police=police, victim_name="轉介被害人乙")
        record_contact(actor=hotline, intake=referral.intake, immediate_danger=Danger.YES)
        assert recipients(safety_alerts()) == {"hotline2", "supervisor"}
        alerts = list(safety_alerts())
        assert all(a.url == referral.intake.get_absolute_url() and a.case is None for a in alerts)
        assert not any("轉介被害人乙" in a.text for a in alerts)

    def test_an_intake_contact_does_not_schedule_a_next_contact(self, hotline, police):
        referral = make_referral(police=police)
        with pytest.raises(ValidationError) as exc:
            record_contact(actor=hotline, intake=referral.intake, next_contact_on=timezone.localdate())
        assert set(exc.value.message_dict) == {"next_contact_on"}
        assert not Contact.objects.exists()

    def test_intake_contacts_show_on_the_case_after_acceptance(self, hotline, police, worker):
        referral = make_referral(police=police)
        now = timezone.now()
        before = record_contact(
            actor=hotline, intake=referral.intake, contacted_at=now - dt.timedelta(days=2)
        )
        case = services.case_open_from_intake(actor=hotline, intake=referral.intake)
        services.dispatch_case(actor=hotline, case=case, worker=worker, reason="派案")
        after = record_contact(actor=worker, case=case, contacted_at=now - dt.timedelta(hours=1))
        other = make_case(actor=hotline, worker=worker)
        record_contact(actor=worker, case=other)
        assert list(selectors.case_contacts(case)) == [after, before]  # newest first, no other case's

    def test_a_contact_on_an_intake_that_became_a_case_is_logged_on_the_case(self, hotline, worker):
        case = make_case(actor=hotline, worker=worker)
        contact = record_contact(actor=worker, intake=case.intakes.get())
        assert (contact.case, contact.intake) == (case, None)


class TestDangerFromIntake:
    def test_opening_a_case_from_a_yes_intake_flags_the_case_without_a_second_alert(
        self, hotline, supervisor
    ):
        intake = make_intake(actor=hotline, immediate_danger=Intake.Danger.YES)
        alerts = safety_alerts().count()
        assert alerts == 1  # recording the intake alerted the supervisor
        case = services.case_open_from_intake(actor=hotline, intake=intake)
        case = refreshed(case)
        assert case.in_danger and "受理階段表示有立即危險" in case.danger_note
        assert safety_alerts().count() == alerts

    def test_attaching_a_yes_intake_flags_the_existing_case(self, hotline, worker, supervisor):
        case = make_case(actor=hotline, worker=worker)
        assert not case.in_danger
        intake = make_intake(actor=hotline, immediate_danger=Intake.Danger.YES)
        services.intake_attach(actor=hotline, intake=intake, case=case)
        assert refreshed(case).in_danger

    @pytest.mark.parametrize("answer", [Intake.Danger.NO, Intake.Danger.UNKNOWN])
    def test_an_intake_without_yes_leaves_the_case_unflagged(self, hotline, worker, answer):
        case = services.case_open_from_intake(
            actor=hotline, intake=make_intake(actor=hotline, immediate_danger=answer)
        )
        assert not refreshed(case).in_danger
        other = make_case(actor=hotline, worker=worker)
        services.intake_attach(
            actor=hotline, intake=make_intake(actor=hotline, immediate_danger=answer), case=other
        )
        assert not refreshed(other).in_danger

    def test_the_flag_from_the_intake_is_cleared_by_a_later_no(self, hotline, worker):
        case = make_case(actor=hotline, worker=worker, immediate_danger=Intake.Danger.YES)
        assert refreshed(case).in_danger
        record_contact(actor=worker, case=case, contacted_at=timezone.now(), immediate_danger=Danger.NO)
        assert not refreshed(case).in_danger

    def test_a_no_older_than_the_intakes_yes_does_not_clear_the_flag(self, hotline, worker):
        case = make_case(actor=hotline, worker=worker, immediate_danger=Intake.Danger.YES)
        record_contact(
            actor=worker,
            case=case,
            contacted_at=timezone.now() - dt.timedelta(days=1),
            immediate_danger=Danger.NO,
        )
        assert refreshed(case).in_danger

    def test_a_later_no_on_the_intake_means_the_case_opens_unflagged(self, hotline, supervisor):
        intake = make_intake(actor=hotline, immediate_danger=Intake.Danger.YES)
        record_contact(actor=hotline, intake=intake, contacted_at=timezone.now(), immediate_danger=Danger.NO)
        case = services.case_open_from_intake(actor=hotline, intake=intake)
        assert not refreshed(case).in_danger

    def test_not_asked_on_the_intake_keeps_the_intakes_yes(self, hotline, supervisor):
        intake = make_intake(actor=hotline, immediate_danger=Intake.Danger.YES)
        record_contact(
            actor=hotline,
            intake=intake,
            contacted_at=timezone.now(),
            immediate_danger=Danger.NOT_ASKED,
            danger_not_asked_reason="被害人在公司",
        )
        case = services.case_open_from_intake(actor=hotline, intake=intake)
        assert refreshed(case).in_danger

    def test_a_yes_given_in_a_contact_on_an_attached_intake_flags_the_case(self, hotline, worker, police):
        case = make_case(actor=hotline, worker=worker)
        referral = make_referral(police=police)
        record_contact(actor=hotline, intake=referral.intake, immediate_danger=Danger.YES)
        services.intake_attach(actor=hotline, intake=referral.intake, case=case)
        assert refreshed(case).in_danger

    def test_a_yes_given_in_a_contact_on_the_intake_flags_the_case_it_becomes(self, hotline, police):
        referral = make_referral(police=police)  # the form said nothing of danger
        record_contact(actor=hotline, intake=referral.intake, immediate_danger=Danger.YES)
        case = services.case_open_from_intake(actor=hotline, intake=referral.intake)
        assert refreshed(case).in_danger
