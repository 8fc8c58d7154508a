"""One search box (issue: everyday use): a case number, a mobile, a national ID or the victim's full
name, matched exactly through blind indexes, scoped by role exactly as the lists are.

The term arrives in a POST body and is never stored or logged: only its kind (案號, 手機, …) is shown
back. Each case (and waiting intake) a search shows is a logged read (「搜尋結果」). Apps add their own
matches with cases.registry.register_search_source (the referrals app matches the police case number
and, for the police, their own referrals).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import F, Q

from cases.models import Intake
from cases.privacy import name_index, national_id_index, phone_index
from cases.readlog import log_list_reads
from cases.registry import search_sources
from cases.selectors import INTAKE_LIST_DEFERRED, LIST_DEFERRED, cases_for_user
from cases.validators import is_valid_national_id, is_valid_tw_mobile

MAX_RESULTS = 50
_CASE_NUMBER = re.compile(r"^(\d{2,3})-(\d{1,6})$")


@dataclass(frozen=True)
class Term:
    kind: str  # "case_number" | "mobile" | "national_id" | "name" | "too_short"
    label: str
    value: str  # normalised; never shown, never stored


@dataclass
class SearchResult:
    term: Term
    cases: list = field(default_factory=list)
    intakes: list = field(default_factory=list)
    hits: list = field(default_factory=list)  # registry SearchHit rows from other apps

    @property
    def empty(self) -> bool:
        return not (self.cases or self.intakes or self.hits)


def classify(raw: str) -> Term:
    """What a typed term is. Full-width digits and letters (an input method) count as half-width."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    compact = re.sub(r"[\s\-()]", "", text)
    match = _CASE_NUMBER.match(text.replace(" ", ""))
    if match:
        return Term("case_number", "案號", f"{match.group(1)}-{int(match.group(2)):06d}")
    if is_valid_tw_mobile(compact):
        return Term("mobile", "手機", compact)
    if is_valid_national_id(compact.upper()):
        return Term("national_id", "身分證字號", compact.upper())
    if len(text.replace(" ", "")) >= 2:
        return Term("name", "姓名", text)
    return Term("too_short", "", "")


def case_condition(term: Term) -> Q | None:
    if term.kind == "case_number":
        return Q(number=term.value)
    if term.kind == "mobile":
        return Q(victim__phone_index=phone_index(term.value))
    if term.kind == "national_id":
        return Q(victim__national_id_index=national_id_index(term.value))
    if term.kind == "name":
        return Q(victim__name_index=name_index(term.value))
    return None


def intake_condition(term: Term) -> Q | None:
    if term.kind == "mobile":
        return Q(victim_phone_index=phone_index(term.value))
    if term.kind == "national_id":
        return Q(victim_national_id_index=national_id_index(term.value))
    if term.kind == "name":
        return Q(victim_name_index=name_index(term.value))
    return None


def search(user, raw: str) -> SearchResult:
    """Matches in the user's scope; every case shown is logged as read, in one bulk insert."""
    term = classify(raw)
    result = SearchResult(term=term)
    if term.kind == "too_short":
        return result
    condition = case_condition(term)
    if condition is not None:
        result.cases = list(
            cases_for_user(user)
            .filter(condition)
            .select_related("victim")
            .defer(*LIST_DEFERRED)
            # NULLS LAST (opened_at is never null) so the order is not the index's: PostgreSQL finds the
            # matches through the blind index and sorts them, instead of walking every case newest
            # first in search of a common name (2.3 s at a million cases, where 3,000 share one).
            .order_by(F("opened_at").desc(nulls_last=True))[:MAX_RESULTS]
        )
    if user.has_perm("cases.process_intake"):
        condition = intake_condition(term)
        if condition is not None:
            result.intakes = list(
                Intake.objects.filter(condition, status=Intake.Status.PENDING)
                .defer(*INTAKE_LIST_DEFERRED)
                .order_by("-received_at")[:MAX_RESULTS]
            )
    for source in search_sources():
        result.hits += source(user, term)
    log_list_reads(
        user=user,
        case_ids=[case.pk for case in result.cases],
        intake_ids=[intake.pk for intake in result.intakes],  # a waiting intake shows the victim's name
        view="搜尋結果",
    )
    return result


__all__ = ["MAX_RESULTS", "SearchResult", "Term", "classify", "search"]
