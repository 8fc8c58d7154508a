"""docs/legal.md: a booked consultation or police report reminds a victim who agreed to SMS (generic text).

The booking services keep the reminder in step, in the booking's transaction: queued with a place
code, cancelled and queued again when the appointment moves, cancelled when it is cancelled or done.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import SmsMessage
from cases.rocdate import format_roc
from cases.sms import outbox
from cases.sms.text import offence_words_in
from cases.writes import model_save
from legal import services
from legal.models import LegalConsultation, PoliceReport
from tests.legal.factories import make_consultation, make_police_report, soon

pytestmark = pytest.mark.django_db

State = SmsMessage.State
REMINDER = SmsMessage.Purpose.APPOINTMENT_REMINDER


@pytest.fixture(autouse=True)
def no_quiet_hours(settings):
    settings.SMS_QUIET_HOURS_START = settings.SMS_QUIET_HOURS_END = "00:00"


def consent(case, actor, agreed: bool = True):
    victim = case.victim
    victim.sms_consent = agreed
    model_save(actor=actor, instance=victim, update_fields=["sms_consent"])
    return case


def reminders(record=None):
    rows = SmsMessage.objects.filter(purpose=REMINDER)
    if record is not None:
        rows = rows.filter(source_key=outbox.sms_source_key(record))
    return rows.order_by("created_at")


def consultation_values(consultation: LegalConsultation, **overrides) -> dict:
    values = {
        "scheduled_at": consultation.scheduled_at,
        "provider": consultation.provider,
        "mode": consultation.mode,
        "escorted": consultation.escorted,
        "escort_worker": consultation.escort_worker,
        "status": consultation.status,
        "outcome": consultation.outcome,
    }
    values.update(overrides)
    return values


class TestConsultationReminder:
    def test_booking_with_a_code_queues_one_generic_reminder_a_day_before(self, worker, case_of_worker):
        case = consent(case_of_worker, worker)
        starts = soon(days=3, hour=14)
        consultation = make_consultation(actor=worker, case=case, scheduled_at=starts, place_code="A3")
        (message,) = SmsMessage.objects.filter(case=case)
        assert message.purpose == REMINDER and message.state == State.QUEUED
        assert message.source_key == f"legal.legalconsultation:{consultation.pk}"
        assert message.next_attempt_at == starts - dt.timedelta(hours=24)
        body = message.body
        assert "A3" in body and "14:00" in body
        assert case.victim.name not in body and consultation.provider not in body
        assert offence_words_in(body) == []
        assert consultation.sms_reminder_note.startswith("已排定")

    def test_without_consent_the_booking_saves_and_nothing_is_queued(self, worker, case_of_worker):
        consultation = make_consultation(actor=worker, case=case_of_worker, place_code="A3")
        assert LegalConsultation.objects.filter(pk=consultation.pk).exists()
        assert not SmsMessage.objects.exists()
        assert "未同意" in consultation.sms_reminder_note

    def test_without_a_code_nothing_is_queued(self, worker, case_of_worker):
        make_consultation(actor=worker, case=consent(case_of_worker, worker))
        assert not SmsMessage.objects.exists()

    def test_less_than_a_day_ahead_nothing_is_queued(self, worker, case_of_worker):
        case = consent(case_of_worker, worker)
        consultation = make_consultation(
            actor=worker, case=case, scheduled_at=timezone.now() + dt.timedelta(hours=5), place_code="A3"
        )
        assert not SmsMessage.objects.exists()
        assert "24 小時" in consultation.sms_reminder_note

    def test_rebooking_cancels_the_pending_reminder_and_queues_a_new_one(self, worker, case_of_worker):
        case = consent(case_of_worker, worker)
        consultation = make_consultation(actor=worker, case=case, scheduled_at=soon(days=3), place_code="A3")
        later = soon(days=5, hour=10)
        services.consultation_update(
            actor=worker,
            consultation=consultation,
            **consultation_values(consultation, scheduled_at=later),
            place_code="B-12",
        )
        old, new = reminders(consultation)
        assert old.state == State.CANCELLED and old.last_error
        assert new.state == State.QUEUED and new.next_attempt_at == later - dt.timedelta(hours=24)
        assert "B-12" in new.body and "10:00" in new.body

    def test_moving_back_to_the_first_time_queues_again(self, worker, case_of_worker):
        case = consent(case_of_worker, worker)
        first = soon(days=3)
        consultation = make_consultation(actor=worker, case=case, scheduled_at=first, place_code="A3")
        for when in (soon(days=4), first):
            services.consultation_update(
                actor=worker,
                consultation=consultation,
                **consultation_values(consultation, scheduled_at=when),
                place_code="A3",
            )
        states = [m.state for m in reminders(consultation)]
        assert states == [State.CANCELLED, State.CANCELLED, State.QUEUED]

    def test_an_edit_that_keeps_the_time_keeps_the_reminder(self, worker, case_of_worker):
        case = consent(case_of_worker, worker)
        consultation = make_consultation(actor=worker, case=case, place_code="A3")
        services.consultation_update(
            actor=worker, consultation=consultation, **consultation_values(consultation, provider="王律師")
        )
        (message,) = reminders(consultation)
        assert message.state == State.QUEUED

    @pytest.mark.parametrize("status", [LegalConsultation.Status.CANCELLED, LegalConsultation.Status.HELD])
    def test_cancelling_or_holding_cancels_the_pending_reminder(self, worker, case_of_worker, status):
        case = consent(case_of_worker, worker)
        consultation = make_consultation(actor=worker, case=case, place_code="A3")
        when = consultation.scheduled_at
        if status == LegalConsultation.Status.HELD:  # held early, e.g. moved forward by phone
            when = timezone.now() - dt.timedelta(hours=1)
        services.consultation_update(
            actor=worker,
            consultation=consultation,
            **consultation_values(consultation, status=status, scheduled_at=when),
            place_code="A3",
        )
        (message,) = reminders(consultation)
        assert message.state == State.CANCELLED

    def test_a_message_already_sending_or_sent_is_not_touched(self, worker, case_of_worker):
        case = consent(case_of_worker, worker)
        consultation = make_consultation(actor=worker, case=case, place_code="A3")
        (message,) = reminders(consultation)
        SmsMessage.objects.filter(pk=message.pk).update(state=State.SENDING)
        assert outbox.sms_cancel_pending_for_source(source=consultation, actor=worker) == 0
        assert SmsMessage.objects.get(pk=message.pk).state == State.SENDING

    def test_a_place_name_is_refused_by_the_service_and_nothing_is_saved(self, worker, case_of_worker):
        case = consent(case_of_worker, worker)
        with pytest.raises(ValidationError, match="地點代碼"):
            make_consultation(actor=worker, case=case, place_code="臺北地院")
        assert not LegalConsultation.objects.exists() and not SmsMessage.objects.exists()


class TestPoliceReportReminder:
    def test_booking_rebooking_and_cancelling(self, worker, case_of_worker):
        case = consent(case_of_worker, worker)
        report = make_police_report(actor=worker, case=case, place_code="C7")
        (first,) = reminders(report)
        assert first.state == State.QUEUED and first.source_key == f"legal.policereport:{report.pk}"
        assert offence_words_in(first.body) == [] and report.unit_name not in first.body

        values = {
            name: getattr(report, name)
            for name in (
                "unit_kind",
                "unit_name",
                "officer_gender_asked",
                "officer_gender",
                "laws",
                "evidence_handed_over",
                "victim_keeps_copy",
                "escorted",
                "escort_worker",
                "minor_companion",
                "note",
            )
        }
        later = soon(days=6, hour=9)
        services.police_report_update(
            actor=worker,
            police_report=report,
            **values,
            scheduled_at=later,
            status=PoliceReport.Status.BOOKED,
            place_code="C7",
        )
        old, new = reminders(report)
        assert (old.state, new.state) == (State.CANCELLED, State.QUEUED)
        assert new.next_attempt_at == later - dt.timedelta(hours=24)

        services.police_report_update(
            actor=worker,
            police_report=report,
            **values,
            scheduled_at=later,
            status=PoliceReport.Status.CANCELLED,
        )
        assert [m.state for m in reminders(report)] == [State.CANCELLED, State.CANCELLED]

    def test_without_consent_nothing_is_queued(self, worker, case_of_worker):
        report = make_police_report(actor=worker, case=case_of_worker, place_code="C7")
        assert PoliceReport.objects.filter(pk=report.pk).exists() and not SmsMessage.objects.exists()


class TestBookingForms:
    def consultation_form(self, **overrides) -> dict:
        data = {
            "scheduled_at_0": format_roc(timezone.localdate() + dt.timedelta(days=4)),
            "scheduled_at_1": "14:30",
            "provider": "法律扶助基金會臺北分會",
            "mode": "in_person",
            "place_code": "A3",
        }
        data.update(overrides)
        return data

    def test_booking_through_the_page_queues_the_reminder(self, client, worker, case_of_worker):
        consent(case_of_worker, worker)
        client.force_login(worker)
        response = client.post(
            reverse("legal:consultation_add", args=[case_of_worker.pk]), self.consultation_form(), follow=True
        )
        assert response.status_code == 200 and "已排定" in response.content.decode()
        (message,) = reminders()
        assert "A3" in message.body

    def test_a_place_name_is_a_form_error_and_the_typed_values_are_kept(self, client, worker, case_of_worker):
        consent(case_of_worker, worker)
        client.force_login(worker)
        data = self.consultation_form(place_code="臺北地院", provider="王律師")
        response = client.post(reverse("legal:consultation_add", args=[case_of_worker.pk]), data)
        html = response.content.decode()
        assert response.status_code == 200
        assert "地點代碼只能用英文字母、數字與連字號" in html
        for name in ("scheduled_at_0", "scheduled_at_1", "provider", "place_code"):
            assert data[name] in html, f"{name} was lost"
        assert not LegalConsultation.objects.exists() and not SmsMessage.objects.exists()

    def test_the_police_report_form_refuses_a_place_name(self, client, worker, case_of_worker):
        client.force_login(worker)
        data = {
            "unit_kind": "precinct",
            "unit_name": "大安分局和平東路派出所",
            "scheduled_at_0": format_roc(timezone.localdate() + dt.timedelta(days=2)),
            "scheduled_at_1": "10:00",
            "officer_gender_asked": "on",
            "officer_gender": "female",
            "laws": ["criminal_complaint"],
            "place_code": "派出所",
        }
        response = client.post(reverse("legal:police_report_add", args=[case_of_worker.pk]), data)
        html = response.content.decode()
        assert "地點代碼只能用英文字母、數字與連字號" in html and "大安分局和平東路派出所" in html
        assert not PoliceReport.objects.exists()

    def test_the_edit_page_opens_with_an_empty_code(self, client, worker, case_of_worker):
        consultation = make_consultation(actor=worker, case=case_of_worker)
        client.force_login(worker)
        response = client.get(reverse("legal:consultation_edit", args=[consultation.pk]))
        assert response.status_code == 200 and "簡訊提醒地點代碼" in response.content.decode()
