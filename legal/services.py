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

from cases.ages import is_minor_on
from cases.models import Case, Deadline, Notification
from cases.notifications import notify
from cases.registry import linkable_records
from cases.rocdate import format_roc
from cases.roles import Role
from cases.sms import outbox
from cases.sms.text import SmsTextError, check_place_code
from cases.tracker import (
    deadline_cancel_for_source,
    deadline_close,
    deadline_open,
    deadline_settle,
    end_of_day,
)
from cases.writes import model_save
from legal import rules
from legal.deadlines import limitation_deadline
from legal.models import (
    Accusation,
    CaseOffence,
    LawExplanation,
    LawyerReferral,
    LegalConsultation,
    Offence,
    PoliceReport,
    PreservationTalk,
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
    "limitation_stop",
    "limitation_stopped_on",
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

# The fields each period rests on: a save that changes none of them leaves a closed period closed (a
# worker's manual closing stands); a save that changes one reopens it and says why (docs/legal.md).
_COMPLAINT_BASIS = (
    "offence_id",
    "offender_known",
    "knew_offender_on",
    "continuing",
    "conduct_ended_on",
    "complaint_filed_on",
)
_LIMITATION_BASIS = (
    "offence_id",
    "offence_on",
    "continuing",
    "conduct_ended_on",
    "limitation_stop",
    "limitation_stopped_on",
)
_BASIS_LABELS = {
    "offence_id": "罪名",
    "offender_known": "是否知悉犯人",
    "knew_offender_on": "知悉犯人日期",
    "continuing": "持續行為",
    "conduct_ended_on": "持續行為結束日期",
    "complaint_filed_on": "提出告訴日期",
    "offence_on": "犯罪行為日期",
    "limitation_stop": "時效停止事由",
    "limitation_stopped_on": "時效停止日期",
}


def _basis(item: CaseOffence, fields: tuple[str, ...]) -> dict:
    return {name: getattr(item, name) for name in fields}


def _changed(before: dict | None, item: CaseOffence, fields: tuple[str, ...]) -> list[str]:
    """The basis fields this save changed (all of them for a new record)."""
    if before is None:
        return list(fields)
    return [name for name in fields if before.get(name) != getattr(item, name)]


def _deadline_of(source, kind: str) -> Deadline | None:
    source_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    return (
        Deadline.objects.select_for_update(of=("self",))
        .select_related("owner", "closed_by")
        .filter(source_type=source_type, source_id=str(source.pk), kind=kind)
        .first()
    )


def _is_closed(item: CaseOffence, kind: str) -> bool:
    deadline = _deadline_of(item, kind)
    return deadline is not None and deadline.state != Deadline.State.OPEN


def _open_period(item: CaseOffence, *, changed: list[str], actor, **period) -> None:
    """Open (or move) a period; a closed one is reopened only when a date it rests on changed.

    Reopening a period somebody closed by hand tells them and the owner why, in the case's words
    (case number, offence code, which dates changed; never the victim).
    """
    existing = _deadline_of(item, period["kind"])
    if existing is not None and existing.state != Deadline.State.OPEN:
        if not changed:
            return  # an unrelated save (a note, the victim's wish) does not undo a closing
        deadline = deadline_open(case=item.case, source=item, actor=actor, **period)
        what = "、".join(_BASIS_LABELS[name] for name in changed)
        text = (
            f"案件 {item.case.number}：{deadline.title} 已重新開啟，因為{what}已更正；"
            f"期限 {format_roc(timezone.localtime(deadline.due_at).date())}。"
        )
        recipients = {u.pk: u for u in (existing.closed_by, deadline.owner) if u is not None}
        if recipients:
            notify(
                recipients=list(recipients.values()),
                kind=Notification.Kind.DEADLINE,
                text=text,
                case=item.case,
            )
        return
    deadline_open(case=item.case, source=item, actor=actor, **period)


def _withdraw(item: CaseOffence, kind: str, *, actor, reason: str, keep_done: bool = True) -> None:
    """The period no longer applies: an open or missed row becomes not applicable, with the reason."""
    deadline = _deadline_of(item, kind)
    if deadline is None or deadline.state == Deadline.State.NOT_APPLICABLE:
        return
    if deadline.state == Deadline.State.OPEN:
        deadline_cancel_for_source(source=item, kind=kind, actor=actor, reason=reason)
        return
    if deadline.state == Deadline.State.DONE and keep_done:
        return
    deadline_settle(
        case=item.case,
        kind=kind,
        source=item,
        title=deadline.title,
        due=timezone.localtime(deadline.due_at).date() if deadline.all_day else deadline.due_at,
        state=Deadline.State.NOT_APPLICABLE,
        reason=reason,
        owner=deadline.owner,
        note=deadline.note,
        actor=actor,
    )


def _sync_complaint_period(item: CaseOffence, actor, *, before: dict | None = None) -> None:
    """Complaint period (CCP art. 237): six months from knowing the offender, or for continuing conduct
    from its end if later (釋字108). While the clock has not started there is no deadline to miss: no
    open row (so no overdue reminder), the panel shows the provisional date (legal.rules)."""
    changed = _changed(before, item, _COMPLAINT_BASIS)
    if not changed and _is_closed(item, Deadline.Kind.COMPLAINT):
        return  # a closed period stays as it was closed (by the tracker page or an earlier save)
    offence = item.offence
    if not offence.complaint_required:
        _withdraw(item, Deadline.Kind.COMPLAINT, actor=actor, reason="罪名為非告訴乃論，無告訴期間。")
        return
    start = rules.complaint_start(
        offender_known=item.offender_known,
        knew_offender_on=item.knew_offender_on,
        continuing=item.continuing,
        conduct_ended_on=item.conduct_ended_on,
    )
    title = f"告訴期間：{_label(offence)}"
    if not start.running:
        reason = rules.not_running_reason(start.waiting_for)
        if item.complaint_filed_on:
            reason = f"已於 {format_roc(item.complaint_filed_on)} 提出告訴。{reason}"
        _withdraw(item, Deadline.Kind.COMPLAINT, actor=actor, reason=reason, keep_done=False)
        return
    due = start.due
    notes = []
    if item.continuing:
        notes.append(
            f"持續行為：自行為終了（{format_roc(item.conduct_ended_on)}）或知悉犯人"
            f"（{format_roc(item.knew_offender_on)}）較晚者之翌日起算（釋字第108號）。"
        )
    shift = art122_notes([due])[due]
    if shift:
        notes.append(shift)
    period = {
        "kind": Deadline.Kind.COMPLAINT,
        "title": title,
        "due": due,
        "note": "".join(notes),
    }
    if not item.complaint_filed_on:
        _open_period(item, changed=changed, actor=actor, **period)
    elif item.complaint_filed_on <= due:
        deadline_settle(
            case=item.case,
            source=item,
            actor=actor,
            **period,
            state=Deadline.State.DONE,
            reason=f"已於 {format_roc(item.complaint_filed_on)} 提出告訴。",
        )
    else:
        # Filed after the period: recorded as it is, so the supervisor's review does not count it as on time.
        deadline_settle(
            case=item.case,
            source=item,
            actor=actor,
            **period,
            state=Deadline.State.MISSED,
            reason=f"於 {format_roc(item.complaint_filed_on)} 提出告訴，已逾告訴期間（{format_roc(due)}）。",
        )


LIMITATION_PASSED = "已逾追訴期"


def _sync_limitation(item: CaseOffence, actor, *, before: dict | None = None) -> None:
    """Limitation (Criminal Code art. 80): from the offence, or from the end of continuing conduct.

    Art. 83: an indictment or the prosecutor's action stops it, so its reminders end with that reason.
    An offence whose limitation had already passed is recorded as 已逾追訴期, never as a task overdue.
    """
    changed = _changed(before, item, _LIMITATION_BASIS)
    if not changed and _is_closed(item, Deadline.Kind.LIMITATION):
        return
    start = item.limitation_starts_on
    if start is None:
        _withdraw(
            item,
            Deadline.Kind.LIMITATION,
            actor=actor,
            reason="行為仍在持續，追訴權時效自行為終了時起算。",
        )
        return
    offence = item.offence
    years = offence.limitation_years
    due = limitation_deadline(start, years)
    period = {
        "kind": Deadline.Kind.LIMITATION,
        "title": f"追訴權時效（{years}年）：{_label(offence)}",
        "due": due,
        "note": (
            f"刑法第80條：自 {format_roc(start)}"
            f"{'（持續行為終了）' if item.continuing else ''}起算 {years} 年；"
            "起訴、檢察官偵查、停止偵查或通緝時停止進行（第83條）。"
        ),
    }
    stopped_on = item.limitation_stopped_on
    if item.limitation_stop and stopped_on and stopped_on <= due:
        deadline_settle(
            case=item.case,
            source=item,
            actor=actor,
            **period,
            state=Deadline.State.DONE,
            reason=(
                f"{format_roc(stopped_on)} {item.get_limitation_stop_display()}："
                "追訴權時效停止進行（刑法第83條），不再提醒。"
            ),
        )
        return
    if due < timezone.localdate():
        deadline_settle(
            case=item.case,
            source=item,
            actor=actor,
            **period,
            state=Deadline.State.MISSED,
            reason=(
                f"{LIMITATION_PASSED}：追訴權時效已於 {format_roc(due)} 完成（刑法第80條），"
                "檢察官將不予起訴；請向被害人說明，並評估民事求償等其他途徑。"
            ),
        )
        return
    _open_period(item, changed=changed, actor=actor, **period)


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


def _after_case_offence_saved(item: CaseOffence, actor, *, before: dict | None = None) -> None:
    _sync_complaint_period(item, actor, before=before)
    _sync_limitation(item, actor, before=before)
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
    limitation_stop: str = "",
    limitation_stopped_on: dt.date | None = None,
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
        limitation_stop=limitation_stop or "",
        limitation_stopped_on=limitation_stopped_on,
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
    limitation_stop: str = "",
    limitation_stopped_on: dt.date | None = None,
    note: str = "",
) -> CaseOffence:
    """Correct or complete an offence (e.g. the offender became known); its periods follow."""
    item = CaseOffence.objects.select_for_update().select_related("case", "offence").get(pk=case_offence.pk)
    if offence.pk != item.offence_id and not offence.is_active:
        raise ValidationError({"offence": "這個罪名類型已停用，請選擇目前使用中的類型。"})
    accusation = Accusation.objects.filter(case_offence=item, state=Accusation.State.FILED).first()
    if accusation is not None and offence.complaint_required:
        raise ValidationError({"offence": "本中心已就此罪名告發，不能改為告訴乃論的罪名；請另新增罪名。"})
    before = _basis(item, _COMPLAINT_BASIS + _LIMITATION_BASIS)
    item.offence = offence
    item.learned_on = learned_on
    item.offender_known = offender_known
    item.knew_offender_on = knew_offender_on
    item.offence_on = offence_on
    item.continuing = continuing
    item.conduct_ended_on = conduct_ended_on
    item.victim_wishes = victim_wishes
    item.complaint_filed_on = complaint_filed_on
    item.limitation_stop = limitation_stop or ""
    item.limitation_stopped_on = limitation_stopped_on
    item.note = note.strip()
    model_save(actor=actor, instance=item, update_fields=_CASE_OFFENCE_FIELDS)
    _after_case_offence_saved(item, actor, before=before)
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
    """The victim's generic appointment-reminder SMS (docs/legal.md), kept in step with the booking by the
    hub's outbox; what staff should know is left on `record.sms_reminder_note` ("" when nothing)."""
    record.sms_reminder_note = outbox.sms_sync_appointment_reminder(
        actor=actor,
        source=record,
        case=record.case,
        starts_at=record.scheduled_at,
        booked=booked,
        rebooked=rebooked,
        place_code=place_code,
    )


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


# --- explaining the law to the victim (4-A) --------------------------------------------------------------

_EXPLANATION_FIELDS = ["explained_on", "by", "topics", "note"]

# Who may be named as having explained the law: the center's staff (the police explain their own part
# at the report, recorded there).
_CENTER_ROLES = (Role.HOTLINE, Role.SOCIAL_WORKER, Role.SUPERVISOR)


def _is_center_staff(user) -> bool:
    return bool(user and user.is_active and user.groups.filter(name__in=_CENTER_ROLES).exists())


def _explanation_values(explanation: LawExplanation, values: dict) -> None:
    for name, value in values.items():
        setattr(explanation, name, value)
    explanation.topics = list(dict.fromkeys(explanation.topics or []))  # keep the order, drop repeats
    explanation.note = (explanation.note or "").strip()
    if explanation.by_id and not _is_center_staff(explanation.by):
        raise ValidationError({"by": ["請選擇本中心在職的專線或社工人員。"]})


@transaction.atomic
def law_explanation_record(
    *,
    actor,
    case: Case,
    explained_on: dt.date,
    topics: list[str],
    by=None,
    note: str = "",
) -> LawExplanation:
    """Guideline 4-A: record that the law was explained to the victim (which parts, when, by whom);
    `by` defaults to the actor."""
    explanation = LawExplanation(case=case)
    _explanation_values(
        explanation,
        {"explained_on": explained_on, "by": by or actor, "topics": topics, "note": note},
    )
    model_save(actor=actor, instance=explanation)
    return explanation


@transaction.atomic
def law_explanation_update(
    *,
    actor,
    explanation: LawExplanation,
    explained_on: dt.date,
    topics: list[str],
    by=None,
    note: str = "",
) -> LawExplanation:
    """Correct or complete a recorded explanation."""
    explanation = LawExplanation.objects.select_for_update().get(pk=explanation.pk)
    _explanation_values(
        explanation,
        {"explained_on": explained_on, "by": by or actor, "topics": topics, "note": note},
    )
    model_save(actor=actor, instance=explanation, update_fields=_EXPLANATION_FIELDS)
    return explanation


# --- matching a lawyer to retain (4-1-2) -----------------------------------------------------------------

_REFERRAL_FIELDS = ["lawyer_or_org", "matched_on", "status", "subsidy", "note"]


def _referral_values(referral: LawyerReferral, values: dict) -> None:
    for name, value in values.items():
        setattr(referral, name, value)
    referral.lawyer_or_org = (referral.lawyer_or_org or "").strip()
    referral.note = (referral.note or "").strip()


@transaction.atomic
def lawyer_referral_record(
    *,
    actor,
    case: Case,
    lawyer_or_org: str,
    matched_on: dt.date,
    status: str = LawyerReferral.Status.MATCHING,
    subsidy: SubsidyApplication | None = None,
    note: str = "",
) -> LawyerReferral:
    """Guideline 4-1-2: the center matches the victim with a lawyer, optionally tied to the case's
    lawyer-fee subsidy application (4-2-2); the model refuses a subsidy of another case."""
    referral = LawyerReferral(case=case, created_by=actor)
    _referral_values(
        referral,
        {
            "lawyer_or_org": lawyer_or_org,
            "matched_on": matched_on,
            "status": status,
            "subsidy": subsidy,
            "note": note,
        },
    )
    model_save(actor=actor, instance=referral)
    return referral


@transaction.atomic
def lawyer_referral_update(
    *,
    actor,
    referral: LawyerReferral,
    lawyer_or_org: str,
    matched_on: dt.date,
    status: str,
    subsidy: SubsidyApplication | None = None,
    note: str = "",
) -> LawyerReferral:
    """Record whether the victim retained the lawyer, or correct the match."""
    referral = LawyerReferral.objects.select_for_update().get(pk=referral.pk)
    _referral_values(
        referral,
        {
            "lawyer_or_org": lawyer_or_org,
            "matched_on": matched_on,
            "status": status,
            "subsidy": subsidy,
            "note": note,
        },
    )
    model_save(actor=actor, instance=referral, update_fields=_REFERRAL_FIELDS)
    return referral


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
    "age_answer",
    "officer",
    "evidence_keys",
    "privacy_separate_room",
    "privacy_code_name",
    "statement_requests",
    "statement_reviewed",
    "statement_articles",
    "complaint_decision",
    "status",
    "note",
]

_REPORT_DETAILS = {
    "age_answer": "",
    "officer": None,
    "evidence_keys": (),
    "privacy_separate_room": False,
    "privacy_code_name": False,
    "statement_requests": (),
    "statement_reviewed": False,
    "statement_articles": "",
    "complaint_decision": "",
}


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
    values["statement_requests"] = list(dict.fromkeys(values.get("statement_requests") or []))
    values["evidence_keys"] = list(dict.fromkeys(values.get("evidence_keys") or []))
    values["statement_articles"] = (values.get("statement_articles") or "").strip()
    values["age_answer"] = values.get("age_answer") or ""
    values["complaint_decision"] = values.get("complaint_decision") or ""
    if not values.get("escorted"):
        values["escort_worker"] = None
    return values


def _details(details: dict) -> dict:
    """9-1-3, 9-2-2, 9-2-4, 9-2-5, 9-2-7, 10-2: the optional details of a report (defaults when absent)."""
    unknown = set(details) - set(_REPORT_DETAILS)
    if unknown:
        raise TypeError(f"unknown police report fields: {sorted(unknown)}")
    return {name: details.get(name, default) for name, default in _REPORT_DETAILS.items()}


def _is_police_officer(user) -> bool:
    return bool(user and user.is_active and user.groups.filter(name=Role.POLICE).exists())


def _check_police_report(report: PoliceReport) -> None:
    """What the model cannot see alone: the officer's account, the evidence items, the minor rule."""
    errors: dict[str, list[str]] = {}
    if report.officer_id and not _is_police_officer(report.officer):
        errors["officer"] = ["請選擇在職員警的系統帳號。"]
    if report.evidence_keys:
        offered = {record.key for record in linkable_records(report.case, "evidence_item")}
        if not set(report.evidence_keys) <= offered:
            errors["evidence_keys"] = ["所選的證據項目不在本案件的證據清單中，請重新選擇。"]
    day = timezone.localtime(report.scheduled_at).date()
    errors.update(
        rules.minor_report_errors(
            minor=is_minor_on(report.case.victim.birth_date, day),
            age_answer=report.age_answer,
            companion=report.minor_companion,
            escort_worker_chosen=bool(report.escorted and report.escort_worker_id),
            done=report.status == PoliceReport.Status.DONE,
        )
    )
    if report.complaint_decision == PoliceReport.ComplaintDecision.NOT_NEEDED:
        complaint = [
            o for o in report.case.offences.select_related("offence") if o.offence.complaint_required
        ]
        if complaint:
            codes = "、".join(o.offence.code for o in complaint)
            errors["complaint_decision"] = [
                f"本案有告訴乃論的罪名（{codes}），請選擇「提出告訴」或「暫不提告」。"
            ]
    if errors:
        raise ValidationError(errors)


def _validate_police_report(report: PoliceReport) -> None:
    """The model's rules and the case-dependent ones, reported together (nothing is saved on error)."""
    errors: dict[str, list[str]] = {}
    for check in (
        lambda: report.full_clean(exclude=["case", "created_by"]),
        lambda: _check_police_report(report),
    ):
        try:
            check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(m for m in messages if m not in errors.get(field, []))
    if errors:
        raise ValidationError(errors)


def _fill_complaint_dates(report: PoliceReport, actor) -> None:
    """9-2-5: a complaint filed at the report fills the filing date of the case's offences without one."""
    if report.status != PoliceReport.Status.DONE:
        return
    if report.complaint_decision != PoliceReport.ComplaintDecision.FILED:
        return
    day = timezone.localtime(report.scheduled_at).date()
    items = CaseOffence.objects.select_for_update().select_related("case", "offence")
    for item in items.filter(case=report.case, complaint_filed_on__isnull=True):
        before = _basis(item, _COMPLAINT_BASIS + _LIMITATION_BASIS)
        item.complaint_filed_on = day
        item.victim_wishes = CaseOffence.Wishes.WANTS
        model_save(actor=actor, instance=item, update_fields=["complaint_filed_on", "victim_wishes"])
        _after_case_offence_saved(item, actor, before=before)


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
    **details,
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
            **_details(details),
        }
    )
    report = PoliceReport(case=case, created_by=actor, **values)
    _validate_police_report(report)
    model_save(actor=actor, instance=report)
    _sync_police_report(report, actor, place_code=place_code)
    _fill_complaint_dates(report, actor)
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
    **details,
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
            **_details(details),
        }
    )
    for field, value in values.items():
        setattr(report, field, value)
    _validate_police_report(report)
    model_save(actor=actor, instance=report, update_fields=_POLICE_REPORT_FIELDS)
    _sync_police_report(report, actor, rebooked=rebooked, place_code=place_code)
    _fill_complaint_dates(report, actor)
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


# --- urgent evidence preservation discussed with the officer (9-2-6, 10-2, 10-N) ----------------------

_TALK_FIELDS = [
    "police_report",
    "discussed_at",
    "triggers",
    "other_trigger",
    "officer",
    "officer_name",
    "outcome",
    "outcome_note",
]


def _talk_values(talk: PreservationTalk, values: dict) -> None:
    for name, value in values.items():
        setattr(talk, name, value)
    talk.triggers = list(dict.fromkeys(talk.triggers or []))
    talk.other_trigger = (
        (talk.other_trigger or "").strip() if PreservationTalk.Trigger.OTHER in talk.triggers else ""
    )
    talk.officer_name = (talk.officer_name or "").strip()
    talk.outcome_note = (talk.outcome_note or "").strip()
    errors: dict[str, list[str]] = {}
    if talk.police_report_id and talk.police_report.case_id != talk.case_id:
        errors["police_report"] = ["所選的報案不屬於本案件。"]
    if talk.officer_id and not _is_police_officer(talk.officer):
        errors["officer"] = ["請選擇在職員警的系統帳號。"]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def preservation_talk_record(
    *,
    actor,
    case: Case,
    discussed_at: dt.datetime,
    triggers: list[str],
    other_trigger: str = "",
    officer=None,
    officer_name: str = "",
    police_report: PoliceReport | None = None,
    outcome: str = PreservationTalk.Outcome.ASSESSING,
    outcome_note: str = "",
) -> PreservationTalk:
    """Guideline 9-2-6 / 10-2: the worker records that urgent evidence preservation was discussed with
    the officer, why it was urgent (10-N) and what the officer decided."""
    talk = PreservationTalk(case=case, created_by=actor)
    _talk_values(
        talk,
        {
            "police_report": police_report,
            "discussed_at": discussed_at,
            "triggers": triggers,
            "other_trigger": other_trigger,
            "officer": officer,
            "officer_name": officer_name,
            "outcome": outcome,
            "outcome_note": outcome_note,
        },
    )
    model_save(actor=actor, instance=talk)
    return talk


@transaction.atomic
def preservation_talk_update(
    *,
    actor,
    talk: PreservationTalk,
    discussed_at: dt.datetime,
    triggers: list[str],
    other_trigger: str = "",
    officer=None,
    officer_name: str = "",
    police_report: PoliceReport | None = None,
    outcome: str = PreservationTalk.Outcome.ASSESSING,
    outcome_note: str = "",
) -> PreservationTalk:
    """Record the officer's decision, or correct the discussion."""
    talk = PreservationTalk.objects.select_for_update().get(pk=talk.pk)
    _talk_values(
        talk,
        {
            "police_report": police_report,
            "discussed_at": discussed_at,
            "triggers": triggers,
            "other_trigger": other_trigger,
            "officer": officer,
            "officer_name": officer_name,
            "outcome": outcome,
            "outcome_note": outcome_note,
        },
    )
    model_save(actor=actor, instance=talk, update_fields=_TALK_FIELDS)
    return talk


# --- the art. 122 note follows the official calendar (typhoon days added later) -----------------------

# A run of rest days after a last day is never longer than this (Lunar New Year with a weekend: 9 days).
_LONGEST_REST_RUN = dt.timedelta(days=14)


@transaction.atomic
def complaint_notes_refresh(*, day: dt.date, actor=None) -> int:
    """A rest day was added, changed or removed: recount the art. 122 note of every open complaint
    period whose last day it can shift, so the tracker pages (the dashboard) say what the case page says.

    Only open periods, and nothing else of them changes (their dates, reminders and closings stay).
    """
    source_type = ContentType.objects.get_for_model(CaseOffence)
    due = Deadline.objects.filter(
        kind=Deadline.Kind.COMPLAINT,
        state=Deadline.State.OPEN,
        source_type=source_type,
        due_at__gte=end_of_day(day - _LONGEST_REST_RUN - dt.timedelta(days=1)),
        due_at__lte=end_of_day(day),
    ).values_list("source_id", flat=True)
    items = CaseOffence.objects.select_related("case", "offence").filter(pk__in=list(due))
    count = 0
    for item in items:
        _sync_complaint_period(item, actor, before=_basis(item, _COMPLAINT_BASIS))
        count += 1
    return count
