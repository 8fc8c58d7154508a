"""Reads of the legal side of a case. Access goes through the hub's scoping (cases.selectors)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.ages import is_minor_on
from cases.case_records import case_rows
from cases.models import Case, Deadline, Intake
from cases.registry import linkable_records
from cases.roles import Role, has_role
from cases.selectors import can_edit_case, cases_for_user, referred_cases_for_user
from legal import rules
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

# --- access helpers: 404 when the record is outside the user's scope ----------------------------


def _editable_record(model, user, pk, *, related: tuple[str, ...] = ()):
    """A case record the user may edit (assigned worker or supervisor); 404 otherwise."""
    qs = model.objects.select_related("case", "case__victim", *related).filter(
        case__in=cases_for_user(user).values("pk")
    )
    try:
        record = qs.get(pk=pk)
    except (model.DoesNotExist, ValueError):
        raise Http404 from None
    if not can_edit_case(user, record.case):
        raise Http404
    return record


def case_offence_for_user(user, pk) -> CaseOffence:
    return _editable_record(CaseOffence, user, pk, related=("offence",))


def accusation_for_user(user, pk) -> Accusation:
    return _editable_record(Accusation, user, pk, related=("case_offence__offence", "filed_by"))


def consultation_for_user(user, pk) -> LegalConsultation:
    return _editable_record(LegalConsultation, user, pk)


def subsidy_for_user(user, pk) -> SubsidyApplication:
    return _editable_record(SubsidyApplication, user, pk)


def police_report_for_user(user, pk) -> PoliceReport:
    return _editable_record(PoliceReport, user, pk)


def law_explanation_for_user(user, pk) -> LawExplanation:
    return _editable_record(LawExplanation, user, pk, related=("by",))


def lawyer_referral_for_user(user, pk) -> LawyerReferral:
    return _editable_record(LawyerReferral, user, pk, related=("subsidy",))


def center_staff(*, including=None):
    """Active hotline staff, social workers and supervisors: who may have explained the law (4-A)."""
    roles = (Role.HOTLINE, Role.SOCIAL_WORKER, Role.SUPERVISOR)
    qs = get_user_model().objects.filter(is_active=True, groups__name__in=roles)
    if including is not None:
        qs = get_user_model().objects.filter(pk=including.pk) | qs
    return qs.distinct().order_by("last_name", "first_name", "username")


def active_offences(*, including: Offence | None = None) -> QuerySet[Offence]:
    """The catalogue to choose from; a record's current (maybe since deactivated) offence stays valid."""
    qs = Offence.objects.filter(is_active=True)
    if including is not None:
        qs = Offence.objects.filter(pk=including.pk) | qs
    return qs.order_by("sort_order", "code")


# --- police (guideline 10): the cases of their referrals and of the reports their unit took ----------


def police_cases_for_user(user) -> QuerySet[Case]:
    """Police: cases holding a referral this officer submitted, or a police report naming them as the
    officer who took it (10-2: a self-referred victim's report can get a prosecutor's direction too).

    Scope only: what police see of these cases is their own referral or report and the case status.
    """
    if not user.is_authenticated or not user.is_active or not has_role(user, Role.POLICE):
        return Case.objects.none()
    reported = PoliceReport.objects.filter(officer=user).values("case_id")
    return Case.objects.filter(Q(pk__in=referred_cases_for_user(user).values("pk")) | Q(pk__in=reported))


def _police_prefetches(user) -> list[Prefetch]:
    mine = Intake.objects.filter(created_by=user, source=Intake.Source.REFERRAL).order_by("received_at")
    reports = PoliceReport.objects.filter(officer=user).order_by("scheduled_at")
    return [
        Prefetch("intakes", queryset=mine, to_attr="my_referrals"),
        Prefetch("police_reports", queryset=reports, to_attr="my_reports"),
    ]


def referred_cases(user) -> list[Case]:
    """Police: their cases, each with `my_referrals`, `my_reports` (what they did) and `directions`."""
    return list(
        police_cases_for_user(user)
        .prefetch_related(
            *_police_prefetches(user),
            Prefetch(
                "prosecutor_directions",
                queryset=ProsecutorDirection.objects.select_related("requested_by"),
                to_attr="directions",
            ),
        )
        .order_by("-opened_at")
    )


def referred_case_for_police(user, pk) -> Case:
    try:
        return police_cases_for_user(user).prefetch_related(*_police_prefetches(user)).get(pk=pk)
    except (Case.DoesNotExist, ValueError):
        raise Http404 from None


def direction_for_police(user, pk) -> ProsecutorDirection:
    try:
        return ProsecutorDirection.objects.select_related("case").get(
            pk=pk, case__in=police_cases_for_user(user).values("pk")
        )
    except (ProsecutorDirection.DoesNotExist, ValueError):
        raise Http404 from None


def police_officers(*, including=None):
    """Active accounts with the police role, to name the officer who takes a report (10-2)."""
    qs = get_user_model().objects.filter(is_active=True, groups__name=Role.POLICE)
    if including is not None:
        qs = get_user_model().objects.filter(pk=including.pk) | qs
    return qs.distinct().order_by("last_name", "first_name", "username")


def preservation_talk_for_user(user, pk) -> PreservationTalk:
    return _editable_record(PreservationTalk, user, pk)


def evidence_choices(case: Case) -> list[tuple[str, str]]:
    """9-1-3: the case's evidence items, as the evidence app offers them (empty until it does)."""
    return [(record.key, record.label) for record in linkable_records(case, "evidence_item")]


# --- supervisors: the unit's accusations ----------------------------------------------------------


def open_accusations() -> QuerySet[Accusation]:
    """Accusations the center still has to file, oldest decision first (index accusation_state)."""
    return (
        Accusation.objects.filter(state=Accusation.State.OPEN)
        .select_related("case", "case__assigned_worker", "case_offence__offence")
        .order_by("decided_on", "case__number")
    )


def recently_filed_accusations(limit: int = 20) -> QuerySet[Accusation]:
    return (
        Accusation.objects.filter(state=Accusation.State.FILED)
        .select_related("case", "case_offence__offence", "filed_by")
        .order_by("-filed_on")[:limit]
    )


# --- helpers for forms ----------------------------------------------------------------------------


def consultation_summary(case: Case) -> dict:
    """For the 4-2-3 reminder on the subsidy form: has the victim had (or booked) a consultation?"""
    rows = list(case.legal_consultations.values_list("status", "scheduled_at"))
    held = [at for status, at in rows if status == LegalConsultation.Status.HELD]
    booked = [at for status, at in rows if status == LegalConsultation.Status.BOOKED]
    return {"held": bool(held), "next_booked": min(booked) if booked else None}


def suggested_laws(case: Case) -> list[str]:
    """Guideline 9-1-1: the Criminal Code routes that the case's offences point to."""
    kinds = set(case.offences.values_list("offence__prosecution", flat=True))
    laws = []
    if Offence.Prosecution.COMPLAINT in kinds:
        laws.append(PoliceReport.Law.CRIMINAL_COMPLAINT)
    if Offence.Prosecution.PUBLIC in kinds:
        laws.append(PoliceReport.Law.CRIMINAL_PUBLIC)
    return laws


# --- the case-page panel ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A deadline as the panel shows it: ROC date, days left, warning, note."""

    deadline: Deadline
    days_left: int
    note: str

    @property
    def due(self) -> dt.date:
        return timezone.localtime(self.deadline.due_at).date()

    @property
    def is_open(self) -> bool:
        return self.deadline.state == Deadline.State.OPEN


def _periods(case: Case) -> dict[tuple[str, str, str], Deadline]:
    rows = case_rows(
        case,
        "legal.deadlines",
        lambda: Deadline.objects.filter(case=case, source_type__app_label="legal").select_related(
            "source_type", "closed_by"
        ),
    )
    return {(d.source_type.model, d.source_id, d.kind): d for d in rows}


def case_legal_panel(case: Case) -> dict:
    """Everything the panel shows, in a fixed number of queries whatever the number of records.

    Kept on the case object for the request, so the case page's record (legal/entries.py) reads the
    same rows instead of querying them again.
    """
    cached = getattr(case, "_legal_panel", None)
    if cached is not None:
        return cached
    case._legal_panel = _load_legal_panel(case)
    return case._legal_panel


def _load_legal_panel(case: Case) -> dict:
    today = timezone.localdate()
    deadlines = _periods(case)
    offences = case_rows(
        case,
        "legal.offences",
        lambda: case.offences.select_related(
            "offence", "accusation", "accusation__filed_by", "created_by"
        ).order_by("created_at"),
    )
    complaint_days = [
        timezone.localtime(d.due_at).date()
        for (model, _, kind), d in deadlines.items()
        if model == "caseoffence" and kind == Deadline.Kind.COMPLAINT and d.state == Deadline.State.OPEN
    ]
    starts = {
        item.pk: rules.complaint_start(
            offender_known=item.offender_known,
            knew_offender_on=item.knew_offender_on,
            continuing=item.continuing,
            conduct_ended_on=item.conduct_ended_on,
        )
        for item in offences
    }
    waiting = any(
        item.offence.complaint_required and not item.complaint_filed_on and not starts[item.pk].running
        for item in offences
    )
    provisional_due = rules.provisional_complaint_due(today)
    if waiting:
        complaint_days.append(provisional_due)
    notes = art122_notes(complaint_days) if complaint_days else {}

    def period(model: str, pk, kind: str, with_note: bool = False) -> Period | None:
        deadline = deadlines.get((model, str(pk), kind))
        if deadline is None:
            return None
        due = timezone.localtime(deadline.due_at).date()
        note = notes.get(due, "") if with_note and deadline.state == Deadline.State.OPEN else ""
        return Period(deadline=deadline, days_left=(due - today).days, note=note)

    rows = []
    for item in offences:
        accusation = getattr(item, "accusation", None)
        start = starts[item.pk]
        provisional = ""
        if item.offence.complaint_required and not item.complaint_filed_on and not start.running:
            provisional = rules.provisional_text(start.waiting_for, today)
            if notes.get(provisional_due):
                provisional += notes[provisional_due]
        rows.append(
            {
                "item": item,
                "provisional": provisional,
                "complaint": period("caseoffence", item.pk, Deadline.Kind.COMPLAINT, with_note=True),
                "limitation": period("caseoffence", item.pk, Deadline.Kind.LIMITATION),
                "accusation": accusation,
                "accusation_period": period("accusation", accusation.pk, Deadline.Kind.ACCUSATION)
                if accusation
                else None,
            }
        )
    consultations = [
        (c, period("legalconsultation", c.pk, Deadline.Kind.APPOINTMENT))
        for c in case_rows(
            case,
            "legal.consultations",
            lambda: case.legal_consultations.select_related("escort_worker", "created_by").order_by(
                "-scheduled_at"
            ),
        )
    ]
    reports = []
    birth_date = case.victim.birth_date
    report_rows = case_rows(
        case,
        "legal.police_reports",
        lambda: case.police_reports.select_related("escort_worker", "created_by", "officer").order_by(
            "-scheduled_at"
        ),
    )
    evidence_labels = (
        dict(evidence_choices(case)) if any(report.evidence_keys for report in report_rows) else {}
    )
    for report in report_rows:
        minor = is_minor_on(birth_date, timezone.localtime(report.scheduled_at).date())
        if minor is None and report.age_answer:
            minor = report.age_answer == PoliceReport.AgeAnswer.MINOR
        reports.append(
            {
                "report": report,
                "period": period("policereport", report.pk, Deadline.Kind.APPOINTMENT),
                "minor": minor is True,
                "age_unknown": minor is None,
                "evidence": [
                    evidence_labels.get(key, "（此證據項目已移除）") for key in report.evidence_keys
                ],
            }
        )
    return {
        "offences": rows,
        "consultations": consultations,
        "subsidies": case_rows(case, "legal.subsidies", lambda: case.subsidies.order_by("-applied_on")),
        "police_reports": reports,
        "directions": case_rows(
            case,
            "legal.directions",
            lambda: case.prosecutor_directions.select_related("requested_by").order_by("-requested_at"),
        ),
        "talks": case_rows(
            case,
            "legal.talks",
            lambda: case.preservation_talks.select_related("officer", "police_report", "created_by").order_by(
                "-discussed_at"
            ),
        ),
        "explanations": case_rows(
            case,
            "legal.explanations",
            lambda: case.law_explanations.select_related("by").order_by("-explained_on", "-created_at"),
        ),
        "lawyer_referrals": case_rows(
            case,
            "legal.lawyer_referrals",
            lambda: case.lawyer_referrals.select_related("subsidy", "created_by").order_by(
                "-matched_on", "-created_at"
            ),
        ),
    }


def case_records(case: Case) -> dict:
    """The kinds of records the case page's legal panel reads (cases.case_records: one probe for all)."""
    return {
        "legal.deadlines": Deadline.objects.filter(case=case, source_type__app_label="legal"),
        "legal.offences": case.offences.all(),
        "legal.consultations": case.legal_consultations.all(),
        "legal.police_reports": case.police_reports.all(),
        "legal.subsidies": case.subsidies.all(),
        "legal.directions": case.prosecutor_directions.all(),
        "legal.talks": case.preservation_talks.all(),
        "legal.explanations": case.law_explanations.all(),
        "legal.lawyer_referrals": case.lawyer_referrals.all(),
    }
