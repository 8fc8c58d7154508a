"""Evidence records other apps refer to by key, through the hub registry (takedown 8-2, police 9-1-3)."""

from __future__ import annotations

from cases.registry import LinkableRecord, record_key
from cases.rocdate import format_roc
from evidence.models import EvidenceItem, EvidenceTeaching
from evidence.services import checklist_items, teaching_complete


def evidence_items(case) -> list[LinkableRecord]:
    """kind "evidence_item": data holds url, platform code and name, needs and first_seen_on (ISO date)."""
    records = []
    for item in EvidenceItem.objects.filter(case=case).select_related("platform").order_by("created_at"):
        where = item.url or "（帳號）"
        records.append(
            LinkableRecord(
                key=record_key(item),
                label=f"{item.platform.name} {where}（首次發現 {format_roc(item.first_seen_on)}）",
                at=item.created_at,
                data={
                    "url": item.url,
                    "platform": item.platform.code,
                    "platform_name": item.platform.name,
                    "needs": item.platform.needs,
                    "first_seen_on": item.first_seen_on.isoformat(),
                    "has_account": bool(item.poster_account_id or item.poster_account_name),
                },
            )
        )
    return records


def evidence_checklist(case) -> list[LinkableRecord]:
    """kind "evidence_checklist": at most one record, data {"complete", "waived", "taught_on"} (8-2)."""
    teaching = EvidenceTeaching.objects.filter(case=case).first()
    if teaching is None:
        return []
    complete = teaching_complete(teaching, checklist_items(teaching.checklist_version))
    state = (
        "已免除（原因見蒐證教學）"  # the reason is an encrypted note: it is not copied into other records
        if teaching.waived
        else ("已完成" if complete else "尚未完成")
    )
    return [
        LinkableRecord(
            key=record_key(teaching),
            label=f"蒐證教學 {format_roc(teaching.taught_on)}：檢核{state}",
            at=teaching.created_at,
            data={
                "complete": complete,
                "waived": teaching.waived,
                "taught_on": teaching.taught_on.isoformat(),
            },
        )
    ]
