"""The takedown section of the case page, its entries, its history on the timeline, and the supervisor
overview's chart of SLA compliance."""

from __future__ import annotations

from cases.case_records import register_case_records
from cases.people import staff_name
from cases.registry import (
    CaseEntry,
    CasePanel,
    OverviewStatistic,
    register_case_entries,
    register_case_panel,
    register_overview_statistic,
    register_timeline_source,
)
from cases.selectors import can_edit_case, history_events
from takedown.models import (
    PreventionAdvice,
    StopNCIICase,
    TakedownComplaint,
    TakedownFollowUp,
    TakedownTarget,
)
from takedown.selectors import case_records, case_takedown_panel, sla_statistics

MANAGE = "takedown.manage_takedown"


def _context(request, case):
    if not request.user.has_perm(MANAGE):
        return None
    return {**case_takedown_panel(case), "can_edit": can_edit_case(request.user, case)}


def _entries(case, user) -> list[CaseEntry]:
    if not user.has_perm(MANAGE):
        return []
    entries = []
    for row in case_takedown_panel(case)["complaints"]:  # the rows the panel reads, once per request
        complaint = row["complaint"]
        entries.append(
            CaseEntry(
                at=complaint.filed_at,
                kind="下架申訴",
                title=f"向性影像處理中心申訴（{complaint.get_filed_by_kind_display()}）",
                by=staff_name(complaint.created_by),
                url="#panel-takedown",
            )
        )
        for follow_up in complaint.follow_ups.all():
            entries.append(
                CaseEntry(
                    at=follow_up.at,
                    kind="下架追蹤",
                    title="追蹤下架情形",
                    by=staff_name(follow_up.by),
                    url="#panel-takedown",
                )
            )
    return entries


def _timeline(case):
    events = []
    for model, subject, qs in (
        (TakedownComplaint, "下架申訴", TakedownComplaint.history.filter(case_id=case.pk)),
        (TakedownTarget, "下架網址", TakedownTarget.history.filter(complaint__case_id=case.pk)),
        (TakedownFollowUp, "下架追蹤", TakedownFollowUp.history.filter(complaint__case_id=case.pk)),
        (StopNCIICase, "StopNCII", StopNCIICase.history.filter(case_id=case.pk)),
        (PreventionAdvice, "預防建議", PreventionAdvice.history.filter(case_id=case.pk)),
    ):
        events += history_events(qs, subject, model)
    return events


register_case_panel(
    CasePanel(
        title="下架申訴、StopNCII 與預防（指引 5、8）",
        template="takedown/_case_panel.html",
        context=_context,
        order=45,
        anchor="panel-takedown",
    )
)
register_case_entries(_entries)
register_case_records(case_records)
register_timeline_source(_timeline)
register_overview_statistic(
    OverviewStatistic(
        key="takedown.sla", compute=sla_statistics, permission="takedown.view_takedown_overview", order=50
    )
)
