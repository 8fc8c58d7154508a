"""Fictional takedown records for `seed_demo`: complaints (met, late, still open), follow-ups, StopNCII
and prevention advice. Runs after the evidence demo (order 45 > 40): complaints point at its items."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.ages import victim_is_minor
from cases.registry import linkable_records
from takedown import rules, services
from takedown.models import TakedownTarget
from takedown.selectors import privacy_items


def add_demo_data(*, users: dict, cases: list, rng) -> None:
    now = timezone.now()
    today = timezone.localdate()
    codes = [i.code for i in privacy_items()]
    assigned = [c for c in cases if c.assigned_worker_id and not c.is_closed]
    for i, case in enumerate(assigned):
        actor = case.assigned_worker
        services.advice_save(
            actor=actor,
            case=case,
            spread_status="spread" if i % 3 else "threatened",
            platforms_known=1 + i % 3 if i % 3 else 0,
            urls_known=2 + i if i % 3 else 0,
            still_online="yes" if i % 3 else "unknown",
            advised_on=today - dt.timedelta(days=9),
            advise_report=True,
            advise_takedown_centre=True,
            advise_lawyer_protection_order=i % 2 == 0,
            introduced_services=True,
            privacy_given_on=today - dt.timedelta(days=9),
            privacy_mode="phone",
            privacy_items=codes[: 3 + i % 5],
        )
        minor = victim_is_minor(case.victim, today)
        if i % 4 == 3:
            services.stopncii_save(
                actor=actor,
                case=case,
                minor=minor,
                explained_on=today - dt.timedelta(days=3),
                holds_images=True,
                already_spread=False,
                explained_hash_on_device=True,
                created_on=today - dt.timedelta(days=2)
                if rules.stopncii_eligible(minor, True, False)[0]
                else None,
                reminded_keep_number_and_pin=True,
            )
        ready, _label = services.evidence_checklist_state(case)
        items = linkable_records(case, "evidence_item")
        if not ready or not items:
            continue
        filed = now - dt.timedelta(hours=[10, 30, 100, 200][i % 4])
        complaint = services.complaint_file(
            actor=actor,
            case=case,
            evidence_keys=[r.key for r in items],
            filed_at=filed,
            filed_by_kind="worker",
            reference_no=f"NCII-DEMO-{i:04d}",
            minor_at_time=rules.answer_from_minor(victim_is_minor(case.victim, filed.date())),
            form_completed_by_victim=True,
            role_explained=True,
            timeliness_varies_explained=True,
            victim_calmed=True,
        )
        services.follow_up_add(
            actor=actor,
            complaint=complaint,
            at=filed + dt.timedelta(hours=2),
            result="已致電性影像處理中心，確認受理。",
        )
        if i % 4 in (0, 2):
            # The centre answered: one complaint within its SLA, an older one late.
            outcomes = {
                str(t.pk): (
                    TakedownTarget.Outcome.REMOVED if n == 0 else TakedownTarget.Outcome.NO_RESPONSE,
                    today,
                )
                for n, t in enumerate(complaint.targets.all())
            }
            services.complaint_update(actor=actor, complaint=complaint, outcomes=outcomes)
