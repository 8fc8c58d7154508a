"""Reads of the takedown app that depend on the user or span records."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import TruncWeek
from django.http import Http404
from django.utils import timezone

from cases.case_records import case_first, case_rows
from cases.selectors import case_for_user
from takedown import rules
from takedown.models import (
    PreventionAdvice,
    PrivacySettingItem,
    StopNCIICase,
    TakedownComplaint,
    TakedownFollowUp,
    TakedownTarget,
)


def complaint_for_user(user, pk, *, write: bool = False) -> TakedownComplaint:
    """The complaint, or 404 when its case is outside the user's scope (403 on a closed case with write)."""
    try:
        complaint = TakedownComplaint.objects.get(pk=pk)
    except (TakedownComplaint.DoesNotExist, ValueError):
        raise Http404 from None
    complaint.case = case_for_user(user, complaint.case_id, write=write)
    return complaint


def case_takedown_panel(case) -> dict:
    """Everything the case page's takedown section shows, in five queries whatever the number of URLs.

    Kept on the case instance for the rest of the request: the panel and its entries on the case record
    (takedown/panels.py) read the same rows once.
    """
    cached = case.__dict__.get("_takedown_panel")
    if cached is not None:
        return cached
    now = timezone.now()
    follow_ups = Prefetch("follow_ups", queryset=TakedownFollowUp.objects.select_related("by"))
    complaints = case_rows(
        case,
        "takedown.complaints",
        lambda: (
            TakedownComplaint.objects.filter(case=case)
            .select_related("created_by")
            .prefetch_related("targets", follow_ups)
            .order_by("-filed_at")
        ),
    )
    rows = [
        {"complaint": c, "sla": rules.sla_state(due=c.due_at, resolved_at=c.resolved_at, now=now)}
        for c in complaints
    ]
    stopncii = case_first(case, "takedown.stopncii", lambda: StopNCIICase.objects.filter(case=case))
    advice = case_first(case, "takedown.advice", lambda: PreventionAdvice.objects.filter(case=case))
    case.__dict__["_takedown_panel"] = context = {"complaints": rows, "stopncii": stopncii, "advice": advice}
    return context


def privacy_items() -> list[PrivacySettingItem]:
    return list(PrivacySettingItem.objects.filter(is_active=True).order_by("sort_order"))


def sla_statistics(now) -> dict:
    """The supervisor overview's chart of takedown SLA compliance (指引 8-1-T), by the week complaints were
    filed: computed by the hub's beat job for the whole unit (cases/dashboards.py), never per request."""
    from cases.dashboards import WEEKS, chart, week_label, week_starts, window_start

    met = Q(resolved_at__isnull=False, resolved_at__lte=F("due_at"))
    late = Q(resolved_at__isnull=False, resolved_at__gt=F("due_at"))
    overdue = Q(resolved_at__isnull=True, due_at__lt=now)
    pending = Q(resolved_at__isnull=True, due_at__gte=now)
    counts = {
        timezone.localtime(row["week"]).date(): row
        for row in TakedownComplaint.objects.filter(filed_at__gte=window_start(now))
        .annotate(week=TruncWeek("filed_at"))
        .values("week")
        .annotate(
            met=Count("pk", filter=met),
            late=Count("pk", filter=late),
            overdue=Count("pk", filter=overdue),
            pending=Count("pk", filter=pending),
        )
        .order_by()
    }
    rows = []
    for monday in week_starts(now):
        row = counts.get(monday, {})
        values = [row.get(k, 0) for k in ("met", "late", "overdue", "pending")]
        resolved = values[0] + values[1]
        rows.append((week_label(monday), [*values, round(100 * values[0] / resolved) if resolved else None]))
    totals = TakedownComplaint.objects.aggregate(
        all=Count("pk"), met=Count("pk", filter=met), late=Count("pk", filter=late)
    )
    resolved = totals["met"] + totals["late"]
    rate = f"{round(100 * totals['met'] / resolved)}%" if resolved else "—"
    pending_urls = TakedownTarget.objects.filter(outcome=TakedownTarget.Outcome.PENDING).count()
    return chart(
        title=f"下架時效（兒少24小時／成人72小時，依申訴週次，近 {WEEKS} 週）",
        row_header="申訴週次",
        columns=["時效內完成", "逾時完成", "已逾期未完成", "時效內處理中", "時效達成率（%）"],
        rows=rows,
        stacked=True,
        table_only=("時效達成率（%）",),
        note=(
            f"累計申訴 {totals['all']} 件，時效達成率 {rate}，尚待處理的網址 {pending_urls} 個。"
            "兒少或年齡不明的案件以24小時、成人以72小時計算（指引 8-1-T）。"
        ),
    )


def case_records(case) -> dict:
    """The kinds of records the case page's takedown section reads (cases.case_records: one probe)."""
    return {
        "takedown.complaints": TakedownComplaint.objects.filter(case=case),
        "takedown.stopncii": StopNCIICase.objects.filter(case=case),
        "takedown.advice": PreventionAdvice.objects.filter(case=case),
    }
