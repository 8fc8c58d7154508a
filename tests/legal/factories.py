"""Legal records built through the legal services, like the app builds them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases import services as case_services
from legal import services
from legal.catalogue import load_offences
from legal.models import (
    Accusation,
    CaseOffence,
    LegalConsultation,
    Offence,
    PoliceReport,
    ProsecutorDirection,
    SubsidyApplication,
)

D = dt.date


def offence(code: str) -> Offence:
    """A catalogue row; the catalogue is reloaded if a transactional test flushed it."""
    if not Offence.objects.filter(code=code).exists():
        load_offences(Offence)
    return Offence.objects.get(code=code)


def make_case_offence(*, actor, case, code: str = "C-B", **overrides) -> CaseOffence:
    fields = {
        "learned_on": D(2025, 3, 10),
        "offence_on": D(2025, 3, 1),
        "offender_known": True,
        "knew_offender_on": D(2025, 3, 12),
        "victim_wishes": CaseOffence.Wishes.WANTS,
    }
    fields.update(overrides)
    return services.case_offence_record(actor=actor, case=case, offence=offence(code), **fields)


def make_accusation(*, actor, case) -> Accusation:
    item = make_case_offence(actor=actor, case=case, code="P-D", victim_wishes=CaseOffence.Wishes.DECLINES)
    return Accusation.objects.get(case_offence=item)


def soon(days: int = 3, hour: int = 14) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def make_consultation(*, actor, case, **overrides) -> LegalConsultation:
    fields = {"scheduled_at": soon(), "provider": "法律扶助基金會臺北分會"}
    fields.update(overrides)
    return services.consultation_book(actor=actor, case=case, **fields)


def make_subsidy(*, actor, case, **overrides) -> SubsidyApplication:
    fields = {"kind": SubsidyApplication.Kind.LAWYER_FEES, "applied_on": timezone.localdate()}
    fields.update(overrides)
    return services.subsidy_apply(actor=actor, case=case, **fields)


def make_police_report(*, actor, case, **overrides) -> PoliceReport:
    fields = {
        "unit_kind": PoliceReport.UnitKind.BRIGADE,
        "unit_name": "臺北市政府警察局婦幼警察隊",
        "scheduled_at": soon(days=2, hour=10),
        "officer_gender_asked": True,
        "officer_gender": PoliceReport.OfficerGender.FEMALE,
        "laws": [PoliceReport.Law.CRIMINAL_COMPLAINT],
    }
    fields.update(overrides)
    return services.police_report_book(actor=actor, case=case, **fields)


def make_referred_case(*, hotline, referral, worker=None):
    """The case opened from a police referral (and dispatched, when a worker is given)."""
    case = case_services.case_open_from_intake(actor=hotline, intake=referral.intake)
    if worker is not None:
        case_services.dispatch_case(actor=hotline, case=case, worker=worker, reason="派案")
        case.refresh_from_db()
    return case


def make_direction(*, police, case, **overrides) -> ProsecutorDirection:
    fields = {
        "requested_at": timezone.now() - dt.timedelta(hours=2),
        "prosecutor_office": "臺灣臺北地方檢察署",
        "urgency": "加害人揚言今晚上傳影片，需即時扣押手機。",
    }
    fields.update(overrides)
    return services.prosecutor_direction_request(actor=police, case=case, **fields)
