"""Writes of psychological support and accompaniment (guideline items 2 and 3).

Keyword-only, atomic, validated, the actor in history; the hub's tracker, notifications and SMS outbox
are kept in step in the same transaction, so nothing is half-saved.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from cases.ages import age_on
from cases.models import Case, Contact, Deadline, Notification
from cases.notifications import notify
from cases.registry import linkable_records
from cases.rocdate import format_roc
from cases.roles import Role
from cases.sms import outbox
from cases.sms.text import SmsTextError, check_place_code
from cases.tracker import deadline_cancel_for_source, deadline_close, deadline_open, deadline_settle
from cases.writes import model_save
from services import rules
from services.models import (
    CounsellingProgramme,
    CounsellingReferral,
    DeclinedEscortRequest,
    Escort,
    EscortChecklist,
    EscortKind,
    EscortReport,
    PtsdInstrument,
    Screening,
    SupportNote,
)

logger = logging.getLogger("services")

REMINDER_LEAD = dt.timedelta(hours=24)
LINK_KINDS = {EscortKind.INTERVIEW: "police_report", EscortKind.LEGAL_CONSULTATION: "legal_consultation"}


def _supervisors():
    return get_user_model().objects.filter(is_active=True, groups__name=Role.SUPERVISOR).distinct()


# --- screenings (2-1-1) -----------------------------------------------------------------------------


@transaction.atomic
def screening_record(
    *,
    actor,
    case: Case,
    screened_at: dt.datetime,
    items: list[int],
    item_suicide: int,
    self_reported: bool = False,
    contact: Contact | None = None,
    ptsd_instrument: PtsdInstrument | None = None,
    ptsd_answers: list[bool] | None = None,
    suggestion_given_on: dt.date | None = None,
    victim_response: str = "",
    note: str = "",
) -> Screening:
    """Score a BSRS-5 (and a PTSD self-check); suicide item ≥ 2 alerts the worker and every supervisor."""
    try:
        result = rules.bsrs5(items, item_suicide)
    except ValueError:
        raise ValidationError("每一題請選擇 0 到 4 分（不會、輕微、中等程度、厲害、非常厲害）。") from None
    if screened_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"screened_at": "檢測時間不能晚於現在。"})
    if contact is not None and contact.case_id != case.pk:
        raise ValidationError({"contact": "請選擇這個案件的聯繫紀錄。"})
    ptsd_score = ptsd_positive = ptsd_cutoff = None
    if ptsd_instrument is not None:
        answers = list(ptsd_answers or [])
        if len(answers) != len(ptsd_instrument.questions):
            raise ValidationError({"ptsd_instrument": "PTSD 自我檢測請每一題都回答「是」或「否」。"})
        ptsd_cutoff = ptsd_instrument.cutoff
        ptsd_score, ptsd_positive = rules.ptsd_result(answers, ptsd_cutoff)
    else:
        ptsd_answers = None
    screening = Screening(
        case=case,
        contact=contact,
        screened_at=screened_at,
        self_reported=self_reported,
        item1=items[0],
        item2=items[1],
        item3=items[2],
        item4=items[3],
        item5=items[4],
        item_suicide=item_suicide,
        total=result.total,
        band=result.band,
        urgent=result.urgent,
        ptsd_instrument=ptsd_instrument,
        ptsd_answers=ptsd_answers,
        ptsd_score=ptsd_score,
        ptsd_cutoff=ptsd_cutoff,
        ptsd_positive=ptsd_positive,
        psychiatry_suggested=rules.psychiatry_suggested(result, ptsd_positive),
        suggestion_given_on=suggestion_given_on,
        victim_response=victim_response.strip(),
        note=note.strip(),
        created_by=actor,
    )
    model_save(actor=actor, instance=screening)
    if result.urgent:
        recipients = {u.pk: u for u in _supervisors()}
        if case.assigned_worker_id and case.assigned_worker.is_active:
            recipients[case.assigned_worker_id] = case.assigned_worker
        notify(
            recipients=recipients.values(),
            kind=Notification.Kind.SAFETY,
            text=f"案件 {case.number}：情緒篩檢自殺意念達中等程度以上，請立即關心並評估自殺風險。",
            case=case,
        )
    return screening


@transaction.atomic
def support_note_record(
    *,
    actor,
    case: Case,
    noted_at: dt.datetime,
    emotions: list[str],
    support_given: str,
    emotions_other: str = "",
    contact: Contact | None = None,
) -> SupportNote:
    """Guideline 2-1: which emotions were sorted out with the victim and how the worker responded."""
    errors: dict[str, list[str]] = {}
    emotions = [e for e in SupportNote.Emotion.values if e in set(emotions or [])]
    if not emotions:
        errors["emotions"] = ["請勾選這次協助被害人梳理的情緒。"]
    if SupportNote.Emotion.OTHER in emotions and not emotions_other.strip():
        errors["emotions_other"] = ["勾選「其他」時，請說明是什麼情緒。"]
    if not support_given.strip():
        errors["support_given"] = ["請記錄社工的回應與支持。"]
    if noted_at and noted_at > timezone.now() + dt.timedelta(minutes=5):
        errors["noted_at"] = ["時間不能晚於現在。"]
    if contact is not None and contact.case_id != case.pk:
        errors["contact"] = ["請選擇這個案件的聯繫紀錄。"]
    if errors:
        raise ValidationError(errors)
    note = SupportNote(
        case=case,
        contact=contact,
        noted_at=noted_at,
        emotions=emotions,
        emotions_other=emotions_other.strip(),
        support_given=support_given.strip(),
        created_by=actor,
    )
    model_save(actor=actor, instance=note)
    return note


# --- counselling referrals (2-2) ------------------------------------------------------------------------


def _eligibility(referral: CounsellingReferral) -> rules.Eligibility:
    programme = referral.programme
    day = referral.referred_on
    if (programme.valid_from and day < programme.valid_from) or (
        programme.valid_to and day > programme.valid_to
    ):
        return rules.Eligibility(False, f"方案於轉介日 {format_roc(day)} 未實施")
    used = (
        CounsellingReferral.objects.filter(
            case__victim_id=referral.case.victim_id, programme=programme, referred_on__year=day.year
        )
        .exclude(pk=referral.pk)
        .aggregate(n=Sum("sessions_used"))["n"]
        or 0
    )
    return rules.programme_eligibility(
        age=age_on(referral.case.victim.birth_date, day),
        min_age=programme.min_age,
        max_age=programme.max_age,
        free_sessions=programme.free_sessions_per_year,
        sessions_used=used,
    )


_REFERRAL_FIELDS = [
    "victim_willing",
    "programme",
    "referred_on",
    "provider",
    "status",
    "applied_on",
    "decided_on",
    "approved_amount",
    "sessions_approved",
    "sessions_used",
    "first_session_on",
    "note",
]


def _save_referral(referral: CounsellingReferral, actor, data: dict) -> CounsellingReferral:
    for name in _REFERRAL_FIELDS:
        if name in data:
            value = data[name]
            setattr(referral, name, value.strip() if isinstance(value, str) else value)
    errors: dict[str, list[str]] = {}
    if not referral.victim_willing:
        errors["victim_willing"] = ["轉介心理諮商前，請先確認被害人有意願（指引 2-2）。"]
    if referral.referred_on and referral.referred_on > timezone.localdate():
        errors["referred_on"] = ["轉介日期不能晚於今天。"]
    if referral.sessions_approved is not None and referral.sessions_used > referral.sessions_approved:
        errors["sessions_used"] = ["已使用次數不能多於核定次數。"]
    if referral.decided_on and referral.applied_on and referral.decided_on < referral.applied_on:
        errors["decided_on"] = ["核定日期不能早於申請日期。"]
    if errors:
        raise ValidationError(errors)
    result = _eligibility(referral)
    referral.eligible = result.eligible
    referral.ineligible_reason = result.reason
    if result.eligible is False:
        if referral.status in (CounsellingReferral.Status.ASSESSING, CounsellingReferral.Status.INELIGIBLE):
            referral.status = CounsellingReferral.Status.INELIGIBLE
        else:
            raise ValidationError(
                {"programme": f"不符此方案資格：{result.reason}。請改選其他方案或將狀態設為不符資格。"}
            )
    elif referral.status == CounsellingReferral.Status.INELIGIBLE:
        referral.status = CounsellingReferral.Status.ASSESSING
    model_save(actor=actor, instance=referral)
    return referral


@transaction.atomic
def counselling_referral_record(
    *, actor, case: Case, programme: CounsellingProgramme, **data
) -> CounsellingReferral:
    """Guideline 2-2: refer a willing victim to a programme; eligibility by age on the referral date."""
    if not programme.is_active:
        raise ValidationError({"programme": "這個方案已停用，請選擇目前使用中的方案。"})
    referral = CounsellingReferral(case=case, programme=programme, created_by=actor)
    return _save_referral(referral, actor, data)


@transaction.atomic
def counselling_referral_update(*, actor, referral: CounsellingReferral, **data) -> CounsellingReferral:
    referral = (
        CounsellingReferral.objects.select_for_update(of=("self",))
        .select_related("case__victim")
        .get(pk=referral.pk)
    )
    programme = data.get("programme")
    if programme is not None and programme.pk != referral.programme_id and not programme.is_active:
        raise ValidationError({"programme": "這個方案已停用，請選擇目前使用中的方案。"})
    return _save_referral(referral, actor, data)


# --- escorts (3) ------------------------------------------------------------------------------------------


def current_checklist(kind: str) -> EscortChecklist | None:
    return EscortChecklist.objects.filter(kind=kind, is_active=True).order_by("-version").first()


def _clean_place_code(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return check_place_code(value)
    except SmsTextError as exc:
        raise ValidationError({"place_code": exc.messages}) from None


_ESCORT_FIELDS = [
    "victim_consent",
    "consent_at",
    "consent_how",
    "starts_at",
    "ends_at",
    "place",
    "status",
    "privacy_separate_room",
    "privacy_code_name_used",
    "barriers",
    "support_used",
    "interpreter_language",
    "improper_conduct",
    "repeated_questioning",
    "trauma_reaction",
    "pause_requested",
    "pause_by",
    "resumed",
    "conflict_parties",
    "conflict_resolved",
    "statement_reviewed",
    "corrections_requested",
    "corrections_made",
    "refused_fingerprint",
    "mandatory_report_needed",
    "officer_reminded",
    "report_type",
    "prosecutor_office",
    "court_name",
    "stage",
    "victim_attends",
    "absence_action",
    "protective_measures",
    "defendant_present",
    "meeting_point",
    "meet_before_minutes",
    "documents_to_bring",
    "worker_statement_made",
    "statement_requested_by",
    "further_need",
    "note",
]


def _escort_errors(escort: Escort) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if not escort.victim_consent:
        errors["victim_consent"] = ["陪同前須經被害人同意（指引 3-A）：請記錄被害人的同意。"]
    else:
        if not escort.consent_at:
            errors["consent_at"] = ["請填寫被害人同意的時間。"]
        elif escort.consent_at > now + dt.timedelta(minutes=5):
            errors["consent_at"] = ["同意時間不能晚於現在。"]
        elif escort.starts_at and escort.consent_at > escort.starts_at:
            errors["consent_at"] = ["被害人須在陪同開始前同意。"]
        if not escort.consent_how:
            errors["consent_how"] = ["請選擇同意方式（口頭或書面）。"]
    if escort.ends_at and escort.starts_at and escort.ends_at < escort.starts_at:
        errors["ends_at"] = ["結束時間不能早於開始時間。"]
    if escort.status == Escort.Status.DONE and escort.starts_at and escort.starts_at > now:
        errors["status"] = ["陪同時間還沒到，不能標示為已完成。"]
    if escort.pause_requested and not escort.pause_by:
        errors["pause_by"] = ["請註明由被害人或社工提出暫停。"]
    if escort.corrections_made and not escort.corrections_requested:
        errors["corrections_made"] = ["員警已修改筆錄時，請一併勾選「已請員警修改」。"]
    if escort.officer_reminded and not escort.mandatory_report_needed:
        errors["officer_reminded"] = ["涉及責任通報時才需提醒員警；請勾選「涉及責任通報」。"]
    if escort.support_used == "interpreter" and not escort.interpreter_language.strip():
        errors["interpreter_language"] = ["使用通譯服務時，請填寫通譯語言。"]
    if escort.kind == EscortKind.COURT:
        if not escort.court_name.strip():
            errors["court_name"] = ["請填寫開庭的法院或地檢署。"]
        if not escort.victim_attends and not escort.absence_action:
            errors["absence_action"] = ["被害人不出庭時，請選擇請假或聲請改期（指引 3-2-1A）。"]
        message = rules.meeting_point_error(
            defendant_present=escort.defendant_present, meeting_point=escort.meeting_point
        )
        if message:
            errors["meeting_point"] = [message]
        message = rules.worker_statement_error(
            statement_made=escort.worker_statement_made, requested_by=escort.statement_requested_by
        )
        if message:
            errors["statement_requested_by"] = [message]
    return errors


def _sync_court_appointment(escort: Escort, actor, *, rebooked: bool, place_code: str) -> None:
    """A court hearing is a tracked appointment owned by the worker, with the victim's generic SMS."""
    escort.sms_reminder_note = ""
    title = f"開庭：{escort.court_name}"
    if escort.status == Escort.Status.PLANNED:
        deadline_open(
            case=escort.case,
            kind=Deadline.Kind.APPOINTMENT,
            source=escort,
            title=title,
            due=escort.starts_at,
            owner=escort.worker,
            actor=actor,
        )
    elif escort.status == Escort.Status.DONE:
        deadline_settle(
            case=escort.case,
            kind=Deadline.Kind.APPOINTMENT,
            source=escort,
            title=title,
            due=escort.starts_at,
            state=Deadline.State.DONE,
            reason="已陪同出庭。",
            owner=escort.worker,
            actor=actor,
        )
    else:
        deadline_cancel_for_source(
            source=escort, kind=Deadline.Kind.APPOINTMENT, actor=actor, reason="陪同出庭已取消。"
        )
    note = outbox.sms_sync_appointment_reminder(
        actor=actor,
        source=escort,
        case=escort.case,
        starts_at=escort.starts_at,
        booked=escort.status == Escort.Status.PLANNED,
        rebooked=rebooked,
        place_code=place_code,
    )
    escort.sms_reminder_note = "已排定開庭前 24 小時的簡訊提醒。" if note == outbox.REMINDER_QUEUED else note


def record_due(escort: Escort) -> dt.date:
    day = timezone.localtime(escort.starts_at).date()
    if escort.kind == EscortKind.INTERVIEW:
        return rules.service_record_due(day)
    return rules.service_record_due(day, escort.checklist.record_due_days if escort.checklist else 3)


def _sync_record_deadline(escort: Escort, actor) -> None:
    """After the escort, its record form is due (3-1-3D, 3-2-3D); owned by the escorting worker."""
    if not escort.has_record_form:
        return
    if escort.status == Escort.Status.DONE:
        if EscortReport.objects.filter(escort=escort).exists():
            return
        day = format_roc(timezone.localtime(escort.starts_at).date())
        deadline_open(
            case=escort.case,
            kind=Deadline.Kind.SERVICE_RECORD,
            source=escort,
            title=f"{escort.record_form_name}（{escort.get_kind_display()} {day}）",
            due=record_due(escort),
            owner=escort.worker,
            note="陪同當日不計入，次日起算（民法第120條）。",
            actor=actor,
        )
    else:
        deadline_cancel_for_source(
            source=escort, kind=Deadline.Kind.SERVICE_RECORD, actor=actor, reason="陪同未完成，不需紀錄表。"
        )


def _apply_link(escort: Escort, linked_key: str) -> None:
    linked_key = (linked_key or "").strip()
    if not linked_key:
        escort.linked_key = ""
        escort.linked_label = ""
        return
    kind = LINK_KINDS.get(escort.kind)
    options = {r.key: r.label for r in linkable_records(escort.case, kind)} if kind else {}
    if linked_key not in options:
        raise ValidationError({"linked_key": "請從清單選擇這個案件已登錄的報案或法律諮詢。"})
    escort.linked_key = linked_key
    escort.linked_label = options[linked_key][:200]


def _apply_ticks(escort: Escort, ticks: list[str] | None, tick_notes: dict[str, str] | None) -> None:
    codes = {item["code"] for item in escort.checklist.items} if escort.checklist else set()
    escort.ticks = [code for code in (ticks or []) if code in codes]
    notes = {
        code: text.strip() for code, text in (tick_notes or {}).items() if code in codes and text.strip()
    }
    escort.tick_notes = json.dumps(notes, ensure_ascii=False) if notes else ""


def _save_escort(escort: Escort, actor, data: dict, *, rebooked: bool) -> Escort:
    place_code = _clean_place_code(data.pop("place_code", ""))
    linked_key = data.pop("linked_key", escort.linked_key)
    ticks = data.pop("ticks", escort.ticks)
    tick_notes = data.pop("tick_notes", escort.notes_by_code())
    for name in _ESCORT_FIELDS:
        if name in data:
            value = data[name]
            setattr(escort, name, value.strip() if isinstance(value, str) else value)
    if escort.meet_before_minutes is not None and not escort.meeting_point:
        escort.meet_before_minutes = None
    errors = _escort_errors(escort)
    try:
        _apply_link(escort, linked_key)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    _apply_ticks(escort, ticks, tick_notes)
    if place_code:
        escort.place_code = place_code
    model_save(actor=actor, instance=escort)
    if escort.kind == EscortKind.COURT:
        _sync_court_appointment(escort, actor, rebooked=rebooked, place_code=place_code)
    else:
        escort.sms_reminder_note = ""
    _sync_record_deadline(escort, actor)
    referral = escort.counselling_referral
    if referral is not None and escort.status == Escort.Status.DONE and not referral.first_session_escorted:
        referral.first_session_escorted = True
        model_save(actor=actor, instance=referral, update_fields=["first_session_escorted"])
    return escort


@transaction.atomic
def escort_record(
    *,
    actor,
    case: Case,
    kind: str,
    worker=None,
    counselling_referral: CounsellingReferral | None = None,
    **data,
) -> Escort:
    """Guideline 3: record an escort (planned or done) with the victim's consent and the current checklist."""
    if kind not in EscortKind.values:
        raise ValidationError({"kind": "陪同類別不正確。"})
    if counselling_referral is not None and (
        kind != EscortKind.COUNSELLING or counselling_referral.case_id != case.pk
    ):
        raise ValidationError({"counselling_referral": "請選擇這個案件的心理諮商轉介。"})
    escort = Escort(
        case=case,
        kind=kind,
        worker=worker or actor,
        counselling_referral=counselling_referral,
        checklist=current_checklist(kind) if kind in (EscortKind.INTERVIEW, EscortKind.COURT) else None,
        created_by=actor,
    )
    return _save_escort(escort, actor, dict(data), rebooked=True)


@transaction.atomic
def escort_update(*, actor, escort: Escort, **data) -> Escort:
    """Tick the checklist, fill the structured fields, mark done or cancelled; the version stays."""
    escort = (
        Escort.objects.select_for_update(of=("self",)).select_related("case", "checklist").get(pk=escort.pk)
    )
    before = (escort.starts_at, escort.status)
    data = dict(data)
    starts_at = data.get("starts_at", escort.starts_at)
    rebooked = (starts_at, data.get("status", escort.status)) != before
    return _save_escort(escort, actor, data, rebooked=rebooked)


def _record_deadline_of(escort: Escort) -> Deadline | None:
    source_type = ContentType.objects.get_for_model(Escort)
    return (
        Deadline.objects.select_for_update()
        .filter(
            source_type=source_type,
            source_id=str(escort.pk),
            kind=Deadline.Kind.SERVICE_RECORD,
            state=Deadline.State.OPEN,
        )
        .first()
    )


@transaction.atomic
def escort_report_complete(
    *,
    actor,
    escort: Escort,
    service_summary: str,
    victim_condition: str = "",
    follow_up: str = "",
    completed_on: dt.date | None = None,
) -> EscortReport:
    """The record form is completed (or corrected): its deadline is closed as done."""
    escort = (
        Escort.objects.select_for_update(of=("self",)).select_related("case", "checklist").get(pk=escort.pk)
    )
    if not escort.has_record_form:
        raise ValidationError("這類陪同沒有紀錄表。")
    if escort.status != Escort.Status.DONE:
        raise ValidationError("陪同完成後才能填寫紀錄表；請先將陪同標示為已完成。")
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "完成日期不能晚於今天。"})
    if completed_on < timezone.localtime(escort.starts_at).date():
        raise ValidationError({"completed_on": "完成日期不能早於陪同日期。"})
    if not service_summary.strip():
        raise ValidationError({"service_summary": "請填寫服務內容摘要。"})
    report = EscortReport.objects.filter(escort=escort).first() or EscortReport(escort=escort)
    report.service_summary = service_summary.strip()
    report.victim_condition = victim_condition.strip()
    report.follow_up = follow_up.strip()
    report.completed_on = completed_on
    report.completed_by = actor
    model_save(actor=actor, instance=report)
    deadline = _record_deadline_of(escort)
    if deadline is not None:
        due = record_due(escort)
        late = "" if completed_on <= due else f"（逾期，期限 {format_roc(due)}）"
        deadline_close(
            actor=actor,
            deadline=deadline,
            state=Deadline.State.DONE,
            reason=f"{escort.record_form_name}已於 {format_roc(completed_on)} 完成{late}。",
        )
    return report


@transaction.atomic
def declined_request_record(
    *,
    actor,
    case: Case,
    request: str,
    requested_on: dt.date,
    alternative_offered: str = "",
    detail: str = "",
) -> DeclinedEscortRequest:
    """Guideline 3-3-2: a request outside the escort service, declined with the alternative offered."""
    alternative = alternative_offered.strip() or rules.OUT_OF_SCOPE_ALTERNATIVES.get(request, "")
    errors = {}
    if request not in DeclinedEscortRequest.Request.values:
        errors["request"] = ["請選擇請求內容。"]
    if request == DeclinedEscortRequest.Request.OTHER and not detail.strip():
        errors["detail"] = ["請說明被害人的請求。"]
    if not alternative:
        errors["alternative_offered"] = ["請填寫提供給被害人的替代方式。"]
    if requested_on and requested_on > timezone.localdate():
        errors["requested_on"] = ["請求日期不能晚於今天。"]
    if errors:
        raise ValidationError(errors)
    item = DeclinedEscortRequest(
        case=case,
        request=request,
        requested_on=requested_on,
        detail=detail.strip(),
        alternative_offered=alternative,
        declined_by=actor,
    )
    model_save(actor=actor, instance=item)
    return item
