"""Thin views: permission (403 for roles that never use the page), access helper (404 outside the
user's scope), form, service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cases.forms_fields import add_service_errors
from cases.pdf import render_pdf
from cases.readlog import log_case_read
from cases.selectors import case_for_user
from safety import rules, selectors, services
from safety.forms import (
    PlanReviewForm,
    ProtectionOrderForm,
    SafetyActionForm,
    SafetyPlanForm,
    SheetDeliveryForm,
    ShelterApproveForm,
    ShelterForm,
)

MANAGE = "safety.manage_safety"
APPROVE = "safety.approve_shelter"
PRINT = "safety.view_safetysheet"


def _data(request):
    """The posted form, bound even when empty (an empty POST must show the form's errors)."""
    return request.POST if request.method == "POST" else None


def _back(case) -> str:
    return case.get_absolute_url() + "#panel-safety"


def _page(request, *, case, form, title: str, intro: str = "", extra: str = "", **more):
    context = {"case": case, "form": form, "title": title, "intro": intro, "extra_template": extra, **more}
    context.setdefault("back_url", _back(case))
    return render(request, "safety/form.html", context)


def _saved(request, form, call, success: str) -> bool:
    try:
        call()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, success)
    return True


# --- the reminder sheet (7-1b) -----------------------------------------------------------------------


@login_required
@permission_required(PRINT, raise_exception=True)
@require_GET
def sheet_pdf(request):
    """The current reminder sheet, printable; no case content, so nothing to log."""
    try:
        sheet = services.current_sheet()
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("home")
    return render_pdf(
        request, "safety/sheet_pdf.html", {"sheet": sheet, "title": sheet.title}, filename="safety-sheet.pdf"
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def sheet_delivery_new(request, pk):
    case = case_for_user(request.user, pk, write=True)
    form = SheetDeliveryForm(_data(request))
    if request.method == "POST" and form.is_valid():
        if _saved(
            request,
            form,
            lambda: services.sheet_delivery_record(actor=request.user, case=case, **form.cleaned_data),
            "已登錄安全提醒單的提供。",
        ):
            return redirect(_back(case))
    return _page(
        request,
        case=case,
        form=form,
        title="登錄安全提醒單的提供",
        intro=(
            "第一次接觸時提供安全提醒單（指引 7-1b）：面交、電話說明或傳送連結皆可；"
            "登錄後案件上的提醒即消失。"
        ),
    )


# --- the safety plan (7-2) ---------------------------------------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    case = case_for_user(request.user, pk, write=True)
    plan = selectors.plan_of(case)
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="人身安全：安全計畫編輯頁")
    initial = {name: getattr(plan, name) for name in SafetyPlanForm.base_fields} if plan else {}
    form = SafetyPlanForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        if _saved(
            request,
            form,
            lambda: services.plan_save(actor=request.user, case=case, **form.cleaned_data),
            "安全計畫已儲存。請於每次聯繫時與被害人檢視。",
        ):
            return redirect(_back(case))
    return _page(
        request,
        case=case,
        form=form,
        title="安全計畫" if plan else "建立安全計畫",
        intro="與被害人討論加害人是否知悉其生活圈、是否會再接觸，以及可行的安全措施（指引 7-2）。",
        extra="safety/_routes_reference.html",
        routes=[
            (code, rules.ROUTE_LABELS[code], rules.ROUTE_NOTES[code])
            for code in (plan.routes if plan else [])
        ],
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_review(request, pk):
    case = case_for_user(request.user, pk, write=True)
    form = PlanReviewForm(_data(request))
    if request.method == "POST" and form.is_valid():
        if _saved(
            request,
            form,
            lambda: services.plan_review(actor=request.user, case=case, **form.cleaned_data),
            "已登錄安全計畫的檢視。",
        ):
            return redirect(_back(case))
    return _page(
        request,
        case=case,
        form=form,
        title="檢視安全計畫",
        intro="每次聯繫時與被害人檢視安全計畫（指引 7-2），並登錄檢視時間與結果。",
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def action_add(request, pk):
    case = case_for_user(request.user, pk, write=True)
    form = SafetyActionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        if _saved(
            request,
            form,
            lambda: services.action_add(actor=request.user, case=case, **form.cleaned_data),
            "措施已列入期限追蹤。",
        ):
            return redirect(_back(case))
    return _page(request, case=case, form=form, title="新增安全計畫措施（誰、做什麼、何時前）")


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    action = selectors.action_for_user(request.user, pk)
    case = action.plan.case
    initial = {"task": action.task, "owner": action.owner, "due_on": action.due_on, "done_on": action.done_on}
    form = SafetyActionForm(_data(request), initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        if _saved(
            request,
            form,
            lambda: services.action_update(actor=request.user, action=action, **form.cleaned_data),
            "措施已更新。",
        ):
            return redirect(_back(case))
    return _page(request, case=case, form=form, title="編輯安全計畫措施")


# --- protection orders (7-2-3) -----------------------------------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def order_add(request, pk):
    case = case_for_user(request.user, pk, write=True)
    form = ProtectionOrderForm(_data(request))
    if request.method == "POST" and form.is_valid():
        if _saved(
            request,
            form,
            lambda: services.order_record(actor=request.user, case=case, **form.cleaned_data),
            "保護令已登錄。",
        ):
            return redirect(_back(case))
    return _page(request, case=case, form=form, title="登錄保護令聲請")


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def order_edit(request, pk):
    order = selectors.order_for_user(request.user, pk)
    case = order.case
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="人身安全：保護令編輯頁")
    initial = {name: getattr(order, name) for name in ProtectionOrderForm.base_fields}
    form = ProtectionOrderForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        if _saved(
            request,
            form,
            lambda: services.order_update(actor=request.user, order=order, **form.cleaned_data),
            "保護令已更新。",
        ):
            return redirect(_back(case))
    return _page(request, case=case, form=form, title=f"編輯{order.get_kind_display()}")


# --- emergency shelter (7-3) -------------------------------------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def shelter_add(request, pk):
    case = case_for_user(request.user, pk, write=True)
    form = ShelterForm(_data(request))
    if request.method == "POST" and form.is_valid():
        if _saved(
            request,
            form,
            lambda: services.shelter_request(actor=request.user, case=case, **form.cleaned_data),
            "緊急安置申請已送出，已通知督導核准。",
        ):
            return redirect(_back(case))
    return _page(
        request,
        case=case,
        form=form,
        title="緊急安置申請",
        intro="依本市緊急安置住宿服務方案，安排被害人短期入住友善旅館（指引 7-3），須經督導核准。",
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def shelter_edit(request, pk):
    placement = selectors.shelter_for_user(request.user, pk)
    case = placement.case
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="人身安全：緊急安置編輯頁")
    initial = {name: getattr(placement, name) for name in ShelterForm.base_fields}
    form = ShelterForm(_data(request), initial=initial, current=placement.scheme)
    if request.method == "POST" and form.is_valid():
        if _saved(
            request,
            form,
            lambda: services.shelter_update(actor=request.user, placement=placement, **form.cleaned_data),
            "緊急安置已更新。",
        ):
            return redirect(_back(case))
    warning = "變更方案、日期或費用後需督導重新核准。" if placement.approved else ""
    return _page(request, case=case, form=form, title="編輯緊急安置", intro=warning)


@login_required
@permission_required(APPROVE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def shelter_approve(request, pk):
    placement = selectors.shelter_for_user(request.user, pk)
    case = placement.case
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="人身安全：緊急安置核准頁")
    form = ShelterApproveForm(_data(request))
    if request.method == "POST" and form.is_valid():
        if _saved(
            request,
            form,
            lambda: services.shelter_approve(actor=request.user, placement=placement),
            "已核准緊急安置。",
        ):
            return redirect(_back(case))
    return _page(
        request,
        case=case,
        form=form,
        title="核准緊急安置",
        extra="safety/_shelter_summary.html",
        placement=placement,
    )
