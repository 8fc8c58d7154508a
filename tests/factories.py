"""Test data built through the real services, so tests exercise the same paths as the app."""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cases import services
from cases.demo import fictional_mobile, fictional_name, fictional_national_id
from cases.models import Case, Intake
from referrals.models import Referral
from referrals.services import referral_submit

_rng = random.Random(20231018)


def make_user(username: str, role: str | None, **extra):
    user = get_user_model().objects.create_user(username=username, password="pw-" + username, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_intake(*, actor, **overrides) -> Intake:
    fields = {
        "source": Intake.Source.CALL,
        "victim_name": fictional_name(_rng),
        "victim_phone": fictional_mobile(_rng),
        "victim_national_id": fictional_national_id(_rng),
        "narrative": "前男友散布合意拍攝的影片。",
    }
    fields.update(overrides)
    return services.intake_record(actor=actor, **fields)


def make_case(*, actor, worker=None, **intake_fields) -> Case:
    intake = make_intake(actor=actor, **intake_fields)
    case = services.case_open_from_intake(actor=actor, intake=intake)
    if worker is not None:
        services.dispatch_case(actor=actor, case=case, worker=worker, reason="測試派案")
        case.refresh_from_db()
    return case


def make_referral(*, police, **overrides) -> Referral:
    fields = {
        "referring_agency": "臺北市政府警察局婦幼警察隊",
        "contact_person": "張警員",
        "contact_phone": "02-23456789",
        "victim_name": fictional_name(_rng),
        "victim_phone": fictional_mobile(_rng),
        "narrative": "被害人至婦幼隊報案，同意轉介社工。",
        "police_asked_about_social_worker": True,
        "victim_wants_social_worker": "yes",
    }
    fields.update(overrides)
    return referral_submit(actor=police, **fields)
