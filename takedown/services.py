"""Writes of the takedown app: keyword-only, atomic, validated, the actor on every history row."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases import tracker
from cases.models import Case, Deadline
from cases.registry import linkable_records
from cases.writes import model_save
from takedown import rules
from takedown.models import (
    PreventionAdvice,
    PrivacySettingItem,
    StopNCIICase,
    TakedownComplaint,
    TakedownFollowUp,
    TakedownTarget,
)

COMPLAINT_FIELDS = [
    "filed_at",
    "filed_by_kind",
    "reference_no",
    "acceptance_confirmed_at",
    "minor_at_time",
    "form_completed_by_victim",
    "victim_informed_follow_up",
    "timeliness_varies_explained",
    "role_explained",
    "victim_calmed",
    "centre_notified_victim_on",
    "note",
]
FINAL = {
    TakedownTarget.Outcome.REMOVED,
    TakedownTarget.Outcome.RESTRICTED,
    TakedownTarget.Outcome.REFUSED,
    TakedownTarget.Outcome.NO_RESPONSE,
}


def _not_future(errors: dict, field: str, value, label: str) -> None:
    if value is None:
        return
    if isinstance(value, dt.datetime):
        if value > timezone.now() + dt.timedelta(minutes=5):
            errors.setdefault(field, []).append(f"{label}不能晚於現在。")
    elif value > timezone.localdate():
        errors.setdefault(field, []).append(f"{label}不能晚於今天。")


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def evidence_checklist_state(case: Case) -> tuple[bool, str]:
    """8-2: (ready, label) — the evidence checklist done or waived, read through the hub registry."""
    records = linkable_records(case, "evidence_checklist")
    if not records:
        return False, "尚未記錄蒐證教學與檢核"
    record = records[0]
    data = record.data or {}
    return bool(data.get("complete") or data.get("waived")), record.label


def _complaint_errors(data: dict) -> dict:
    errors: dict = {}
    _not_future(errors, "filed_at", data.get("filed_at"), "申訴時間")
    _not_future(errors, "acceptance_confirmed_at", data.get("acceptance_confirmed_at"), "確認受理時間")
    _not_future(errors, "centre_notified_victim_on", data.get("centre_notified_victim_on"), "來信告知日期")
    filed, accepted = data.get("filed_at"), data.get("acceptance_confirmed_at")
    if filed and accepted and accepted < filed:
        errors.setdefault("acceptance_confirmed_at", []).append("確認受理時間不能早於申訴時間。")
    if "minor_at_time" in data and data["minor_at_time"] not in ("yes", "no", "unknown"):
        errors.setdefault("minor_at_time", []).append("請選擇影像中的人當時是否未成年（是／否／不明）。")
    return errors


def _sync_deadline(*, actor, complaint: TakedownComplaint) -> None:
    """8-1-T: the SLA as a datetime deadline; settled met or missed once every URL has an outcome."""
    common = {
        "case": complaint.case,
        "kind": Deadline.Kind.TAKEDOWN,
        "source": complaint,
        "title": "下架追蹤：" + ("兒少24小時" if complaint.minor_at_time != "no" else "成人72小時"),
        "due": complaint.due_at,
        "owner": complaint.case.assigned_worker,
        "note": "期限到時請聯繫性影像處理中心確認下架情形。",
        "actor": actor,
    }
    if complaint.resolved_at is None:
        tracker.deadline_open(**common)
        return
    met = complaint.resolved_at <= complaint.due_at
    tracker.deadline_settle(
        state=Deadline.State.DONE if met else Deadline.State.MISSED,
        reason="全部網址已有處理結果" + ("" if met else "（逾期）"),
        **common,
    )


def _resolve(complaint: TakedownComplaint, targets: list[TakedownTarget]) -> None:
    if targets and all(t.outcome in FINAL for t in targets):
        if complaint.resolved_at is None:
            complaint.resolved_at = timezone.now()
    else:
        complaint.resolved_at = None


@transaction.atomic
def complaint_file(*, actor, case: Case, evidence_keys: list[str], **data) -> TakedownComplaint:
    """8-1 / 8-2: a complaint for the chosen evidence items; needs the evidence checklist done or waived."""
    errors = _complaint_errors(data)
    ready, label = evidence_checklist_state(case)
    if not ready:
        errors.setdefault("__all__", []).append(
            f"申訴下架前，請先協助被害人完成蒐證檢核，或在蒐證教學中註明免除原因（指引 8-2）。目前：{label}。"
        )
    records = {r.key: r for r in linkable_records(case, "evidence_item")}
    chosen = [k for k in dict.fromkeys(evidence_keys or [])]
    if not chosen:
        errors.setdefault("evidence_keys", []).append(
            "請至少選擇一個要下架的網址或帳號（先在證據保存登錄）。"
        )
    elif any(k not in records for k in chosen):
        errors.setdefault("evidence_keys", []).append("選擇的證據項目不屬於此案件，請重新整理頁面。")
    _raise(errors)
    complaint = TakedownComplaint(case=case, created_by=actor, checklist_state=label[:300])
    for field in COMPLAINT_FIELDS:
        if field in data:
            setattr(complaint, field, data[field])
    complaint.due_at = rules.takedown_due(
        complaint.filed_at, rules.minor_from_answer(complaint.minor_at_time)
    )
    model_save(actor=actor, instance=complaint)
    for key in chosen:
        facts = records[key].data or {}
        target = TakedownTarget(
            complaint=complaint,
            evidence_key=key,
            url=facts.get("url", ""),
            platform_name=facts.get("platform_name", "")[:60] or "（未知平台）",
        )
        model_save(actor=actor, instance=target)
    _sync_deadline(actor=actor, complaint=complaint)
    return complaint


@transaction.atomic
def complaint_update(
    *, actor, complaint: TakedownComplaint, outcomes: dict | None = None, **data
) -> TakedownComplaint:
    """Change the complaint and record each URL's outcome ({target_pk: (outcome, outcome_on)})."""
    errors = _complaint_errors(data)
    complaint = (
        TakedownComplaint.objects.select_for_update(of=("self",))
        .select_related("case__assigned_worker")
        .get(pk=complaint.pk)
    )
    targets = list(complaint.targets.all())
    outcomes = outcomes or {}
    changed = []
    for target in targets:
        outcome, outcome_on = outcomes.get(str(target.pk), (target.outcome, target.outcome_on))
        if (outcome, outcome_on) != (target.outcome, target.outcome_on):
            changed.append(target)
        if outcome not in TakedownTarget.Outcome.values:
            errors.setdefault(f"outcome_{target.pk}", []).append("請選擇處理結果。")
            continue
        if outcome in FINAL and outcome_on is None:
            errors.setdefault(f"outcome_on_{target.pk}", []).append("有處理結果時，請填寫結果日期。")
        _not_future(errors, f"outcome_on_{target.pk}", outcome_on, "結果日期")
        target.outcome, target.outcome_on = outcome, outcome_on
    _raise(errors)
    for field in COMPLAINT_FIELDS:
        if field in data:
            setattr(complaint, field, data[field])
    complaint.due_at = rules.takedown_due(
        complaint.filed_at, rules.minor_from_answer(complaint.minor_at_time)
    )
    for target in changed:
        model_save(actor=actor, instance=target, update_fields=["outcome", "outcome_on"])
    _resolve(complaint, targets)
    model_save(actor=actor, instance=complaint)
    _sync_deadline(actor=actor, complaint=complaint)
    return complaint


@transaction.atomic
def follow_up_add(*, actor, complaint: TakedownComplaint, at: dt.datetime, result: str) -> TakedownFollowUp:
    """8-1-4: the centre follows the takedown up with the takedown centre."""
    errors: dict = {}
    _not_future(errors, "at", at, "追蹤時間")
    if not (result or "").strip():
        errors.setdefault("result", []).append("請填寫追蹤結果。")
    if at and at < complaint.filed_at:
        errors.setdefault("at", []).append("追蹤時間不能早於申訴時間。")
    _raise(errors)
    follow_up = TakedownFollowUp(complaint=complaint, at=at, result=result.strip(), by=actor)
    model_save(actor=actor, instance=follow_up)
    return follow_up


STOPNCII_FIELDS = [
    "explained_on",
    "holds_images",
    "already_spread",
    "explained_hash_on_device",
    "created_on",
    "reminded_keep_number_and_pin",
    "case_number",
    "note",
]


@transaction.atomic
def stopncii_save(*, actor, case: Case, minor: bool | None, **data) -> StopNCIICase:
    """5-2: eligibility with its reason (`minor` from cases.ages.victim_is_minor); a case made only when
    eligible and the victim was told the number and PIN cannot be recovered (5-2-3). No PIN is asked for."""
    errors: dict = {}
    _not_future(errors, "explained_on", data.get("explained_on"), "說明日期")
    _not_future(errors, "created_on", data.get("created_on"), "立案成功日期")
    eligible, reason = rules.stopncii_eligible(
        minor, bool(data.get("holds_images")), bool(data.get("already_spread"))
    )
    if data.get("created_on"):
        if not eligible:
            errors.setdefault("created_on", []).append(f"不適用 StopNCII，無法記錄立案：{reason}")
        if not data.get("reminded_keep_number_and_pin"):
            errors.setdefault("reminded_keep_number_and_pin", []).append(
                "立案成功時，請提醒被害人牢記案件編號與密碼，遺失將無法回復（指引 5-2-3）。"
            )
    if (data.get("case_number") or "").strip() and not data.get("created_on"):
        errors.setdefault("case_number", []).append("尚未立案，不能記錄案件編號。")
    _raise(errors)
    record = StopNCIICase.objects.select_for_update().filter(case=case).first() or StopNCIICase(
        case=case, created_by=actor
    )
    for field in STOPNCII_FIELDS:
        if field in data:
            setattr(record, field, data[field])
    record.case_number = (record.case_number or "").strip()
    record.eligible, record.ineligible_reason = eligible, reason
    model_save(actor=actor, instance=record)
    return record


ADVICE_FIELDS = [
    "spread_status",
    "platforms_known",
    "urls_known",
    "still_online",
    "advised_on",
    "advise_report",
    "advise_takedown_centre",
    "advise_lawyer_protection_order",
    "advise_lawyer_coercive",
    "introduced_services",
    "victim_response",
    "privacy_given_on",
    "privacy_mode",
    "privacy_items",
]


@transaction.atomic
def advice_save(*, actor, case: Case, **data) -> PreventionAdvice:
    """5-1, 5-3, 8-1-2: prevention advice and the privacy settings taught (one record per case)."""
    errors: dict = {}
    _not_future(errors, "advised_on", data.get("advised_on"), "建議日期")
    _not_future(errors, "privacy_given_on", data.get("privacy_given_on"), "隱私權設定教學日期")
    if data.get("spread_status") == PreventionAdvice.Spread.NOT_SPREAD and (data.get("urls_known") or 0) > 0:
        errors.setdefault("spread_status", []).append("已知有散布的網址，散布狀況請選「已散布」。")
    known = set(PrivacySettingItem.objects.filter(is_active=True).values_list("code", flat=True))
    items = list(dict.fromkeys(data.get("privacy_items") or []))
    if set(items) - known:
        errors.setdefault("privacy_items", []).append("設定項目不在目前的清單中，請重新整理頁面。")
    if items and not data.get("privacy_given_on"):
        errors.setdefault("privacy_given_on", []).append("勾選隱私權設定時，請填寫教學日期。")
    _raise(errors)
    data["privacy_items"] = items
    record = PreventionAdvice.objects.select_for_update().filter(case=case).first() or PreventionAdvice(
        case=case, created_by=actor
    )
    for field in ADVICE_FIELDS:
        if field in data:
            setattr(record, field, data[field])
    model_save(actor=actor, instance=record)
    return record
