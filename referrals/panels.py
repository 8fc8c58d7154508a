from cases.case_records import case_rows, register_case_records
from cases.registry import CasePanel, register_case_panel, register_timeline_source
from referrals.models import Referral
from referrals.selectors import referrals_for_case


def _context(request, case):
    referrals = case_rows(case, "referrals.referrals", lambda: referrals_for_case(case))
    return {"referrals": referrals} if referrals else None


def _timeline(case):
    from cases.selectors import history_events

    return history_events(Referral.history.filter(intake__case=case), "轉介表", Referral)


register_case_panel(
    CasePanel(title="轉介資訊", template="referrals/_case_panel.html", context=_context, order=10)
)
register_timeline_source(_timeline)
register_case_records(lambda case: {"referrals.referrals": referrals_for_case(case)})
