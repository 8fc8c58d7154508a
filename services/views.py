"""Thin views: permission (403 for roles that never use the page), access helper (404 outside the
user's scope), form, service, redirect. Every page that shows case content logs the read.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cases.ages import age_on
from cases.forms_fields import add_service_errors
from cases.models import Contact
from cases.pdf import render_pdf
from cases.readlog import log_case_read
from cases.registry import linkable_records
from cases.rocdate import format_roc
from cases.selectors import case_for_user
from services import selectors, services
from services.forms import (
    CounsellingReferralForm,
    DeclinedRequestForm,
    EscortForm,
    EscortReportForm,
    ScreeningForm,
    SupportNoteForm,
    escort_initial,
)
from services.models import CounsellingProgramme, CounsellingReferral, EscortKind, PtsdInstrument

MANAGE = "services.manage_services"


def _back_to(case) -> str:
    return case.get_absolute_url() + "#panel-services"


def _render(request, template: str, *, case, form, title: str, **more):
    return render(
        request, template, {"case": case, "form": form, "title": title, "back_url": _back_to(case), **more}
    )


def _call(http_request, form, service, **kwargs):
    try:
        return service(actor=http_request.user, **kwargs)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


# --- screenings (2-1-1) ------------------------------------------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def screening_add(request, pk):
    case = case_for_user(request.user, pk, write=True)
    contacts = list(Contact.objects.filter(case=case).order_by("-contacted_at")[:20])
    instrument = PtsdInstrument.objects.filter(is_active=True).order_by("code").first()
    form = ScreeningForm(
        request.POST or None,
        initial={"screened_at": timezone.now()},
        contacts=contacts,
        instrument=instrument,
    )
    if request.method == "POST" and form.is_valid():
        screening = _call(request, form, services.screening_record, case=case, **form.service_kwargs())
        if screening is not None:
            messages.success(request, f"情緒篩檢已儲存：總分 {screening.total}，{screening.band}。")
            if screening.urgent:
                messages.error(
                    request, "自殺意念達中等程度以上：已通知承辦社工與督導，請立即評估自殺風險並陪伴被害人。"
                )
            if screening.psychiatry_suggested:
                messages.warning(request, "分數偏高：建議被害人先就診身心科（指引 2-1-1c）。")
            return redirect(_back_to(case))
    return _render(request, "services/screening_form.html", case=case, form=form, title="情緒篩檢（BSRS-5）")


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def support_note_add(request, pk):
    case = case_for_user(request.user, pk, write=True)
    contacts = list(Contact.objects.filter(case=case).order_by("-contacted_at")[:20])
    form = SupportNoteForm(request.POST or None, initial={"noted_at": timezone.now()}, contacts=contacts)
    if request.method == "POST" and form.is_valid():
        if _call(request, form, services.support_note_record, case=case, **form.service_kwargs()) is not None:
            messages.success(request, "情緒支持紀錄已儲存。")
            return redirect(_back_to(case))
    return _render(
        request,
        "services/record_form.html",
        case=case,
        form=form,
        title="情緒支持紀錄",
        intro="指引 2-1：以創傷知情回應被害人，陪伴梳理羞愧、憤怒、焦慮、恐懼等情緒。",
    )


# --- counselling (2-2) -----------------------------------------------------------------------------------


def _programmes(including=None):
    qs = CounsellingProgramme.objects.filter(is_active=True)
    if including is not None:
        qs = CounsellingProgramme.objects.filter(pk=including.pk) | qs
    return qs.order_by("sort_order", "code")


def _age_note(case, day) -> str:
    age = age_on(case.victim.birth_date, day)
    if age is None:
        return "被害人出生日期未登錄：有年齡限制的方案無法判斷資格，請先補登出生日期。"
    return f"被害人於 {format_roc(day)} 為 {age} 歲。"


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def referral_add(request, pk):
    case = case_for_user(request.user, pk, write=True)
    today = timezone.localdate()
    form = CounsellingReferralForm(
        request.POST or None,
        initial={"referred_on": today, "status": CounsellingReferral.Status.ASSESSING, "sessions_used": 0},
        programmes=_programmes(),
    )
    if request.method == "POST" and form.is_valid():
        referral = _call(request, form, services.counselling_referral_record, case=case, **form.cleaned_data)
        if referral is not None:
            if referral.eligible is False:
                messages.warning(request, f"已登錄，但不符方案資格：{referral.ineligible_reason}。")
            else:
                messages.success(request, "心理諮商轉介已登錄。")
            return redirect(_back_to(case))
    return _render(
        request,
        "services/record_form.html",
        case=case,
        form=form,
        title="心理諮商轉介",
        intro=_age_note(case, today),
        programmes=_programmes(),
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def referral_edit(request, pk):
    referral = selectors.referral_for_user(request.user, pk)
    case = referral.case
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="心理支持：諮商轉介編輯頁")
    initial = {name: getattr(referral, name) for name in CounsellingReferralForm.base_fields}
    form = CounsellingReferralForm(
        request.POST or None, initial=initial, programmes=_programmes(referral.programme)
    )
    if request.method == "POST" and form.is_valid():
        saved = _call(
            request, form, services.counselling_referral_update, referral=referral, **form.cleaned_data
        )
        if saved is not None:
            messages.success(request, "心理諮商轉介已更新。")
            return redirect(_back_to(case))
    warnings = [f"不符方案資格：{referral.ineligible_reason}"] if referral.eligible is False else []
    return _render(
        request,
        "services/record_form.html",
        case=case,
        form=form,
        title="心理諮商轉介",
        intro=_age_note(case, referral.referred_on),
        warnings=warnings,
        programmes=_programmes(),
    )


# --- escorts (3) -------------------------------------------------------------------------------------------


def _links(case, kind):
    link_kind = services.LINK_KINDS.get(kind)
    return linkable_records(case, link_kind) if link_kind else []


def _escort_page(request, *, case, form, title, escort=None):
    return _render(
        request,
        "services/escort_form.html",
        case=case,
        form=form,
        title=title,
        escort=escort,
        kinds=EscortKind.choices,
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def escort_add(request, pk):
    case = case_for_user(request.user, pk, write=True)
    kind = request.GET.get("kind") or EscortKind.INTERVIEW
    if kind not in EscortKind.values:
        raise Http404
    checklist = services.current_checklist(kind)
    form = EscortForm(
        request.POST or None,
        initial={"starts_at": timezone.now(), "status": "planned", "victim_attends": True},
        kind=kind,
        checklist=checklist,
        links=_links(case, kind),
        referrals=CounsellingReferral.objects.filter(case=case).select_related("programme"),
    )
    if request.method == "POST" and form.is_valid():
        escort = _call(request, form, services.escort_record, case=case, kind=kind, **form.service_kwargs())
        if escort is not None:
            messages.success(request, f"{escort.get_kind_display()}已儲存。")
            if escort.sms_reminder_note:
                messages.info(request, escort.sms_reminder_note)
            if escort.status == escort.Status.DONE and escort.has_record_form:
                due = services.record_due(escort)
                messages.info(request, f"{escort.record_form_name}請於 {format_roc(due)} 前完成。")
            return redirect(_back_to(case))
    return _escort_page(request, case=case, form=form, title=f"新增{EscortKind(kind).label}")


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def escort_edit(request, pk):
    escort = selectors.escort_for_user(request.user, pk)
    case = escort.case
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="陪同服務：編輯頁")
    form = EscortForm(
        request.POST or None,
        initial=escort_initial(escort),
        kind=escort.kind,
        checklist=escort.checklist,
        links=_links(case, escort.kind),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        saved = _call(request, form, services.escort_update, escort=escort, **form.service_kwargs())
        if saved is not None:
            messages.success(request, f"{saved.get_kind_display()}已更新。")
            if saved.sms_reminder_note:
                messages.info(request, saved.sms_reminder_note)
            if saved.status == saved.Status.DONE and saved.has_record_form and not hasattr(saved, "report"):
                messages.info(
                    request, f"{saved.record_form_name}請於 {format_roc(services.record_due(saved))} 前完成。"
                )
            return redirect(_back_to(case))
    return _escort_page(request, case=case, form=form, title=escort.get_kind_display(), escort=escort)


def _report_of(escort):
    # A missing reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError.
    return getattr(escort, "report", None)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def escort_report(request, pk):
    escort = selectors.escort_for_user(request.user, pk)
    case = escort.case
    if not escort.has_record_form:
        raise Http404
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view=f"陪同服務：{escort.record_form_name}")
    report = _report_of(escort)
    initial = {"completed_on": timezone.localdate()}
    if report is not None:
        initial = {
            name: getattr(report, name)
            for name in ("service_summary", "victim_condition", "follow_up", "completed_on")
        }
    form = EscortReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _call(request, form, services.escort_report_complete, escort=escort, **form.cleaned_data)
        if saved is not None:
            messages.success(request, f"{escort.record_form_name}已完成，期限已結案。")
            return redirect(_back_to(case))
    warnings = []
    if escort.status != escort.Status.DONE:
        warnings.append("陪同尚未標示為已完成：完成後才能填寫紀錄表。")
    return render(
        request,
        "services/report_form.html",
        {
            "case": case,
            "escort": escort,
            "report": report,
            "form": form,
            "title": escort.record_form_name,
            "due": services.record_due(escort) if escort.status == escort.Status.DONE else None,
            "warnings": warnings,
            "back_url": _back_to(case),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_GET
def escort_report_pdf(request, pk):
    """The printed form: the assigned worker and supervisors only; the download is logged as a read."""
    escort = selectors.escort_for_user(request.user, pk, write=False)
    report = _report_of(escort)
    if not escort.has_record_form or report is None:
        raise Http404
    case = escort.case
    log_case_read(user=request.user, case=case, view=f"陪同服務：{escort.record_form_name} PDF")
    template = (
        "services/pdf/court_record.html"
        if escort.kind == EscortKind.COURT
        else "services/pdf/service_record.html"
    )
    return render_pdf(
        request,
        template,
        {
            "case": case,
            "escort": escort,
            "report": report,
            "title": escort.record_form_name,
            "due": services.record_due(escort),
        },
        # ASCII only: a non-ASCII name is sent RFC 2047-encoded and browsers then ignore "attachment".
        filename=f"{'court' if escort.kind == EscortKind.COURT else 'service'}-record-{case.number}.pdf",
    )


# --- declined requests (3-3-2) ---------------------------------------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def declined_add(request, pk):
    case = case_for_user(request.user, pk, write=True)
    form = DeclinedRequestForm(request.POST or None, initial={"requested_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        item = _call(request, form, services.declined_request_record, case=case, **form.cleaned_data)
        if item is not None:
            messages.success(
                request, f"已記錄婉拒「{item.get_request_display()}」，替代方式：{item.alternative_offered}。"
            )
            return redirect(_back_to(case))
    return _render(
        request,
        "services/record_form.html",
        case=case,
        form=form,
        title="非陪同服務範圍之請求",
        intro="指引 3-3-2：返家取物（請找警察）、與相對人見面、跟被害人交流感情，不在社工陪同服務範圍。",
    )
