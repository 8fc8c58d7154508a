"""Writes of the evidence app: keyword-only, atomic, validated, the actor on every history row."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases import tracker
from cases.models import Case, Deadline
from cases.writes import model_save
from evidence import rules
from evidence.catalogue import CHECKLIST_VERSION, TEACHING_VIDEO
from evidence.models import ChecklistItem, EvidenceItem, EvidenceTeaching, Platform

TEACHING_FIELDS = [
    "taught_on",
    "mode",
    "face_to_face_refused",
    "video_link_sent_on",
    "weak_chinese",
    "weak_digital",
    "interpreter_needed",
    "language",
    "advised_collect_now",
    "told_center_keeps_no_copy",
    "ticked",
    "waived",
    "waiver_reason",
    "note",
]

ITEM_FIELDS = [
    "platform",
    "url",
    "poster_account_name",
    "poster_account_id",
    "poster_ip",
    "content_summary",
    "act_on",
    "filmed_on",
    "first_seen_on",
    "capture_fullscreen",
    "capture_recording",
    "capture_photo",
    "chat_log_saved",
    "ephemeral",
    "kept_where",
    "kept_encrypted",
    "copy_confirmed_on",
    "handed_to_police_on",
    "sha256",
    "phash",
]

DATE_LABELS = {
    "taught_on": "教學日期",
    "video_link_sent_on": "教學影片連結提供日期",
    "act_on": "行為時間",
    "filmed_on": "影像攝錄時間",
    "first_seen_on": "首次發現於網路日期",
    "copy_confirmed_on": "確認已自行保存日期",
    "handed_to_police_on": "提供警方日期",
}


def phash_threshold() -> int:
    """Bits two perceptual hashes may differ by and still be one image (setting EVIDENCE_PHASH_THRESHOLD)."""
    return int(getattr(settings, "EVIDENCE_PHASH_THRESHOLD", 10))


def _future_dates(errors: dict, data: dict) -> None:
    today = timezone.localdate()
    for field, label in DATE_LABELS.items():
        value = data.get(field)
        if isinstance(value, dt.date) and value > today:
            errors.setdefault(field, []).append(f"{label}不能晚於今天。")


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# --- teaching (4-3-2, 6-1, 8-2) ---------------------------------------------------------------------


def checklist_items(version: str = CHECKLIST_VERSION) -> list[ChecklistItem]:
    """The active lines of a checklist version, in teaching order: don't delete, reminders, (a)–(g), room."""
    order = {group: n for n, group in enumerate(ChecklistItem.Group.values)}
    items = ChecklistItem.objects.filter(version=version, is_active=True)
    return sorted(items, key=lambda i: (order.get(i.group, len(order)), i.sort_order))


def teaching_complete(teaching: EvidenceTeaching | None, items: list[ChecklistItem]) -> bool:
    """8-2: every reminder (4-3-2B, 6-1-3A) and checklist line (6-1-3B) of its version ticked, or waived."""
    if teaching is None:
        return False
    if teaching.waived:
        return True
    required = {
        i.code
        for i in items
        if i.version == teaching.checklist_version and i.group != ChecklistItem.Group.ROOM
    }
    return bool(required) and required <= set(teaching.ticked)


@transaction.atomic
def teaching_save(*, actor, case: Case, **data) -> EvidenceTeaching:
    """Record or update the case's evidence teaching (one per case)."""
    errors: dict = {}
    _future_dates(errors, data)
    items = {i.code for i in checklist_items()}
    unknown = set(data.get("ticked") or []) - items
    if unknown:
        errors.setdefault("ticked", []).append("檢核項目不在目前版本的清單中，請重新整理頁面。")
    if data.get("waived") and not (data.get("waiver_reason") or "").strip():
        errors.setdefault("waiver_reason", []).append("免除蒐證檢核時，請說明原因（指引 8-2）。")
    if data.get("face_to_face_refused") and not data.get("video_link_sent_on"):
        errors.setdefault("video_link_sent_on", []).append(
            "個案不同意面訪時，請記錄提供教學影片連結的日期（指引 6-1-1）。"
        )
    if data.get("interpreter_needed") and not (data.get("language") or "").strip():
        errors.setdefault("language", []).append("需要通譯時，請填寫使用語言。")
    _raise(errors)
    teaching = EvidenceTeaching.objects.select_for_update().filter(case=case).first()
    if teaching is None:
        teaching = EvidenceTeaching(case=case, taught_by=actor)
    for field in TEACHING_FIELDS:
        if field in data:
            setattr(teaching, field, data[field])
    teaching.ticked = sorted(set(teaching.ticked or []))
    teaching.checklist_version = CHECKLIST_VERSION
    model_save(actor=actor, instance=teaching)
    return teaching


# --- evidence items (4-3-2D/E, 6-1-3B, 6-2a, 8-1-3D) ----------------------------------------------


def _clean_item(data: dict) -> dict:
    errors: dict = {}
    _future_dates(errors, data)
    platform = data.get("platform")
    if not isinstance(platform, Platform) or not platform.is_active:
        errors.setdefault("platform", []).append(
            "請從清單選擇平台；清單中沒有的平台請選「各種色情網站」或請管理員新增。"
        )
    url = (data.get("url") or "").strip()
    data["url"] = url
    message = rules.url_error(url)
    if message:
        errors.setdefault("url", []).append(message)
    try:
        data["poster_ip"] = rules.normalise_ip(data.get("poster_ip") or "") or None
    except ValueError as exc:
        errors.setdefault("poster_ip", []).append(str(exc))
    for field, pattern, label in (
        ("sha256", rules.SHA256_RE, "SHA-256"),
        ("phash", rules.PHASH_RE, "感知雜湊"),
    ):
        value = (data.get(field) or "").strip().lower()
        data[field] = value
        if value and not pattern.match(value):
            errors.setdefault(field, []).append(f"{label} 指紋格式不正確，請重新選擇檔案計算。")
    if data.get("first_seen_on") is None:
        errors.setdefault("first_seen_on", []).append(
            "請填寫首次發現於網路的日期（平台約保存180天，指引 6-2）。"
        )
    if data.get("copy_confirmed_on") and data.get("kept_where") == EvidenceItem.KeptWhere.NOT_YET:
        errors.setdefault("kept_where", []).append("被害人已確認保存時，請選擇保存方式。")
    if isinstance(platform, Platform):
        for field, message in rules.platform_errors(
            needs=platform.needs,
            requires_recording=platform.requires_recording,
            platform_name=platform.name,
            url=url,
            account_name=data.get("poster_account_name") or "",
            account_id=data.get("poster_account_id") or "",
            captured_by_recording=bool(data.get("capture_recording")),
        ).items():
            errors.setdefault(field, []).append(message)
    _raise(errors)
    return data


def _sync_retention(*, actor, item: EvidenceItem) -> None:
    """6-2a: the platform-retention deadline of the item; done once the victim confirms a copy is kept."""
    common = {
        "case": item.case,
        "kind": Deadline.Kind.PLATFORM_RETENTION,
        "source": item,
        "title": f"平台資料保存期限：{item.platform.name}（首次發現後180天）",
        "due": rules.retention_due(item.first_seen_on),
        "owner": item.case.assigned_worker,
        "note": "平台約保存180天，請確認被害人已自行加密保存證據。",
        "actor": actor,
    }
    if item.copy_confirmed_on:
        tracker.deadline_settle(state=Deadline.State.DONE, reason="被害人確認已自行保存證據", **common)
    else:
        tracker.deadline_open(**common)


@transaction.atomic
def evidence_item_add(*, actor, case: Case, **data) -> EvidenceItem:
    data = _clean_item(dict(data))
    item = EvidenceItem(case=case, created_by=actor, **{f: data[f] for f in ITEM_FIELDS if f in data})
    model_save(actor=actor, instance=item)
    _sync_retention(actor=actor, item=item)
    return item


@transaction.atomic
def evidence_item_update(*, actor, item: EvidenceItem, **data) -> EvidenceItem:
    data = _clean_item(dict(data))
    item = (
        EvidenceItem.objects.select_for_update(of=("self",))
        .select_related("case__assigned_worker")
        .get(pk=item.pk)
    )
    for field in ITEM_FIELDS:
        if field in data:
            setattr(item, field, data[field])
    model_save(actor=actor, instance=item)
    _sync_retention(actor=actor, item=item)
    return item


def teaching_video_url() -> str:
    return TEACHING_VIDEO
