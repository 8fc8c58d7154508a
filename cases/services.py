"""Writes of the hub: record an intake, open or attach a case, dispatch it.

Every service takes the acting user, validates before saving and records the actor in history.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases import outbox, tracker
from cases.models import Case, CaseNumberCounter, Dispatch, Intake, Notification, Victim
from cases.notifications import notify
from cases.privacy import national_id_index, phone_index
from cases.roles import Role, has_role

User = get_user_model()


def _save(obj, *, actor, update_fields: list[str] | None = None) -> None:
    """full_clean, then save with the actor on the history row."""
    obj._history_user = actor
    if update_fields is None:
        obj.full_clean()
        obj.save()
    else:
        obj.full_clean(exclude=[f.name for f in obj._meta.fields if f.name not in update_fields])
        obj.save(update_fields=update_fields)


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
) -> Intake:
    """Guideline 1-1/1-2: log a call or a referral form into the intake queue.

    send_resource_sms (guideline 1-3): the victim has no wish for services now, so the center's
    generic resource SMS goes to the mobile number given, queued in this same transaction.
    """
    intake = Intake(
        source=source,
        source_organisation=source_organisation,
        received_at=received_at or timezone.now(),
        channel=channel,
        caller_relation=caller_relation,
        caller_name=caller_name,
        victim_name=victim_name.strip(),
        victim_phone=victim_phone.strip(),
        victim_phone_index=phone_index(victim_phone),
        victim_national_id=victim_national_id.strip().upper(),
        victim_national_id_index=national_id_index(victim_national_id),
        victim_birth_date=victim_birth_date,
        requests=list(requests or []),
        services_offered=list(services_offered or []),
        wishes=wishes,
        wishes_note=wishes_note,
        immediate_danger=immediate_danger,
        narrative=narrative,
        created_by=actor,
    )
    _save(intake, actor=actor)
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
    victim = Victim(
        name=intake.victim_name,
        phone=intake.victim_phone,
        phone_index=intake.victim_phone_index,
        national_id=intake.victim_national_id,
        national_id_index=intake.victim_national_id_index,
        birth_date=intake.victim_birth_date,
    )
    _save(victim, actor=actor)
    case = Case(number=_next_case_number(), victim=victim, opened_by=actor, opened_at=timezone.now())
    _save(case, actor=actor)
    intake.case = case
    intake.status = Intake.Status.ACCEPTED
    intake.handled_by = actor
    intake.handled_at = timezone.now()
    _save(intake, actor=actor, update_fields=["case", "status", "handled_by", "handled_at"])
    return case


@transaction.atomic
def intake_attach(*, actor, intake: Intake, case: Case) -> Case:
    """One window: a further call or referral for a victim who has a case joins that case."""
    intake = _lock_pending(intake)
    victim = case.victim
    filled = []
    # A new contact may bring an identifier the case lacked; keep it so the next call matches too.
    if intake.victim_phone and not victim.phone:
        victim.phone, victim.phone_index = intake.victim_phone, intake.victim_phone_index
        filled += ["phone", "phone_index"]
    if intake.victim_national_id and not victim.national_id:
        victim.national_id, victim.national_id_index = (
            intake.victim_national_id,
            intake.victim_national_id_index,
        )
        filled += ["national_id", "national_id_index"]
    if filled:
        _save(victim, actor=actor, update_fields=filled)
    intake.case = case
    intake.status = Intake.Status.ATTACHED
    intake.handled_by = actor
    intake.handled_at = timezone.now()
    _save(intake, actor=actor, update_fields=["case", "status", "handled_by", "handled_at"])
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
    _save(intake, actor=actor, update_fields=["status", "closed_note", "handled_by", "handled_at"])
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
    _save(dispatch, actor=actor)
    previous_worker = case.assigned_worker
    case.assigned_worker = worker
    case.status = Case.Status.ASSIGNED
    _save(case, actor=actor, update_fields=["assigned_worker", "status", "updated_at"])
    tracker.deadlines_hand_over(case=case, previous_worker=previous_worker, worker=worker, actor=actor)
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
    victim.name = name.strip()
    victim.phone = phone.strip()
    victim.phone_index = phone_index(phone)
    victim.national_id = national_id.strip().upper()
    victim.national_id_index = national_id_index(national_id)
    victim.address = address.strip()
    victim.birth_date = birth_date
    victim.sms_consent = sms_consent
    _save(
        victim,
        actor=actor,
        update_fields=[
            "name",
            "phone",
            "phone_index",
            "national_id",
            "national_id_index",
            "address",
            "birth_date",
            "sms_consent",
        ],
    )
    return victim
