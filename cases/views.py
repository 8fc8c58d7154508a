"""Thin views: access helper, form, service, redirect."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import case_page, dashboards, notifications, selectors, services, tracker, views_oversight
from cases import search as case_search
from cases.ages import is_minor_on, minor_label, victim_is_minor
from cases.case_records import case_rows, probe_case_records
from cases.case_rows import (
    case_list_html,
    intake_queue_html,
    option_tags,
    overview_flagged_html,
    overview_recent_html,
)
from cases.forms import (
    AppointmentForm,
    CallIntakeForm,
    CloseDecisionForm,
    CloseRequestForm,
    ContactForm,
    DangerClearForm,
    DeadlineCloseForm,
    DeadlineFilterForm,
    DispatchForm,
    IntakeCloseForm,
    ReopenForm,
    VictimForm,
)
from cases.forms_fields import add_service_errors
from cases.models import Case, Deadline, Intake, Notification
from cases.page_rows import dashboard_rows, notification_rows, person_name, week_agenda
from cases.paging import CappedPaginator, capped_page
from cases.pdf import render_pdf
from cases.readlog import log_case_read, log_list_reads
from cases.registry import (
    flag_notes,
    home_page_for,
    intake_panels_for,
    overview_panel_counts,
    overview_panels_for,
    panels_for,
)
from cases.sms import outbox

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def search(request):
    """The navigation's search box. POST only carries a term: it never appears in a URL or a log."""
    result = None
    if request.method == "POST":
        result = case_search.search(request.user, request.POST.get("q", "")[:100])
    return render(request, "cases/search.html", {"result": result})


@login_required
@require_GET
def home(request):
    """Each role lands on its own page (registered per app: cases.registry.register_home_page)."""
    url_name = home_page_for(request.user)
    if url_name:
        return redirect(url_name)
    if request.user.is_staff:
        return redirect("admin:index")
    raise PermissionDenied


@login_required
@permission_required("cases.process_intake", raise_exception=True)
@require_GET
def intake_queue(request):
    page = capped_page(selectors.intake_queue(), PAGE_SIZE, request.GET.get("page"))
    log_list_reads(user=request.user, intake_ids=[row.pk for row in page], view="待處理受理紀錄")
    return render(request, "cases/intake_queue.html", {"page": page, "rows_html": intake_queue_html(page)})


@login_required
@permission_required("cases.process_intake", raise_exception=True)
@require_http_methods(["GET", "POST"])
def intake_new_call(request):
    form = CallIntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intake = services.intake_record(
                actor=request.user, source=Intake.Source.CALL, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "來電紀錄已儲存，請接著開案、併案或註記不開案。")
            return redirect(intake)
    return render(request, "cases/intake_form.html", {"form": form, "title": "登錄專線來電"})


@login_required
@permission_required("cases.process_intake", raise_exception=True)
@require_GET
def intake_detail(request, pk):
    intake = selectors.intake_for_user(request.user, pk)
    if intake.case_id:
        log_case_read(user=request.user, case=intake.case, view="受理紀錄頁")  # it shows the case's intake
    matches = []
    if intake.status == Intake.Status.PENDING:
        matches = list(
            selectors.matching_cases(
                phone_index=intake.victim_phone_index, national_id_index=intake.victim_national_id_index
            )
        )
    return render(
        request,
        "cases/intake_detail.html",
        {
            "intake": intake,
            "matches": matches,
            "close_form": IntakeCloseForm(),
            "sms_messages": outbox.sms_messages_for_intake(intake),
            "contacts": selectors.intake_contacts(intake),
            "appointments": list(intake.appointments.order_by("scheduled_at")),
            "intake_panels": intake_panels_for(request, intake),
            "minor": minor_label(is_minor_on(intake.victim_birth_date, timezone.localdate())),
        },
    )


@login_required
@permission_required("cases.process_intake", raise_exception=True)
@require_POST
def intake_accept(request, pk):
    intake = selectors.intake_for_user(request.user, pk)
    try:
        case = services.case_open_from_intake(actor=request.user, intake=intake)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(intake)
    messages.success(request, f"已開案（案號 {case.number}），請接著派案。")
    return redirect("cases:dispatch", pk=case.pk)


@login_required
@permission_required("cases.process_intake", raise_exception=True)
@require_POST
def intake_attach(request, pk):
    intake = selectors.intake_for_user(request.user, pk)
    try:
        case = get_object_or_404(selectors.cases_for_user(request.user), pk=request.POST.get("case"))
    except ValidationError:  # a missing or malformed case id is a 404, not a server error
        raise Http404 from None
    try:
        services.intake_attach(actor=request.user, intake=intake, case=case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(intake)
    messages.success(request, f"已併入案件 {case.number}，不另開新案。")
    return redirect(case)


@login_required
@permission_required("cases.process_intake", raise_exception=True)
@require_http_methods(["GET", "POST"])
def intake_close(request, pk):
    intake = selectors.intake_for_user(request.user, pk)
    form = IntakeCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.intake_close(actor=request.user, intake=intake, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已註記不開案。")
            return redirect("cases:intake_queue")
    return render(request, "cases/intake_close.html", {"intake": intake, "form": form})


@login_required
@permission_required("cases.view_case", raise_exception=True)
@require_GET
def my_cases(request):
    """Worker: my cases. Hotline and supervisors: the unit's cases. Each row says what needs doing next
    (danger, next deadline, last contact); filter by state, worker and flag; sort by each column."""
    status = request.GET.get("status", "")
    worker = request.GET.get("worker", "")
    flagged = request.GET.get("flag") == "1"
    sort = request.GET.get("sort", "")
    if sort not in selectors.CASE_LIST_SORTS:
        sort = "danger"
    cases, scope = selectors.case_list(
        request.user,
        status=status,
        worker_id=worker,
        flagged=flagged,
        sort=sort,
    )
    page = capped_page(cases, PAGE_SIZE, request.GET.get("page"), count_from=scope)
    log_list_reads(user=request.user, case_ids=[row.pk for row in page], view="案件列表")
    filters = {
        k: v for k, v in (("status", status), ("worker", worker), ("flag", "1" if flagged else "")) if v
    }
    workers = selectors.social_worker_names() if request.user.has_perm("cases.view_all_cases") else None
    context = {
        "page": page,
        "status": status,
        "status_options": option_tags(Case.Status.choices, status),
        "worker": worker,
        "worker_options": (
            option_tags(((pk, person_name(last, first, name)) for pk, last, first, name in workers), worker)
            if workers is not None
            else None
        ),
        "flagged": flagged,
        "sort": sort,
        "sort_options": option_tags(
            ((key, label) for key, (label, _) in selectors.CASE_LIST_SORTS.items()), sort
        ),
        "query": urlencode(filters),
        "sort_query": urlencode({**filters, "sort": sort}),
        "rows_html": case_list_html(page),
    }
    return render(request, "cases/case_list.html", context)


@login_required
@require_GET
def case_detail(request, pk):
    try:
        # With the case, in the same query: which of the page's thirty kinds of records it has, and whether
        # the user has unread notifications of it (the dispatch notices are marked read only then).
        case = selectors.case_for_user(request.user, pk, probe=True)
    except Http404:
        if not request.user.has_perm("cases.break_glass"):
            raise
        return views_oversight.break_glass_refusal(request, pk)  # the same 404, with 緊急調閱 offered
    log_case_read(user=request.user, case=case, view="案件頁面")
    probe_case_records(case, request.user)  # no query, but for a case opened by 緊急調閱
    notifications.mark_read_for_case(user=request.user, case=case, kinds=[Notification.Kind.DISPATCH])
    # The hub's rows as the page prints them: names without user rows, no unshown column decrypted.
    intakes = case_page.case_page_intakes(case)
    contacts = case_rows(case, "cases.contacts", lambda: selectors.case_contacts(case))
    dispatches = case_page.case_dispatch_rows(case)
    status_changes = selectors.case_status_changes(case)
    appointments = selectors.case_appointments(case)
    deadline_rows = case_page.case_page_deadlines(case)
    entries = selectors.case_entries(
        case,
        request.user,
        intakes=intakes,
        contacts=contacts,
        dispatches=dispatches,
        status_changes=status_changes,
        appointments=appointments,
    )
    user = request.user
    context = {
        "case": case,
        "victim": case.victim,
        "minor": minor_label(victim_is_minor(case.victim)),
        "is_minor": victim_is_minor(case.victim),
        "intakes": intakes,
        "contacts": contacts,
        "appointments": appointments,
        "dispatches": dispatches,
        "entries": entries,
        "record_html": case_page.case_record_html(entries),
        "panels": panels_for(request, case),
        "deadlines": deadline_rows,
        "next_deadlines": [d for d in deadline_rows if d.is_open][:3],
        "pending_closure": selectors.pending_closure(case),
        "can_dispatch": user.has_perm("cases.dispatch_case"),
        "can_edit": selectors.can_edit_case(user, case),
        "can_contact": user.has_perm("cases.add_contact") and selectors.can_edit_case(user, case),
        "can_book": user.has_perm("cases.add_serviceappointment") and selectors.can_edit_case(user, case),
        "can_approve": user.has_perm("cases.approve_closing"),
        "can_audit": user.has_perm("cases.view_audit_trail"),
        "can_print": user.has_perm("cases.work_cases") and selectors.may_edit_case(user, case),
        "break_glass": getattr(case, "break_glass", None),
    }
    return render(request, "cases/case_detail.html", context)


@login_required
@permission_required("cases.work_cases", raise_exception=True)
@require_GET
def case_summary_pdf(request, pk):
    """The case summary as a printed form (the worker's and supervisor's copy); a logged read."""
    case = selectors.case_for_user(request.user, pk)
    if not selectors.may_edit_case(request.user, case):
        raise Http404
    log_case_read(user=request.user, case=case, view="案件摘要（PDF）")
    intakes = case_page.case_page_intakes(case)
    contacts = list(selectors.case_contacts(case))
    dispatches = case_page.case_dispatch_rows(case)
    entries = selectors.case_entries(
        case,
        request.user,
        intakes=intakes,
        contacts=contacts,
        dispatches=dispatches,
        status_changes=selectors.case_status_changes(case),
        appointments=selectors.case_appointments(case),
    )
    entries.reverse()  # on paper, oldest first
    deadlines = [d for d in selectors.case_deadlines(case) if d.state == Deadline.State.OPEN]
    context = {
        "title": "個案服務摘要",
        "case": case,
        "minor": minor_label(victim_is_minor(case.victim)),
        "entries": entries,
        "deadlines": deadlines,
    }
    return render_pdf(request, "pdf/case_summary.html", context, filename=f"case-summary-{case.number}.pdf")


@login_required
@permission_required("cases.add_contact", raise_exception=True)
@require_http_methods(["GET", "POST"])
def contact_new(request, pk):
    """指引 2-1, 7-1a: the assigned worker (or a supervisor) records a contact or an attempt."""
    case = selectors.case_for_user(request.user, pk, write=True)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_record(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if contact.immediate_danger == contact.Danger.YES:
                messages.warning(
                    request, "已記錄「有立即危險」：案件已標記，督導已收到通知。請立即確認安全計畫。"
                )
            else:
                messages.success(request, "聯繫紀錄已儲存。")
            return redirect(case)
    return render(request, "cases/contact_form.html", {"case": case, "form": form})


@login_required
@permission_required("cases.add_contact", raise_exception=True)
@permission_required("cases.process_intake", raise_exception=True)
@require_http_methods(["GET", "POST"])
def intake_contact_new(request, pk):
    """指引 1-3b: the hotline follows up a waiting intake (e.g. a referral form) before any case exists."""
    intake = selectors.intake_for_user(request.user, pk)
    if intake.case_id:
        return redirect("cases:contact_new", pk=intake.case_id)
    form = ContactForm(request.POST or None, with_next_contact=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_record(actor=request.user, intake=intake, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "聯繫紀錄已儲存。")
            return redirect(intake)
    return render(request, "cases/contact_form.html", {"intake": intake, "form": form})


@login_required
@permission_required("cases.add_serviceappointment", raise_exception=True)
@require_http_methods(["GET", "POST"])
def appointment_new(request, pk):
    """指引 1-2b: book a service for the victim on the case (the assigned worker or a supervisor)."""
    case = selectors.case_for_user(request.user, pk, write=True)
    form = AppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_book(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已預約：{services.appointment_label(appointment)}。")
            return redirect(case)
    return render(request, "cases/appointment_form.html", {"case": case, "form": form})


@login_required
@permission_required("cases.add_serviceappointment", raise_exception=True)
@permission_required("cases.process_intake", raise_exception=True)
@require_http_methods(["GET", "POST"])
def intake_appointment_new(request, pk):
    """指引 1-2b: the hotline books a service during the call; it moves to the case when one is opened."""
    intake = selectors.intake_for_user(request.user, pk)
    if intake.case_id:
        return redirect("cases:appointment_new", pk=intake.case_id)
    form = AppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_book(actor=request.user, intake=intake, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"已預約：{services.appointment_label(appointment)}（開案後列入期限與提醒）。"
            )
            return redirect(intake)
    return render(request, "cases/appointment_form.html", {"intake": intake, "form": form})


@login_required
@permission_required("cases.add_serviceappointment", raise_exception=True)
@require_POST
def appointment_status(request, pk):
    """Mark a booked appointment held or cancelled."""
    appointment = selectors.appointment_for_user(request.user, pk, write=True)
    try:
        services.appointment_set_status(
            actor=request.user, appointment=appointment, status=request.POST.get("status", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "預約狀態已更新。")
    return redirect(appointment.case or appointment.intake)


@login_required
@permission_required("cases.approve_closing", raise_exception=True)
@require_http_methods(["GET", "POST"])
def danger_clear(request, pk):
    case = selectors.case_for_user(request.user, pk, write=True)
    if not case.in_danger:
        messages.info(request, "這個案件目前沒有立即危險標記。")
        return redirect(case)
    form = DangerClearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_clear_danger(actor=request.user, case=case, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已解除立即危險標記（保留於稽核軌跡）。")
            return redirect(case)
    return render(
        request, "cases/case_action.html", {"case": case, "form": form, "title": "解除立即危險標記"}
    )


@login_required
@permission_required("cases.view_case", raise_exception=True)
@require_http_methods(["GET", "POST"])
def close_request(request, pk):
    """The assigned worker asks to close the case (a supervisor may too)."""
    case = selectors.case_for_user(request.user, pk, write=True)
    form = CloseRequestForm(request.POST or None)
    blocking = services.open_deadlines_blocking_closure(case)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close_request(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "結案申請已送出，等待督導審核。")
            return redirect(case)
    return render(
        request,
        "cases/case_action.html",
        {"case": case, "form": form, "title": "申請結案", "blocking": blocking},
    )


@login_required
@permission_required("cases.approve_closing", raise_exception=True)
@require_http_methods(["GET", "POST"])
def close_decide(request, pk):
    case = selectors.case_for_user(request.user, pk, write=True)
    pending = selectors.pending_closure(case)
    if pending is None:
        messages.info(request, "這個案件沒有待審核的結案申請。")
        return redirect(case)
    form = CloseDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.case_close_decide(
                actor=request.user, case=case, approve=approve, comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已核定結案。" if approve else "已退回結案申請。")
            return redirect(case)
    return render(
        request,
        "cases/case_action.html",
        {"case": case, "form": form, "title": "審核結案申請", "pending": pending},
    )


@login_required
@permission_required("cases.approve_closing", raise_exception=True)
@require_http_methods(["GET", "POST"])
def case_reopen(request, pk):
    case = selectors.case_for_user(request.user, pk)
    if not case.is_closed:
        messages.info(request, "這個案件沒有結案。")
        return redirect(case)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reopen(actor=request.user, case=case, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已重新開案。")
            return redirect(case)
    return render(request, "cases/case_action.html", {"case": case, "form": form, "title": "重新開案"})


@login_required
@require_http_methods(["GET", "POST"])
def victim_edit(request, pk):
    """The assigned worker (or a supervisor) corrects or completes the victim's details."""
    case = selectors.case_for_user(request.user, pk, write=True)
    victim = case.victim
    if request.method == "GET":
        log_case_read(
            user=request.user, case=case, view="被害人資料編輯頁"
        )  # the form shows the victim's data
    initial = {f: getattr(victim, f) for f in VictimForm.base_fields}
    form = VictimForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.victim_update(actor=request.user, victim=victim, **form.cleaned_data)
        messages.success(request, "被害人資料已更新。")
        return redirect(case)
    return render(request, "cases/victim_form.html", {"case": case, "form": form})


@login_required
@permission_required("cases.dispatch_case", raise_exception=True)
@require_http_methods(["GET", "POST"])
def case_dispatch(request, pk):
    case = selectors.case_for_user(request.user, pk)
    form = DispatchForm(request.POST or None, workers=selectors.social_workers())
    if request.method == "POST" and form.is_valid():
        try:
            services.dispatch_case(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已派案。")
            return redirect(case)
    return render(request, "cases/dispatch_form.html", {"case": case, "form": form})


@login_required
@permission_required("cases.view_audit_trail", raise_exception=True)
@require_GET
def case_timeline(request, pk):
    case = selectors.case_for_user(request.user, pk)
    return render(
        request, "cases/case_timeline.html", {"case": case, "events": selectors.case_timeline(case)}
    )


# A glance, not a list: the case lists page through all of them (the flag filter, the newest first).
OVERVIEW_FLAGGED_ROWS = 20
OVERVIEW_RECENT_ROWS = 10


@login_required
@permission_required("cases.view_unit_overview", raise_exception=True)
@require_GET
def overview(request):
    # The longest-flagged first; the case list's flag filter has them all (the count is above).
    recent, flagged = selectors.overview_cases(
        request.user, recent=OVERVIEW_RECENT_ROWS, flagged=OVERVIEW_FLAGGED_ROWS
    )
    log_list_reads(user=request.user, case_ids=[c.pk for c in [*recent, *flagged]], view="督導總覽")
    counts = selectors.unit_overview(also=overview_panel_counts(request))
    context = {
        **counts,
        **dashboards.overview_charts(request.user),
        "recent_html": overview_recent_html(recent),
        "flagged": flagged,
        "flagged_html": overview_flagged_html(flagged, flag_notes(flagged)),
        "panels": overview_panels_for(request, counts["also"]),
    }
    return render(request, "cases/overview.html", context)


# --- deadlines and notifications ---------------------------------------------------------------


@login_required
@permission_required("cases.view_deadline", raise_exception=True)
@require_GET
def deadline_dashboard(request):
    """Worker: my deadlines. Supervisor: the unit's. Counts at the top; every open deadline below, filtered
    and paginated (nothing silently cut), or the week's agenda day by day."""
    user = request.user
    form = DeadlineFilterForm(
        request.GET or None,
        owners=selectors.social_worker_names() if user.has_perm("cases.view_unit_overview") else None,
    )
    filters = form.cleaned_filters()
    context = {"form": form, "view": "list"}
    if request.GET.get("view") == "week":
        context["summary"] = selectors.deadline_summary(user)
        start = filters.pop("week_of", None) or timezone.localdate()
        monday = start - dt.timedelta(days=start.weekday())
        today = timezone.localdate()
        week = selectors.deadline_list(
            user, **{k: v for k, v in filters.items() if k not in ("due_from", "due_to")}
        )
        # A day with more deadlines than the agenda shows links to that day in the list, same filters.
        kept = {
            k: request.GET[k]
            for k in ("kind", "owner", "case")
            if request.GET.get(k) and k not in form.errors
        }
        context.update(
            view="week",
            days=week_agenda(week, monday=monday, today=today, filters=kept),
            previous_week=monday - dt.timedelta(days=7),
            next_week=monday + dt.timedelta(days=7),
            today=today,
        )
    else:
        filters.pop("week_of", None)
        paginator = CappedPaginator(
            selectors.deadline_list(user, **filters), PAGE_SIZE, page=request.GET.get("page")
        )
        context["summary"] = selectors.deadline_summary(user, listed=paginator)  # the list's count too
        page = paginator.get_page(request.GET.get("page"))
        context.update(page=page, rows=dashboard_rows(page.object_list), query=form.query_string())
    return render(request, "cases/deadline_dashboard.html", context)


@login_required
@permission_required("cases.change_deadline", raise_exception=True)
@require_http_methods(["GET", "POST"])
def deadline_close(request, pk):
    deadline = selectors.deadline_for_user(request.user, pk, write=True)
    form = DeadlineCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tracker.deadline_close(actor=request.user, deadline=deadline, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "期限已結束。")
            return redirect(deadline.case)
    return render(request, "cases/deadline_close.html", {"deadline": deadline, "form": form})


@login_required
@require_GET
def notification_list(request):
    # Capped like every list (「999+」): a supervisor's inbox holds tens of thousands of reminders.
    page = capped_page(request.user.notifications.all(), PAGE_SIZE, request.GET.get("page"))
    return render(
        request, "cases/notification_list.html", {"page": page, "rows": notification_rows(page.object_list)}
    )


@login_required
@require_POST
def notification_mark_read(request):
    ids = request.POST.getlist("id")
    # ASCII digits of a sane length only: "²".isdigit() is True, and 26 digits overflow a bigint.
    wanted = [int(i) for i in ids if i.isascii() and i.isdigit() and len(i) <= 18] if ids else None
    if notifications.mark_read(user=request.user, ids=wanted):
        messages.success(request, "已標示為已讀。")
    else:  # nothing unread among what was posted (or no notification with such an id)
        messages.info(request, "沒有需要標示為已讀的通知。")
    return redirect("cases:notifications")
