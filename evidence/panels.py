"""The evidence section of the case page, its entries on the case record, its history on the timeline."""

from __future__ import annotations

from cases.case_records import register_case_records
from cases.people import staff_name
from cases.registry import (
    CaseEntry,
    CasePanel,
    register_case_entries,
    register_case_panel,
    register_linkable_records,
    register_timeline_source,
)
from cases.selectors import can_edit_case, history_events
from evidence import links
from evidence.models import EvidenceItem, EvidenceTeaching
from evidence.selectors import case_evidence_panel, case_records

MANAGE = "evidence.manage_evidence"


def _context(request, case):
    # Police and the hotline see nothing of the evidence (only the worker's side of the case).
    if not request.user.has_perm(MANAGE):
        return None
    return {**case_evidence_panel(case), "can_edit": can_edit_case(request.user, case)}


def _entries(case, user) -> list[CaseEntry]:
    if not user.has_perm(MANAGE):
        return []
    panel = case_evidence_panel(case)  # the rows the panel reads, once per request
    entries = [
        CaseEntry(
            at=item.created_at,
            kind="證據保存",
            title=f"登錄證據：{item.platform.name}",
            by=staff_name(item.created_by),
            url="#panel-evidence",
        )
        for item, _matches in panel["items"]
    ]
    teaching = panel["teaching"]
    if teaching is not None:
        entries.append(
            CaseEntry(
                at=teaching.created_at,
                kind="蒐證教學",
                title=f"蒐證教學（{teaching.get_mode_display()}）",
                by=staff_name(teaching.taught_by),
                url="#panel-evidence",
            )
        )
    return entries


def _timeline(case):
    return history_events(
        EvidenceItem.history.filter(case_id=case.pk), "證據項目", EvidenceItem
    ) + history_events(EvidenceTeaching.history.filter(case_id=case.pk), "蒐證教學", EvidenceTeaching)


register_case_panel(
    CasePanel(
        title="證據保存（蒐證教學、證據項目、180天保存）",
        template="evidence/_case_panel.html",
        context=_context,
        order=40,
        anchor="panel-evidence",
    )
)
register_case_entries(_entries)
register_case_records(case_records)
register_timeline_source(_timeline)
register_linkable_records("evidence_item", links.evidence_items)
register_linkable_records("evidence_checklist", links.evidence_checklist)
