"""The services panel on the case page, the case's record entries and the supervisor's timeline."""

from __future__ import annotations

from cases.case_records import register_case_records
from cases.people import staff_name
from cases.registry import (
    CaseEntry,
    CasePanel,
    register_case_entries,
    register_case_panel,
    register_timeline_source,
)
from cases.selectors import can_edit_case, history_events
from services.models import (
    CounsellingReferral,
    DeclinedEscortRequest,
    Escort,
    EscortReport,
    Screening,
    SupportNote,
)
from services.selectors import MANAGE, case_records, case_services_panel


def _context(request, case):
    # Police and the hotline never see screenings, counselling or escorts (指引 G-1: need to know).
    if not request.user.has_perm(MANAGE):
        return None
    context = case_services_panel(case)
    context["can_edit"] = can_edit_case(request.user, case)
    return context


def services_entries(case, user) -> list[CaseEntry]:
    """Titles only, for those who may see them; the panel holds the details."""
    if not user.has_perm(MANAGE):
        return []
    panel = case_services_panel(case)
    entries = []
    for n in panel["support_notes"]:
        entries.append(
            CaseEntry(
                at=n.noted_at,
                kind="情緒支持",
                title=f"梳理情緒：{n.emotion_labels()}",
                by=staff_name(n.created_by),
                url="#panel-services",
            )
        )
    for s in panel["screenings"]:
        entries.append(
            CaseEntry(
                at=s.screened_at,
                kind="情緒篩檢",
                title=f"BSRS-5 總分 {s.total}・{s.band}" + ("・自殺意念緊急" if s.urgent else ""),
                by=staff_name(s.created_by),
                url="#panel-services",
                flag="danger" if s.urgent else "",
            )
        )
    for e in panel["escorts"]:
        entries.append(
            CaseEntry(
                at=e.starts_at,
                kind="陪同服務",
                title=f"{e.get_kind_display()}・{e.get_status_display()}",
                by=staff_name(e.worker),
                url="#panel-services",
            )
        )
    return entries


_TIMELINE = [
    (SupportNote, "情緒支持紀錄"),
    (Screening, "情緒篩檢"),
    (CounsellingReferral, "心理諮商轉介"),
    (Escort, "陪同服務"),
    (DeclinedEscortRequest, "非陪同服務範圍之請求"),
]


def _timeline(case):
    events = []
    for model, subject in _TIMELINE:
        events += history_events(model.history.filter(case_id=case.pk), subject, model)
    escort_ids = Escort.objects.filter(case=case).values("pk")
    events += history_events(
        EscortReport.history.filter(escort_id__in=escort_ids), "陪同服務紀錄表", EscortReport
    )
    return events


register_case_panel(
    CasePanel(
        title="心理支持與陪同服務（篩檢、諮商、陪同）",
        template="services/_case_panel.html",
        context=_context,
        order=20,
        anchor="panel-services",
    )
)
register_case_entries(services_entries)
register_case_records(case_records)
register_timeline_source(_timeline)
