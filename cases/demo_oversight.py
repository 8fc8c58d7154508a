"""Demo records of oversight (issue 21): a break-glass grant awaiting a supervisor, one acknowledged,
and the waiting intakes alerted. Registered from CasesConfig.ready()."""

from __future__ import annotations


def add_oversight(*, users: dict, cases: list, rng) -> None:
    from cases import services
    from cases.intake_alerts import send_intake_alerts
    from cases.models import BreakGlassGrant, Case

    # The demo intakes left in the queue have waited days: each gets its alert at the step reached.
    send_intake_alerts()
    open_cases = [c for c in cases if c.status == Case.Status.ASSIGNED]
    of_worker = next((c for c in open_cases if c.assigned_worker == users["worker"]), None)
    of_worker2 = next((c for c in open_cases if c.assigned_worker == users["worker2"]), None)
    if of_worker is not None:
        services.break_glass_open(
            actor=users["worker2"],
            reason="承辦社工今日休假，被害人來電表示對方傳訊威脅今晚到住處，需要立即確認安全計畫。",
            case=of_worker,
        )
    if of_worker2 is not None:
        grant = services.break_glass_open(
            actor=users["worker"],
            reason="週末值班：被害人來電詢問明日陪同報案的時間，承辦社工聯繫不上。",
            case=of_worker2,
        )
        services.break_glass_review(
            actor=users["supervisor"], grant=grant, decision=BreakGlassGrant.Review.ACKNOWLEDGED
        )


def add_unit_statistics(*, users: dict, cases: list, rng) -> None:
    """The overview's charts, computed now rather than at the first beat, so the demo shows them."""
    from cases.dashboards import refresh_unit_statistics

    refresh_unit_statistics()
