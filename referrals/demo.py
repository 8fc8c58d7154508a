"""Fictional referral forms for `seed_demo` (registered in ReferralsConfig.ready())."""

from __future__ import annotations

import datetime as dt

from cases import services as case_services
from cases.demo import AGENCIES, STORIES, fictional_mobile, fictional_name, fictional_national_id
from referrals.services import referral_submit


def add_demo_data(*, users: dict, cases: list, rng) -> None:
    """Four police referrals: two opened and dispatched, one opened awaiting dispatch, one in the queue."""
    police, hotline = users["police"], users["hotline"]
    workers = [users["worker"], users["worker2"]]
    for i in range(4):
        referral = referral_submit(
            actor=police,
            referring_agency=rng.choice(AGENCIES[:3]),
            contact_person="張警員",
            contact_phone="02-23456789",
            victim_name=fictional_name(rng),
            victim_phone=fictional_mobile(rng),
            victim_national_id=fictional_national_id(rng),
            victim_birth_date=dt.date(1992 + i * 3, rng.randint(1, 12), rng.randint(1, 28)),
            narrative=rng.choice(STORIES),
            police_asked_about_social_worker=True,
            victim_wants_social_worker="yes",
            report_taken=True,
        )
        if i == 3:
            continue  # left waiting in the intake queue
        case = case_services.case_open_from_intake(actor=hotline, intake=referral.intake)
        if i < 2:
            case_services.dispatch_case(
                actor=hotline, case=case, worker=workers[i], reason="警方轉介，依轄區與案量派案"
            )
