from __future__ import annotations

import datetime as dt

from django.db import transaction

from cases.models import Intake
from cases.services import intake_record
from cases.writes import model_save
from referrals.models import Referral, normalise_police_case_number


@transaction.atomic
def referral_submit(
    *,
    actor,
    referring_agency: str,
    contact_person: str,
    contact_phone: str,
    victim_name: str,
    narrative: str,
    victim_phone: str = "",
    victim_national_id: str = "",
    victim_birth_date: dt.date | None = None,
    police_asked_about_social_worker: bool = False,
    victim_wants_social_worker: str = Referral.VictimWantsSocialWorker.UNDECIDED,
    report_taken: bool = False,
    police_case_number: str = "",
    immediate_danger: str = Intake.Danger.UNKNOWN,
    submitted_by_referrer: bool = True,
) -> Referral:
    """A referral form enters the same intake queue as a call (one window)."""
    intake = intake_record(
        actor=actor,
        source=Intake.Source.REFERRAL,
        source_organisation=referring_agency,
        channel=Intake.Channel.REFERRAL_FORM,
        caller_relation=Intake.CallerRelation.POLICE
        if submitted_by_referrer
        else Intake.CallerRelation.PROFESSIONAL,
        victim_name=victim_name,
        victim_phone=victim_phone,
        victim_national_id=victim_national_id,
        victim_birth_date=victim_birth_date,
        narrative=narrative,
        immediate_danger=immediate_danger,
    )
    referral = Referral(
        intake=intake,
        referring_agency=referring_agency,
        referrer=actor if submitted_by_referrer else None,
        contact_person=contact_person,
        contact_phone=contact_phone,
        police_asked_about_social_worker=police_asked_about_social_worker,
        victim_wants_social_worker=victim_wants_social_worker,
        report_taken=report_taken,
        police_case_number=normalise_police_case_number(police_case_number),
    )
    model_save(actor=actor, instance=referral)
    return referral
