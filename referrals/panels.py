import datetime as dt
from dataclasses import dataclass

from cases.case_page import case_values
from cases.case_records import case_rows, register_case_records
from cases.registry import CasePanel, register_case_panel, register_timeline_source
from referrals.models import Referral
from referrals.selectors import case_panel_referrals, referrals_for_case

_WANTS = dict(Referral.VictimWantsSocialWorker.choices)


@dataclass(frozen=True, slots=True)
class PanelReferral:
    """A referral as the case page's panel prints it."""

    referring_agency: str
    submitted_at: dt.datetime
    contact_person: str
    contact_phone: str
    police_asked_about_social_worker: bool
    victim_wants_label: str
    report_taken: bool


def _context(request, case):
    # The panel's query is compiled once per process (cases.case_page.case_values).
    rows = case_rows(
        case, "referrals.referrals", lambda: case_values("referrals.panel", case_panel_referrals, case)
    )
    referrals = [
        PanelReferral(agency, at, person, phone, asked, _WANTS.get(wants, wants), taken)
        for agency, at, person, phone, asked, wants, taken in rows
    ]
    return {"referrals": referrals} if referrals else None


def _timeline(case):
    from cases.selectors import history_events

    return history_events(Referral.history.filter(intake__case=case), "轉介表", Referral)


register_case_panel(
    CasePanel(title="轉介資訊", template="referrals/_case_panel.html", context=_context, order=10)
)
register_timeline_source(_timeline)
register_case_records(lambda case: {"referrals.referrals": referrals_for_case(case)})
