"""The safety records on the case's one chronological record (指引 G-2). Titles only, and nothing of
where the victim is: whoever reads the case page (the hotline too) sees these; shelter stays off it."""

from __future__ import annotations

from cases.case_records import case_rows
from cases.people import staff_name
from cases.registry import CaseEntry
from safety.models import PlanReview, ProtectionOrder, SheetDelivery

URL = "#panel-safety"


def safety_entries(case, user) -> list[CaseEntry]:
    entries = []
    for d in case_rows(
        case,
        "safety.deliveries",
        lambda: SheetDelivery.objects.filter(case=case).select_related("delivered_by"),
    ):
        entries.append(
            CaseEntry(
                at=d.delivered_at,
                kind="人身安全",
                title=f"提供安全提醒單（{d.get_method_display()}）",
                by=staff_name(d.delivered_by),
                url=URL,
            )
        )
    # Reviews belong to the plan: none without one.
    for r in case_rows(
        case, "safety.plan", lambda: PlanReview.objects.filter(plan__case=case).select_related("reviewed_by")
    ):
        entries.append(
            CaseEntry(
                at=r.reviewed_at, kind="人身安全", title="檢視安全計畫", by=staff_name(r.reviewed_by), url=URL
            )
        )
    for o in case_rows(
        case, "safety.orders", lambda: ProtectionOrder.objects.filter(case=case).select_related("created_by")
    ):
        entries.append(
            CaseEntry(
                at=o.created_at,
                kind="保護令",
                title=f"{o.get_kind_display()}・{o.court}",
                by=staff_name(o.created_by),
                url=URL,
            )
        )
    return entries
