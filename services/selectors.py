"""Reads of psychological support and accompaniment. Access goes through the hub's scoping."""

from __future__ import annotations

from django.http import Http404

from cases.case_records import case_rows
from cases.models import Case
from cases.selectors import can_edit_case, cases_for_user
from services.models import CounsellingReferral, DeclinedEscortRequest, Escort, Screening, SupportNote

MANAGE = "services.manage_services"


def _record_for_user(model, user, pk, *, write: bool, related: tuple[str, ...] = ()):
    """A record of a case the user may work on (assigned worker or supervisor); 404 otherwise.

    write=True also needs the case open (a closed case is read-only): 404 like any other refusal here,
    the case page says why.
    """
    qs = model.objects.select_related("case", "case__victim", *related).filter(
        case__in=cases_for_user(user).values("pk")
    )
    try:
        record = qs.get(pk=pk)
    except (model.DoesNotExist, ValueError):
        raise Http404 from None
    if not user.has_perm(MANAGE):
        raise Http404
    if write and not can_edit_case(user, record.case):
        raise Http404
    return record


def referral_for_user(user, pk, *, write: bool = True) -> CounsellingReferral:
    return _record_for_user(CounsellingReferral, user, pk, write=write, related=("programme",))


def escort_for_user(user, pk, *, write: bool = True) -> Escort:
    return _record_for_user(
        Escort, user, pk, write=write, related=("checklist", "worker", "counselling_referral", "report")
    )


def case_services_panel(case: Case) -> dict:
    """Everything the case-page panel shows, in five queries whatever the number of records.

    Kept on the case object for the request, so the case's record entries reuse the same rows.
    """
    cached = getattr(case, "_services_panel", None)
    if cached is not None:
        return cached
    screenings = case_rows(
        case,
        "services.screenings",
        lambda: (
            Screening.objects.filter(case=case)
            .select_related("created_by", "ptsd_instrument")
            .order_by("screened_at")
        ),
    )
    referrals = case_rows(
        case,
        "services.referrals",
        lambda: (
            CounsellingReferral.objects.filter(case=case)
            .select_related("programme")
            .order_by("referred_on", "created_at")
        ),
    )
    escorts = case_rows(
        case,
        "services.escorts",
        lambda: (
            Escort.objects.filter(case=case)
            .select_related("worker", "checklist", "report", "counselling_referral")
            .order_by("-starts_at")
        ),
    )
    notes = case_rows(
        case,
        "services.notes",
        lambda: SupportNote.objects.filter(case=case).select_related("created_by").order_by("-noted_at"),
    )
    declined = case_rows(
        case,
        "services.declined",
        lambda: (
            DeclinedEscortRequest.objects.filter(case=case)
            .select_related("declined_by")
            .order_by("requested_on")
        ),
    )
    case._services_panel = {
        "support_notes": notes,
        "screenings": screenings,
        "trend": trend(screenings),
        "referrals": referrals,
        "escorts": escorts,
        "declined": declined,
        "urgent": any(s.urgent for s in screenings[-1:]),
    }
    return case._services_panel


def trend(screenings: list[Screening]) -> dict | None:
    """Points of an inline SVG line of BSRS-5 totals (0–20), oldest first; None with fewer than two."""
    if len(screenings) < 2:
        return None
    width, height, pad = 300, 100, 10
    step = (width - 2 * pad) / (len(screenings) - 1)
    points = []
    for i, s in enumerate(screenings):
        x = pad + i * step
        y = pad + (height - 2 * pad) * (1 - s.total / 20)
        points.append({"x": round(x, 1), "y": round(y, 1), "s": s})
    return {
        "width": width,
        "height": height,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "points": points,
        # Band boundaries: 6, 10, 15.
        "lines": [{"y": round(pad + (height - 2 * pad) * (1 - v / 20), 1), "v": v} for v in (6, 10, 15)],
    }


def case_records(case) -> dict:
    """The kinds of records the case page's panel reads (cases.case_records: one probe for all)."""
    return {
        "services.screenings": Screening.objects.filter(case=case),
        "services.referrals": CounsellingReferral.objects.filter(case=case),
        "services.escorts": Escort.objects.filter(case=case),
        "services.notes": SupportNote.objects.filter(case=case),
        "services.declined": DeclinedEscortRequest.objects.filter(case=case),
    }
