"""Closing and reopening a case: the worker asks, a supervisor approves or returns it; reopening has a
reason. Each step is a CaseStatusChange row and a change in the case's history."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import Case, CaseStatusChange, Deadline, Notification
from cases.notifications import notify
from cases.roles import Role
from cases.writes import model_save

User = get_user_model()
Action = CaseStatusChange.Action


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("assigned_worker").get(pk=case.pk)


def _record(*, case: Case, actor, action: str, note: str, closing_reason: str = "") -> CaseStatusChange:
    change = CaseStatusChange(case=case, action=action, note=note, closing_reason=closing_reason, by=actor)
    model_save(actor=actor, instance=change)
    return change


def _set_status(case: Case, status: str, actor) -> None:
    case.status = status
    model_save(actor=actor, instance=case, update_fields=["status"])


def open_deadlines_blocking_closure(case: Case) -> list[Deadline]:
    """A case closes only when nothing is left running: each open deadline is closed or handed over."""
    return list(case.deadlines.filter(state=Deadline.State.OPEN).order_by("due_at"))


def _refuse_while_in_danger(case: Case) -> None:
    if case.in_danger:
        raise ValidationError(
            "此案件仍標記「有立即危險」：請先確認被害人安全，由督導解除標記後再結案。", code="in_danger"
        )


def _refuse_with_open_deadlines(case: Case) -> None:
    blocking = open_deadlines_blocking_closure(case)
    if blocking:
        titles = "、".join(d.title for d in blocking[:5]) + ("…" if len(blocking) > 5 else "")
        raise ValidationError(
            f"尚有 {len(blocking)} 個進行中的期限（{titles}）："
            "請先在「期限」逐一結束（完成、不適用並說明原因），或改派給接手的社工，再申請結案。",
            code="open_deadlines",
        )


@transaction.atomic
def case_close_request(*, actor, case: Case, closing_reason: str, note: str) -> CaseStatusChange:
    """The worker (or a supervisor) asks to close the case, with a reason; the supervisors are told."""
    case = _lock(case)
    if case.status not in (Case.Status.ASSIGNED, Case.Status.NEW):
        raise ValidationError(
            "這個案件目前不能申請結案（已在審核中或已結案），請重新整理頁面。", code="state"
        )
    if closing_reason not in CaseStatusChange.ClosingReason.values:
        raise ValidationError({"closing_reason": "請選擇結案原因。"})
    if not note.strip():
        raise ValidationError({"note": "請說明結案的理由與服務摘要。"})
    _refuse_while_in_danger(case)
    _refuse_with_open_deadlines(case)
    change = _record(
        case=case,
        actor=actor,
        action=Action.CLOSE_REQUESTED,
        note=note.strip(),
        closing_reason=closing_reason,
    )
    _set_status(case, Case.Status.CLOSE_REQUESTED, actor)
    supervisors = User.objects.filter(is_active=True, groups__name=Role.SUPERVISOR).exclude(pk=actor.pk)
    notify(
        recipients=supervisors.distinct(),
        kind=Notification.Kind.CASE,
        text=f"案件 {case.number} 申請結案，請審核。",
        case=case,
    )
    return change


@transaction.atomic
def case_close_decide(*, actor, case: Case, approve: bool, comment: str) -> CaseStatusChange:
    """A supervisor approves the closing (the case becomes read-only) or returns it with a comment."""
    case = _lock(case)
    if case.status != Case.Status.CLOSE_REQUESTED:
        raise ValidationError("這個案件沒有待審核的結案申請，請重新整理頁面。", code="state")
    if approve:
        _refuse_while_in_danger(case)
        _refuse_with_open_deadlines(case)
        change = _record(case=case, actor=actor, action=Action.CLOSE_APPROVED, note=comment.strip())
        _set_status(case, Case.Status.CLOSED, actor)
        text = f"案件 {case.number} 已核定結案。"
    else:
        if not comment.strip():
            raise ValidationError({"comment": "退回結案申請時，請寫下要補充或繼續處理的事項。"})
        change = _record(case=case, actor=actor, action=Action.CLOSE_RETURNED, note=comment.strip())
        _set_status(case, Case.Status.ASSIGNED if case.assigned_worker_id else Case.Status.NEW, actor)
        text = f"案件 {case.number} 的結案申請已退回，請查看督導意見。"
    if case.assigned_worker_id and case.assigned_worker_id != actor.pk:
        notify(recipients=[case.assigned_worker], kind=Notification.Kind.CASE, text=text, case=case)
    return change


@transaction.atomic
def case_reopen(*, actor, case: Case, note: str) -> CaseStatusChange:
    """A closed case is reopened with a reason (e.g. the images were posted again); editable again."""
    case = _lock(case)
    if case.status != Case.Status.CLOSED:
        raise ValidationError("這個案件沒有結案，不需要重新開案。", code="state")
    if not note.strip():
        raise ValidationError({"note": "請說明重新開案的原因。"})
    change = _record(case=case, actor=actor, action=Action.REOPENED, note=note.strip())
    worker = case.assigned_worker
    active_worker = worker is not None and worker.is_active
    _set_status(case, Case.Status.ASSIGNED if active_worker else Case.Status.NEW, actor)
    if active_worker and worker.pk != actor.pk:
        notify(
            recipients=[worker],
            kind=Notification.Kind.CASE,
            text=f"案件 {case.number} 已重新開案。",
            case=case,
        )
    return change
