"""Reads of the takedown app that depend on the user or span records."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from cases.selectors import case_for_user, cases_for_user
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
    complaints = list(
        TakedownComplaint.objects.filter(case=case)
        .select_related("created_by")
        .prefetch_related("targets", follow_ups)
        .order_by("-filed_at")
    )
    rows = [
        {"complaint": c, "sla": rules.sla_state(due=c.due_at, resolved_at=c.resolved_at, now=now)}
        for c in complaints
    ]
    stopncii = StopNCIICase.objects.filter(case=case).first()
    advice = PreventionAdvice.objects.filter(case=case).first()
    case.__dict__["_takedown_panel"] = context = {"complaints": rows, "stopncii": stopncii, "advice": advice}
    return context


def privacy_items() -> list[PrivacySettingItem]:
    return list(PrivacySettingItem.objects.filter(is_active=True).order_by("sort_order"))


def sla_overview(user) -> dict:
    """The unit's takedown SLA compliance, in two queries whatever the number of complaints."""
    now = timezone.now()
    qs = TakedownComplaint.objects.filter(case__in=cases_for_user(user))
    counts = qs.aggregate(
        total=Count("pk"),
        met=Count("pk", filter=Q(resolved_at__isnull=False, resolved_at__lte=F("due_at"))),
        late=Count("pk", filter=Q(resolved_at__isnull=False, resolved_at__gt=F("due_at"))),
        overdue=Count("pk", filter=Q(resolved_at__isnull=True, due_at__lt=now)),
        open=Count("pk", filter=Q(resolved_at__isnull=True, due_at__gte=now)),
        minor=Count("pk", filter=~Q(minor_at_time="no")),
    )
    resolved = counts["met"] + counts["late"]
    counts["rate"] = round(100 * counts["met"] / resolved) if resolved else None
    counts["pending_urls"] = TakedownTarget.objects.filter(
        complaint__case__in=cases_for_user(user), outcome=TakedownTarget.Outcome.PENDING
    ).count()
    return counts
