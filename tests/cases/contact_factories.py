"""Contacts and closings for tests, made through the real services (cases.services)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases import services
from cases.models import Case, CaseStatusChange, Contact

REACHED_RESULTS = (Contact.Result.REACHED, Contact.Result.NO_WISH)


def record_contact(*, actor, case=None, intake=None, **overrides) -> Contact:
    """A phone contact an hour ago. A contact that reached the victim answers 無立即危險 unless told;
    one that did not leaves the danger question empty, as the rules require."""
    result = overrides.get("result", Contact.Result.REACHED)
    fields = {
        "contacted_at": timezone.now() - dt.timedelta(hours=1),
        "mode": Contact.Mode.PHONE,
        "result": result,
        "immediate_danger": Contact.Danger.NO if result in REACHED_RESULTS else "",
        "notes": "電話關懷，被害人情緒穩定。",
    }
    fields.update(overrides)
    return services.contact_record(actor=actor, case=case, intake=intake, **fields)


def request_closing(
    *,
    actor,
    case: Case,
    closing_reason: str = CaseStatusChange.ClosingReason.GOALS_MET,
    note: str = "影像已全數下架，被害人同意結案。",
) -> CaseStatusChange:
    return services.case_close_request(actor=actor, case=case, closing_reason=closing_reason, note=note)


def close_case(*, worker, supervisor, case: Case) -> Case:
    """Requested by `worker`, approved by `supervisor`; the case is returned refreshed."""
    request_closing(actor=worker, case=case)
    services.case_close_decide(actor=supervisor, case=case, approve=True, comment="同意結案")
    case.refresh_from_db()
    return case
