"""Thin views: permission (403 for roles that never use the page), access helper (404 outside the
user's scope), form, service, redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cases.ages import age_on, is_minor_on
from cases.forms_fields import add_service_errors
from cases.readlog import log_case_read, log_list_reads
from cases.rocdate import format_roc, parse_date
from cases.selectors import case_for_user
from legal import selectors, services
from legal.forms import (
    AccusationFileForm,
    CaseOffenceForm,
    ConsultationForm,
    LawExplanationForm,
    LawyerReferralForm,
    PoliceReportForm,
    PreservationTalkForm,
    ProsecutorDirectionForm,
    SubsidyForm,
)
from legal.models import Offence, SubsidyApplication

MANAGE = "legal.manage_legal"
PROSECUTOR = "legal.record_prosecutor_direction"


def _back_to(case) -> str:
    return case.get_absolute_url() + "#legal"


def _render_form(request, *, case, form, title: str, warnings=(), intro: str = "", extra: str = "", **more):
    context = {
        "case": case,
        "form": form,
        "title": title,
        "warnings": list(warnings),
        "intro": intro,
        "extra_template": extra,
        "back_url": more.pop("back_url", _back_to(case) if case is not None else ""),
        **more,
    }
    return render(request, "legal/record_form.html", context)


def _save_or_errors(request, form, service, success: str, **kwargs) -> bool:
    try:
        record = service(actor=request.user, **kwargs, **form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, success)
    reminder = getattr(record, "sms_reminder_note", "")
    if reminder:
        messages.info(request, reminder)
    return True


# --- offences and periods (4-1, 4-3) -----------------------------------------------------------------


def _offence_reference():
    return list(Offence.objects.filter(is_active=True).order_by("sort_order", "code"))


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def offence_add(request, pk):
    case = case_for_user(request.user, pk, write=True)
    form = CaseOffenceForm(request.POST or None, offences=selectors.active_offences())
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(
            request,
            form,
            services.case_offence_record,
            "罪名已儲存，告訴期間與追訴期已列入期限追蹤。",
            case=case,
        ):
            return redirect(_back_to(case))
    return _render_form(
        request,
        case=case,
        form=form,
        title="新增罪名",
        extra="legal/_offence_reference.html",
        catalogue=_offence_reference(),
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def offence_edit(request, pk):
    item = selectors.case_offence_for_user(request.user, pk)
    case = item.case
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="法律服務：罪名編輯頁")
    initial = {name: getattr(item, name) for name in CaseOffenceForm.base_fields}
    form = CaseOffenceForm(
        request.POST or None, initial=initial, offences=selectors.active_offences(including=item.offence)
    )
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(
            request, form, services.case_offence_update, "罪名已更新，期間已重新計算。", case_offence=item
        ):
            return redirect(_back_to(case))
    return _render_form(
        request,
        case=case,
        form=form,
        title=f"編輯罪名：{item.offence}",
        extra="legal/_offence_reference.html",
        catalogue=_offence_reference(),
    )


# --- the center's accusation (4-1) ----------------------------------------------------------------------


@login_required
@permission_required("legal.view_accusation_queue", raise_exception=True)
@require_GET
def accusation_list(request):
    """Supervisors: accusations the center still has to file, and the ones filed lately."""
    page = Paginator(selectors.open_accusations(), 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(a, (today - a.decided_on).days) for a in page.object_list]
    return render(
        request,
        "legal/accusation_list.html",
        {"page": page, "rows": rows, "filed": selectors.recently_filed_accusations()},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def accusation_file(request, pk):
    accusation = selectors.accusation_for_user(request.user, pk)
    case = accusation.case
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="法律服務：告發登錄頁")
    form = AccusationFileForm(request.POST or None, initial={"filed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(
            request, form, services.accusation_file, "已登錄告發，期限已完成。", accusation=accusation
        ):
            return redirect(_back_to(case))
    intro = (
        f"{accusation.case_offence.offence}：被害人無意願報案，"
        f"於 {format_roc(accusation.decided_on)} 決定由本中心告發（指引 4-1）。"
    )
    warnings = []
    if accusation.state != accusation.State.OPEN:
        warnings.append(f"這筆告發目前狀態為「{accusation.get_state_display()}」，不需再登錄。")
    return _render_form(request, case=case, form=form, title="登錄中心告發", intro=intro, warnings=warnings)


# --- consultations and subsidies (4-2) --------------------------------------------------------------------


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def consultation_add(request, pk):
    case = case_for_user(request.user, pk, write=True)
    form = ConsultationForm(request.POST or None, editing=False)
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(
            request, form, services.consultation_book, "法律諮詢已預約，已列入期限追蹤。", case=case
        ):
            return redirect(_back_to(case))
    return _render_form(request, case=case, form=form, title="預約法律諮詢")


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def consultation_edit(request, pk):
    consultation = selectors.consultation_for_user(request.user, pk)
    case = consultation.case
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="法律服務：法律諮詢編輯頁")
    initial = {
        name: getattr(consultation, name) for name in ConsultationForm.base_fields if name != "place_code"
    }
    form = ConsultationForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(
            request, form, services.consultation_update, "法律諮詢已更新。", consultation=consultation
        ):
            return redirect(_back_to(case))
    return _render_form(request, case=case, form=form, title="法律諮詢")


def _subsidy_warnings(case, kind: str) -> list[str]:
    """Guideline 4-2-3: before retaining a lawyer, the victim should have had a legal consultation.

    Only for lawyer fees: litigation costs (court fees) do not mean retaining a lawyer.
    """
    if kind != SubsidyApplication.Kind.LAWYER_FEES:
        return []
    summary = selectors.consultation_summary(case)
    if summary["held"]:
        return []
    text = (
        "申請委任律師費用：被害人尚未完成法律諮詢。"
        "尚未委任律師而有委任需求者，建議先完成法律諮詢再決定（指引 4-2-3）。"
    )
    if summary["next_booked"]:
        when = timezone.localtime(summary["next_booked"])
        text += f" 已預約 {format_roc(when.date())} {when:%H:%M} 的諮詢。"
    return [text]


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def subsidy_add(request, pk):
    case = case_for_user(request.user, pk, write=True)
    form = SubsidyForm(request.POST or None, initial={"applied_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(request, form, services.subsidy_apply, "訴訟補助申請已登錄。", case=case):
            return redirect(_back_to(case))
    return _render_form(
        request,
        case=case,
        form=form,
        title="申請司法訴訟補助",
        intro="依本市性侵害被害人補助辦法申請委任律師與法律訴訟費用補助（指引 4-2-2）。",
        warnings=_subsidy_warnings(case, request.POST.get("kind", SubsidyApplication.Kind.LAWYER_FEES)),
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def subsidy_edit(request, pk):
    subsidy = selectors.subsidy_for_user(request.user, pk)
    case = subsidy.case
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="法律服務：訴訟補助編輯頁")
    initial = {name: getattr(subsidy, name) for name in SubsidyForm.base_fields}
    form = SubsidyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(request, form, services.subsidy_update, "訴訟補助已更新。", subsidy=subsidy):
            return redirect(_back_to(case))
    kind = request.POST.get("kind", subsidy.kind)
    return _render_form(
        request, case=case, form=form, title="司法訴訟補助", warnings=_subsidy_warnings(case, kind)
    )


# --- explaining the law (4-A) and matching a lawyer (4-1-2) ------------------------------------------------

EXPLANATION_INTRO = (
    "依被害人案件狀況說明相關法律規定（刑法、性侵害犯罪防治法），協助被害人了解被害人服務及規定（指引 4-A）；"
    "罪名、刑度與期間請參考本案已登錄的罪名。"
)


def _explanation_form(request, *, initial, explanation=None):
    return LawExplanationForm(
        request.POST or None,
        initial=initial,
        staff=selectors.center_staff(including=explanation.by if explanation else request.user),
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def law_explanation_add(request, pk):
    case = case_for_user(request.user, pk, write=True)
    form = _explanation_form(request, initial={"explained_on": timezone.localdate(), "by": request.user})
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(request, form, services.law_explanation_record, "已登錄法律規定說明。", case=case):
            return redirect(_back_to(case))
    return _render_form(request, case=case, form=form, title="登錄法律規定說明", intro=EXPLANATION_INTRO)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def law_explanation_edit(request, pk):
    explanation = selectors.law_explanation_for_user(request.user, pk)
    case = explanation.case
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="法律服務：法律規定說明編輯頁")
    initial = {name: getattr(explanation, name) for name in LawExplanationForm.base_fields}
    form = _explanation_form(request, initial=initial, explanation=explanation)
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(
            request, form, services.law_explanation_update, "法律規定說明已更新。", explanation=explanation
        ):
            return redirect(_back_to(case))
    return _render_form(request, case=case, form=form, title="法律規定說明", intro=EXPLANATION_INTRO)


def _referral_form(request, case, *, initial):
    return LawyerReferralForm(
        request.POST or None, initial=initial, subsidies=case.subsidies.order_by("-applied_on")
    )


def _referral_warnings(case) -> list[str]:
    """Guideline 4-2-3: before retaining a lawyer, the victim should have had a legal consultation."""
    summary = selectors.consultation_summary(case)
    if summary["held"]:
        return []
    return ["被害人尚未完成法律諮詢。尚未委任律師而有委任需求者，建議先完成法律諮詢再決定（指引 4-2-3）。"]


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def lawyer_referral_add(request, pk):
    case = case_for_user(request.user, pk, write=True)
    form = _referral_form(request, case, initial={"matched_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(request, form, services.lawyer_referral_record, "已登錄媒合委任律師。", case=case):
            return redirect(_back_to(case))
    return _render_form(
        request,
        case=case,
        form=form,
        title="媒合委任律師",
        intro="為被害人媒合委任律師；申請委任律師費用補助時，請連結本案的訴訟補助申請（指引 4-1-2、4-2-2）。",
        warnings=_referral_warnings(case),
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def lawyer_referral_edit(request, pk):
    referral = selectors.lawyer_referral_for_user(request.user, pk)
    case = referral.case
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="法律服務：媒合委任律師編輯頁")
    initial = {name: getattr(referral, name) for name in LawyerReferralForm.base_fields}
    form = _referral_form(request, case, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(
            request, form, services.lawyer_referral_update, "媒合委任律師已更新。", referral=referral
        ):
            return redirect(_back_to(case))
    return _render_form(request, case=case, form=form, title="媒合委任律師")


# --- police report (9) ------------------------------------------------------------------------------------


def _minor_warning(case, scheduled_day) -> tuple[bool | None, list[str]]:
    """9-2-7 by the hub's one answer (cases.ages): True, False or None when the birth date is unknown."""
    minor = is_minor_on(case.victim.birth_date, scheduled_day)
    if minor:
        return True, [
            f"被害人報案時為 {age_on(case.victim.birth_date, scheduled_day)} 歲（未滿18歲）："
            "請確認監護人陪同，若無則應派社工陪同（指引 9-2-7）。"
        ]
    if minor is None:
        return None, [
            "系統沒有被害人的出生日期：請確認報案時是否未滿18歲，並在下方「年齡」回答（指引 9-2-7）。"
        ]
    return False, []


def _report_day(request, fallback):
    """The day the age is taken on: the report's (typed) date, not today."""
    raw = request.POST.get("scheduled_at_0", "").strip() if request.method == "POST" else ""
    if not raw:
        return fallback
    try:
        return parse_date(raw)
    except (ValueError, ValidationError):
        return fallback


def _report_form(request, case, *, editing: bool, initial: dict, day, report=None):
    minor, warnings = _minor_warning(case, day)
    form = PoliceReportForm(
        request.POST or None,
        initial=initial,
        editing=editing,
        minor=minor,
        evidence=selectors.evidence_choices(case),
        officers=selectors.police_officers(including=report.officer if report else None),
    )
    return form, warnings


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def police_report_add(request, pk):
    case = case_for_user(request.user, pk, write=True)
    initial = {"laws": selectors.suggested_laws(case)}
    form, warnings = _report_form(
        request, case, editing=False, initial=initial, day=_report_day(request, timezone.localdate())
    )
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(
            request, form, services.police_report_book, "報案時間已約定，已列入期限追蹤。", case=case
        ):
            return redirect(_back_to(case))
    return _render_form(
        request,
        case=case,
        form=form,
        title="約定報案",
        intro="與被害人確認報案時間，協同至婦幼隊或派出所製作筆錄（指引 9）。",
        warnings=warnings,
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def police_report_edit(request, pk):
    report = selectors.police_report_for_user(request.user, pk)
    case = report.case
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="法律服務：報案編輯頁")
    initial = {name: getattr(report, name) for name in PoliceReportForm.base_fields if name != "place_code"}
    day = _report_day(request, timezone.localtime(report.scheduled_at).date())
    form, warnings = _report_form(request, case, editing=True, initial=initial, day=day, report=report)
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(
            request, form, services.police_report_update, "報案紀錄已更新。", police_report=report
        ):
            return redirect(_back_to(case))
    return _render_form(request, case=case, form=form, title="報案", warnings=warnings)


# --- urgent evidence preservation discussed with the officer (9-2-6, 10-N) -----------------------------


def _talk_form(request, case, *, initial=None, talk=None):
    return PreservationTalkForm(
        request.POST or None,
        initial=initial,
        reports=case.police_reports.order_by("-scheduled_at"),
        officers=selectors.police_officers(including=talk.officer if talk else None),
    )


TALK_INTRO = (
    "性私密影像案件不適用減少被害人重複陳述的程序；影像有遭洩漏、散布之虞，或須扣押相對人證物時，"
    "可與員警討論報請檢察官指揮偵辦（指引 9-2-6、10）。"
)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def preservation_add(request, pk):
    case = case_for_user(request.user, pk, write=True)
    form = _talk_form(request, case, initial={"discussed_at": timezone.now()})
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(
            request, form, services.preservation_talk_record, "已登錄與員警的討論。", case=case
        ):
            return redirect(_back_to(case))
    return _render_form(request, case=case, form=form, title="證據保全急迫情形：與員警討論", intro=TALK_INTRO)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def preservation_edit(request, pk):
    talk = selectors.preservation_talk_for_user(request.user, pk)
    case = talk.case
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="法律服務：證據保全討論編輯頁")
    initial = {name: getattr(talk, name) for name in PreservationTalkForm.base_fields}
    form = _talk_form(request, case, initial=initial, talk=talk)
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(request, form, services.preservation_talk_update, "已更新討論結果。", talk=talk):
            return redirect(_back_to(case))
    return _render_form(request, case=case, form=form, title="證據保全急迫情形：與員警討論", intro=TALK_INTRO)


# --- prosecutor-directed investigation (10): police only, on the cases they referred -----------------


@login_required
@permission_required(PROSECUTOR, raise_exception=True)
@require_GET
def police_cases(request):
    """Police: the cases of their referrals, where they record prosecutor-directed investigations."""
    cases = list(selectors.referred_cases(request.user))
    log_list_reads(user=request.user, case_ids=[case.pk for case in cases], view="警察：轉介案件列表")
    return render(request, "legal/police_cases.html", {"cases": cases})


@login_required
@permission_required(PROSECUTOR, raise_exception=True)
@require_http_methods(["GET", "POST"])
def prosecutor_new(request, pk):
    case = selectors.referred_case_for_police(request.user, pk)
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="報請檢察官指揮偵辦頁")
    form = ProsecutorDirectionForm(
        request.POST or None, initial={"requested_at": timezone.now()}, editing=False
    )
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(
            request, form, services.prosecutor_direction_request, "已登錄報請檢察官指揮偵辦。", case=case
        ):
            return redirect("legal:police_cases")
    return _render_form(
        request,
        case=None,
        form=form,
        title="報請檢察官指揮偵辦",
        intro="有證據保全之急迫情形時，依刑事訴訟法報請檢察官指揮偵辦，以爭取時效、避免危害擴大（指引 10）。",
        referrals=case.my_referrals,
        my_reports=case.my_reports,
        back_url=reverse("legal:police_cases"),
    )


@login_required
@permission_required(PROSECUTOR, raise_exception=True)
@require_http_methods(["GET", "POST"])
def prosecutor_edit(request, pk):
    direction = selectors.direction_for_police(request.user, pk)
    case = selectors.referred_case_for_police(request.user, direction.case_id)
    if request.method == "GET":
        log_case_read(user=request.user, case=case, view="報請檢察官指揮偵辦頁")
    initial = {name: getattr(direction, name) for name in ProsecutorDirectionForm.base_fields}
    form = ProsecutorDirectionForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        if _save_or_errors(
            request,
            form,
            services.prosecutor_direction_update,
            "已更新檢察官指揮偵辦結果。",
            direction=direction,
        ):
            return redirect("legal:police_cases")
    return _render_form(
        request,
        case=None,
        form=form,
        title="報請檢察官指揮偵辦",
        referrals=case.my_referrals,
        my_reports=case.my_reports,
        back_url=reverse("legal:police_cases"),
    )
