"""The legal records on the case's one chronological record (指引 G-2: nobody asks the victim again)."""

from __future__ import annotations

from cases.people import staff_name
from cases.registry import CaseEntry
from legal.selectors import case_legal_panel


def legal_entries(case, user) -> list[CaseEntry]:
    """Titles only (the legal panel holds the details); the rows the panel already read."""
    panel = case_legal_panel(case)
    entries = []
    for row in panel["offences"]:
        item = row["item"]
        entries.append(
            CaseEntry(
                at=item.created_at,
                kind="法律",
                title=f"登錄罪名：{item.offence.name}",
                by=staff_name(item.created_by),
                url="#panel-legal",
            )
        )
    for consultation, _period in panel["consultations"]:
        entries.append(
            CaseEntry(
                at=consultation.scheduled_at,
                kind="法律諮詢",
                title=f"{consultation.get_status_display()}・{consultation.provider}",
                by=staff_name(consultation.created_by),
                url="#panel-legal",
            )
        )
    for explanation in panel["explanations"]:
        entries.append(
            CaseEntry(
                at=explanation.created_at,
                kind="法律說明",
                title=f"說明法律規定：{explanation.topic_labels()}",
                by=staff_name(explanation.by),
                url="#panel-legal",
            )
        )
    for referral in panel["lawyer_referrals"]:
        entries.append(
            CaseEntry(
                at=referral.created_at,
                kind="媒合律師",
                title=f"{referral.get_status_display()}・{referral.lawyer_or_org}",
                by=staff_name(referral.created_by),
                url="#panel-legal",
            )
        )
    for row in panel["police_reports"]:
        report = row["report"]
        entries.append(
            CaseEntry(
                at=report.scheduled_at,
                kind="報案",
                title=f"{report.get_unit_kind_display()}・{report.get_status_display()}",
                by=staff_name(report.created_by),
                url="#panel-legal",
            )
        )
    for talk in panel["talks"]:
        entries.append(
            CaseEntry(
                at=talk.discussed_at,
                kind="證據保全",
                title=f"與員警討論急迫情形・{talk.get_outcome_display()}",
                by=staff_name(talk.created_by),
                url="#panel-legal",
            )
        )
    for direction in panel["directions"]:
        entries.append(
            CaseEntry(
                at=direction.requested_at,
                kind="檢察官指揮偵辦",
                title=f"{direction.prosecutor_office}・{direction.get_outcome_display()}",
                by=staff_name(direction.requested_by),
                url="#panel-legal",
            )
        )
    return entries
