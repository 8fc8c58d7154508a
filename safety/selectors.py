"""Reads of a case's safety records. Access goes through the hub's scoping (cases.selectors)."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef
from django.http import Http404
from django.utils import timezone

from cases.case_records import case_first, case_rows
from cases.models import Case
from cases.rocdate import format_roc
from cases.selectors import can_edit_case, cases_for_user, may_edit_case
from safety import rules
from safety.models import (
    ProtectionOrder,
    SafetyAction,
    SafetyPlan,
    SheetDelivery,
    ShelterPlacement,
    review_since_flag,
)

# --- access helpers: 404 when the record is outside the user's scope --------------------------------


def _editable(qs, user, pk):
    """A record of a case the user may change now (assigned worker or supervisor, case open); else 404."""
    try:
        record = qs.filter(case__in=cases_for_user(user).values("pk")).get(pk=pk)
    except (qs.model.DoesNotExist, ValueError):
        raise Http404 from None
    if not can_edit_case(user, record.case):
        raise Http404
    return record


def order_for_user(user, pk) -> ProtectionOrder:
    return _editable(ProtectionOrder.objects.select_related("case", "case__victim"), user, pk)


def shelter_for_user(user, pk) -> ShelterPlacement:
    """Only the assigned worker and supervisors: the hotel says where the victim is."""
    return _editable(
        ShelterPlacement.objects.select_related("case", "case__victim", "scheme", "requested_by"), user, pk
    )


def action_for_user(user, pk) -> SafetyAction:
    qs = SafetyAction.objects.select_related("plan__case", "plan__case__victim", "owner")
    try:
        action = qs.filter(plan__case__in=cases_for_user(user).values("pk")).get(pk=pk)
    except (SafetyAction.DoesNotExist, ValueError):
        raise Http404 from None
    if not can_edit_case(user, action.plan.case):
        raise Http404
    return action


def plan_of(case: Case) -> SafetyPlan | None:
    return SafetyPlan.objects.filter(case=case).select_related("last_reviewed_by").first()


# --- the case-page panel --------------------------------------------------------------------------


def case_safety_panel(case: Case, user) -> dict:
    """Everything the panel shows, in a constant number of queries (five, six with a plan).

    The assigned worker and supervisors get it all; anyone else who may read the case page (the
    hotline) gets what to do now, whether the sheet was given, whether a plan exists and when it was
    last reviewed, and the orders in force: no notes, and nothing at all about shelter.
    """
    full = may_edit_case(user, case)
    deliveries = case_rows(
        case,
        "safety.deliveries",
        lambda: SheetDelivery.objects.filter(case=case).select_related("delivered_by"),
    )
    plan = case_first(
        case,
        "safety.plan",
        lambda: SafetyPlan.objects.filter(case=case).select_related("created_by", "last_reviewed_by"),
    )
    orders = case_rows(case, "safety.orders", lambda: ProtectionOrder.objects.filter(case=case))
    actions: list[SafetyAction] = []
    reviews = []
    placements: list[ShelterPlacement] = []
    if full:
        placements = case_rows(
            case,
            "safety.placements",
            lambda: ShelterPlacement.objects.filter(case=case).select_related(
                "scheme", "requested_by", "approved_by"
            ),
        )
        if plan is not None:
            actions = list(plan.actions.select_related("owner"))
            reviews = list(plan.reviews.select_related("reviewed_by")[:3])
    reviewed_since_flag = plan is not None and plan.reviewed_since(case)
    routes = (
        rules.protection_routes(plan.offender_relationship, plan.stalking)
        if plan
        else rules.protection_routes(rules.UNKNOWN, False)
    )
    today = timezone.localdate()
    return {
        "full": full,
        "deliveries": deliveries,
        "sheet_missing": not deliveries,
        "plan": plan,
        "reviewed_since_flag": reviewed_since_flag,
        "routes": [(code, rules.ROUTE_LABELS[code], rules.ROUTE_NOTES[code]) for code in routes],
        "orders": orders if full else [o for o in orders if o.in_force],
        "actions": actions,
        "open_actions": [a for a in actions if not a.done_on],
        "reviews": reviews,
        "placements": placements,
        "current_placement": next(
            (p for p in placements if p.check_in <= today < p.check_out and p.approved), None
        ),
    }


# --- the supervisor overview ------------------------------------------------------------------------


def cases_without_sheet():
    """Cases not closed whose victim has not been given the reminder sheet (指引 7-1b)."""
    delivered = SheetDelivery.objects.filter(case=OuterRef("pk"))
    return (
        Case.objects.exclude(status=Case.Status.CLOSED)
        .filter(~Exists(delivered))
        .select_related("assigned_worker")
        .order_by("opened_at")
    )


def flag_note_columns() -> dict:
    """The safety plan's review times, read with the overview's flagged cases (cases.registry.FlagNotes):
    a left join on the case's one plan; a NULL id means none."""
    return {
        "safety_plan_id": F("safety_plan__id"),
        "safety_plan_reviewed_at": F("safety_plan__last_reviewed_at"),
        "safety_plan_recorded_at": F("safety_plan__last_review_recorded_at"),
    }


def flag_note(row) -> str:
    """Per flagged case: was the safety plan reviewed since the flag?"""
    if row.safety_plan_id is None:
        return "尚無安全計畫"
    reviewed = row.safety_plan_reviewed_at
    if review_since_flag(
        reviewed_at=reviewed, recorded_at=row.safety_plan_recorded_at, flagged_at=row.danger_since
    ):
        return f"安全計畫已於標記後檢視（{format_roc(timezone.localtime(reviewed).date())}）"
    return "標記後尚未檢視安全計畫"


def case_records(case: Case) -> dict:
    """The kinds of records the case page's safety panel and entries read (cases.case_records: one probe)."""
    return {
        "safety.deliveries": SheetDelivery.objects.filter(case=case),
        "safety.plan": SafetyPlan.objects.filter(case=case),
        "safety.orders": ProtectionOrder.objects.filter(case=case),
        "safety.placements": ShelterPlacement.objects.filter(case=case),
    }
