"""The offence catalogue file (guideline 4-1-1), read by the data migration and by tests after a flush.

The file is an ordinary Django fixture with natural keys (`manage.py loaddata offences` works too).
Loading only adds codes that are missing: rows an administrator has edited since are left alone.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.utils import timezone

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "offences.json"


def catalogue_rows() -> list[dict]:
    with FIXTURE.open(encoding="utf-8") as fh:
        return [item["fields"] for item in json.load(fh) if item["model"] == "legal.offence"]


def load_offences(offence_model, historical_model=None) -> int:
    """Create the catalogue's missing offences; works with migration-state models. Returns how many."""
    existing = set(offence_model.objects.values_list("code", flat=True))
    created = 0
    for fields in catalogue_rows():
        if fields["code"] in existing:
            continue
        offence = offence_model.objects.create(**fields)
        created += 1
        if historical_model is not None:
            # The first history row says where the data came from, so the admin's history starts there.
            historical_model.objects.create(
                id=offence.pk,
                history_date=timezone.now(),
                history_type="+",
                history_change_reason="指引 4-1-1 初始資料（legal/fixtures/offences.json）",
                **fields,
            )
    return created
