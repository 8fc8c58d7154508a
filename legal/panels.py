"""The legal panel on the case page and the legal records on the supervisor's timeline."""

from cases.case_records import register_case_records
from cases.registry import (
    CasePanel,
    register_case_entries,
    register_case_panel,
    register_intake_panel,
    register_linkable_records,
    register_timeline_source,
)
from cases.selectors import can_edit_case, history_events
from legal import links
from legal.entries import legal_entries
from legal.intake import intake_complaint_hint
from legal.models import (
    Accusation,
    CaseOffence,
    LawExplanation,
    LawyerReferral,
    LegalConsultation,
    PoliceReport,
    PreservationTalk,
    ProsecutorDirection,
    SubsidyApplication,
)
from legal.selectors import case_legal_panel, case_records


def _context(request, case):
    context = case_legal_panel(case)
    context["can_edit"] = request.user.has_perm("legal.manage_legal") and can_edit_case(request.user, case)
    return context


_TIMELINE = [
    (CaseOffence, "罪名與期間"),
    (Accusation, "中心告發"),
    (LegalConsultation, "法律諮詢"),
    (SubsidyApplication, "司法訴訟補助"),
    (LawExplanation, "法律規定說明"),
    (LawyerReferral, "媒合委任律師"),
    (PoliceReport, "報案"),
    (PreservationTalk, "證據保全急迫情形討論"),
    (ProsecutorDirection, "報請檢察官指揮偵辦"),
]


def _timeline(case):
    events = []
    for model, subject in _TIMELINE:
        events += history_events(model.history.filter(case_id=case.pk), subject, model)
    return events


register_case_panel(
    CasePanel(
        title="法律服務（告訴期間、追訴期、告發、諮詢、報案）",
        template="legal/_case_panel.html",
        context=_context,
        order=30,
        anchor="panel-legal",
    )
)
register_timeline_source(_timeline)
register_case_entries(legal_entries)
register_case_records(case_records)


def _intake_hint(request, intake):
    """The complaint date from what the hotline typed on the call; hidden when nothing was."""
    return intake_complaint_hint(intake)


register_intake_panel(
    CasePanel(
        title="告訴期限（指引 1-2c）", template="legal/_intake_hint.html", context=_intake_hint, order=10
    )
)
register_linkable_records("police_report", links.police_reports)
register_linkable_records("legal_consultation", links.consultations)
