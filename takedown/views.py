"""Thin views: permission (403 for roles that never use the page), access helper (404 outside the
user's scope), form, service, redirect. The resources page is public and shows no case data.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cases.ages import victim_is_minor
from cases.forms_fields import add_service_errors
from cases.readlog import log_case_read
from cases.registry import linkable_records
from cases.selectors import case_for_user
from takedown import rules, selectors, services
from takedown.forms import AdviceForm, ComplaintForm, FollowUpForm, StopNCIIForm
from takedown.models import PreventionAdvice, ResourceLink, StopNCIICase, StopNCIIPartner

MANAGE = "takedown.manage_takedown"


def _back_to(case) -> str:
    return case.get_absolute_url() + "#takedown"


def _page(request, template: str, *, case, form, title: str, **more):
    return render(
        request, template, {"case": case, "form": form, "title": title, "back_url": _back_to(case), **more}
    )


def _try(form, service, **kwargs):
    try:
        return service(**kwargs)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


# --- complaints (8-1, 8-2) -----------------------------------------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def complaint_add(request, pk):
    case = case_for_user(request.user, pk, write=True)
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="下架申訴：新增頁")
    items = linkable_records(case, "evidence_item")
    ready, checklist_label = services.evidence_checklist_state(case)
    now = timezone.now()
    initial = {
        "filed_at": now.replace(second=0, microsecond=0),
        "filed_by_kind": "worker",
        "minor_at_time": rules.answer_from_minor(victim_is_minor(case.victim, timezone.localdate())),
    }
    form = ComplaintForm(
        request.POST or None, initial=initial, evidence_choices=[(r.key, r.label) for r in items]
    )
    if request.method == "POST" and form.is_valid():
        data = form.complaint_data()
        complaint = _try(
            form,
            services.complaint_file,
            actor=request.user,
            case=case,
            evidence_keys=form.cleaned_data["evidence_keys"],
            **data,
        )
        if complaint is not None:
            messages.success(
                request,
                f"下架申訴已儲存，下架追蹤期限為 {timezone.localtime(complaint.due_at):%m/%d %H:%M}。",
            )
            return redirect(_back_to(case))
    return _page(
        request,
        "takedown/complaint_form.html",
        case=case,
        form=form,
        title="新增下架申訴",
        checklist_ready=ready,
        checklist_label=checklist_label,
        has_items=bool(items),
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def complaint_edit(request, pk):
    complaint = selectors.complaint_for_user(request.user, pk, write=True)
    case = complaint.case
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="下架申訴：編輯頁")
    targets = list(complaint.targets.all())
    initial = {name: getattr(complaint, name) for name in services.COMPLAINT_FIELDS}
    form = ComplaintForm(request.POST or None, initial=initial, targets=targets)
    if request.method == "POST" and form.is_valid():
        saved = _try(
            form,
            services.complaint_update,
            actor=request.user,
            complaint=complaint,
            outcomes=form.outcomes(),
            **form.complaint_data(),
        )
        if saved is not None:
            messages.success(request, "下架申訴已更新。")
            return redirect(_back_to(case))
    return _page(
        request,
        "takedown/complaint_form.html",
        case=case,
        form=form,
        title="編輯下架申訴",
        complaint=complaint,
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def follow_up_add(request, pk):
    complaint = selectors.complaint_for_user(request.user, pk, write=True)
    case = complaint.case
    form = FollowUpForm(request.POST or None, initial={"at": timezone.now().replace(second=0, microsecond=0)})
    if request.method == "POST" and form.is_valid():
        if _try(form, services.follow_up_add, actor=request.user, complaint=complaint, **form.cleaned_data):
            messages.success(request, "追蹤紀錄已儲存。")
            return redirect(_back_to(case))
    return _page(request, "takedown/simple_form.html", case=case, form=form, title="新增下架追蹤")


# --- StopNCII (5-2) and prevention advice (5-1, 5-3) ------------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def stopncii(request, pk):
    case = case_for_user(request.user, pk, write=True)
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="下架申訴：StopNCII 頁")
    existing = StopNCIICase.objects.filter(case=case).first()
    initial = {"explained_on": timezone.localdate()}
    if existing is not None:
        initial = {name: getattr(existing, name) for name in StopNCIIForm.base_fields}
    form = StopNCIIForm(request.POST or None, initial=initial)
    minor = victim_is_minor(case.victim, timezone.localdate())
    if request.method == "POST" and form.is_valid():
        if _try(
            form, services.stopncii_save, actor=request.user, case=case, minor=minor, **form.cleaned_data
        ):
            messages.success(request, "StopNCII 紀錄已儲存。")
            return redirect(_back_to(case))
    partners = StopNCIIPartner.objects.filter(is_active=True).order_by("sort_order")
    return _page(
        request,
        "takedown/stopncii_form.html",
        case=case,
        form=form,
        title="StopNCII（預防成年人的私密影像被散布）",
        partners=partners,
        minor=minor,
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def advice(request, pk):
    case = case_for_user(request.user, pk, write=True)
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="下架申訴：預防建議頁")
    existing = PreventionAdvice.objects.filter(case=case).first()
    initial = {"advised_on": timezone.localdate()}
    if existing is not None:
        initial = {name: getattr(existing, name) for name in AdviceForm.base_fields}
    form = AdviceForm(request.POST or None, initial=initial, items=selectors.privacy_items())
    if request.method == "POST" and form.is_valid():
        if _try(form, services.advice_save, actor=request.user, case=case, **form.cleaned_data):
            messages.success(request, "預防建議與隱私權設定已儲存。")
            return redirect(_back_to(case))
    return _page(request, "takedown/simple_form.html", case=case, form=form, title="預防建議與隱私權設定")


# --- the public resources page (1-3c) ----------------------------------------------------------------


@require_GET
def resources(request):
    links = list(ResourceLink.objects.filter(is_active=True).order_by("category", "sort_order"))
    groups = [
        (label, [link for link in links if link.category == value])
        for value, label in ResourceLink.Category.choices
    ]
    partners = StopNCIIPartner.objects.filter(is_active=True).order_by("sort_order")
    return render(request, "takedown/resources.html", {"groups": groups, "partners": partners})
