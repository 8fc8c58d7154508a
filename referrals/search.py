"""The referrals app's part of the search box (cases.search): the police case number for the centre's
staff, and for the police their own referrals by the victim's identifiers (never anyone else's)."""

from __future__ import annotations

from django.db.models import Q

from cases.privacy import name_index, national_id_index, phone_index
from cases.registry import SearchHit
from cases.rocdate import format_roc
from referrals.models import Referral, has_digits, normalise_police_case_number
from referrals.selectors import referrals_for_user


def _label(referral) -> str:
    when = format_roc(referral.submitted_at.date())
    return f"轉介表 {when} {referral.referring_agency}（{referral.shared_status}）"


def referral_hits(user, term) -> list[SearchHit]:
    scope = referrals_for_user(user)
    condition = Q()
    number = normalise_police_case_number(term.value)
    if has_digits(number):
        condition |= Q(police_case_number=number)
    if not user.has_perm("cases.process_intake"):
        # The police: their own referrals, by what they typed about the victim (staff find cases directly).
        if term.kind == "mobile":
            condition |= Q(intake__victim_phone_index=phone_index(term.value))
        elif term.kind == "national_id":
            condition |= Q(intake__victim_national_id_index=national_id_index(term.value))
        elif term.kind == "name":
            condition |= Q(intake__victim_name_index=name_index(term.value))
    if not condition:
        return []
    # The newest 50 matches first (read from referral_police_number), then the intake and case of those
    # only: with the join before the limit, a number shared by dozens of forms joined every one of them.
    newest = scope.filter(condition).order_by("-submitted_at").values("pk")[:50]
    rows = (
        Referral.objects.filter(pk__in=newest)
        .select_related("intake__case")
        # Only what the label shows: the intake's encrypted columns are decrypted as they load (a number
        # shared by dozens of forms cost 50 ms).
        .only("referring_agency", "submitted_at", "intake__status", "intake__case__status")
        .order_by("-submitted_at")
    )
    return [SearchHit(label=_label(r), url=r.get_absolute_url()) for r in rows]
