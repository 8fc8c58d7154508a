"""Evidence records built through the evidence services, like the app builds them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from evidence import services
from evidence.catalogue import load_catalogues
from evidence.models import ChecklistItem, EvidenceItem, EvidenceTeaching, Platform


def platform(code: str) -> Platform:
    """A catalogue row; the catalogue is reloaded if a transactional test flushed it."""
    if not Platform.objects.filter(code=code).exists():
        load_catalogues(Platform, ChecklistItem)
    return Platform.objects.get(code=code)


def required_codes() -> list[str]:
    platform("facebook")  # loads the catalogue if needed
    return [i.code for i in services.checklist_items() if i.group != ChecklistItem.Group.ROOM]


def make_teaching(*, actor, case, complete: bool = True, **overrides) -> EvidenceTeaching:
    fields = {
        "taught_on": timezone.localdate() - dt.timedelta(days=1),
        "mode": EvidenceTeaching.Mode.PHONE,
        "ticked": required_codes() if complete else required_codes()[:2],
    }
    fields.update(overrides)
    return services.teaching_save(actor=actor, case=case, **fields)


def make_item(*, actor, case, code: str = "facebook", **overrides) -> EvidenceItem:
    fields = {
        "url": "https://www.facebook.com/permalink.php?story_fbid=123",
        "first_seen_on": timezone.localdate() - dt.timedelta(days=3),
        "capture_fullscreen": True,
        "kept_where": EvidenceItem.KeptWhere.USB,
    }
    fields.update(overrides)
    return services.evidence_item_add(actor=actor, case=case, platform=platform(code), **fields)
