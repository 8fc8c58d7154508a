"""Thin views: permission (403 for roles that never use the page), access helper (404 outside the
user's scope), form, service, redirect. No view reads request.FILES and no form is multipart.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from cases.forms_fields import add_service_errors
from cases.readlog import log_case_read
from cases.rocdate import format_roc
from cases.selectors import case_for_user
from evidence import selectors, services
from evidence.catalogue import TEACHING_VIDEO
from evidence.forms import EvidenceItemForm, TeachingForm
from evidence.models import EvidenceTeaching, Platform

MANAGE = "evidence.manage_evidence"


def _back_to(case) -> str:
    return case.get_absolute_url() + "#evidence"


def _match_messages(request, item) -> None:
    for match in selectors.matches_by_item(item.case, [item]).get(item.pk, []):
        earlier = match.item
        messages.warning(
            request,
            f"此影像已於 {format_roc(timezone.localdate(earlier.created_at))} 登錄過"
            f"（{match.label}；案件 {earlier.case.number}，{earlier.platform.name}）。"
            "請確認是否為同一影像再次散布。",
        )


def _item_page(request, *, case, form, title: str, item=None):
    platforms = list(Platform.objects.filter(is_active=True).order_by("sort_order", "code"))
    return render(
        request,
        "evidence/item_form.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "item": item,
            "platforms": platforms,
            "back_url": _back_to(case),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def item_add(request, pk):
    case = case_for_user(request.user, pk, write=True)
    form = EvidenceItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.evidence_item_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "證據項目已儲存，180天平台保存期限已列入期限追蹤。")
            _match_messages(request, item)
            return redirect(_back_to(case))
    return _item_page(request, case=case, form=form, title="新增證據項目")


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = selectors.evidence_item_for_user(request.user, pk, write=True)
    case = item.case
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="證據保存：證據項目編輯頁")
    initial = {name: getattr(item, name) for name in EvidenceItemForm.base_fields}
    form = EvidenceItemForm(request.POST or None, initial=initial, platform=item.platform)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.evidence_item_update(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "證據項目已更新。")
            _match_messages(request, item)
            return redirect(_back_to(case))
    return _item_page(request, case=case, form=form, title=f"編輯證據項目：{item.platform.name}", item=item)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def teaching(request, pk):
    case = case_for_user(request.user, pk, write=True)
    existing = EvidenceTeaching.objects.filter(case=case).first()
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="證據保存：蒐證教學頁")
    items = services.checklist_items()
    initial = {"taught_on": timezone.localdate()}
    if existing is not None:
        initial = {name: getattr(existing, name) for name in TeachingForm.base_fields}
    form = TeachingForm(request.POST or None, initial=initial, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            services.teaching_save(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "蒐證教學與檢核已儲存。")
            return redirect(_back_to(case))
    return render(
        request,
        "evidence/teaching_form.html",
        {
            "case": case,
            "form": form,
            "title": "蒐證教學與檢核",
            "video": TEACHING_VIDEO,
            "back_url": _back_to(case),
        },
    )
