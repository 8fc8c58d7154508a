"""Fictional safety records for `seed_demo`: sheets given, a plan with measures, an order, a shelter stay."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safety import services
from safety.models import ProtectionOrder, SafetyPlan, SheetDelivery, ShelterScheme


def add_demo_data(*, users: dict, cases: list, rng) -> None:
    now = timezone.now()
    today = timezone.localdate()
    open_cases = [c for c in cases if c.assigned_worker_id and c.status == "assigned"]
    scheme = ShelterScheme.objects.filter(is_active=True).first()
    for i, case in enumerate(open_cases):
        worker = case.assigned_worker
        if i % 3 != 2:  # a few cases still wait for the sheet, so the warning and the overview count show
            services.sheet_delivery_record(
                actor=worker,
                case=case,
                method=[
                    SheetDelivery.Method.PHONE,
                    SheetDelivery.Method.LINK,
                    SheetDelivery.Method.IN_PERSON,
                ][i % 3],
                delivered_at=now - dt.timedelta(days=10 - i % 5, hours=rng.randint(1, 6)),
            )
        if i % 2 == 1:
            services.plan_save(
                actor=worker,
                case=case,
                offender_knows_home=SafetyPlan.Answer.YES,
                offender_knows_work=SafetyPlan.Answer.UNSURE,
                offender_knows_school=SafetyPlan.Answer.NO,
                will_meet_offender=SafetyPlan.Answer.NO,
                adjust_hours=True,
                escort=True,
                offender_relationship=SafetyPlan.Relationship.INTIMATE
                if i % 4 == 1
                else SafetyPlan.Relationship.ACQUAINTANCE,
                stalking=i % 4 == 3,
                notes="被害人下班改由姊姊接送；手機已關閉定位分享。",
            )
            services.plan_review(
                actor=worker, case=case, reviewed_at=now - dt.timedelta(days=2), note="措施持續執行中。"
            )
            services.action_add(
                actor=worker,
                case=case,
                task="向轄區派出所申請住處附近巡邏點",
                due_on=today + dt.timedelta(days=3),
            )
        if i == 1:
            services.order_record(
                actor=worker,
                case=case,
                kind=ProtectionOrder.Kind.ORDINARY,
                court="臺灣臺北地方法院",
                applied_on=today - dt.timedelta(days=380),
                issued_on=today - dt.timedelta(days=340),
                expires_on=today + dt.timedelta(days=25),
            )
        if i == 3 and scheme is not None:
            placement = services.shelter_request(
                actor=worker,
                case=case,
                scheme=scheme,
                hotel="示範友善旅館（虛構）",
                check_in=today - dt.timedelta(days=1),
                check_out=today + dt.timedelta(days=3),
                cost=8000,
                note="被害人攜帶隨身物品入住，社工已告知旅館聯絡方式。",
            )
            services.shelter_approve(actor=users["supervisor"], placement=placement)
