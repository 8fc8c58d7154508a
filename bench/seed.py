"""Fictional volume for the benchmark, written in bulk through the real model and field classes.

Rows are built as model instances and saved with bulk_create, so every encrypted column goes
through its field class (Fernet, like the services) and every blind index through cases.privacy:
the tables look like the services wrote them, only faster. Not written: history rows (only the
supervisor's audit timeline reads them, by record id) and read-log rows.

All people and stories are fictional (cases.demo). Bench users get unusable passwords: the
benchmark logs them in with force_login, so seeding creates no account anyone can sign in to.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, reset_queries, transaction
from django.utils import timezone

from cases.choices import CallerRequest, ServiceOffered
from cases.demo import AGENCIES, STORIES, fictional_mobile, fictional_name, fictional_national_id
from cases.list_columns import case_list_columns_refresh_all
from cases.models import Case, CaseNumberCounter, Dispatch, Intake, Victim
from cases.privacy import name_index, national_id_index, phone_index
from cases.roles import Role
from referrals.models import Referral

USER_PREFIX = "bench_"
SPAN_DAYS = 3 * 365  # cases opened over the last three years
PENDING_SHARE = 0.03  # intakes waiting in the queue, per seeded case
PENDING_MATCH_SHARE = 0.2  # of those, repeat contacts of a victim who already has a case
CLOSED_INTAKE_SHARE = 0.05  # intakes handled without opening a case
ATTACHED_SHARE = 0.05  # cases with a second contact attached (one window)
REDISPATCH_SHARE = 0.1  # cases dispatched twice
REFERRAL_SHARE = 0.25  # intakes that came as a referral form
DANGER_SHARE = 0.05  # open cases flagged 有立即危險 (the flag filter and the overview's danger panel)
RESERVOIR_SIZE = 5000  # victims remembered so that pending intakes can match them

DISTRICTS = ["大安區", "信義區", "中山區", "萬華區", "士林區", "內湖區", "文山區", "北投區"]
ROADS = ["和平東路", "忠孝東路", "民生西路", "中華路", "承德路", "成功路", "木柵路", "石牌路"]
DISPATCH_REASONS = ["依轄區與案量派案", "被害人希望由女性社工服務", "依專長派案（數位性暴力）"]
REDISPATCH_REASONS = ["原社工休假，改派", "原社工調職，改派", "依案量平衡改派"]
CLOSE_NOTES = ["僅諮詢法律問題，暫無意願接受服務", "來電者非被害人本人，已提供資源", "已由他縣市家防中心服務"]


@dataclass
class BenchUsers:
    hotline: object
    supervisor: object
    workers: list
    police: list


@dataclass
class SeedReport:
    cases: int = 0
    victims: int = 0
    intakes: Counter = field(default_factory=Counter)
    referrals: int = 0
    dispatches: int = 0
    seconds: float = 0.0


def ensure_users(*, workers: int, police: int) -> BenchUsers:
    """bench_hotline, bench_supervisor, bench_worker01.., bench_police01..; idempotent."""
    User = get_user_model()
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}

    def user(username: str, role: str, first: str, last: str):
        obj, created = User.objects.get_or_create(
            username=USER_PREFIX + username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            obj.set_unusable_password()
            obj.save(update_fields=["password"])
        obj.groups.set([groups[role]])
        return obj

    return BenchUsers(
        hotline=user("hotline", Role.HOTLINE, "專線", "林"),
        supervisor=user("supervisor", Role.SUPERVISOR, "督導", "李"),
        workers=[
            user(f"worker{n:02d}", Role.SOCIAL_WORKER, f"社工{n:02d}", "陳") for n in range(1, workers + 1)
        ],
        police=[user(f"police{n:02d}", Role.POLICE, f"警員{n:02d}", "張") for n in range(1, police + 1)],
    )


class Seeder:
    def __init__(self, *, users: BenchUsers, rng: random.Random, batch_size: int, log: Callable[[str], None]):
        self.users = users
        self.rng = rng
        self.batch_size = batch_size
        self.log = log
        self.now = timezone.now()
        self.report = SeedReport()
        self._reservoir: list[tuple] = []  # (name, phone, national_id, birth_date) of seeded victims
        self._victims_seen = 0
        self._flagged = False

    # --- whole runs ----------------------------------------------------------------------------

    def seed_cases(self, n: int) -> None:
        """n cases opened evenly over SPAN_DAYS, oldest first, so case numbers follow opening dates."""
        span = dt.timedelta(days=SPAN_DAYS)
        start = self.now - span
        step = span / max(n, 1)
        for first in range(0, n, self.batch_size):
            count = min(self.batch_size, n - first)
            opened = [start + step * (first + i + self.rng.random()) for i in range(count)]
            with transaction.atomic():
                self._case_batch(opened)
            reset_queries()  # with DEBUG on, Django would otherwise keep every batch's SQL in memory
            done = first + count
            if done % 10_000 == 0 or done == n:
                self.log(f"  {done:,} / {n:,} cases ({time.perf_counter() - self._started:.0f} s)")

    def seed_unopened_intakes(self, *, pending: int, closed: int) -> None:
        """The waiting queue (the last two weeks, some matching a known victim) and closed intakes."""
        rows = [("pending", self.now - dt.timedelta(days=14) * self.rng.random()) for _ in range(pending)]
        rows += [
            ("closed", self.now - dt.timedelta(days=SPAN_DAYS) * self.rng.random()) for _ in range(closed)
        ]
        for first in range(0, len(rows), self.batch_size):
            intakes, referrals = [], []
            for kind, received in rows[first : first + self.batch_size]:
                if kind == "pending":
                    match = bool(self._reservoir) and self.rng.random() < PENDING_MATCH_SHARE
                    person = self._known_person() if match else self._new_person()
                    intake, referral = self._intake(
                        person, received_at=received, status=Intake.Status.PENDING
                    )
                else:
                    intake, referral = self._intake(
                        self._new_person(),
                        received_at=received,
                        status=Intake.Status.CLOSED,
                        handled_at=received + dt.timedelta(hours=self.rng.randint(1, 48)),
                        closed_note=self.rng.choice(CLOSE_NOTES),
                    )
                intakes.append(intake)
                if referral is not None:
                    referrals.append(referral)
            with transaction.atomic():
                Intake.objects.bulk_create(intakes)
                Referral.objects.bulk_create(referrals)
            reset_queries()
            self.report.intakes.update(i.status for i in intakes)
            self.report.referrals += len(referrals)

    def run(self, *, cases: int) -> SeedReport:
        self._started = time.perf_counter()
        self.seed_cases(cases)
        self.seed_unopened_intakes(
            pending=max(1, round(cases * PENDING_SHARE)), closed=round(cases * CLOSED_INTAKE_SHARE)
        )
        self.report.seconds = time.perf_counter() - self._started
        return self.report

    # --- one batch of cases --------------------------------------------------------------------

    def _case_batch(self, opened: list[dt.datetime]) -> None:
        rng, users = self.rng, self.users
        victims, cases, intakes, referrals, dispatches = [], [], [], [], []
        for at, number in zip(opened, self._allocate_numbers(opened), strict=True):
            person = self._new_person()
            victim = Victim(
                name=person[0],
                name_index=name_index(person[0]),
                phone=person[1],
                phone_index=phone_index(person[1]),
                national_id=person[2],
                national_id_index=national_id_index(person[2]),
                birth_date=person[3],
                address=self._address() if rng.random() < 0.3 else "",
                sms_consent=rng.random() < 0.5,
                created_at=at,
            )
            self._remember(person)
            status = self._status(at)
            worker = None if status == Case.Status.NEW else rng.choice(users.workers)
            case = Case(
                number=number,
                victim=victim,
                victim_name_index=victim.name_index,
                status=status,
                assigned_worker=worker,
                opened_at=at,
                opened_by=users.hotline,
                danger_since=at + dt.timedelta(hours=rng.randint(1, 72)) if self._flag(status) else None,
            )
            victims.append(victim)
            cases.append(case)

            received = at - dt.timedelta(minutes=rng.randint(5, 600))
            intake, referral = self._intake(
                person, received_at=received, status=Intake.Status.ACCEPTED, case=case, handled_at=at
            )
            intakes.append(intake)
            referrals += [referral] if referral else []
            if rng.random() < ATTACHED_SHARE:
                later = min(self.now, at + dt.timedelta(days=rng.randint(1, 60)))
                intake, referral = self._intake(
                    person, received_at=later, status=Intake.Status.ATTACHED, case=case, handled_at=later
                )
                intakes.append(intake)
                referrals += [referral] if referral else []

            if worker is not None:
                dispatched = at + dt.timedelta(hours=rng.randint(1, 24))
                if rng.random() < REDISPATCH_SHARE and len(users.workers) > 1:
                    first = rng.choice([w for w in users.workers if w != worker])
                    dispatches.append(
                        self._dispatch(case, first, None, rng.choice(DISPATCH_REASONS), dispatched)
                    )
                    dispatches.append(
                        self._dispatch(
                            case,
                            worker,
                            first,
                            rng.choice(REDISPATCH_REASONS),
                            dispatched + dt.timedelta(days=30),
                        )
                    )
                else:
                    dispatches.append(
                        self._dispatch(case, worker, None, rng.choice(DISPATCH_REASONS), dispatched)
                    )

        Victim.objects.bulk_create(victims)
        Case.objects.bulk_create(cases)
        Intake.objects.bulk_create(intakes)
        Referral.objects.bulk_create(referrals)
        Dispatch.objects.bulk_create(dispatches)
        self.report.victims += len(victims)
        self.report.cases += len(cases)
        self.report.intakes.update(i.status for i in intakes)
        self.report.referrals += len(referrals)
        self.report.dispatches += len(dispatches)

    def _allocate_numbers(self, opened: list[dt.datetime]) -> list[str]:
        """Case numbers from the same per-ROC-year counter the services use, so later cases continue it."""
        years = [timezone.localtime(at).year - 1911 for at in opened]
        following = {}
        for roc_year, count in sorted(Counter(years).items()):
            counter, _ = CaseNumberCounter.objects.select_for_update().get_or_create(roc_year=roc_year)
            following[roc_year] = counter.last_number + 1
            counter.last_number += count
            counter.save(update_fields=["last_number"])
        numbers = []
        for roc_year in years:
            numbers.append(f"{roc_year}-{following[roc_year]:06d}")
            following[roc_year] += 1
        return numbers

    def _flag(self, status: str) -> bool:
        """有立即危險 on a share of open cases, and always on the first one (so small runs have one too)."""
        if status != Case.Status.ASSIGNED:
            return False
        flag = self.rng.random() < DANGER_SHARE or not self._flagged
        self._flagged = self._flagged or flag
        return flag

    def _status(self, opened_at: dt.datetime) -> str:
        """Recent cases are mostly open, old ones mostly closed; a few fresh ones wait for dispatch."""
        age = (self.now - opened_at).days
        roll = self.rng.random()
        if age < 10 and roll < 0.5:
            return Case.Status.NEW
        open_share = 0.85 if age < 180 else 0.4 if age < 365 else 0.08
        return Case.Status.ASSIGNED if roll < open_share else Case.Status.CLOSED

    # --- rows ----------------------------------------------------------------------------------

    def _intake(
        self,
        person: tuple,
        *,
        received_at: dt.datetime,
        status: str,
        case: Case | None = None,
        handled_at: dt.datetime | None = None,
        closed_note: str = "",
    ) -> tuple[Intake, Referral | None]:
        rng, users = self.rng, self.users
        name, phone, national_id, birth_date = person
        referral = None
        fields = {
            "received_at": received_at,
            "victim_name": name,
            "victim_name_index": name_index(name),
            "victim_phone": phone,
            "victim_phone_index": phone_index(phone),
            "victim_national_id": national_id,
            "victim_national_id_index": national_id_index(national_id),
            "victim_birth_date": birth_date,
            "requests": rng.sample(CallerRequest.values, rng.randint(1, 3)),
            "services_offered": rng.sample(ServiceOffered.values, rng.randint(1, 3)),
            "wishes": rng.choices(Intake.Wishes.values, weights=(80, 15, 5))[0],
            "immediate_danger": rng.choices(Intake.Danger.values, weights=(5, 70, 25))[0],
            "narrative": rng.choice(STORIES),
            "status": status,
            "case": case,
            "closed_note": closed_note,
            "created_at": received_at,
            "handled_by": users.hotline if handled_at else None,
            "handled_at": handled_at,
        }
        if rng.random() < REFERRAL_SHARE:
            officer = rng.choice(users.police) if rng.random() < 0.8 else None
            agency = rng.choice(AGENCIES[:3]) if officer else AGENCIES[3]
            intake = Intake(
                source=Intake.Source.REFERRAL,
                source_organisation=agency,
                channel=Intake.Channel.REFERRAL_FORM,
                caller_relation=Intake.CallerRelation.POLICE
                if officer
                else Intake.CallerRelation.PROFESSIONAL,
                created_by=officer or users.hotline,
                **fields,
            )
            referral = Referral(
                intake=intake,
                referring_agency=agency,
                referrer=officer,
                contact_person="張警員" if officer else "王社工",
                contact_phone=f"02-2345{rng.randint(0, 9999):04d}",
                police_asked_about_social_worker=officer is not None,
                victim_wants_social_worker=rng.choice(Referral.VictimWantsSocialWorker.values),
                report_taken=officer is not None and rng.random() < 0.9,
                submitted_at=received_at,
            )
            if referral.report_taken:  # the receipt's number, found by the search box (no draw: same data)
                referral.police_case_number = police_case_number(intake)
        else:
            relation = rng.choices(Intake.CallerRelation.values, weights=(70, 10, 10, 5, 0, 5))[0]
            intake = Intake(
                source=Intake.Source.CALL,
                channel=rng.choices(Intake.Channel.values[:4], weights=(85, 5, 5, 5))[0],
                caller_relation=relation,
                caller_name="" if relation == Intake.CallerRelation.VICTIM else fictional_name(rng),
                created_by=users.hotline,
                **fields,
            )
        return intake, referral

    def _dispatch(self, case: Case, worker, previous, reason: str, at: dt.datetime) -> Dispatch:
        return Dispatch(
            case=case,
            worker=worker,
            previous_worker=previous,
            reason=reason,
            dispatched_by=self.users.hotline,
            dispatched_at=min(at, self.now),
        )

    def _new_person(self) -> tuple:
        rng = self.rng
        birth = dt.date(1970 + rng.randint(0, 36), rng.randint(1, 12), rng.randint(1, 28))
        return (
            fictional_name(rng),
            fictional_mobile(rng) if rng.random() < 0.95 else "",
            fictional_national_id(rng) if rng.random() < 0.6 else "",
            birth if rng.random() < 0.7 else None,
        )

    def _known_person(self) -> tuple:
        """A repeat contact: the caller gives the phone, the ID number, or both."""
        name, phone, national_id, birth = self.rng.choice(self._reservoir)
        roll = self.rng.random()
        if roll < 0.4 and national_id:
            phone = ""
        elif roll < 0.8 and phone:
            national_id = ""
        return name, phone, national_id, birth

    def _remember(self, person: tuple) -> None:
        """Reservoir sample of seeded victims (bounded memory at any volume)."""
        self._victims_seen += 1
        if len(self._reservoir) < RESERVOIR_SIZE:
            self._reservoir.append(person)
        else:
            slot = self.rng.randrange(self._victims_seen)
            if slot < RESERVOIR_SIZE:
                self._reservoir[slot] = person

    def _address(self) -> str:
        rng = self.rng
        return (
            f"臺北市{rng.choice(DISTRICTS)}{rng.choice(ROADS)}{rng.randint(1, 300)}號{rng.randint(2, 12)}樓"
        )


def police_case_number(intake: Intake) -> str:
    """A fictional report receipt number, tied to its intake's id; digits, as the form asks."""
    return f"TP{intake.id.int % 10**10:010d}"


def seed(
    *, users: BenchUsers, cases: int, batch_size: int = 2000, rng_seed: int = 20231018, log=print
) -> SeedReport:
    report = Seeder(users=users, rng=random.Random(rng_seed), batch_size=batch_size, log=log).run(cases=cases)
    case_list_columns_refresh_all()  # bulk_create skipped the services that keep the lists' columns
    analyze()
    return report


def analyze() -> None:
    """Fresh planner statistics (and, on PostgreSQL, the visibility map), as autovacuum would leave them."""
    tables = [m._meta.db_table for m in (Victim, Case, Intake, Dispatch, Referral, CaseNumberCounter)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # VACUUM cannot run inside a transaction (e.g. in a test); ANALYZE alone can.
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            for table in tables:
                cursor.execute(f"{verb} {connection.ops.quote_name(table)}")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
