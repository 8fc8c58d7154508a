"""Retention (個人資料保護法第 11 條; issue 21, point 8): when the purpose ends, the victim's personal
data goes. A case closed longer ago than `settings.RETENTION_YEARS_AFTER_CLOSURE` loses every PII
column (the encrypted fields and the blind indexes) of its records and of their history rows, in every
app; what the statistics and dashboards count stays: the rows, their dates, kinds, channels, states and
workers. The victim's own record goes too once none of their cases is still within the period.

History rows are append-only (cases.audit_triggers): on PostgreSQL this is the one sanctioned UPDATE,
made with the transaction-local setting `app.redaction` on, and the trigger lets it blank PII columns and
nothing else. The hash chain survives it (cases.audit_chain: PII is outside the row digest, behind its
own HMAC; a fully blanked row verifies as redacted). Each case done is an audit event 「anonymise」.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from cases.audit import record_event
from cases.audit_chain import pii_fields
from cases.audit_trail import _case_link, history_models
from cases.models import AuditEvent, Case, CaseStatusChange, Intake, Victim


def cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Cases closed before this moment are past the retention period."""
    now = now or timezone.now()
    years = settings.RETENTION_YEARS_AFTER_CLOSURE
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def expired_cases(now: dt.datetime | None = None):
    """Closed cases whose last approved closing is older than the period and not yet anonymised."""
    closed_at = (
        CaseStatusChange.objects.filter(case=OuterRef("pk"), action=CaseStatusChange.Action.CLOSE_APPROVED)
        .order_by()
        .values("case")
        .annotate(last=Max("at"))
        .values("last")
    )
    done = AuditEvent.objects.filter(action="anonymise", case__isnull=False).values("case_id")
    return (
        Case.objects.filter(status=Case.Status.CLOSED)
        .annotate(closed_at=Subquery(closed_at))
        .filter(closed_at__lt=cutoff(now))
        .exclude(pk__in=done)
        .order_by("closed_at")
    )


def _blank(field):
    return None if field.null else ""


def _rows_of_case(model, case: Case, *, live: bool):
    """The rows of `model` (a live model, or a history model when not `live`) that belong to `case`."""
    target = model if live else model.instance_type
    link = _case_link(target)
    if link is None:
        return None
    how, attname, related = link
    qs = model._base_manager.all()
    if how == "self":
        return qs.filter(pk=case.pk) if live else qs.filter(id=case.pk)
    if how == "victim":
        return None  # the victim is handled apart: only when none of their cases is still kept
    if how == "field":
        return qs.filter(case_id=case.pk)
    return qs.filter(**{f"{attname}__in": related._base_manager.filter(case=case).values("pk")})


def _redact(qs, model) -> int:
    fields = pii_fields(model)
    if qs is None or not fields:
        return 0
    return qs.update(**{f.attname: _blank(f) for f in fields})


def _apply(qs, model, dry_run: bool) -> int:
    if qs is None or not pii_fields(model):
        return 0
    return qs.count() if dry_run else _redact(qs, model)


def _live_models_with_pii() -> list:
    return [
        m
        for m in apps.get_models()
        if pii_fields(m) and not hasattr(m, "instance_type") and m is not Victim and _case_link(m)
    ]


@dataclass
class Result:
    case_number: str
    live_rows: int
    history_rows: int
    victim: bool


def anonymise_case(case: Case, *, actor=None, dry_run: bool = False) -> Result:
    """Blank the PII of one case's records and history, in one transaction, with its audit event."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL app.redaction = 'on'")  # the one UPDATE the triggers allow
        live = hist = 0
        for model in _live_models_with_pii():
            live += _apply(_rows_of_case(model, case, live=True), model, dry_run)
        for model in history_models():
            hist += _apply(_rows_of_case(model, case, live=False), model, dry_run)
        others_kept = (
            Case.objects.filter(victim_id=case.victim_id)
            .exclude(pk=case.pk)
            .exclude(pk__in=AuditEvent.objects.filter(action="anonymise").values("case_id"))
            .exists()
        )
        victim = not others_kept
        if victim:
            live += _apply(Victim._base_manager.filter(pk=case.victim_id), Victim, dry_run)
            victim_history = Victim.history.model
            hist += _apply(victim_history._base_manager.filter(id=case.victim_id), victim_history, dry_run)
        if not dry_run:
            years = settings.RETENTION_YEARS_AFTER_CLOSURE
            record_event(
                actor=actor,
                action="anonymise",
                case=case,
                detail=(
                    f"結案逾 {years} 年（個人資料保護法第 11 條）："
                    f"清除 {live} 筆資料與 {hist} 筆歷史紀錄的個資欄位"
                    + ("，含被害人基本資料" if victim else "；被害人另有保存中的案件，基本資料保留")
                ),
            )
    return Result(case.number, live, hist, victim)


# --- intakes closed without a case ---------------------------------------------------------------


def expired_intakes(now: dt.datetime | None = None):
    """Calls and referral forms closed without a case (不開案) longer ago than the period. Done ones have
    an empty name index, which a kept intake never has (the victim's name is required)."""
    return (
        Intake.objects.filter(status=Intake.Status.CLOSED, case__isnull=True, handled_at__lt=cutoff(now))
        .exclude(victim_name_index="")
        .order_by("handled_at")
    )


def _intake_linked(model) -> str | None:
    """The attname of `model`'s foreign key to Intake, if it has one (contacts, bookings, SMS…)."""
    target = getattr(model, "instance_type", model)
    for f in target._meta.concrete_fields:
        if f.is_relation and getattr(f, "related_model", None) is Intake:
            return f.attname
    return None


def anonymise_intake(intake: Intake, *, actor=None, dry_run: bool = False) -> Result:
    """The same for an intake that never became a case: it and the records hanging on it."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL app.redaction = 'on'")
        live = _apply(Intake._base_manager.filter(pk=intake.pk), Intake, dry_run)
        hist = _apply(Intake.history.model._base_manager.filter(id=intake.pk), Intake.history.model, dry_run)
        for model in apps.get_models():
            attname = _intake_linked(model)
            if attname is None or model is Intake:
                continue
            rows = model._base_manager.filter(**{attname: intake.pk})
            if hasattr(model, "instance_type"):
                hist += _apply(rows, model, dry_run)
            else:
                live += _apply(rows, model, dry_run)
        if not dry_run:
            record_event(
                actor=actor,
                action="anonymise",
                detail=(
                    f"不開案的受理紀錄（{timezone.localtime(intake.received_at):%Y-%m-%d}）逾保存期限"
                    f"（個人資料保護法第 11 條）：清除 {live} 筆資料與 {hist} 筆歷史紀錄的個資欄位"
                ),
            )
    label = f"受理紀錄 {timezone.localtime(intake.received_at):%Y-%m-%d %H:%M}（不開案）"
    return Result(label, live, hist, victim=False)


__all__ = ["Result", "anonymise_case", "anonymise_intake", "cutoff", "expired_cases", "expired_intakes"]
