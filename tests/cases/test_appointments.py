"""Booking a service for the victim (指引 1-2b) and the complaint dates the hotline types at call time
(指引 1-2c): from the call, on the case, onto the tracker and the victim's generic reminder SMS."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Deadline, Intake, ServiceAppointment, SmsMessage
from cases.rocdate import format_roc
from tests.factories import make_case, make_intake

pytestmark = pytest.mark.django_db


def in_days(days: int, hour: int = 14) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


class TestOnTheCase:
    def test_a_booking_is_a_deadline_of_the_worker_and_a_reminder_sms_with_consent(self, hotline, worker):
        case = make_case(actor=hotline, worker=worker, sms_consent=True)
        appointment = services.appointment_book(
            actor=worker, case=case, service="legal", scheduled_at=in_days(3), place_code="A3"
        )
        deadline = Deadline.objects.get(kind=Deadline.Kind.APPOINTMENT, source_id=str(appointment.pk))
        assert deadline.owner == worker and deadline.due_at == appointment.scheduled_at
        assert deadline.title == "預約法律諮詢"
        message = SmsMessage.objects.get(case=case, purpose=SmsMessage.Purpose.APPOINTMENT_REMINDER)
        assert "A3" in message.body and case.victim.name not in message.body

    def test_without_consent_or_place_code_no_sms(self, hotline, worker):
        case = make_case(actor=hotline, worker=worker)
        services.appointment_book(
            actor=worker, case=case, service="legal", scheduled_at=in_days(3), place_code="A3"
        )
        consenting = make_case(actor=hotline, worker=worker, sms_consent=True)
        services.appointment_book(
            actor=worker, case=consenting, service="counselling", scheduled_at=in_days(3)
        )
        assert not SmsMessage.objects.filter(purpose=SmsMessage.Purpose.APPOINTMENT_REMINDER).exists()

    def test_cancelling_withdraws_the_reminder_and_closes_the_deadline(self, hotline, worker):
        case = make_case(actor=hotline, worker=worker, sms_consent=True)
        appointment = services.appointment_book(
            actor=worker, case=case, service="police_report", scheduled_at=in_days(4), place_code="B1"
        )
        services.appointment_set_status(actor=worker, appointment=appointment, status="cancelled")
        message = SmsMessage.objects.get(case=case)
        assert message.state == SmsMessage.State.CANCELLED
        deadline = Deadline.objects.get(source_id=str(appointment.pk))
        assert deadline.state == Deadline.State.NOT_APPLICABLE and deadline.close_reason == "預約已取消"
        with pytest.raises(ValidationError):
            services.appointment_set_status(actor=worker, appointment=appointment, status="held")

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [({"scheduled_at": "past"}, "scheduled_at"), ({"place_code": "大安分局"}, "place_code")],
    )
    def test_bad_input_is_refused_and_nothing_saved(self, hotline, worker, overrides, field):
        case = make_case(actor=hotline, worker=worker)
        data = {"service": "legal", "scheduled_at": in_days(2), "place_code": ""}
        data.update(overrides)
        if data["scheduled_at"] == "past":
            data["scheduled_at"] = timezone.now() - dt.timedelta(hours=1)
        with pytest.raises(ValidationError) as exc:
            services.appointment_book(actor=worker, case=case, **data)
        assert field in exc.value.error_dict
        assert not ServiceAppointment.objects.exists()


class TestFromTheCall:
    def test_booked_on_the_call_it_moves_to_the_case_when_opened(self, hotline, worker):
        intake = make_intake(actor=hotline, sms_consent=True)
        appointment = services.appointment_book(
            actor=hotline,
            intake=intake,
            service="evidence_teaching",
            scheduled_at=in_days(2),
            place_code="C2",
        )
        assert not Deadline.objects.exists() and not SmsMessage.objects.exists()
        case = services.case_open_from_intake(actor=hotline, intake=intake)
        appointment.refresh_from_db()
        assert appointment.case == case
        assert case.victim.sms_consent is True  # given on the call
        deadline = Deadline.objects.get(source_id=str(appointment.pk))
        assert deadline.owner is None
        services.dispatch_case(actor=hotline, case=case, worker=worker, reason="派案")
        deadline.refresh_from_db()
        assert deadline.owner == worker  # handed over with the case
        assert (
            SmsMessage.objects.filter(case=case, purpose=SmsMessage.Purpose.APPOINTMENT_REMINDER).count() == 1
        )

    def test_attaching_the_call_to_an_existing_case_moves_it_too(self, hotline, worker):
        case = make_case(actor=hotline, worker=worker)
        intake = make_intake(actor=hotline, victim_phone=case.victim.phone)
        services.appointment_book(actor=hotline, intake=intake, service="legal", scheduled_at=in_days(5))
        services.intake_attach(actor=hotline, intake=intake, case=case)
        assert Deadline.objects.get(kind=Deadline.Kind.APPOINTMENT).owner == worker

    def test_the_hotline_books_from_the_intake_page(self, client, hotline):
        intake = make_intake(actor=hotline)
        client.force_login(hotline)
        when = in_days(3)
        response = client.post(
            reverse("cases:intake_appointment_new", args=[intake.pk]),
            {
                "service": "legal",
                "scheduled_at_0": format_roc(timezone.localtime(when).date()),
                "scheduled_at_1": "14:00",
                "place_code": "A3",
            },
        )
        assert response.status_code == 302
        page = client.get(intake.get_absolute_url()).content.decode()
        assert "法律諮詢" in page and "地點代碼 A3" in page

    def test_a_place_name_is_refused_on_the_form_with_what_was_typed_kept(self, client, hotline):
        intake = make_intake(actor=hotline)
        client.force_login(hotline)
        response = client.post(
            reverse("cases:intake_appointment_new", args=[intake.pk]),
            {
                "service": "legal",
                "scheduled_at_0": format_roc(timezone.localdate() + dt.timedelta(days=2)),
                "scheduled_at_1": "10:00",
                "place_code": "臺北市大安區和平東路",
                "note": "被害人希望上午",
            },
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "被害人希望上午" in html and "資料有誤" in html
        assert not ServiceAppointment.objects.exists()


class TestComplaintDatesAtCallTime:
    def test_the_call_keeps_when_the_victim_learned_and_knew_the_offender(self, hotline):
        learned = timezone.localdate() - dt.timedelta(days=10)
        knew = timezone.localdate() - dt.timedelta(days=5)
        intake = make_intake(
            actor=hotline, learned_of_images_on=learned, offender_known=True, knew_offender_on=knew
        )
        intake = Intake.objects.get(pk=intake.pk)
        assert (intake.learned_of_images_on, intake.offender_known, intake.knew_offender_on) == (
            learned,
            True,
            knew,
        )

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"offender_known": False, "knew_offender_on": "past"}, "knew_offender_on"),
            ({"learned_of_images_on": "future"}, "learned_of_images_on"),
        ],
    )
    def test_inconsistent_dates_are_refused(self, hotline, fields, field):
        today = timezone.localdate()
        values = {
            key: today - dt.timedelta(days=3)
            if v == "past"
            else today + dt.timedelta(days=3)
            if v == "future"
            else v
            for key, v in fields.items()
        }
        with pytest.raises(ValidationError) as exc:
            make_intake(actor=hotline, **values)
        assert field in exc.value.error_dict
        assert not Intake.objects.exists()

    def test_the_call_form_takes_roc_dates_and_the_consent(self, client, hotline):
        client.force_login(hotline)
        learned = timezone.localdate() - dt.timedelta(days=20)
        response = client.post(
            reverse("cases:intake_new_call"),
            {
                "received_at_0": format_roc(timezone.localdate()),
                "received_at_1": "09:00",
                "channel": "hotline",
                "caller_relation": "victim",
                "victim_name": "林小姐",
                "immediate_danger": "no",
                "narrative": "前男友散布影片。",
                "wishes": "wants_service",
                "learned_of_images_on": format_roc(learned),
                "offender_known": "yes",
                "knew_offender_on": format_roc(learned),
                "sms_consent": "on",
            },
        )
        assert response.status_code == 302, response.content.decode()[:500]
        intake = Intake.objects.get()
        assert intake.learned_of_images_on == learned and intake.offender_known is True and intake.sms_consent
