"""Services records built through the services, like the app builds them."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.utils import timezone

from services import services
from services.catalogue import load_catalogues
from services.models import CounsellingProgramme, CounsellingReferral, Escort, EscortKind


def consent(**overrides) -> dict:
    return {
        "victim_consent": True,
        "consent_at": timezone.now() - dt.timedelta(days=2),
        "consent_how": Escort.ConsentHow.ORAL,
        **overrides,
    }


def make_screening(*, actor, case, items=(1, 1, 1, 1, 1), item_suicide=0, **overrides):
    fields = {
        "screened_at": timezone.now() - dt.timedelta(hours=1),
        "items": list(items),
        "item_suicide": item_suicide,
    }
    fields.update(overrides)
    return services.screening_record(actor=actor, case=case, **fields)


def programme(code: str = "mohw_adult") -> CounsellingProgramme:
    load_catalogues(apps)
    return CounsellingProgramme.objects.get(code=code)


def make_referral(*, actor, case, code: str = "taipei_rehab", **overrides) -> CounsellingReferral:
    fields = {
        "victim_willing": True,
        "referred_on": timezone.localdate(),
        "status": CounsellingReferral.Status.REFERRED,
        "provider": "測試諮商所",
        "sessions_used": 0,
    }
    fields.update(overrides)
    return services.counselling_referral_record(actor=actor, case=case, programme=programme(code), **fields)


def make_interview_escort(*, actor, case, done: bool = True, **overrides) -> Escort:
    load_catalogues(apps)
    fields = {
        **consent(),
        "starts_at": timezone.now() - dt.timedelta(hours=3),
        "place": "婦幼警察隊",
        "status": Escort.Status.DONE if done else Escort.Status.PLANNED,
        "ticks": ["3-1-1C", "3-1-1E"],
        "tick_notes": {"3-1-1C": "警方安排隔離偵訊室"},
    }
    if not done:
        fields["starts_at"] = timezone.now() + dt.timedelta(days=2)
    fields.update(overrides)
    return services.escort_record(actor=actor, case=case, kind=EscortKind.INTERVIEW, **fields)


def make_court_escort(*, actor, case, **overrides) -> Escort:
    load_catalogues(apps)
    fields = {
        **consent(),
        "starts_at": (timezone.now() + dt.timedelta(days=10)).replace(second=0, microsecond=0),
        "court_name": "臺灣臺北地方法院",
        "stage": "偵查",
        "status": Escort.Status.PLANNED,
        "meeting_point": "法庭外",
    }
    fields.update(overrides)
    return services.escort_record(actor=actor, case=case, kind=EscortKind.COURT, **fields)


def make_report(*, actor, escort, **overrides):
    fields = {
        "service_summary": "陪同被害人製作筆錄並確認內容。",
        "victim_condition": "焦慮",
        "follow_up": "電話關懷",
    }
    fields.update(overrides)
    return services.escort_report_complete(actor=actor, escort=escort, **fields)
