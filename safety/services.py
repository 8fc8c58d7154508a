"""Writes of a case's safety records (指引 7-1b, 7-2, 7-3).

Every service takes the acting user, validates before saving (cases.writes.model_save runs full_clean)
and keeps the hub's deadline tracker in step in the same transaction. Texts that leave the record
(deadline titles and notes, notifications) name the case number and the kind of thing, never the
victim and never a place.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Case, Deadline, Notification
from cases.notifications import notify
from cases.rocdate import format_roc
from cases.roles import Role
from cases.tracker import deadline_cancel_for_source, deadline_open, deadline_settle
from cases.writes import model_save, model_update
from safety import rules
from safety.models import (
    PlanReview,
    ProtectionOrder,
    SafetyAction,
    SafetyPlan,
    SafetySheet,
    SheetDelivery,
    ShelterPlacement,
    ShelterScheme,
)

User = get_user_model()

PLAN_FIELDS = [
    "offender_knows_home",
    "offender_knows_work",
    "offender_knows_school",
    "will_meet_offender",
    "adjust_hours",
    "change_routes",
    "escort",
    "relocation_needed",
    "patrol_point_requested",
    "precinct",
    "patrol_requested_on",
    "other_measures",
    "covers_family",
    "family_note",
    "offender_relationship",
    "stalking",
    "notes",
]
ORDER_FIELDS = ["kind", "court", "applied_on", "issued_on", "expires_on", "note"]
SHELTER_FIELDS = ["scheme", "hotel", "check_in", "check_out", "cost", "note"]


def _locked_case(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("assigned_worker").get(pk=case.pk)


def _writable(case: Case) -> Case:
    case = _locked_case(case)
    if case.is_closed:
        raise ValidationError(
            "已結案的案件不能修改人身安全紀錄；如需繼續服務，請先重新開案。", code="case_closed"
        )
    return case


def _worker_or(case: Case, fallback):
    worker = case.assigned_worker
    return worker if worker is not None and worker.is_active else fallback


def _supervisors():
    return User.objects.filter(is_active=True, groups__name=Role.SUPERVISOR).distinct()


# --- the reminder sheet (7-1b) ---------------------------------------------------------------------


def current_sheet() -> SafetySheet:
    sheet = (
        SafetySheet.objects.filter(is_current=True).first()
        or SafetySheet.objects.order_by("-version").first()
    )
    if sheet is None:
        raise ValidationError("尚未設定安全提醒單內容，請系統管理員於管理介面新增。", code="no_sheet")
    return sheet


@transaction.atomic
def sheet_delivery_record(
    *, actor, case: Case, method: str, delivered_at: dt.datetime, note: str = ""
) -> SheetDelivery:
    """The reminder sheet was given (面交 / 電話說明 / 傳送連結): the case's warning goes away."""
    case = _writable(case)
    if delivered_at and delivered_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"delivered_at": "提供時間不能晚於現在。"})
    delivery = SheetDelivery(
        case=case,
        sheet=current_sheet(),
        method=method,
        delivered_at=delivered_at,
        delivered_by=actor,
        note=note.strip(),
    )
    model_save(actor=actor, instance=delivery)
    return delivery


# --- the safety plan (7-2, 7-2-1, 7-2-2) ------------------------------------------------------------


def plan_open_for_danger(*, case: Case, actor) -> SafetyPlan:
    """Danger listener (指引 7-1a → 7-2): 有立即危險 opens the case's plan, or surfaces the existing one
    (the panel and the overview then ask for a review since the flag). Runs inside the hub's flagging
    transaction.

    No tracker deadline: the hub tells no one when the flag is cleared, so a review deadline would stay
    open after a supervisor clears the flag and block the closing the hub then allows.
    """
    plan = SafetyPlan.objects.filter(case=case).first()
    if plan is None:
        plan = SafetyPlan(case=case, created_by=actor)
        model_save(actor=actor, instance=plan)
    return plan


@transaction.atomic
def plan_save(*, actor, case: Case, **data) -> SafetyPlan:
    """Create the plan or change it (only the fields given)."""
    case = _writable(case)
    unknown = set(data) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    for text in ("precinct", "other_measures", "family_note", "notes"):
        if text in data and data[text] is not None:
            data[text] = data[text].strip()
    plan = SafetyPlan.objects.select_for_update().filter(case=case).first()
    if plan is None:
        plan = SafetyPlan(case=case, created_by=actor, **data)
        model_save(actor=actor, instance=plan)
    else:
        model_update(actor=actor, instance=plan, data=data, fields=PLAN_FIELDS)
    return plan


@transaction.atomic
def plan_review(*, actor, case: Case, reviewed_at: dt.datetime, note: str = "") -> PlanReview:
    """The plan was gone over with the victim (at a contact): who and when."""
    case = _writable(case)
    plan = SafetyPlan.objects.select_for_update().filter(case=case).first()
    if plan is None:
        raise ValidationError("這個案件還沒有安全計畫；請先建立安全計畫。", code="no_plan")
    if reviewed_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"reviewed_at": "檢視時間不能晚於現在。"})
    review = PlanReview(plan=plan, reviewed_at=reviewed_at, reviewed_by=actor, note=note.strip())
    model_save(actor=actor, instance=review)
    plan.last_review_recorded_at = review.created_at
    fields = ["last_review_recorded_at"]
    if plan.last_reviewed_at is None or reviewed_at >= plan.last_reviewed_at:
        plan.last_reviewed_at = reviewed_at
        plan.last_reviewed_by = actor
        fields += ["last_reviewed_at", "last_reviewed_by"]
    model_save(actor=actor, instance=plan, update_fields=fields)
    return review


def _sync_action(action: SafetyAction, case: Case, actor) -> None:
    period = {
        "case": case,
        "kind": Deadline.Kind.SAFETY_MEASURE,
        "source": action,
        "title": f"安全計畫：{action.task}",
        "due": action.due_on,
        "owner": action.owner,
        "actor": actor,
    }
    if action.done_on:
        deadline_settle(**period, state=Deadline.State.DONE, reason=f"已於 {format_roc(action.done_on)} 完成")
    else:
        deadline_open(**period)


def _check_owner(owner) -> None:
    if (
        owner is None
        or not owner.is_active
        or not owner.groups.filter(name__in=[Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.HOTLINE]).exists()
    ):
        raise ValidationError({"owner": "負責人員須為中心在職的工作人員。"})


@transaction.atomic
def action_add(*, actor, case: Case, task: str, due_on: dt.date, owner=None) -> SafetyAction:
    """Who does what by when: a tracker deadline (owner: the assigned worker unless someone is named)."""
    case = _writable(case)
    plan = SafetyPlan.objects.filter(case=case).first()
    if plan is None:
        raise ValidationError("這個案件還沒有安全計畫；請先建立安全計畫。", code="no_plan")
    owner = owner or _worker_or(case, actor)
    _check_owner(owner)
    if due_on and due_on < timezone.localdate():
        raise ValidationError({"due_on": "期限不能早於今天。"})
    action = SafetyAction(plan=plan, task=task.strip(), owner=owner, due_on=due_on)
    model_save(actor=actor, instance=action)
    _sync_action(action, case, actor)
    return action


@transaction.atomic
def action_update(
    *, actor, action: SafetyAction, task: str, due_on: dt.date, owner=None, done_on: dt.date | None = None
) -> SafetyAction:
    case = _writable(action.plan.case)
    action = SafetyAction.objects.select_for_update().get(pk=action.pk)
    owner = owner or _worker_or(case, actor)
    _check_owner(owner)
    model_update(
        actor=actor,
        instance=action,
        data={"task": task.strip(), "due_on": due_on, "owner": owner, "done_on": done_on},
        fields=["task", "due_on", "owner", "done_on"],
    )
    _sync_action(action, case, actor)
    return action


# --- protection orders (7-2-3) -----------------------------------------------------------------------


def _sync_order(order: ProtectionOrder, case: Case, actor) -> None:
    if order.expires_on is None:
        deadline_cancel_for_source(
            source=order, kind=Deadline.Kind.PROTECTION_ORDER, actor=actor, reason="未填有效期間。"
        )
        return
    deadline_open(
        case=case,
        kind=Deadline.Kind.PROTECTION_ORDER,
        source=order,
        title=f"{order.get_kind_display()}到期",
        due=order.expires_on,
        owner=_worker_or(case, actor),
        note=rules.extension_note(order.kind),
        actor=actor,
    )


@transaction.atomic
def order_record(
    *,
    actor,
    case: Case,
    kind: str,
    court: str,
    applied_on: dt.date,
    issued_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    note: str = "",
) -> ProtectionOrder:
    """An application, and the order once issued; its expiry is a tracker deadline (30 and 7 days before
    among the tracker's reminder steps) whose note says how to apply for an extension."""
    case = _writable(case)
    order = ProtectionOrder(
        case=case,
        kind=kind,
        court=court.strip(),
        applied_on=applied_on,
        issued_on=issued_on,
        expires_on=expires_on,
        note=note.strip(),
        created_by=actor,
    )
    model_save(actor=actor, instance=order)
    _sync_order(order, case, actor)
    return order


@transaction.atomic
def order_update(*, actor, order: ProtectionOrder, **data) -> ProtectionOrder:
    case = _writable(order.case)
    order = ProtectionOrder.objects.select_for_update().get(pk=order.pk)
    if "court" in data:
        data["court"] = data["court"].strip()
    if "note" in data:
        data["note"] = data["note"].strip()
    model_update(actor=actor, instance=order, data=data, fields=ORDER_FIELDS)
    _sync_order(order, case, actor)
    return order


# --- emergency shelter (7-3) -------------------------------------------------------------------------


def _nights(check_in, check_out) -> int:
    if check_in and check_out and check_out > check_in:
        return (check_out - check_in).days
    return 0


def _check_scheme(scheme: ShelterScheme, current: ShelterScheme | None = None) -> None:
    if scheme is None or (not scheme.is_active and scheme != current):
        raise ValidationError({"scheme": "請選擇使用中的緊急安置方案。"})


@transaction.atomic
def shelter_request(
    *,
    actor,
    case: Case,
    scheme: ShelterScheme,
    hotel: str,
    check_in: dt.date,
    check_out: dt.date,
    cost: int,
    note: str = "",
) -> ShelterPlacement:
    """A placement under the city's scheme, waiting for a supervisor's approval (they are told: the
    notification names the case number only, never the hotel)."""
    case = _writable(case)
    _check_scheme(scheme)
    placement = ShelterPlacement(
        case=case,
        scheme=scheme,
        hotel=hotel.strip(),
        check_in=check_in,
        check_out=check_out,
        nights=_nights(check_in, check_out),
        cost=cost,
        note=note.strip(),
        requested_by=actor,
    )
    model_save(actor=actor, instance=placement)
    notify(
        recipients=_supervisors().exclude(pk=actor.pk),
        kind=Notification.Kind.SAFETY,
        text=f"案件 {case.number}：社工申請緊急安置（{placement.nights} 晚），請核准。",
        case=case,
    )
    return placement


@transaction.atomic
def shelter_update(*, actor, placement: ShelterPlacement, **data) -> ShelterPlacement:
    """A change of dates, cost or scheme needs the supervisor's approval again."""
    case = _writable(placement.case)
    placement = ShelterPlacement.objects.select_for_update().select_related("scheme").get(pk=placement.pk)
    if "scheme" in data:
        _check_scheme(data["scheme"], current=placement.scheme)
    for text in ("hotel", "note"):
        if text in data:
            data[text] = data[text].strip()
    check_in = data.get("check_in", placement.check_in)
    check_out = data.get("check_out", placement.check_out)
    data["nights"] = _nights(check_in, check_out)
    changed = model_update(actor=actor, instance=placement, data=data, fields=[*SHELTER_FIELDS, "nights"])
    if placement.approved and set(changed) & {"scheme", "check_in", "check_out", "nights", "cost"}:
        placement.approved_by = None
        placement.approved_at = None
        model_save(actor=actor, instance=placement, update_fields=["approved_by", "approved_at"])
        notify(
            recipients=_supervisors().exclude(pk=actor.pk),
            kind=Notification.Kind.SAFETY,
            text=f"案件 {case.number}：緊急安置的日期或費用已變更，請重新核准。",
            case=case,
        )
    return placement


@transaction.atomic
def shelter_approve(*, actor, placement: ShelterPlacement) -> ShelterPlacement:
    case = _writable(placement.case)
    placement = ShelterPlacement.objects.select_for_update().get(pk=placement.pk)
    if placement.approved:
        raise ValidationError("這筆緊急安置已核准，請重新整理頁面。", code="already_approved")
    placement.approved_by = actor
    placement.approved_at = timezone.now()
    model_save(actor=actor, instance=placement, update_fields=["approved_by", "approved_at"])
    recipients = {placement.requested_by_id: placement.requested_by}
    worker = _worker_or(case, None)
    if worker is not None:
        recipients[worker.pk] = worker
    recipients.pop(actor.pk, None)
    notify(
        recipients=recipients.values(),
        kind=Notification.Kind.SAFETY,
        text=f"案件 {case.number}：緊急安置已核准。",
        case=case,
    )
    return placement
