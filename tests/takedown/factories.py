"""Takedown records built through the takedown services (evidence through the evidence services)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.registry import linkable_records
from takedown import services
from takedown.catalogue import load_catalogues
from takedown.models import PrivacySettingItem, ResourceLink, StopNCIIPartner, TakedownComplaint
from tests.evidence.factories import make_item, make_teaching


def catalogues() -> None:
    if not ResourceLink.objects.exists():
        load_catalogues(ResourceLink, StopNCIIPartner, PrivacySettingItem)


def make_complaint(*, actor, case, items: int = 1, **overrides) -> TakedownComplaint:
    """A complaint on the case's evidence: teaching completed first (8-2), then `items` evidence items."""
    if not linkable_records(case, "evidence_checklist"):
        make_teaching(actor=actor, case=case)
    for n in range(items):
        make_item(
            actor=actor,
            case=case,
            url=f"https://www.facebook.com/permalink.php?story_fbid={n}{case.pk.hex[:6]}",
        )
    fields = {
        "filed_at": timezone.now() - dt.timedelta(hours=1),
        "filed_by_kind": "worker",
        "minor_at_time": "no",
        "reference_no": "NCII-0001",
    }
    fields.update(overrides)
    keys = [r.key for r in linkable_records(case, "evidence_item")]
    return services.complaint_file(actor=actor, case=case, evidence_keys=keys, **fields)
