"""Writes of the legal side of a case (guideline items 4, 9, 10).

Every service takes the acting user, validates the record (model `clean()` through `full_clean`) and
keeps the hub's deadline tracker in step in the same transaction: a record is never saved without its
deadlines, nor the reverse.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Case, Deadline
from cases.rocdate import format_roc
from cases.sms import outbox
from cases.sms.text import SmsTextError, check_place_code
from cases.tracker import deadline_cancel_for_source, deadline_close, deadline_open, deadline_settle
from cases.writes import model_save
from legal.deadlines import complaint_deadline, limitation_deadline
from legal.models import (
    Accusation,
    CaseOffence,
    LegalConsultation,
    Offence,
    PoliceReport,
    ProsecutorDirection,
    SubsidyApplication,
)
from legal.restdays import art122_notes

logger = logging.getLogger("legal")

# The appointment-reminder SMS to a consenting victim goes out this long before the appointment.
REMINDER_LEAD = dt.timedelta(hours=24)

_CASE_OFFENCE_FIELDS = [
    "offence",
    "learned_on",
    "offender_known",
    "knew_offender_on",
    "offence_on",
    "continuing",
    "conduct_ended_on",
    "victim_wishes",
    "complaint_filed_on",
    "note",
]


def _open_deadline_of(source, kind: str) -> Deadline | None:
    source_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    return (
        Deadline.objects.select_for_update()
        .filter(source_type=source_type, source_id=str(source.pk), kind=kind, state=Deadline.State.OPEN)
        .first()
    )


def _label(offence: Offence) -> str:
    return f"{offence.code} {offence.name}"


# --- offences and their periods (4-1, 4-3) ---------------------------------------------------------


def _sync_complaint_period(item: CaseOffence, actor) -> None:
    """Complaint period (CCP art. 237): six months from knowing the offender; a warning until then."""
    offence = item.offence
    if not offence.complaint_required:
        deadline_cancel_for_source(
            source=item, kind=Deadline.Kind.COMPLAINT, actor=actor, reason="罪名為非告訴乃論，無告訴期間。"
        )
        return
    known = item.offender_known and item.knew_offender_on is not None
    start = item.knew_offender_on if known else item.learned_on
    due = complaint_deadline(start)
    notes = []
    if not known:
        notes.append(
            f"尚未知悉犯人：暫以知悉影像之日（{format_roc(start)}）起算提醒；知悉犯人後填寫日期即重新計算。"
        )
    shift = art122_notes([due])[due]
    if shift:
        notes.append(shift)
    period = {
        "case": item.case,
        "kind": Deadline.Kind.COMPLAINT,
        "source": item,
        "title": f"告訴期間：{_label(offence)}",
        "due": due,
        "note": "".join(notes),
        "actor": actor,
    }
    if not item.complaint_filed_on:
        deadline_open(**period, is_warning=not known)
    elif item.complaint_filed_on <= due:
        deadline_settle(
            **period,
            state=Deadline.State.DONE,
            reason=f"已於 {format_roc(item.complaint_filed_on)} 提出告訴。",
        )
    else:
        # Filed after the period: recorded as it is, so the supervisor's review does not count it as on time.
        deadline_settle(
            **period,
            state=Deadline.State.MISSED,
            reason=f"於 {format_roc(item.complaint_filed_on)} 提出告訴，已逾告訴期間（{format_roc(due)}）。",
        )


def _sync_limitation(item: CaseOffence, actor) -> None:
    """Limitation (Criminal Code art. 80): from the offence, or from the end of continuing conduct."""
    start = item.limitation_starts_on
    if start is None:
        deadline_cancel_for_source(
            source=item,
            kind=Deadline.Kind.LIMITATION,
            actor=actor,
            reason="行為仍在持續，追訴權時效自行為終了時起算。",
        )
        return
    offence = item.offence
    years = offence.limitation_years
    deadline_open(
        case=item.case,
        kind=Deadline.Kind.LIMITATION,
        source=item,
        title=f"追訴權時效（{years}年）：{_label(offence)}",
        due=limitation_deadline(start, years),
        note=(
            f"刑法第80條：自 {format_roc(start)}"
            f"{'（持續行為終了）' if item.continuing else ''}起算 {years} 年；"
            "起訴、停止偵查或通緝時停止進行（第83條）。"
        ),
        actor=actor,
    )


def _sync_accusation(item: CaseOffence, actor) -> Accusation | None:
    """Guideline 4-1: a public-prosecution offence the victim will not report is accused by the center."""
    needed = not item.offence.complaint_required and item.victim_wishes == CaseOffence.Wishes.DECLINES
    accusation = Accusation.objects.select_for_update().filter(case_offence=item).first()
    if needed:
        if accusation is None:
            accusation = Accusation(case=item.case, case_offence=item, decided_on=timezone.localdate())
            model_save(actor=actor, instance=accusation)
        elif accusation.state == Accusation.State.WITHDRAWN:
            accusation.state = Accusation.State.OPEN
            accusation.decided_on = timezone.localdate()
            model_save(actor=actor, instance=accusation, update_fields=["state", "decided_on"])
        if accusation.state == Accusation.State.OPEN:
            deadline_open(
                case=item.case,
                kind=Deadline.Kind.ACCUSATION,
                source=accusation,
                title=f"中心告發：{_label(item.offence)}",
                due=accusation.decided_on,
                note="被害人無意願報案，非告訴乃論案件由本中心告發（指引 4-1）；請儘速提出告發狀。",
                actor=actor,
            )
        return accusation
    if accusation is not None and accusation.state == Accusation.State.OPEN:
        reason = (
            "罪名為告訴乃論，中心不告發。"
            if item.offence.complaint_required
            else "被害人已改變意願，不需由中心告發。"
        )
        accusation.state = Accusation.State.WITHDRAWN
        model_save(actor=actor, instance=accusation, update_fields=["state"])
        deadline_cancel_for_source(
            source=accusation, kind=Deadline.Kind.ACCUSATION, actor=actor, reason=reason
        )
    return accusation


def _after_case_offence_saved(item: CaseOffence, actor) -> None:
    _sync_complaint_period(item, actor)
    _sync_limitation(item, actor)
    _sync_accusation(item, actor)


@transaction.atomic
def case_offence_record(
    *,
    actor,
    case: Case,
    offence: Offence,
    learned_on: dt.date,
    offence_on: dt.date,
    offender_known: bool = False,
    knew_offender_on: dt.date | None = None,
    continuing: bool = False,
    conduct_ended_on: dt.date | None = None,
    victim_wishes: str = CaseOffence.Wishes.UNDECIDED,
    complaint_filed_on: dt.date | None = None,
    note: str = "",
) -> CaseOffence:
    """Guideline 4-1/4-3: add an offence to a case and open its complaint and limitation periods."""
    if not offence.is_active:
        raise ValidationError({"offence": "這個罪名類型已停用，請選擇目前使用中的類型。"})
    item = CaseOffence(
        case=case,
        offence=offence,
        learned_on=learned_on,
        offender_known=offender_known,
        knew_offender_on=knew_offender_on,
        offence_on=offence_on,
        continuing=continuing,
        conduct_ended_on=conduct_ended_on,
        victim_wishes=victim_wishes,
        complaint_filed_on=complaint_filed_on,
        note=note.strip(),
        created_by=actor,
    )
    model_save(actor=actor, instance=item)
    _after_case_offence_saved(item, actor)
    return item


@transaction.atomic
def case_offence_update(
    *,
    actor,
    case_offence: CaseOffence,
    offence: Offence,
    learned_on: dt.date,
    offence_on: dt.date,
    offender_known: bool = False,
    knew_offender_on: dt.date | None = None,
    continuing: bool = False,
    conduct_ended_on: dt.date | None = None,
    victim_wishes: str = CaseOffence.Wishes.UNDECIDED,
    complaint_filed_on: dt.date | None = None,
    note: str = "",
) -> CaseOffence:
    """Correct or complete an offence (e.g. the offender became known); its periods follow."""
    item = CaseOffence.objects.select_for_update().select_related("case", "offence").get(pk=case_offence.pk)
    if offence.pk != item.offence_id and not offence.is_active:
        raise ValidationError({"offence": "這個罪名類型已停用，請選擇目前使用中的類型。"})
    accusation = Accusation.objects.filter(case_offence=item, state=Accusation.State.FILED).first()
    if accusation is not None and offence.complaint_required:
        raise ValidationError({"offence": "本中心已就此罪名告發，不能改為告訴乃論的罪名；請另新增罪名。"})
    item.offence = offence
    item.learned_on = learned_on
    item.offender_known = offender_known
    item.knew_offender_on = knew_offender_on
    item.offence_on = offence_on
    item.continuing = continuing
    item.conduct_ended_on = conduct_ended_on
    item.victim_wishes = victim_wishes
    item.complaint_filed_on = complaint_filed_on
    item.note = note.strip()
    model_save(actor=actor, instance=item, update_fields=_CASE_OFFENCE_FIELDS)
    _after_case_offence_saved(item, actor)
    return item


@transaction.atomic
def accusation_file(
    *, actor, accusation: Accusation, filed_on: dt.date, filed_with: str, note: str = ""
) -> Accusation:
    """The center has filed the accusation (告發狀): the task and its deadline are done."""
    accusation = Accusation.objects.select_for_update().select_related("case_offence").get(pk=accusation.pk)
    if accusation.state != Accusation.State.OPEN:
        raise ValidationError("這筆告發已處理過，請重新整理頁面。", code="accusation_handled")
    offence_on = accusation.case_offence.offence_on
    if filed_on < offence_on:
        raise ValidationError({"filed_on": f"告發日期不能早於犯罪行為日期（{format_roc(offence_on)}）。"})
    accusation.state = Accusation.State.FILED
    accusation.filed_on = filed_on
    accusation.filed_with = filed_with.strip()
    accusation.filed_by = actor
    accusation.note = note.strip()
    model_save(
        actor=actor,
        instance=accusation,
        update_fields=["state", "filed_on", "filed_with", "filed_by", "note"],
    )
    deadline = _open_deadline_of(accusation, Deadline.Kind.ACCUSATION)
    if deadline is not None:
        deadline_close(
            actor=actor,
            deadline=deadline,
            state=Deadline.State.DONE,
            reason=f"已於 {format_roc(filed_on)} 向{accusation.filed_with}告發。",
        )
    return accusation


# --- appointments: consultations (4-2-1) and police reports (9) --------------------------------------


def _sync_appointment(
    record, *, actor, title: str, booked: bool, done: bool, owner, closed_reason: str
) -> None:
    """Booked: an APPOINTMENT deadline at the booked time. Done: closed as done. Otherwise: not applicable."""
    if done:
        deadline_settle(
            case=record.case,
            kind=Deadline.Kind.APPOINTMENT,
            source=record,
            title=title,
            due=record.scheduled_at,
            state=Deadline.State.DONE,
            reason=closed_reason,
            owner=owner,
            actor=actor,
        )
    elif booked:
        deadline_open(
            case=record.case,
            kind=Deadline.Kind.APPOINTMENT,
            source=record,
            title=title,
            due=record.scheduled_at,
            owner=owner,
            actor=actor,
        )
    else:
        deadline_cancel_for_source(
            source=record, kind=Deadline.Kind.APPOINTMENT, actor=actor, reason=closed_reason
        )


def _clean_place_code(place_code: str) -> str:
    place_code = (place_code or "").strip()
    if not place_code:
        return ""
    try:
        return check_place_code(place_code)
    except SmsTextError as exc:
        raise ValidationError({"place_code": exc.messages}) from None


def _sync_reminder(record, *, actor, booked: bool, rebooked: bool, place_code: str) -> None:
    """The victim's generic appointment-reminder SMS (docs/legal.md), kept in step with the booking.

    Not booked (cancelled, held, done): pending reminders are cancelled. Booked anew or moved (or a new
    code typed): pending reminders are cancelled and, with a place code, one is queued REMINDER_LEAD
    before. A booking left as it was, without a code, keeps its reminder. The outcome for staff is left
    on `record.sms_reminder_note` ("" when there is nothing to say).
    """
    record.sms_reminder_note = ""
    if not booked:
        outbox.sms_cancel_pending_for_source(source=record, actor=actor)
        return
    if not (rebooked or place_code):
        return
    outbox.sms_cancel_pending_for_source(source=record, actor=actor)
    if not place_code:
        return
    send_at = record.scheduled_at - REMINDER_LEAD
    if send_at <= timezone.now():
        record.sms_reminder_note = "距約定時間已不到 24 小時，未排定簡訊提醒。"
        return
    try:
        outbox.sms_queue_appointment_reminder(
            actor=actor,
            case=record.case,
            starts_at=record.scheduled_at,
            place_code=place_code,
            source=record,
            send_at=send_at,
        )
    except ValidationError as exc:
        code = getattr(exc, "code", None)
        if code == "sms_no_consent":
            record.sms_reminder_note = "被害人未同意以簡訊聯繫，未排定簡訊提醒。"
        elif code == "sms_no_mobile":
            record.sms_reminder_note = "被害人沒有可接收簡訊的手機號碼，未排定簡訊提醒。"
        else:
            raise
        logger.info("appointment reminder not queued: source=%s (%s)", outbox.sms_source_key(record), code)
        return
    record.sms_reminder_note = "已排定約定時間前 24 小時的簡訊提醒。"


def _sync_consultation(
    consultation: LegalConsultation, actor, *, rebooked: bool = True, place_code: str = ""
) -> None:
    status = consultation.status
    _sync_appointment(
        consultation,
        actor=actor,
        title=f"法律諮詢：{consultation.provider}",
        booked=status == LegalConsultation.Status.BOOKED,
        done=status == LegalConsultation.Status.HELD,
        owner=consultation.escort_worker,
        closed_reason=f"法律諮詢{consultation.get_status_display()}。",
    )
    _sync_reminder(
        consultation,
        actor=actor,
        booked=status == LegalConsultation.Status.BOOKED,
        rebooked=rebooked,
        place_code=place_code,
    )


@transaction.atomic
def consultation_book(
    *,
    actor,
    case: Case,
    scheduled_at: dt.datetime,
    provider: str,
    mode: str = LegalConsultation.Mode.IN_PERSON,
    escorted: bool = False,
    escort_worker=None,
    outcome: str = "",
    place_code: str = "",
) -> LegalConsultation:
    """Guideline 4-2-1: book a legal consultation; the tracker reminds of the appointment, and a victim
    who agreed to SMS gets the generic reminder when a place code is given."""
    place_code = _clean_place_code(place_code)
    consultation = LegalConsultation(
        case=case,
        scheduled_at=scheduled_at,
        provider=provider.strip(),
        mode=mode,
        escorted=escorted,
        escort_worker=escort_worker if escorted else None,
        outcome=outcome.strip(),
        created_by=actor,
    )
    model_save(actor=actor, instance=consultation)
    _sync_consultation(consultation, actor, place_code=place_code)
    return consultation


@transaction.atomic
def consultation_update(
    *,
    actor,
    consultation: LegalConsultation,
    scheduled_at: dt.datetime,
    provider: str,
    mode: str,
    escorted: bool,
    escort_worker=None,
    status: str,
    outcome: str = "",
    place_code: str = "",
) -> LegalConsultation:
    """Move, hold, cancel or record the outcome of a consultation (the SMS reminder follows)."""
    place_code = _clean_place_code(place_code)
    consultation = (
        LegalConsultation.objects.select_for_update().select_related("case").get(pk=consultation.pk)
    )
    rebooked = (
        consultation.status != LegalConsultation.Status.BOOKED or consultation.scheduled_at != scheduled_at
    )
    consultation.scheduled_at = scheduled_at
    consultation.provider = provider.strip()
    consultation.mode = mode
    consultation.escorted = escorted
    consultation.escort_worker = escort_worker if escorted else None
    consultation.status = status
    consultation.outcome = outcome.strip()
    fields = ["scheduled_at", "provider", "mode", "escorted", "escort_worker", "status", "outcome"]
    model_save(actor=actor, instance=consultation, update_fields=fields)
    _sync_consultation(consultation, actor, rebooked=rebooked, place_code=place_code)
    return consultation


# --- litigation subsidies (4-2-2) ------------------------------------------------------------------------

_SUBSIDY_FIELDS = ["kind", "applied_on", "status", "decided_on", "approved_amount", "paid_on", "note"]


@transaction.atomic
def subsidy_apply(
    *,
    actor,
    case: Case,
    kind: str,
    applied_on: dt.date,
    status: str = SubsidyApplication.Status.APPLIED,
    decided_on: dt.date | None = None,
    approved_amount: int | None = None,
    paid_on: dt.date | None = None,
    note: str = "",
) -> SubsidyApplication:
    """Guideline 4-2-2: a lawyer-fee or litigation-cost subsidy application under the city's scheme."""
    subsidy = SubsidyApplication(
        case=case,
        kind=kind,
        applied_on=applied_on,
        status=status,
        decided_on=decided_on,
        approved_amount=approved_amount,
        paid_on=paid_on,
        note=note.strip(),
        created_by=actor,
    )
    model_save(actor=actor, instance=subsidy)
    return subsidy


@transaction.atomic
def subsidy_update(
    *,
    actor,
    subsidy: SubsidyApplication,
    kind: str,
    applied_on: dt.date,
    status: str,
    decided_on: dt.date | None = None,
    approved_amount: int | None = None,
    paid_on: dt.date | None = None,
    note: str = "",
) -> SubsidyApplication:
    """Record the decision, the approved amount and the payment."""
    subsidy = SubsidyApplication.objects.select_for_update().get(pk=subsidy.pk)
    subsidy.kind = kind
    subsidy.applied_on = applied_on
    subsidy.status = status
    subsidy.decided_on = decided_on
    subsidy.approved_amount = approved_amount
    subsidy.paid_on = paid_on
    subsidy.note = note.strip()
    model_save(actor=actor, instance=subsidy, update_fields=_SUBSIDY_FIELDS)
    return subsidy


# --- police report (9) ------------------------------------------------------------------------------------

_POLICE_REPORT_FIELDS = [
    "unit_kind",
    "unit_name",
    "scheduled_at",
    "officer_gender_asked",
    "officer_gender",
    "laws",
    "evidence_handed_over",
    "victim_keeps_copy",
    "escorted",
    "escort_worker",
    "minor_companion",
    "status",
    "note",
]


def _sync_police_report(report: PoliceReport, actor, *, rebooked: bool = True, place_code: str = "") -> None:
    booked = report.status == PoliceReport.Status.BOOKED
    _sync_appointment(
        report,
        actor=actor,
        title=f"報案：{report.unit_name}",
        booked=booked,
        done=report.status == PoliceReport.Status.DONE,
        owner=report.escort_worker,
        closed_reason=f"報案{report.get_status_display()}。",
    )
    _sync_reminder(report, actor=actor, booked=booked, rebooked=rebooked, place_code=place_code)


def _police_report_values(values: dict) -> dict:
    values = dict(values)
    values["unit_name"] = values["unit_name"].strip()
    values["note"] = values.get("note", "").strip()
    values["laws"] = list(dict.fromkeys(values.get("laws") or []))  # keep the order, drop repeats
    if not values.get("escorted"):
        values["escort_worker"] = None
    return values


@transaction.atomic
def police_report_book(
    *,
    actor,
    case: Case,
    unit_kind: str,
    unit_name: str,
    scheduled_at: dt.datetime,
    officer_gender_asked: bool,
    officer_gender: str,
    laws: list[str],
    evidence_handed_over: bool = False,
    victim_keeps_copy: bool = False,
    escorted: bool = False,
    escort_worker=None,
    minor_companion: str = "",
    note: str = "",
    place_code: str = "",
) -> PoliceReport:
    """Guideline 9-1: book the report with the brigade or a precinct; the tracker reminds of it, and a
    victim who agreed to SMS gets the generic reminder when a place code is given."""
    place_code = _clean_place_code(place_code)
    values = _police_report_values(
        {
            "unit_kind": unit_kind,
            "unit_name": unit_name,
            "scheduled_at": scheduled_at,
            "officer_gender_asked": officer_gender_asked,
            "officer_gender": officer_gender,
            "laws": laws,
            "evidence_handed_over": evidence_handed_over,
            "victim_keeps_copy": victim_keeps_copy,
            "escorted": escorted,
            "escort_worker": escort_worker,
            "minor_companion": minor_companion,
            "note": note,
        }
    )
    report = PoliceReport(case=case, created_by=actor, **values)
    model_save(actor=actor, instance=report)
    _sync_police_report(report, actor, place_code=place_code)
    return report


@transaction.atomic
def police_report_update(
    *,
    actor,
    police_report: PoliceReport,
    unit_kind: str,
    unit_name: str,
    scheduled_at: dt.datetime,
    officer_gender_asked: bool,
    officer_gender: str,
    laws: list[str],
    status: str,
    evidence_handed_over: bool = False,
    victim_keeps_copy: bool = False,
    escorted: bool = False,
    escort_worker=None,
    minor_companion: str = "",
    note: str = "",
    place_code: str = "",
) -> PoliceReport:
    """Reschedule, complete or cancel a report appointment (the SMS reminder follows)."""
    place_code = _clean_place_code(place_code)
    report = PoliceReport.objects.select_for_update().select_related("case").get(pk=police_report.pk)
    rebooked = report.status != PoliceReport.Status.BOOKED or report.scheduled_at != scheduled_at
    values = _police_report_values(
        {
            "unit_kind": unit_kind,
            "unit_name": unit_name,
            "scheduled_at": scheduled_at,
            "officer_gender_asked": officer_gender_asked,
            "officer_gender": officer_gender,
            "laws": laws,
            "evidence_handed_over": evidence_handed_over,
            "victim_keeps_copy": victim_keeps_copy,
            "escorted": escorted,
            "escort_worker": escort_worker,
            "minor_companion": minor_companion,
            "status": status,
            "note": note,
        }
    )
    for field, value in values.items():
        setattr(report, field, value)
    model_save(actor=actor, instance=report, update_fields=_POLICE_REPORT_FIELDS)
    _sync_police_report(report, actor, rebooked=rebooked, place_code=place_code)
    return report


# --- prosecutor-directed investigation (10) -------------------------------------------------------------


@transaction.atomic
def prosecutor_direction_request(
    *, actor, case: Case, requested_at: dt.datetime, prosecutor_office: str, urgency: str
) -> ProsecutorDirection:
    """Guideline 10: police record that they asked a prosecutor to direct the investigation."""
    if not urgency.strip():
        raise ValidationError({"urgency": "請說明證據保全的急迫情形。"})
    direction = ProsecutorDirection(
        case=case,
        requested_at=requested_at,
        requested_by=actor,
        prosecutor_office=prosecutor_office.strip(),
        urgency=urgency.strip(),
    )
    model_save(actor=actor, instance=direction)
    return direction


@transaction.atomic
def prosecutor_direction_update(
    *,
    actor,
    direction: ProsecutorDirection,
    requested_at: dt.datetime,
    prosecutor_office: str,
    urgency: str,
    outcome: str,
    outcome_on: dt.date | None = None,
    outcome_note: str = "",
) -> ProsecutorDirection:
    """Police record the prosecutor's answer (or correct the request)."""
    if not urgency.strip():
        raise ValidationError({"urgency": "請說明證據保全的急迫情形。"})
    direction = ProsecutorDirection.objects.select_for_update().get(pk=direction.pk)
    direction.requested_at = requested_at
    direction.prosecutor_office = prosecutor_office.strip()
    direction.urgency = urgency.strip()
    direction.outcome = outcome
    direction.outcome_on = outcome_on
    direction.outcome_note = outcome_note.strip()
    fields = ["requested_at", "prosecutor_office", "urgency", "outcome", "outcome_on", "outcome_note"]
    model_save(actor=actor, instance=direction, update_fields=fields)
    return direction
