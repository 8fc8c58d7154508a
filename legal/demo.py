"""Fictional legal records for `seed_demo`: offences with running periods, an accusation, bookings, a
report taken by the demo police account (so that officer can record a prosecutor's direction), a report
done with its statement details, an indictment that stopped a limitation, a preservation discussion, the law
explained to a victim and a lawyer matched."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from legal import services
from legal.models import CaseOffence, Offence, PoliceReport


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def add_demo_data(*, users: dict, cases: list, rng) -> None:
    today = timezone.localdate()
    _add_cases(users=users, cases=cases, rng=rng, today=today)
    _add_reports(users=users, cases=[c for c in cases if c.assigned_worker_id])
    _add_subsidy_direction_and_rest_day(users=users, cases=[c for c in cases if c.assigned_worker_id])


def _add_subsidy_direction_and_rest_day(*, users: dict, cases: list) -> None:
    """A litigation-cost subsidy under review, a prosecutor's direction the demo officer requested on a
    case they referred, and a typhoon day off the administrator added to the calendar (art. 122 note)."""
    from legal.models import RestDay, SubsidyApplication

    if cases:
        case = cases[-1]
        services.subsidy_apply(
            actor=case.assigned_worker,
            case=case,
            kind=SubsidyApplication.Kind.LITIGATION_COSTS,
            applied_on=timezone.localdate() - dt.timedelta(days=6),
            note="被害人已完成法律諮詢，申請訴訟費用補助。",
        )
        _add_explanation_and_lawyer(case=case)
    police = users.get("police")
    referred = [c for c in cases if c.intakes.filter(created_by=police, source="referral").exists()]
    if police is not None and referred:
        services.prosecutor_direction_request(
            actor=police,
            case=referred[0],
            requested_at=timezone.now() - dt.timedelta(days=1, hours=3),
            prosecutor_office="臺灣臺北地方檢察署",
            urgency="相對人揚言將影片上傳至境外網站，需即時扣押其手機與雲端帳號。",
        )
    RestDay.objects.get_or_create(
        date=timezone.localdate() + dt.timedelta(days=40), defaults={"name": "颱風停止上班（示範）"}
    )


def _add_explanation_and_lawyer(*, case) -> None:
    """The law explained to the victim (4-A) and a lawyer matched with a lawyer-fee subsidy (4-1-2)."""
    from legal.models import LawExplanation, LawyerReferral, SubsidyApplication

    worker = case.assigned_worker
    today = timezone.localdate()
    services.law_explanation_record(
        actor=worker,
        case=case,
        explained_on=today - dt.timedelta(days=8),
        topics=[
            LawExplanation.Topic.CRIMINAL_CODE,
            LawExplanation.Topic.SEXUAL_ASSAULT_ACT,
            LawExplanation.Topic.COMPLAINT_PERIOD,
        ],
        note="說明身分保密與社工可陪同偵訊；被害人想先了解委任律師。",
    )
    fees = services.subsidy_apply(
        actor=worker,
        case=case,
        kind=SubsidyApplication.Kind.LAWYER_FEES,
        applied_on=today - dt.timedelta(days=5),
    )
    services.lawyer_referral_record(
        actor=worker,
        case=case,
        lawyer_or_org="法律扶助基金會臺北分會 陳律師（示範）",
        matched_on=today - dt.timedelta(days=4),
        status=LawyerReferral.Status.MATCHING,
        subsidy=fees,
        note="已約被害人與律師初談。",
    )


def _add_reports(*, users: dict, cases: list) -> None:
    police = users.get("police")
    if not cases:
        return
    # A self-referred victim's report at a precinct, the officer named by the worker (10-2).
    first = cases[0]
    report = services.police_report_book(
        actor=first.assigned_worker,
        case=first,
        unit_kind=PoliceReport.UnitKind.PRECINCT,
        unit_name="臺北市政府警察局大安分局和平東路派出所",
        scheduled_at=_at(2, 10),
        officer_gender_asked=True,
        officer_gender=PoliceReport.OfficerGender.FEMALE,
        laws=[PoliceReport.Law.CRIMINAL_COMPLAINT],
        escorted=True,
        escort_worker=first.assigned_worker,
        officer=police,
        age_answer="" if first.victim.birth_date else PoliceReport.AgeAnswer.ADULT,
    )
    services.preservation_talk_record(
        actor=first.assigned_worker,
        case=first,
        police_report=report,
        discussed_at=timezone.now() - dt.timedelta(hours=2),
        triggers=["leak", "seize"],
        officer=police,
        officer_name="大安分局 張警員",
        outcome="assessing",
        outcome_note="員警將與值班檢察官聯繫。",
    )
    if len(cases) < 2:
        return
    # A report done last week: the statement reviewed, a complaint filed (9-2-5).
    second = cases[1]
    done = services.police_report_book(
        actor=second.assigned_worker,
        case=second,
        unit_kind=PoliceReport.UnitKind.BRIGADE,
        unit_name="臺北市政府警察局婦幼警察隊",
        scheduled_at=timezone.now() + dt.timedelta(minutes=30),
        officer_gender_asked=True,
        officer_gender=PoliceReport.OfficerGender.NONE,
        laws=[PoliceReport.Law.CRIMINAL_PUBLIC],
        evidence_handed_over=True,
        victim_keeps_copy=True,
    )
    values = {
        name: getattr(done, name)
        for name in (
            "unit_kind",
            "unit_name",
            "officer_gender_asked",
            "officer_gender",
            "laws",
            "evidence_handed_over",
            "victim_keeps_copy",
            "escorted",
            "escort_worker",
            "minor_companion",
            "note",
        )
    }
    services.police_report_update(
        actor=second.assigned_worker,
        police_report=done,
        scheduled_at=timezone.now() - dt.timedelta(days=6),
        status=PoliceReport.Status.DONE,
        age_answer="" if second.victim.birth_date else PoliceReport.AgeAnswer.ADULT,
        privacy_separate_room=True,
        privacy_code_name=True,
        statement_requests=["evidence_preservation"],
        statement_reviewed=True,
        statement_articles="刑法第346條",
        complaint_decision=PoliceReport.ComplaintDecision.NOT_NEEDED,
        **values,
    )


def _add_cases(*, users: dict, cases: list, rng, today) -> None:
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
            if i == 1:
                # The secretly filmed images were spread too; indicted, so its limitation stopped (art. 83).
                services.case_offence_record(
                    actor=actor,
                    case=case,
                    offence=offences["P-C"],
                    learned_on=learned,
                    offence_on=learned - dt.timedelta(days=1),
                    offender_known=True,
                    knew_offender_on=learned,
                    victim_wishes=CaseOffence.Wishes.WANTS,
                    complaint_filed_on=learned + dt.timedelta(days=3),
                    limitation_stop=CaseOffence.LimitationStop.INDICTED,
                    limitation_stopped_on=today - dt.timedelta(days=2),
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
