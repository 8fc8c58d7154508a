"""Fictional screenings, counselling referrals, escorts and a declined request for `seed_demo`."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from services import services
from services.catalogue import load_catalogues
from services.models import (
    CounsellingProgramme,
    CounsellingReferral,
    DeclinedEscortRequest,
    Escort,
    EscortKind,
)


def add_demo_data(*, users: dict, cases: list, rng) -> None:
    from django.apps import apps

    load_catalogues(apps)
    now = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localdate()
    programme = CounsellingProgramme.objects.get(code="mohw_adult")
    assigned = [c for c in cases if c.assigned_worker_id and not c.is_closed]
    for i, case in enumerate(assigned):
        actor = case.assigned_worker
        services.support_note_record(
            actor=actor,
            case=case,
            noted_at=now - dt.timedelta(days=5, hours=i),
            emotions=["shame", "fear"] if i % 2 == 0 else ["anxiety", "anger"],
            support_given="陪伴被害人說出對影像外流的羞愧與害怕，肯定其求助的勇氣，說明接下來的下架與法律程序。",
        )
        # A trend: three screenings a fortnight apart, improving; every third case had an urgent answer.
        for week, base in ((6, 3), (4, 2), (2, 1)):
            items = [min(4, base + rng.randint(0, 1)) for _ in range(5)]
            services.screening_record(
                actor=actor,
                case=case,
                screened_at=now - dt.timedelta(weeks=week),
                items=items,
                item_suicide=2 if (i % 3 == 0 and week == 6) else rng.randint(0, 1),
            )
        if i % 2 == 0:
            services.counselling_referral_record(
                actor=actor,
                case=case,
                programme=programme,
                victim_willing=True,
                referred_on=today - dt.timedelta(days=20),
                provider="臺北市立聯合醫院社區心理諮商",
                status=CounsellingReferral.Status.REFERRED,
                sessions_used=0,
            )
        consent = {"victim_consent": True, "consent_how": Escort.ConsentHow.ORAL}
        # An interview escort last week, done, its record form due (or done for every other case).
        escort = services.escort_record(
            actor=actor,
            case=case,
            kind=EscortKind.INTERVIEW,
            consent_at=now - dt.timedelta(days=8),
            starts_at=now - dt.timedelta(days=1 + i % 3, hours=3),
            place="婦幼警察隊",
            status=Escort.Status.DONE,
            ticks=["3-1-1C", "3-1-1D", "3-1-1E", "3-1-1F", "3-1-2B", "3-1-3A"],
            tick_notes={"3-1-1C": "警方安排隔離偵訊室並使用代號。"},
            privacy_separate_room="yes",
            privacy_code_name_used="yes",
            statement_reviewed=True,
            prosecutor_office="臺灣臺北地方檢察署",
            note="被害人筆錄過程情緒起伏，中途休息一次後完成。",
            **consent,
        )
        if i % 2 == 1:
            services.escort_report_complete(
                actor=actor,
                escort=escort,
                service_summary="陪同被害人至婦幼隊製作筆錄，協助確認筆錄內容。",
                victim_condition="焦慮，經安撫後穩定。",
                follow_up="一週內電話關懷，安排法律諮詢。",
            )
        # A court hearing in two weeks: a tracked appointment.
        services.escort_record(
            actor=actor,
            case=case,
            kind=EscortKind.COURT,
            consent_at=now - dt.timedelta(days=1),
            starts_at=(now + dt.timedelta(days=14)).replace(hour=9, minute=30),
            court_name="臺灣臺北地方法院",
            stage="偵查",
            protective_measures=["隔離訊問"],
            defendant_present=True,
            meeting_point="法警室",
            meet_before_minutes=30,
            documents_to_bring="身分證、開庭通知書",
            status=Escort.Status.PLANNED,
            **consent,
        )
        if i % 4 == 0:
            services.declined_request_record(
                actor=actor,
                case=case,
                request=DeclinedEscortRequest.Request.FETCH_BELONGINGS,
                requested_on=today - dt.timedelta(days=3),
            )
