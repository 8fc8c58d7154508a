"""Demo audit events for `manage.py seed_demo` (issue 21): a week of sign-ins, two failed attempts (one
for an account that does not exist), sign-outs, and a supervisor's audit export with its reason, so the
audit pages have something to show. Fictional, like all demo data."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.models import AuditEvent

DEMO_IP = "192.0.2.10"  # TEST-NET-1 (RFC 5737): an address that belongs to nobody


def add_audit_events(*, users: dict, cases: list, rng) -> None:
    if AuditEvent.objects.filter(ip_address=DEMO_IP).exists():
        return  # seed_demo runs twice without a second set
    now = timezone.now()
    rows = []
    for days_ago in range(6, 0, -1):
        for name in ("hotline", "worker", "worker2", "supervisor"):
            user = users.get(name)
            if user is None:
                continue
            start = now - dt.timedelta(days=days_ago, hours=rng.randint(1, 3))
            rows.append(AuditEvent(at=start, actor=user, action="login", username=name, ip_address=DEMO_IP))
            end = start + dt.timedelta(hours=8)
            rows.append(AuditEvent(at=end, actor=user, action="logout", username=name, ip_address=DEMO_IP))
    rows.append(
        AuditEvent(
            at=now - dt.timedelta(days=2, hours=4),
            action="login_failed",
            username="worker",
            ip_address=DEMO_IP,
        )
    )
    rows.append(
        AuditEvent(
            at=now - dt.timedelta(days=1, hours=9),
            action="login_failed",
            username="wroker",
            ip_address=DEMO_IP,
        )
    )
    supervisor = users.get("supervisor")
    if supervisor is not None:
        rows.append(
            AuditEvent(
                at=now - dt.timedelta(hours=3),
                actor=supervisor,
                action="audit_export",
                target_user=users.get("worker"),
                ip_address=DEMO_IP,
                detail="理由：每月抽查社工閱覽紀錄（示範資料）；條件：人員 worker；12 筆",
            )
        )
    for row in sorted(rows, key=lambda r: r.at):
        row.save()  # one by one: each row is sealed into the chain (ChainedRow.save)
