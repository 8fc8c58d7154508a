"""Legal records other apps may refer to (an escort links the police report or consultation it
accompanies), through the hub's registry: cases.registry.register_linkable_records."""

from __future__ import annotations

from django.utils import timezone

from cases.registry import LinkableRecord, record_key
from cases.rocdate import format_roc
from legal.models import CaseOffence, LegalConsultation, Offence, PoliceReport


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{format_roc(local.date())} {local:%H:%M}"


def police_reports(case) -> list[LinkableRecord]:
    return [
        LinkableRecord(
            key=record_key(report),
            label=f"報案 {_when(report.scheduled_at)} {report.get_unit_kind_display()}"
            + (f"（{report.unit_name}）" if report.unit_name else ""),
            at=report.scheduled_at,
            data={"status": report.status, "escorted": report.escorted},
        )
        for report in PoliceReport.objects.filter(case=case).order_by("-scheduled_at")
    ]


def consultations(case) -> list[LinkableRecord]:
    return [
        LinkableRecord(
            key=record_key(consultation),
            label=f"法律諮詢 {_when(consultation.scheduled_at)} {consultation.provider}",
            at=consultation.scheduled_at,
            data={"status": consultation.status, "escorted": consultation.escorted},
        )
        for consultation in LegalConsultation.objects.filter(case=case).order_by("-scheduled_at")
    ]


def case_offences(case) -> list[LinkableRecord]:
    """The case's offences with what other apps act on (指引 4-3-2A: a publicly prosecuted offence, or a
    victim who will report, calls for collecting evidence at once). On the case page the legal panel has
    read them already (kept on the case for the request), so this costs no query there."""
    cached = getattr(case, "_legal_panel", None)
    if cached is not None:
        items = [row["item"] for row in cached["offences"]]
    else:
        items = list(CaseOffence.objects.filter(case=case).select_related("offence").order_by("created_at"))
    return [
        LinkableRecord(
            key=record_key(item),
            label=item.offence.name,
            at=item.created_at,
            data={
                "public": item.offence.prosecution == Offence.Prosecution.PUBLIC,
                "wants_to_report": item.victim_wishes == CaseOffence.Wishes.WANTS,
            },
        )
        for item in items
    ]
