"""Contacts with the victim (指引 2-1, 7-1a, 1-3b) and the case's immediate-danger flag."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases import tracker
from cases.contact_rules import contact_errors
from cases.list_columns import case_list_columns_refresh
from cases.models import Case, Contact, Deadline, Intake, Notification
from cases.notifications import notify
from cases.registry import danger_listeners
from cases.rocdate import format_roc
from cases.roles import Role
from cases.sms import outbox
from cases.validators import is_valid_tw_mobile
from cases.writes import model_save

User = get_user_model()


def _supervisors():
    return User.objects.filter(is_active=True, groups__name=Role.SUPERVISOR).distinct()


@transaction.atomic
def contact_record(
    *,
    actor,
    contacted_at: dt.datetime,
    mode: str,
    result: str,
    case: Case | None = None,
    intake: Intake | None = None,
    immediate_danger: str = "",
    danger_not_asked_reason: str = "",
    notes: str = "",
    duration_minutes: int | None = None,
    next_contact_on: dt.date | None = None,
    send_resource_sms: bool = False,
) -> Contact:
    """Record a contact or an attempt. Reaching the victim requires the immediate-danger answer.

    有立即危險 flags the case and tells the supervisors (and the worker) at once; a later 無立即危險
    clears the flag. A next contact date becomes the worker's tracker deadline; recording a contact
    settles the earlier next-contact deadlines of the case. 聯繫未果 / 暫無意願 may send the generic
    resource SMS through the outbox, in this same transaction.
    """
    if (case is None) == (intake is None):
        raise ValueError("a contact belongs to a case or to an intake")
    if intake is not None:
        # Locked and read afresh: an attach running now either waits for this contact or is seen here,
        # so the contact lands where the intake is (and the case's last contact is kept right).
        intake = Intake.objects.select_for_update().get(pk=intake.pk)
        if intake.case_id:
            case, intake = Case.objects.get(pk=intake.case_id), None  # the intake joined a case: log it there
    if case is not None:
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("victim", "assigned_worker")
            .get(pk=case.pk)
        )
        if case.is_closed:
            raise ValidationError(
                "已結案的案件不能新增聯繫紀錄；如需繼續服務，請先重新開案。", code="case_closed"
            )
        phone = case.victim.phone
    else:
        phone = intake.victim_phone
    errors = contact_errors(
        result=result,
        immediate_danger=immediate_danger,
        danger_not_asked_reason=danger_not_asked_reason,
        contacted_at=timezone.localtime(contacted_at) if contacted_at else None,
        now=timezone.localtime(),
        next_contact_on=next_contact_on,
        send_resource_sms=send_resource_sms,
        has_mobile=is_valid_tw_mobile(phone or ""),
    )
    if next_contact_on is not None and case is None:
        errors.setdefault("next_contact_on", "受理階段的聯繫不排下次聯繫期限；開案派案後由社工安排。")
    if errors:
        raise ValidationError(errors)
    contact = Contact(
        case=case,
        intake=intake,
        contacted_at=contacted_at,
        staff=actor,
        mode=mode,
        result=result,
        immediate_danger=immediate_danger,
        danger_not_asked_reason=danger_not_asked_reason.strip()
        if immediate_danger == Contact.Danger.NOT_ASKED
        else "",
        notes=notes.strip(),
        duration_minutes=duration_minutes,
        next_contact_on=next_contact_on,
        resource_sms=send_resource_sms,
    )
    model_save(actor=actor, instance=contact)
    if case is not None:
        _settle_next_contact_deadlines(case=case, contact=contact, actor=actor)
        if next_contact_on is not None:
            tracker.deadline_open(
                case=case,
                kind=Deadline.Kind.NEXT_CONTACT,
                source=contact,
                title="下次聯繫被害人",
                due=next_contact_on,
                owner=case.assigned_worker
                if case.assigned_worker and case.assigned_worker.is_active
                else actor,
                actor=actor,
            )
        if immediate_danger == Contact.Danger.YES:
            when = format_roc(timezone.localtime(contacted_at).date())
            _flag_danger(case=case, actor=actor, note=f"{when} 聯繫時被害人表示有立即危險")
        elif (
            immediate_danger == Contact.Danger.NO
            and case.in_danger
            and not _newer_danger_answer(case=case, after=contacted_at)
        ):
            # An answer entered late, older than a 有立即危險 given since, does not clear the flag.
            _unflag_danger(case=case, actor=actor, note="後續聯繫時被害人表示無立即危險")
        case_list_columns_refresh(case_ids=[case.pk])
    elif immediate_danger == Contact.Danger.YES:
        when = format_roc(timezone.localtime(intake.received_at).date())
        notify(
            recipients=User.objects.filter(is_active=True, groups__name__in=[Role.HOTLINE, Role.SUPERVISOR])
            .exclude(pk=actor.pk)
            .distinct(),
            kind=Notification.Kind.SAFETY,
            text=f"受理紀錄（{when}）追蹤聯繫時被害人表示「有立即人身安全危險」，請立即處理。",
            url=intake.get_absolute_url(),
        )
    if send_resource_sms:
        outbox.sms_queue_generic_resource_after_contact(actor=actor, contact=contact, phone=phone)
    return contact


def _settle_next_contact_deadlines(*, case: Case, contact: Contact, actor) -> None:
    """The follow-up that was due has happened: next-contact deadlines set by an earlier contact are done.

    A contact entered late for a day before the one that set a deadline does not settle it: the
    follow-up asked for then is still due.
    """
    open_rows = list(case.deadlines.filter(state=Deadline.State.OPEN, kind=Deadline.Kind.NEXT_CONTACT))
    if not open_rows:
        return
    set_at = dict(
        Contact.objects.filter(pk__in=[d.source_id for d in open_rows]).values_list("pk", "contacted_at")
    )
    when = format_roc(timezone.localtime(contact.contacted_at).date())
    for deadline in open_rows:
        source_time = set_at.get(_uuid_or_none(deadline.source_id))
        if source_time is not None and source_time >= contact.contacted_at:
            continue
        tracker.deadline_close(
            actor=actor, deadline=deadline, state=Deadline.State.DONE, reason=f"已於 {when} 聯繫"
        )


def _uuid_or_none(value: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _newer_danger_answer(*, case: Case, after: dt.datetime) -> bool:
    """Did the victim answer 有立即危險 after `after` (a contact, or an intake of the case)?"""
    contacts = Contact.objects.filter(
        Q(case=case) | Q(intake__case=case), immediate_danger=Contact.Danger.YES, contacted_at__gt=after
    )
    intakes = case.intakes.filter(immediate_danger=Intake.Danger.YES, received_at__gt=after)
    return contacts.exists() or intakes.exists()


def _flag_danger(*, case: Case, actor, note: str, alert: bool = True) -> None:
    if not case.in_danger:
        case.danger_since = timezone.now()
    case.danger_note = note
    model_save(actor=actor, instance=case, update_fields=["danger_since", "danger_note"])
    for listener in danger_listeners():
        listener(case=case, actor=actor)
    if not alert:
        return
    recipients = {u.pk: u for u in _supervisors()}
    if case.assigned_worker and case.assigned_worker.is_active:
        recipients[case.assigned_worker.pk] = case.assigned_worker
    recipients.pop(actor.pk, None)
    notify(
        recipients=recipients.values(),
        kind=Notification.Kind.SAFETY,
        text=f"案件 {case.number}：被害人表示有立即人身安全危險，請立即關心並確認安全計畫。",
        case=case,
    )


def _unflag_danger(*, case: Case, actor, note: str) -> None:
    case.danger_since = None
    case.danger_note = note
    model_save(actor=actor, instance=case, update_fields=["danger_since", "danger_note"])


def intake_in_danger(intake: Intake) -> bool:
    """The latest danger answer about this intake's victim: the intake's, or a follow-up contact's."""
    latest = (
        Contact.objects.filter(intake=intake)
        .exclude(immediate_danger__in=["", Contact.Danger.NOT_ASKED])
        .order_by("-contacted_at")
        .values_list("immediate_danger", flat=True)
        .first()
    )
    if latest is not None:  # a follow-up answer is newer than what the intake recorded
        return latest == Contact.Danger.YES
    return intake.immediate_danger == Intake.Danger.YES


@transaction.atomic
def case_flag_danger_from_intake(*, actor, case: Case, intake: Intake) -> None:
    """An intake answered 有立即危險 and became (or joined) this case: the case carries the flag.

    No second alert: recording the intake already alerted the hotline and the supervisors.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("assigned_worker").get(pk=case.pk)
    when = format_roc(timezone.localtime(intake.received_at).date())
    _flag_danger(case=case, actor=actor, note=f"{when} 受理階段表示有立即危險", alert=False)


@transaction.atomic
def case_clear_danger(*, actor, case: Case, note: str) -> Case:
    """A supervisor clears the flag with a reason (e.g. confirmed safe by the police); kept in history."""
    if not note.strip():
        raise ValidationError({"note": "請說明解除立即危險標記的原因。"})
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.in_danger:
        raise ValidationError("這個案件目前沒有立即危險標記，請重新整理頁面。", code="not_flagged")
    _unflag_danger(case=case, actor=actor, note=f"督導解除：{note.strip()}")
    return case
