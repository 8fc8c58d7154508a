from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from cases.roles import Role, has_role
from referrals.models import Referral


def referral_scope(user) -> str:
    """Police see the referrals they made ("own"); the hotline and supervisors see all ("all")."""
    if not user.is_authenticated:
        return "none"
    if user.has_perm("cases.process_intake"):
        return "all"
    if has_role(user, Role.POLICE):
        return "own"
    return "none"


def referrals_in_scope(scope: str, user_id) -> QuerySet[Referral]:
    """The referrals of a referral_scope() for the user with this id (a stand-in where the SQL is compiled
    once, cases.compiled)."""
    qs = Referral.objects.select_related("intake", "intake__case", "referrer")
    if scope == "all":
        return qs
    if scope == "own":
        return qs.filter(referrer_id=user_id)
    return qs.none()


def referrals_for_user(user) -> QuerySet[Referral]:
    return referrals_in_scope(referral_scope(user), user.pk)


def referral_list_rows(user) -> QuerySet[Referral]:
    """referrals_for_user with only what the list prints: the form's own fields and what shared_status
    reads (the intake's and the case's status). No encrypted field is loaded, nor the referrer."""
    return (
        referrals_for_user(user)
        .select_related(None)
        .select_related("intake__case")
        .only(
            "submitted_at",
            "referring_agency",
            "contact_person",
            "intake__status",
            "intake__case__status",
        )
        # Newest first, and by id among forms of the same instant, so that pages neither repeat nor skip
        # a form (the index gives the time order; ties are sorted in place).
        .order_by("-submitted_at", "-pk")
    )


def referral_for_user(user, pk) -> Referral:
    try:
        return referrals_for_user(user).get(pk=pk)
    except (Referral.DoesNotExist, ValueError):
        raise Http404 from None


def referrals_for_case(case) -> QuerySet[Referral]:
    return Referral.objects.filter(intake__case=case).order_by("submitted_at")


# What the case page's panel prints of each referral: the agency and its contact person, not the officer's
# account (no join).
PANEL_COLUMNS = (
    "referring_agency",
    "submitted_at",
    "contact_person",
    "contact_phone",
    "police_asked_about_social_worker",
    "victim_wants_social_worker",
    "report_taken",
)


def case_panel_referrals(case) -> QuerySet:
    """The case's referrals, oldest first, as PANEL_COLUMNS tuples."""
    return referrals_for_case(case).values_list(*PANEL_COLUMNS)
