"""History that is part of the audit trail (issue 21): every model's `history = AuditedHistoricalRecords()`.

Compared with simple-history's HistoricalRecords, the history rows are hash-chained
(cases.audit_chain.ChainedRow) and the acting user is PROTECTed instead of SET_NULL, so deleting a
user cannot erase who changed what (staff accounts are deactivated). tests/cases/test_audit_chain.py
checks every history model of every app uses it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from cases.audit_chain import ChainedRow


class AuditedHistoricalRecords(HistoricalRecords):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("bases", (ChainedRow,))
        super().__init__(*args, **kwargs)

    def _get_history_user_fields(self):
        return {
            "history_user": models.ForeignKey(
                self.user_model or settings.AUTH_USER_MODEL,
                null=True,
                related_name=self.user_related_name,
                on_delete=models.PROTECT,
                db_constraint=self.user_db_constraint,
            )
        }
