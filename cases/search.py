"""One search box (issue: everyday use): a case number, a mobile, a national ID or the victim's full
name, matched exactly through blind indexes, scoped by role exactly as the lists are.

The term arrives in a POST body and is never stored or logged: only its kind (案號, 手機, …) is shown
back. Each case (and waiting intake) a search shows is a logged read (「搜尋結果」). A search shows at most
MAX_RESULTS of each, the newest, read in the order of an index and never counted (a full name many share
says that only the newest are listed). Apps add their own matches with
cases.registry.register_search_source (the referrals app matches the police case number and, for the
police, their own referrals).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from cases.models import Case, Intake
from cases.page_rows import person_name, roc_date, roc_datetime, url_maker
from cases.privacy import name_index, national_id_index, phone_index
from cases.readlog import log_list_reads
from cases.registry import search_sources
from cases.selectors import cases_for_user
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
    cases: list = field(default_factory=list)  # CASE_COLUMNS rows
    intakes: list = field(default_factory=list)  # INTAKE_COLUMNS rows
    hits: list = field(default_factory=list)  # registry SearchHit rows from other apps
    more_cases: bool = False  # more than MAX_RESULTS matched: only the newest are shown
    more_intakes: bool = False

    @property
    def page_size(self) -> int:
        return MAX_RESULTS

    @property
    def cases_html(self) -> SafeString:
        return cases_html(self.cases)

    @property
    def intakes_html(self) -> SafeString:
        return intakes_html(self.intakes)

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
        # The case's own copy of the index: with case_search_name (case_search_worker_name for a worker)
        # a name's newest cases are read in order, however many share it (thousands at a million cases).
        return Q(victim_name_index=name_index(term.value))
    return None


def _first_page(qs) -> tuple[list, bool]:
    """The first MAX_RESULTS rows and whether there are more (one row more is read, never counted)."""
    rows = list(qs[: MAX_RESULTS + 1])
    return rows[:MAX_RESULTS], len(rows) > MAX_RESULTS


def intake_condition(term: Term) -> Q | None:
    if term.kind == "mobile":
        return Q(victim_phone_index=phone_index(term.value))
    if term.kind == "national_id":
        return Q(victim_national_id_index=national_id_index(term.value))
    if term.kind == "name":
        return Q(victim_name_index=name_index(term.value))
    return None


# What a result row prints, read as values: no other column is loaded or decrypted (the victim's name is
# the one encrypted column, and it is shown).
CASE_COLUMNS = (
    "pk",
    "number",
    "victim__name",
    "status",
    "danger_since",
    "opened_at",
    "assigned_worker__last_name",
    "assigned_worker__first_name",
    "assigned_worker__username",
)
INTAKE_COLUMNS = ("pk", "source", "received_at", "victim_name")


def search(user, raw: str) -> SearchResult:
    """Matches in the user's scope; every case shown is logged as read, in one bulk insert."""
    term = classify(raw)
    result = SearchResult(term=term)
    if term.kind == "too_short":
        return result
    condition = case_condition(term)
    if condition is not None:
        # A name is read in the order of its index. A mobile, an ID number or a case number matches one
        # victim or so, found through its own index: NULLS LAST (opened_at is never null) keeps
        # PostgreSQL from walking every case newest first instead.
        newest = F("opened_at").desc() if term.kind == "name" else F("opened_at").desc(nulls_last=True)
        result.cases, result.more_cases = _first_page(
            cases_for_user(user).filter(condition).order_by(newest).values_list(*CASE_COLUMNS, named=True)
        )
    if user.has_perm("cases.process_intake"):
        condition = intake_condition(term)
        if condition is not None:
            result.intakes, result.more_intakes = _first_page(
                Intake.objects.filter(condition, status=Intake.Status.PENDING)
                .order_by("-received_at")
                .values_list(*INTAKE_COLUMNS, named=True)
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


# The rows are joined in Python (as the case list's, cases.case_rows): through the template, the flags
# include and the filters of 50 rows cost more than the search's queries.
_CASE_ROW = '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>'
_DANGER = '<span class="badge text-bg-danger danger-flag" title="{} 起">有立即危險</span>'
_INTAKE_ROW = '<li class="list-group-item"><a href="{}">{} {}</a>・{}</li>'
_STATUS_LABELS = dict(Case.Status.choices)
_SOURCE_LABELS = dict(Intake.Source.choices)


def cases_html(rows) -> SafeString:
    """The <tr>s of the cases found (what templates/cases/_case_flags.html and the filters printed)."""
    url = url_maker()
    return format_html_join(
        "\n",
        _CASE_ROW,
        (
            (
                url(row.pk),
                row.number,
                row.victim__name,
                format_html(_DANGER, roc_datetime(row.danger_since)) if row.danger_since else "",
                _STATUS_LABELS.get(row.status, row.status),
                person_name(
                    row.assigned_worker__last_name,
                    row.assigned_worker__first_name,
                    row.assigned_worker__username,
                ),
                roc_date(row.opened_at),
            )
            for row in rows
        ),
    )


def intakes_html(rows) -> SafeString:
    """The <li>s of the waiting intakes found."""
    url = url_maker("cases:intake_detail")
    return format_html_join(
        "\n",
        _INTAKE_ROW,
        (
            (
                url(row.pk),
                _SOURCE_LABELS.get(row.source, row.source),
                roc_datetime(row.received_at),
                row.victim_name,
            )
            for row in rows
        ),
    )


__all__ = ["MAX_RESULTS", "SearchResult", "Term", "classify", "search"]
