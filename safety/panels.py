"""The safety panel on the case page (first among the panels), the records on the case's one
chronological record, the audit timeline, the danger listener and the supervisor overview."""

from django.utils.safestring import mark_safe

from cases.case_records import register_case_records
from cases.compiled import compiled_values
from cases.page_rows import esc, person_name, url_maker
from cases.registry import (
    CasePanel,
    FlagNotes,
    OverviewPanel,
    register_case_entries,
    register_case_panel,
    register_danger_listener,
    register_flag_notes,
    register_overview_panel,
    register_timeline_source,
)
from cases.selectors import can_edit_case, history_events
from safety import counters, selectors, services
from safety.entries import safety_entries
from safety.models import (
    PlanReview,
    ProtectionOrder,
    SafetyAction,
    SafetyPlan,
    SheetDelivery,
    ShelterPlacement,
)

OVERVIEW_ROWS = 20


def _context(request, case):
    user = request.user
    if not user.has_perm("cases.view_case"):
        return None
    context = selectors.case_safety_panel(case, user)
    context["can_edit"] = user.has_perm("safety.manage_safety") and can_edit_case(user, case)
    context["can_approve"] = user.has_perm("safety.approve_shelter") and context["can_edit"]
    context["can_print"] = user.has_perm("safety.view_safetysheet")
    return context


def _timeline(case):
    # Field names only (the hub's history_events never shows values): the hotel stays off the timeline.
    plan_ids = SafetyPlan.objects.filter(case_id=case.pk).values("pk")
    return [
        *history_events(SheetDelivery.history.filter(case_id=case.pk), "安全提醒單", SheetDelivery),
        *history_events(SafetyPlan.history.filter(case_id=case.pk), "安全計畫", SafetyPlan),
        *history_events(PlanReview.history.filter(plan_id__in=plan_ids), "安全計畫檢視", PlanReview),
        *history_events(SafetyAction.history.filter(plan_id__in=plan_ids), "安全計畫措施", SafetyAction),
        *history_events(ProtectionOrder.history.filter(case_id=case.pk), "保護令", ProtectionOrder),
        *history_events(ShelterPlacement.history.filter(case_id=case.pk), "緊急安置", ShelterPlacement),
    ]


def _overview_counts(request) -> dict:
    if not request.user.has_perm("cases.view_unit_overview"):
        return {}
    # A counter kept by triggers (safety/counters.py), read in the overview's one count query (issue 19).
    return {"missing": counters.KEY}


def _overview(request, counts):
    if not request.user.has_perm("cases.view_unit_overview"):
        return None
    count = counts["missing"]
    # The number and the worker's name are all the list prints: no case row (and its encrypted danger
    # note) is loaded for it. The same SQL on every request: compiled once per process.
    rows = compiled_values(
        "safety.overview_without_sheet",
        lambda: selectors.cases_without_sheet().values_list(
            "pk",
            "number",
            "assigned_worker__last_name",
            "assigned_worker__first_name",
            "assigned_worker__username",
        )[:OVERVIEW_ROWS],
    )
    url = url_maker()
    items = "".join(
        f'<li class="list-inline-item"><a href="{url(pk)}#panel-safety">{esc(number)}</a>'
        f"（{esc(person_name(last, first, username, '尚未派案'))}）</li>"
        for pk, number, last, first, username in rows
    )
    return {"count": count, "cases": rows, "cases_html": mark_safe(items), "shown": OVERVIEW_ROWS}


def _danger_listener(*, case, actor):
    services.plan_open_for_danger(case=case, actor=actor)


register_case_panel(
    CasePanel(
        title="人身安全（安全提醒單、安全計畫、保護令、緊急安置）",
        template="safety/_case_panel.html",
        context=_context,
        order=5,
        anchor="panel-safety",
    )
)
register_case_entries(safety_entries)
register_case_records(selectors.case_records)
register_timeline_source(_timeline)
register_danger_listener(_danger_listener)
register_flag_notes(FlagNotes(columns=selectors.flag_note_columns, text=selectors.flag_note))
register_overview_panel(
    OverviewPanel(
        title="尚未提供安全提醒單的案件（指引 7-1b）",
        template="safety/_overview_sheet.html",
        context=_overview,
        counts=_overview_counts,
        order=10,
    )
)
