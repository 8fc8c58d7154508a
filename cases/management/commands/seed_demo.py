"""Demo users and fictional cases for local use. Refused when DEBUG is off."""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from cases import services
from cases.choices import CallerRequest, ServiceOffered
from cases.demo import STORIES, fictional_mobile, fictional_name
from cases.models import Case, Intake
from cases.registry import demo_data_sources
from cases.roles import Role

DEMO_USERS = [
    ("hotline", "專線", "林", Role.HOTLINE),
    ("worker", "社工", "陳", Role.SOCIAL_WORKER),
    ("worker2", "社工", "王", Role.SOCIAL_WORKER),
    ("police", "警員", "張", Role.POLICE),
    ("supervisor", "督導", "李", Role.SUPERVISOR),
    ("admin", "管理員", "黃", Role.ADMIN),
]


class Command(BaseCommand):
    help = "Create demo users (password DEMO_PASSWORD) and fictional cases in several states."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DEBUG on: it creates accounts with a known password."
            )
        if not settings.DEMO_PASSWORD:
            raise CommandError("Set DEMO_PASSWORD.")
        try:
            # The same rules as every password (AUTH_PASSWORD_VALIDATORS): 12+ characters, not common.
            validate_password(settings.DEMO_PASSWORD)
        except ValidationError as error:
            raise CommandError(f"DEMO_PASSWORD is too weak: {' '.join(error.messages)}") from error
        users = self._users()
        if Case.objects.exists() or Intake.objects.exists():
            self.stdout.write("Demo users ready; cases already present, none added.")
            return
        cases = self._cases(users)
        self._satellite_data(users, cases)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Users: {', '.join(u for u, *_ in DEMO_USERS)}")
        )

    def _users(self) -> dict:
        User = get_user_model()
        users = {}
        for username, first, last, role in DEMO_USERS:
            user, _ = User.objects.get_or_create(
                username=username, defaults={"first_name": first, "last_name": last}
            )
            user.set_password(settings.DEMO_PASSWORD)
            user.is_staff = role == Role.ADMIN
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            users[username] = user
        return users

    @transaction.atomic
    def _satellite_data(self, users: dict, cases: list) -> None:
        """Each app registers its demo data (cases.registry.register_demo_data); the hub names none."""
        rng = random.Random(7)
        for add in demo_data_sources():
            cases = list(Case.objects.select_related("assigned_worker", "victim").order_by("opened_at"))
            add(users=users, cases=cases, rng=rng)

    @transaction.atomic
    def _cases(self, users: dict) -> list:
        rng = random.Random(112)
        hotline = users["hotline"]
        now = timezone.now()
        for i in range(12):
            if i % 3 == 0:
                continue  # referral forms come from the referrals app's demo data
            received = now - dt.timedelta(days=40 - i * 3, hours=rng.randint(0, 12))
            intake = services.intake_record(
                actor=hotline,
                source=Intake.Source.CALL,
                received_at=received,
                victim_name=fictional_name(rng),
                victim_phone=fictional_mobile(rng),
                victim_birth_date=dt.date(1990 + rng.randint(0, 12), rng.randint(1, 12), rng.randint(1, 28)),
                narrative=rng.choice(STORIES),
                requests=rng.sample(CallerRequest.values, 2),
                services_offered=[ServiceOffered.EXPLAIN, ServiceOffered.COMPLAINT_DEADLINE],
                immediate_danger=rng.choice(Intake.Danger.values),
            )
            if i >= 9:
                continue  # left waiting in the intake queue
            case = services.case_open_from_intake(actor=hotline, intake=intake)
            if i < 7:
                worker = users["worker"] if i % 2 == 0 else users["worker2"]
                services.dispatch_case(actor=hotline, case=case, worker=worker, reason="依轄區與案量派案")
        cases = list(Case.objects.select_related("assigned_worker").order_by("opened_at"))
        # A repeat caller: same phone as an existing victim, waiting to be attached (one window).
        first_case = Case.objects.order_by("opened_at").first()
        services.intake_record(
            actor=hotline,
            source=Intake.Source.CALL,
            victim_name=first_case.victim.name,
            victim_phone=first_case.victim.phone,
            narrative="被害人再次來電，詢問下架進度。",
            requests=[CallerRequest.TAKEDOWN],
        )
        return cases
