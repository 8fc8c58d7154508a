"""Safety records built through the real services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases import services as case_services
from cases.models import Contact
from safety import services
from safety.models import ProtectionOrder, SheetDelivery, ShelterScheme

HOTEL = "晨曦友善旅館信義館"


def flag_danger(*, case, worker, at=None):
    """The worker reached the victim, who said there is immediate danger."""
    return case_services.contact_record(
        actor=worker,
        case=case,
        contacted_at=at or timezone.now(),
        mode=Contact.Mode.PHONE,
        result=Contact.Result.REACHED,
        immediate_danger=Contact.Danger.YES,
        notes="被害人表示前伴侶在住處樓下等候。",
    )


def make_delivery(*, actor, case, method=SheetDelivery.Method.PHONE):
    return services.sheet_delivery_record(
        actor=actor, case=case, method=method, delivered_at=timezone.now() - dt.timedelta(minutes=5)
    )


def make_plan(*, actor, case, **fields):
    return services.plan_save(actor=actor, case=case, **fields)


def make_order(*, actor, case, **overrides):
    today = timezone.localdate()
    fields = {
        "kind": ProtectionOrder.Kind.ORDINARY,
        "court": "臺灣臺北地方法院",
        "applied_on": today - dt.timedelta(days=60),
        "issued_on": today - dt.timedelta(days=30),
        "expires_on": today + dt.timedelta(days=700),
    }
    fields.update(overrides)
    return services.order_record(actor=actor, case=case, **fields)


def make_placement(*, actor, case, hotel=HOTEL, **overrides):
    today = timezone.localdate()
    fields = {
        "scheme": ShelterScheme.objects.filter(is_active=True).order_by("-roc_year").first(),
        "hotel": hotel,
        "check_in": today,
        "check_out": today + dt.timedelta(days=3),
        "cost": 6000,
        "note": "被害人與母親同住一房。",
    }
    fields.update(overrides)
    return services.shelter_request(actor=actor, case=case, **fields)


def make_action(*, actor, case, task="向派出所申請巡邏點", owner=None, due_on=None):
    from safety.models import SafetyPlan

    if not SafetyPlan.objects.filter(case=case).exists():
        make_plan(actor=actor, case=case)
    return services.action_add(
        actor=actor,
        case=case,
        task=task,
        owner=owner,
        due_on=due_on or timezone.localdate() + dt.timedelta(days=2),
    )
