"""Reads of the evidence app that depend on the user or span records."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from cases.case_records import case_first, case_rows
from cases.registry import linkable_records
from cases.selectors import case_for_user
from evidence import rules
from evidence.models import ChecklistItem, EvidenceItem, EvidenceTeaching
from evidence.services import checklist_items, phash_threshold, teaching_complete


def evidence_item_for_user(user, pk, *, write: bool = False) -> EvidenceItem:
    """The item, or 404 when its case is outside the user's scope (403 on a closed case with write)."""
    try:
        item = EvidenceItem.objects.select_related("platform").get(pk=pk)
    except (EvidenceItem.DoesNotExist, ValueError):
        raise Http404 from None
    item.case = case_for_user(user, item.case_id, write=write)
    return item


@dataclass(frozen=True)
class Match:
    item: EvidenceItem  # the earlier item
    kind: str  # "exact" or "similar"

    @property
    def label(self) -> str:
        return "完全相同" if self.kind == "exact" else "高度相似"


def matches_by_item(case, items: list[EvidenceItem]) -> dict:
    """For each fingerprinted item, the earlier items of the same victim (any case) showing the same image.

    One query: the victim's fingerprinted items, compared in Python (a victim has tens of items, not more).
    """
    fingerprinted = [i for i in items if i.sha256 or i.phash]
    if not fingerprinted:
        return {}
    earlier = list(
        EvidenceItem.objects.filter(case__victim_id=case.victim_id)
        .exclude(sha256="", phash="")
        .select_related("platform", "case")
        .order_by("created_at")
    )
    threshold = phash_threshold()
    found: dict = {}
    for item in fingerprinted:
        for other in earlier:
            if other.pk == item.pk or other.created_at >= item.created_at:
                continue
            kind = rules.is_same_image(
                sha_a=item.sha256,
                sha_b=other.sha256,
                phash_a=item.phash,
                phash_b=other.phash,
                threshold=threshold,
            )
            if kind:
                found.setdefault(item.pk, []).append(Match(other, kind))
    return found


def collect_now_prompt(case, teaching) -> dict | None:
    """指引 4-3-2A: a victim who will report, or a publicly prosecuted offence, should collect evidence
    at once. The offences come from the legal app through the hub registry (no import of legal). None
    when nothing calls for it; else the reasons and whether the advice was recorded."""
    reasons = []
    for offence in linkable_records(case, "case_offence"):
        data = offence.data or {}
        if data.get("public"):
            reasons.append(f"{offence.label}（非告訴乃論）")
        elif data.get("wants_to_report"):
            reasons.append(f"{offence.label}（被害人願意報案）")
    if not reasons:
        return None
    return {"reasons": reasons, "advised": bool(teaching and teaching.advised_collect_now)}


def case_evidence_panel(case) -> dict:
    """What the case page's evidence section shows, in a constant number of queries.

    Kept on the case instance for the rest of the request: the case page's panel and its entries on the
    case record (evidence/panels.py) read the same rows once.
    """
    cached = case.__dict__.get("_evidence_panel")
    if cached is not None:
        return cached
    items = case_rows(
        case,
        "evidence.items",
        lambda: (
            EvidenceItem.objects.filter(case=case)
            .select_related("platform", "created_by")
            .order_by("created_at")
        ),
    )
    teaching = case_first(
        case,
        "evidence.teaching",
        lambda: EvidenceTeaching.objects.filter(case=case).select_related("taught_by"),
    )
    # The checklist (a catalogue) is shown, and weighed, only with a teaching: most cases have none.
    checklist = checklist_items() if teaching is not None else []
    ticked = set(teaching.ticked) if teaching else set()
    groups = []
    for value, label in ChecklistItem.Group.choices:
        rows = [(i, i.code in ticked) for i in checklist if i.group == value]
        if rows:
            groups.append((label, rows))
    matches = matches_by_item(case, items)
    case.__dict__["_evidence_panel"] = context = {
        "collect_now": collect_now_prompt(case, teaching),
        "items": [(item, matches.get(item.pk, [])) for item in items],
        "teaching": teaching,
        "checklist_groups": groups,
        "checklist_done": teaching_complete(teaching, checklist),
    }
    return context


def case_records(case) -> dict:
    """The kinds of records the case page's evidence section reads (cases.case_records: one probe)."""
    return {
        "evidence.items": EvidenceItem.objects.filter(case=case),
        "evidence.teaching": EvidenceTeaching.objects.filter(case=case),
    }
