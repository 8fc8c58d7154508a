"""預約服務 (指引 1-2b): a service time booked for the victim, from the call or on the case.

On a case the booking is a tracker deadline (Deadline.Kind.APPOINTMENT, owner the assigned worker) and,
when the victim agreed to SMS and a place code was agreed with them, the generic reminder SMS 24 hours
before. Booked on a waiting intake it waits there and becomes both when the intake is opened as a case
or attached to one (`appointments_move_to_case`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases import tracker
from cases.models import Case, Deadline, Intake, ServiceAppointment
from cases.rocdate import format_roc
from cases.sms import outbox
from cases.sms.text import SmsTextError, check_place_code
from cases.writes import model_save


def _title(appointment: ServiceAppointment) -> str:
    return f"預約{appointment.get_service_display()}"


def _track(appointment: ServiceAppointment, *, actor) -> None:
    """The deadline and the victim's reminder of a booked appointment on a case."""
    case = appointment.case
    tracker.deadline_open(
        case=case,
        kind=Deadline.Kind.APPOINTMENT,
        source=appointment,
        title=_title(appointment),
        due=appointment.scheduled_at,
        owner=case.assigned_worker,
        actor=actor,
    )
    outbox.sms_cancel_pending_for_source(source=appointment, actor=actor)
    if appointment.place_code and case.victim.sms_consent and case.victim.phone:
        outbox.sms_queue_appointment_reminder(
            actor=actor,
            case=case,
            starts_at=appointment.scheduled_at,
            place_code=appointment.place_code,
            source=appointment,
        )


@transaction.atomic
def appointment_book(
    *,
    actor,
    service: str,
    scheduled_at: dt.datetime,
    place_code: str = "",
    note: str = "",
    intake: Intake | None = None,
    case: Case | None = None,
) -> ServiceAppointment:
    if (intake is None) == (case is None):
        raise ValueError("an appointment belongs to an intake or to a case")
    if intake is not None and intake.case_id:
        case, intake = Case.objects.get(pk=intake.case_id), None
    if case is not None and case.is_closed:
        raise ValidationError("已結案的案件不能預約服務；如需繼續服務，請先重新開案。", code="case_closed")
    if scheduled_at <= timezone.now():
        raise ValidationError({"scheduled_at": "預約時間要在現在之後。"})
    try:
        place_code = check_place_code(place_code) if place_code.strip() else ""
    except SmsTextError as exc:
        raise ValidationError({"place_code": exc.messages}) from None
    appointment = ServiceAppointment(
        intake=intake,
        case=case,
        service=service,
        scheduled_at=scheduled_at,
        place_code=place_code,
        note=note.strip(),
        booked_by=actor,
    )
    model_save(actor=actor, instance=appointment)
    if case is not None:
        appointment.case = Case.objects.select_related("victim", "assigned_worker").get(pk=case.pk)
        _track(appointment, actor=actor)
    return appointment


@transaction.atomic
def appointment_set_status(*, actor, appointment: ServiceAppointment, status: str) -> ServiceAppointment:
    """Held or cancelled: the deadline closes and a reminder not yet sent is withdrawn."""
    if status not in (ServiceAppointment.Status.HELD, ServiceAppointment.Status.CANCELLED):
        raise ValidationError({"status": "請選擇已完成或已取消。"})
    appointment = ServiceAppointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.status != ServiceAppointment.Status.BOOKED:
        raise ValidationError("這筆預約已結束，請重新整理頁面。", code="appointment_closed")
    appointment.status = status
    model_save(actor=actor, instance=appointment, update_fields=["status"])
    outbox.sms_cancel_pending_for_source(source=appointment, actor=actor)
    if appointment.case_id:
        reason = "預約已完成" if status == ServiceAppointment.Status.HELD else "預約已取消"
        tracker.deadline_cancel_for_source(
            source=appointment, kind=Deadline.Kind.APPOINTMENT, actor=actor, reason=reason
        )
    return appointment


def appointments_move_to_case(*, actor, intake: Intake, case: Case) -> int:
    """The intake became (or joined) a case: its booked appointments are tracked on the case now."""
    moved = 0
    case = Case.objects.select_related("victim", "assigned_worker").get(pk=case.pk)
    for appointment in intake.appointments.filter(status=ServiceAppointment.Status.BOOKED, case__isnull=True):
        appointment.case = case
        model_save(actor=actor, instance=appointment, update_fields=["case"])
        if appointment.scheduled_at > timezone.now():
            _track(appointment, actor=actor)
        moved += 1
    return moved


def appointment_label(appointment: ServiceAppointment) -> str:
    local = timezone.localtime(appointment.scheduled_at)
    return f"{appointment.get_service_display()} {format_roc(local.date())} {local:%H:%M}"
