"""The referrals app's part of the search box (cases.search): the police case number for the centre's
staff, and for the police their own referrals by the victim's identifiers (never anyone else's)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from cases.compiled import STAND_IN_TEXT, STAND_IN_USER, compiled_values
from cases.page_rows import url_maker
from cases.registry import SearchHit
from cases.rocdate import format_roc
from cases.search import lookup_value
from referrals.models import Referral, has_digits, normalise_police_case_number, shared_status
from referrals.selectors import referral_scope, referrals_in_scope

MAX_HITS = 50
# The police find their own referrals by the victim's identifier, through the intake's blind index.
_IDENTIFIER_INDEX = {
    "mobile": "intake__victim_phone_index",
    "national_id": "intake__victim_national_id_index",
    "name": "intake__victim_name_index",
}
# The police case number as typed (normalised); STAND_IN_TEXT is the identifier's blind index.
_STAND_IN_NUMBER = "stand-in: a police case number given per request"


def _newest(scope: str, by_number: bool, identifier: str):
    """The newest MAX_HITS matches first (read from referral_police_number), then the intake and case
    status of those only: with the join before the limit, a number shared by dozens of forms joined every
    one of them. Only what the label shows: no encrypted column is read."""
    condition = Q()
    if by_number:
        condition |= Q(police_case_number=_STAND_IN_NUMBER)
    if identifier:
        condition |= Q(**{_IDENTIFIER_INDEX[identifier]: STAND_IN_TEXT})
    newest = referrals_in_scope(scope, STAND_IN_USER).filter(condition).order_by("-submitted_at")
    return (
        Referral.objects.filter(pk__in=newest.values("pk")[:MAX_HITS])
        .order_by("-submitted_at")
        .values_list("pk", "submitted_at", "referring_agency", "intake__status", "intake__case__status")
    )


def referral_hits(user, term) -> list[SearchHit]:
    number = normalise_police_case_number(term.value)
    by_number = has_digits(number)  # a name is not a police case number
    # The police: their own referrals, by what they typed about the victim (staff find cases directly).
    police = not user.has_perm("cases.process_intake")
    identifier = term.kind if police and term.kind in _IDENTIFIER_INDEX else ""
    if not (by_number or identifier):
        return []
    scope = referral_scope(user)
    # The same SQL for every term of a kind and user of a scope: compiled once per process.
    rows = compiled_values(
        f"referrals.search:{scope}:{by_number}:{identifier}",
        lambda: _newest(scope, by_number, identifier),
        values={
            STAND_IN_USER: user.pk,
            _STAND_IN_NUMBER: number,
            STAND_IN_TEXT: lookup_value(term) if identifier else "",
        },
    )
    url = url_maker("referrals:detail")
    return [
        SearchHit(
            label=f"轉介表 {format_roc(timezone.localtime(at).date())} {agency}"
            f"（{shared_status(intake_status, case_status)}）",
            url=url(pk),
        )
        for pk, at, agency, intake_status, case_status in rows
    ]
