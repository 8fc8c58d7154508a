"""The services of psychological support and accompaniment, through their real entry points."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import tracker
from cases.models import Deadline, Notification, SmsMessage
from cases.registry import linkable_records, record_key
from cases.writes import model_save
from services import rules, services
from services.models import (
    CounsellingReferral,
    DeclinedEscortRequest,
    Escort,
    EscortChecklist,
    EscortKind,
    Screening,
)
from tests.factories import make_case, make_user
from tests.legal.factories import make_police_report
from tests.services.factories import (
    consent,
    make_court_escort,
    make_interview_escort,
    make_referral,
    make_report,
    make_screening,
)

pytestmark = pytest.mark.django_db


def _deadlines(escort, kind):
    return [d for d in Deadline.objects.filter(kind=kind, source_id=str(escort.pk))]


class TestScreening:
    def test_scores_and_stores_the_band(self, worker, case_of_worker):
        screening = make_screening(actor=worker, case=case_of_worker, items=(3, 3, 2, 2, 1), item_suicide=0)
        screening.refresh_from_db()
        assert (screening.total, screening.band, screening.urgent) == (11, "中度情緒困擾", False)
        assert screening.psychiatry_suggested
        assert screening.history.get().history_user == worker

    def test_suicide_item_two_alerts_the_worker_and_every_active_supervisor(
        self, worker, supervisor, case_of_worker
    ):
        other = make_user("supervisor2", "supervisor")
        gone = make_user("supervisor3", "supervisor", is_active=False)
        make_screening(actor=worker, case=case_of_worker, items=(0, 0, 0, 0, 0), item_suicide=2)
        alerts = Notification.objects.filter(kind=Notification.Kind.SAFETY, case=case_of_worker)
        assert {n.recipient for n in alerts} == {worker, supervisor, other}
        assert gone not in {n.recipient for n in alerts}
        text = alerts.first().text
        assert case_of_worker.number in text
        assert case_of_worker.victim.name not in text

    def test_no_alert_below_two_on_the_suicide_item(self, worker, supervisor, case_of_worker):
        make_screening(actor=worker, case=case_of_worker, items=(4, 4, 4, 4, 4), item_suicide=1)
        assert not Notification.objects.filter(kind=Notification.Kind.SAFETY).exists()

    def test_bad_scores_are_refused_in_chinese_and_nothing_is_saved(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            make_screening(actor=worker, case=case_of_worker, items=(1, 1, 1, 1, 7))
        assert "0 到 4 分" in str(exc.value)
        assert not Screening.objects.exists()

    def test_ptsd_uses_the_instruments_cutoff_and_records_it(self, worker, case_of_worker):
        from services.models import PtsdInstrument

        instrument = PtsdInstrument.objects.get(code="ihealth")
        instrument.cutoff = 2
        instrument.save()
        screening = make_screening(
            actor=worker,
            case=case_of_worker,
            ptsd_instrument=instrument,
            ptsd_answers=[True, True, False, False, False],
        )
        assert (screening.ptsd_score, screening.ptsd_cutoff, screening.ptsd_positive) == (2, 2, True)
        assert screening.psychiatry_suggested  # PTSD alone (2-1-1c)

    def test_a_contact_of_another_case_is_refused(self, worker, hotline, case_of_worker):
        from cases import services as case_services
        from cases.models import Contact

        other = make_case(actor=hotline, worker=worker)
        contact = case_services.contact_record(
            actor=worker,
            case=other,
            contacted_at=timezone.now(),
            mode=Contact.Mode.PHONE,
            result=Contact.Result.REACHED,
            immediate_danger=Contact.Danger.NO,
        )
        with pytest.raises(ValidationError):
            make_screening(actor=worker, case=case_of_worker, contact=contact)


class TestCounselling:
    def test_eligibility_by_age_on_the_referral_date(self, hotline, worker):
        today = timezone.localdate()
        case = make_case(actor=hotline, worker=worker, victim_birth_date=today.replace(year=today.year - 50))
        referral = make_referral(
            actor=worker, case=case, code="mohw_adult", status=CounsellingReferral.Status.ASSESSING
        )
        assert referral.eligible is False
        assert referral.ineligible_reason.startswith("年齡不符（15-45歲")
        assert referral.status == CounsellingReferral.Status.INELIGIBLE
        with pytest.raises(ValidationError) as exc:
            make_referral(
                actor=worker, case=case, code="mohw_adult", status=CounsellingReferral.Status.REFERRED
            )
        assert "年齡不符" in str(exc.value.message_dict["programme"])

    def test_a_young_adult_is_eligible_until_the_free_sessions_are_used(self, hotline, worker):
        today = timezone.localdate()
        case = make_case(actor=hotline, worker=worker, victim_birth_date=today.replace(year=today.year - 25))
        first = make_referral(
            actor=worker, case=case, code="mohw_adult", sessions_used=3, sessions_approved=3
        )
        assert first.eligible is True
        second = make_referral(
            actor=worker, case=case, code="mohw_adult", status=CounsellingReferral.Status.ASSESSING
        )
        assert second.eligible is False
        assert second.ineligible_reason.startswith("已用完次數")

    def test_the_programme_data_decides_not_the_code(self, hotline, worker):
        from tests.services.factories import programme

        today = timezone.localdate()
        case = make_case(actor=hotline, worker=worker, victim_birth_date=today.replace(year=today.year - 50))
        adult = programme("mohw_adult")
        adult.max_age = 55
        adult.save()
        assert make_referral(actor=worker, case=case, code="mohw_adult").eligible is True

    def test_unwilling_victims_are_not_referred(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            make_referral(actor=worker, case=case_of_worker, victim_willing=False)
        assert "意願" in str(exc.value)

    def test_the_first_session_escort_marks_the_referral(self, worker, case_of_worker):
        referral = make_referral(actor=worker, case=case_of_worker)
        services.escort_record(
            actor=worker,
            case=case_of_worker,
            kind=EscortKind.COUNSELLING,
            counselling_referral=referral,
            starts_at=timezone.now() - dt.timedelta(hours=2),
            status=Escort.Status.DONE,
            **consent(),
        )
        referral.refresh_from_db()
        assert referral.first_session_escorted


class TestEscortConsent:
    def test_no_escort_without_the_victims_consent(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            make_interview_escort(actor=worker, case=case_of_worker, victim_consent=False)
        assert "同意" in str(exc.value.message_dict["victim_consent"])
        assert not Escort.objects.exists()

    def test_consent_must_come_before_the_escort(self, worker, case_of_worker):
        start = timezone.now() - dt.timedelta(hours=3)
        with pytest.raises(ValidationError) as exc:
            make_interview_escort(
                actor=worker, case=case_of_worker, starts_at=start, consent_at=start + dt.timedelta(hours=1)
            )
        assert "consent_at" in exc.value.message_dict


class TestInterviewEscort:
    def test_a_done_interview_escort_opens_the_3_day_record_deadline_for_the_worker(
        self, worker, case_of_worker
    ):
        escort = make_interview_escort(actor=worker, case=case_of_worker)
        (deadline,) = _deadlines(escort, Deadline.Kind.SERVICE_RECORD)
        day = timezone.localtime(escort.starts_at).date()
        assert (
            timezone.localtime(deadline.due_at).date()
            == rules.service_record_due(day)
            == day + dt.timedelta(3)
        )
        assert deadline.owner == worker and deadline.state == Deadline.State.OPEN

    def test_completing_the_form_closes_the_deadline_as_done(self, worker, case_of_worker):
        escort = make_interview_escort(actor=worker, case=case_of_worker)
        report = make_report(actor=worker, escort=escort)
        (deadline,) = _deadlines(escort, Deadline.Kind.SERVICE_RECORD)
        assert deadline.state == Deadline.State.DONE and deadline.closed_by == worker
        assert report.completed_on == timezone.localdate()
        # Saving the escort again does not reopen a deadline whose form is done.
        services.escort_update(actor=worker, escort=escort, note="補充")
        (deadline,) = _deadlines(escort, Deadline.Kind.SERVICE_RECORD)
        assert deadline.state == Deadline.State.DONE

    def test_a_planned_escort_has_no_record_deadline_and_no_form(self, worker, case_of_worker):
        escort = make_interview_escort(actor=worker, case=case_of_worker, done=False)
        assert _deadlines(escort, Deadline.Kind.SERVICE_RECORD) == []
        with pytest.raises(ValidationError):
            make_report(actor=worker, escort=escort)

    def test_cancelling_cancels_the_record_deadline(self, worker, case_of_worker):
        escort = make_interview_escort(actor=worker, case=case_of_worker)
        services.escort_update(actor=worker, escort=escort, status=Escort.Status.CANCELLED)
        (deadline,) = _deadlines(escort, Deadline.Kind.SERVICE_RECORD)
        assert deadline.state != Deadline.State.OPEN

    def test_ticks_keep_the_checklist_version_it_was_made_with(self, worker, supervisor, case_of_worker):
        escort = make_interview_escort(actor=worker, case=case_of_worker)
        v1 = escort.checklist
        EscortChecklist.objects.create(
            kind="interview", version=2, items=[{"code": "X-1", "phase": "before", "text": "新項目"}]
        )
        assert services.current_checklist("interview").version == 2
        services.escort_update(actor=worker, escort=escort, ticks=["3-1-1C", "3-1-3A", "X-1"])
        escort.refresh_from_db()
        assert escort.checklist == v1
        assert escort.ticks == ["3-1-1C", "3-1-3A"]  # a code of another version is not kept
        assert escort.notes_by_code() == {"3-1-1C": "警方安排隔離偵訊室"}
        newer = make_interview_escort(actor=worker, case=case_of_worker)
        assert newer.checklist.version == 2

    def test_structured_fields_are_checked(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            make_interview_escort(
                actor=worker,
                case=case_of_worker,
                pause_requested=True,
                corrections_made=True,
                officer_reminded=True,
                support_used="interpreter",
            )
        assert {"pause_by", "corrections_made", "officer_reminded", "interpreter_language"} <= set(
            exc.value.message_dict
        )

    def test_links_the_police_report_by_key_and_shows_its_label(self, worker, case_of_worker):
        report = make_police_report(actor=worker, case=case_of_worker)
        key = record_key(report)
        (option,) = linkable_records(case_of_worker, "police_report")
        escort = make_interview_escort(actor=worker, case=case_of_worker, linked_key=key)
        assert (escort.linked_key, escort.linked_label) == (key, option.label)

    def test_a_key_of_another_case_is_refused(self, worker, hotline, case_of_worker):
        other = make_case(actor=hotline, worker=worker)
        report = make_police_report(actor=worker, case=other)
        with pytest.raises(ValidationError) as exc:
            make_interview_escort(actor=worker, case=case_of_worker, linked_key=record_key(report))
        assert "linked_key" in exc.value.message_dict


class TestCourtEscort:
    def test_a_hearing_is_an_appointment_owned_by_the_worker(self, worker, case_of_worker):
        escort = make_court_escort(actor=worker, case=case_of_worker)
        (deadline,) = _deadlines(escort, Deadline.Kind.APPOINTMENT)
        assert deadline.owner == worker and deadline.due_at == escort.starts_at
        assert deadline.state == Deadline.State.OPEN

    def test_the_victims_generic_sms_only_with_consent(self, worker, case_of_worker):
        escort = make_court_escort(actor=worker, case=case_of_worker, place_code="A3")
        assert not SmsMessage.objects.filter(case=case_of_worker, purpose="appointment_reminder").exists()
        assert "未同意" in escort.sms_reminder_note
        victim = case_of_worker.victim
        victim.sms_consent = True
        model_save(actor=worker, instance=victim, update_fields=["sms_consent"])
        escort = make_court_escort(actor=worker, case=case_of_worker, place_code="A3")
        message = SmsMessage.objects.get(case=case_of_worker, purpose="appointment_reminder")
        assert "法院" not in message.body and case_of_worker.victim.name not in message.body
        assert "A3" in message.body
        services.escort_update(actor=worker, escort=escort, status=Escort.Status.CANCELLED)
        message.refresh_from_db()
        assert message.state == SmsMessage.State.CANCELLED

    def test_with_the_defendant_present_they_meet_at_the_bailiffs_office(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            make_court_escort(
                actor=worker, case=case_of_worker, defendant_present=True, meeting_point="法庭外"
            )
        assert "法警室" in str(exc.value.message_dict["meeting_point"])
        make_court_escort(actor=worker, case=case_of_worker, defendant_present=True, meeting_point="法警室")

    def test_the_worker_speaks_only_when_asked(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            make_court_escort(actor=worker, case=case_of_worker, worker_statement_made=True)
        assert "statement_requested_by" in exc.value.message_dict

    def test_a_victim_not_attending_needs_leave_or_postponement(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            make_court_escort(actor=worker, case=case_of_worker, victim_attends=False)
        assert "absence_action" in exc.value.message_dict

    def test_after_court_the_record_is_due_after_the_checklists_period(self, worker, case_of_worker):
        checklist = services.current_checklist("court")
        checklist.record_due_days = 5
        checklist.save()
        escort = make_court_escort(
            actor=worker,
            case=case_of_worker,
            starts_at=timezone.now() - dt.timedelta(hours=4),
            status=Escort.Status.DONE,
            consent_at=timezone.now() - dt.timedelta(days=3),
        )
        (appointment,) = _deadlines(escort, Deadline.Kind.APPOINTMENT)
        assert appointment.state == Deadline.State.DONE
        (record,) = _deadlines(escort, Deadline.Kind.SERVICE_RECORD)
        day = timezone.localtime(escort.starts_at).date()
        assert timezone.localtime(record.due_at).date() == day + dt.timedelta(days=5)
        assert "陪同出庭服務紀錄表" in record.title


class TestDeclinedRequest:
    def test_fetching_belongings_is_declined_with_police_as_the_alternative(self, worker, case_of_worker):
        item = services.declined_request_record(
            actor=worker,
            case=case_of_worker,
            request=DeclinedEscortRequest.Request.FETCH_BELONGINGS,
            requested_on=timezone.localdate(),
        )
        assert "請找警察" in item.alternative_offered

    def test_other_requests_need_a_description(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            services.declined_request_record(
                actor=worker,
                case=case_of_worker,
                request=DeclinedEscortRequest.Request.OTHER,
                requested_on=timezone.localdate(),
            )
        assert {"detail", "alternative_offered"} <= set(exc.value.message_dict)


def test_deadline_close_of_a_record_form_is_not_reopened_by_a_second_completion(worker, case_of_worker):
    escort = make_interview_escort(actor=worker, case=case_of_worker)
    make_report(actor=worker, escort=escort)
    make_report(actor=worker, escort=escort, service_summary="更正內容")
    assert tracker.Deadline.objects.filter(source_id=str(escort.pk), state=Deadline.State.OPEN).count() == 0
    escort.refresh_from_db()
    assert escort.report.service_summary == "更正內容"


class TestSupportNote:
    def test_records_the_emotions_sorted_out_and_the_support_given(self, worker, case_of_worker):
        note = services.support_note_record(
            actor=worker,
            case=case_of_worker,
            noted_at=timezone.now(),
            emotions=["fear", "shame"],
            support_given="同理被害人的羞愧感，說明這不是她的錯。",
        )
        assert note.emotions == ["shame", "fear"]
        assert note.emotion_labels() == "羞愧、恐懼"

    def test_no_emotion_or_no_support_is_refused_in_chinese(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            services.support_note_record(
                actor=worker,
                case=case_of_worker,
                noted_at=timezone.now(),
                emotions=["other"],
                support_given=" ",
            )
        assert {"emotions_other", "support_given"} <= set(exc.value.message_dict)
        with pytest.raises(ValidationError) as exc:
            services.support_note_record(
                actor=worker, case=case_of_worker, noted_at=timezone.now(), emotions=[], support_given="陪伴"
            )
        assert "請勾選" in str(exc.value.message_dict["emotions"])
