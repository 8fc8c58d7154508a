"""Writes of the hub's intake window (指引 1): record an intake, open or attach a case, dispatch it.

Every service takes the acting user, validates before saving and records the actor in history.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases import tracker
from cases.list_columns import case_list_columns_refresh
from cases.models import Case, CaseNumberCounter, Dispatch, Intake, Notification, Victim
from cases.notifications import notify
from cases.roles import Role, has_role
from cases.services.appointments import appointments_move_to_case
from cases.services.contacts import case_flag_danger_from_intake, intake_in_danger
from cases.sms import outbox
from cases.writes import model_save

User = get_user_model()


@transaction.atomic
def intake_record(
    *,
    actor,
    source: str,
    victim_name: str,
    narrative: str,
    received_at: dt.datetime | None = None,
    channel: str = Intake.Channel.HOTLINE,
    caller_relation: str = Intake.CallerRelation.VICTIM,
    caller_name: str = "",
    victim_phone: str = "",
    victim_national_id: str = "",
    victim_birth_date: dt.date | None = None,
    source_organisation: str = "",
    requests: list[str] | None = None,
    services_offered: list[str] | None = None,
    wishes: str = Intake.Wishes.WANTS_SERVICE,
    wishes_note: str = "",
    immediate_danger: str = Intake.Danger.UNKNOWN,
    send_resource_sms: bool = False,
    learned_of_images_on: dt.date | None = None,
    offender_known: bool | None = None,
    knew_offender_on: dt.date | None = None,
    sms_consent: bool = False,
) -> Intake:
    """Guideline 1-1/1-2: log a call or a referral form into the intake queue.

    send_resource_sms (guideline 1-3): the victim has no wish for services now, so the center's
    generic resource SMS goes to the mobile number given, queued in this same transaction.
    learned_of_images_on / offender_known / knew_offender_on (guideline 1-2c): what the complaint period
    runs from, so the hotline can tell the caller the date (the legal app computes it on the intake page).
    """
    if knew_offender_on and not offender_known:
        raise ValidationError({"knew_offender_on": "知悉犯人日期只在已知悉犯人時填寫。"})
    today = timezone.localdate()
    for field, day in (
        ("learned_of_images_on", learned_of_images_on),
        ("knew_offender_on", knew_offender_on),
    ):
        if day and day > today:
            raise ValidationError({field: "日期不能晚於今天。"})
    intake = Intake(
        source=source,
        source_organisation=source_organisation,
        received_at=received_at or timezone.now(),
        channel=channel,
        caller_relation=caller_relation,
        caller_name=caller_name,
        victim_birth_date=victim_birth_date,
        requests=list(requests or []),
        services_offered=list(services_offered or []),
        wishes=wishes,
        wishes_note=wishes_note,
        immediate_danger=immediate_danger,
        narrative=narrative,
        learned_of_images_on=learned_of_images_on,
        offender_known=offender_known,
        knew_offender_on=knew_offender_on if offender_known else None,
        sms_consent=sms_consent,
        created_by=actor,
    )
    intake.set_victim_name(victim_name)
    intake.set_victim_phone(victim_phone)
    intake.set_victim_national_id(victim_national_id)
    model_save(actor=actor, instance=intake)
    if send_resource_sms:
        if intake.wishes != Intake.Wishes.DECLINES:
            raise ValidationError({"wishes": "服務資源簡訊只在被害人暫無意願接受服務時傳送。"})
        if not intake.victim_phone:
            raise ValidationError({"victim_phone": "要傳送服務資源簡訊，請填寫被害人手機。"})
        outbox.sms_queue_generic_resource(actor=actor, intake=intake)
    if intake.immediate_danger == Intake.Danger.YES:
        _alert_immediate_danger(intake=intake, actor=actor)
    return intake


def _alert_immediate_danger(*, intake: Intake, actor) -> None:
    """Guideline 7: an intake flagged as immediate danger alerts the hotline and the supervisors at once."""
    on_duty = (
        User.objects.filter(is_active=True, groups__name__in=[Role.HOTLINE, Role.SUPERVISOR])
        .exclude(pk=actor.pk)
        .distinct()
    )
    notify(
        recipients=on_duty,
        kind=Notification.Kind.SAFETY,
        text=f"受理佇列有一筆{intake.get_source_display()}標示「有立即人身安全危險」，請立即處理。",
        url=intake.get_absolute_url(),
    )


def _next_case_number() -> str:
    roc_year = timezone.localdate().year - 1911
    counter, _ = CaseNumberCounter.objects.select_for_update().get_or_create(roc_year=roc_year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{roc_year}-{counter.last_number:06d}"


def _lock_pending(intake: Intake) -> Intake:
    locked = Intake.objects.select_for_update().get(pk=intake.pk)
    if locked.status != Intake.Status.PENDING:
        raise ValidationError("這筆受理紀錄已處理過，請重新整理頁面。", code="intake_handled")
    return locked


@transaction.atomic
def case_open_from_intake(*, actor, intake: Intake) -> Case:
    """Accept a pending intake as a new case: the victim is created from what the caller told us."""
    intake = _lock_pending(intake)
    victim = Victim(birth_date=intake.victim_birth_date, sms_consent=intake.sms_consent)
    victim.set_name(intake.victim_name)
    victim.set_phone(intake.victim_phone)
    victim.set_national_id(intake.victim_national_id)
    model_save(actor=actor, instance=victim)
    case = Case(
        number=_next_case_number(),
        victim=victim,
        victim_name_index=victim.name_index,  # the search box's copy (Case.victim_name_index)
        opened_by=actor,
        opened_at=timezone.now(),
    )
    model_save(actor=actor, instance=case)
    intake.case = case
    intake.status = Intake.Status.ACCEPTED
    intake.handled_by = actor
    intake.handled_at = timezone.now()
    model_save(actor=actor, instance=intake, update_fields=["case", "status", "handled_by", "handled_at"])
    if intake_in_danger(intake):
        case_flag_danger_from_intake(actor=actor, case=case, intake=intake)
    appointments_move_to_case(actor=actor, intake=intake, case=case)
    case_list_columns_refresh(case_ids=[case.pk])  # the intake's contacts are the case's now
    return case


@transaction.atomic
def intake_attach(*, actor, intake: Intake, case: Case) -> Case:
    """One window: a further call or referral for a victim who has a case joins that case."""
    intake = _lock_pending(intake)
    victim = case.victim
    filled = []
    # A new contact may bring an identifier the case lacked; keep it so the next call matches too.
    if intake.victim_phone and not victim.phone:
        victim.set_phone(intake.victim_phone)
        filled += ["phone", "phone_index"]
    if intake.victim_national_id and not victim.national_id:
        victim.set_national_id(intake.victim_national_id)
        filled += ["national_id", "national_id_index"]
    if intake.sms_consent and not victim.sms_consent:  # given on this call; withdrawing is the worker's
        victim.sms_consent = True
        filled.append("sms_consent")
    if filled:
        model_save(actor=actor, instance=victim, update_fields=filled)
    intake.case = case
    intake.status = Intake.Status.ATTACHED
    intake.handled_by = actor
    intake.handled_at = timezone.now()
    model_save(actor=actor, instance=intake, update_fields=["case", "status", "handled_by", "handled_at"])
    if intake_in_danger(intake):
        case_flag_danger_from_intake(actor=actor, case=case, intake=intake)
    appointments_move_to_case(actor=actor, intake=intake, case=case)
    case_list_columns_refresh(case_ids=[case.pk])  # the intake's contacts are the case's now
    return case


@transaction.atomic
def intake_close(*, actor, intake: Intake, note: str) -> Intake:
    """No case is opened (information only, or the victim declines services for now)."""
    if not note.strip():
        raise ValidationError({"note": "請說明不開案的原因。"})
    intake = _lock_pending(intake)
    intake.status = Intake.Status.CLOSED
    intake.closed_note = note.strip()
    intake.handled_by = actor
    intake.handled_at = timezone.now()
    model_save(
        actor=actor, instance=intake, update_fields=["status", "closed_note", "handled_by", "handled_at"]
    )
    return intake


@transaction.atomic
def dispatch_case(*, actor, case: Case, worker, reason: str) -> Dispatch:
    """派案 / 改派 to a direct-service social worker; earlier dispatches stay on record."""
    if not reason.strip():
        raise ValidationError({"reason": "請填寫派案說明。"})
    if not worker.is_active or not has_role(worker, Role.SOCIAL_WORKER):
        raise ValidationError({"worker": "只能派案給在職的直接服務組社工。"})
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == Case.Status.CLOSED:
        raise ValidationError("已結案的案件不能派案。", code="case_closed")
    if case.assigned_worker_id == worker.pk:
        raise ValidationError({"worker": "此案已由這位社工承辦。"})
    dispatch = Dispatch(
        case=case,
        worker=worker,
        previous_worker=case.assigned_worker,
        reason=reason.strip(),
        dispatched_by=actor,
    )
    model_save(actor=actor, instance=dispatch)
    previous_worker = case.assigned_worker
    case.assigned_worker = worker
    if case.status != Case.Status.CLOSE_REQUESTED:  # a pending closing request stays for the supervisor
        case.status = Case.Status.ASSIGNED
    model_save(actor=actor, instance=case, update_fields=["assigned_worker", "status", "updated_at"])
    tracker.deadlines_hand_over(case=case, previous_worker=previous_worker, worker=worker, actor=actor)
    case_list_columns_refresh(case_ids=[case.pk])
    notify(
        recipients=[worker],
        kind=Notification.Kind.DISPATCH,
        text=f"案件 {case.number} 已派給您承辦，請查看案件頁面。",
        case=case,
    )
    return dispatch


@transaction.atomic
def victim_update(
    *,
    actor,
    victim: Victim,
    name: str,
    phone: str = "",
    national_id: str = "",
    address: str = "",
    birth_date: dt.date | None = None,
    sms_consent: bool = False,
) -> Victim:
    """Correct or complete the victim's details; the match indexes follow the new values."""
    victim.set_name(name)
    victim.set_phone(phone)
    victim.set_national_id(national_id)
    victim.address = address.strip()
    victim.birth_date = birth_date
    victim.sms_consent = sms_consent
    model_save(
        actor=actor,
        instance=victim,
        update_fields=[
            "name",
            "name_index",
            "phone",
            "phone_index",
            "national_id",
            "national_id_index",
            "address",
            "birth_date",
            "sms_consent",
        ],
    )
    # The search box finds cases by their copy of the name index; derived, so no history row.
    Case.objects.filter(victim=victim).update(victim_name_index=victim.name_index)
    return victim
