"""The SMS panel of the case page: each message's state, never its number or text (docs/sms.md)."""

from __future__ import annotations

from cases.case_records import case_rows, register_case_records
from cases.registry import CasePanel, register_case_panel
from cases.sms import outbox


def _context(request, case):
    # A function: most cases have no message, and then not even the queryset is built.
    messages = case_rows(case, "cases.sms", lambda: outbox.sms_messages_for_case(case)[:20])
    if not messages:
        return None
    rows = [(m, outbox.can_resolve(request.user, m, case)) for m in messages]
    return {"rows": rows}


register_case_records(lambda case: {"cases.sms": outbox.sms_messages_for_case(case)})
register_case_panel(CasePanel(title="簡訊紀錄", template="cases/_sms_panel.html", context=_context, order=50))
