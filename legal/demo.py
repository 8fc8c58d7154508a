"""Fictional legal records for `seed_demo`: offences with running periods, an accusation, bookings."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from legal import services
from legal.models import CaseOffence, Offence


def add_demo_data(*, users: dict, cases: list, rng) -> None:
    today = timezone.localdate()
    offences = {o.code: o for o in Offence.objects.filter(is_active=True)}
    assigned = [c for c in cases if c.assigned_worker_id]
    for i, case in enumerate(assigned):
        actor = case.assigned_worker
        if i % 3 == 0:
            # Consensual images spread: the complaint period runs from knowing the offender.
            knew = today - dt.timedelta(days=150 + i * 5)
            services.case_offence_record(
                actor=actor,
                case=case,
                offence=offences["C-B"],
                learned_on=knew - dt.timedelta(days=3),
                offence_on=knew - dt.timedelta(days=10),
                offender_known=True,
                knew_offender_on=knew,
                victim_wishes=CaseOffence.Wishes.UNDECIDED,
            )
        elif i % 3 == 1:
            # Extortion threat, victim will not report: the center files the accusation itself.
            learned = today - dt.timedelta(days=20 + i)
            services.case_offence_record(
                actor=actor,
                case=case,
                offence=offences["P-F"],
                learned_on=learned,
                offence_on=learned - dt.timedelta(days=2),
                victim_wishes=CaseOffence.Wishes.DECLINES,
            )
        else:
            # Secretly filmed, offender unknown: the period shows as a warning from the learned date.
            learned = today - dt.timedelta(days=100 + i)
            services.case_offence_record(
                actor=actor,
                case=case,
                offence=offences["C-A"],
                learned_on=learned,
                offence_on=learned - dt.timedelta(days=rng.randint(1, 30)),
            )
            services.consultation_book(
                actor=actor,
                case=case,
                scheduled_at=timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=5),
                provider="臺北律師公會義務律師",
            )
