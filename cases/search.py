"""One search box (issue: everyday use): a case number, a mobile, a national ID or the victim's full
name, matched exactly through blind indexes, scoped by role exactly as the lists are.

The term arrives in a POST body and is never stored or logged: only its kind (案號, 手機, …) is shown
back. The cases and waiting intakes found are one list, newest first (a case by its opening, an intake by
its receipt), of at most MAX_RESULTS: a full name thousands share shows its newest matches and says there
are more, so the worker narrows by case number, mobile or ID number. Each row shown is a logged read
(「搜尋結果」). Apps add their own matches with cases.registry.register_search_source (the referrals app
matches the police case number and, for the police, their own referrals).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import DateTimeField, F, Q, TextField, Value
from django.db.models.functions import Cast
from django.utils.safestring import SafeString, mark_safe

from cases.compiled import STAND_IN_TEXT, STAND_IN_USER, compiled_values
from cases.models import Case, Intake
from cases.page_rows import esc, person_name, roc_date, roc_datetime, url_maker
from cases.privacy import decrypt_text, name_index, national_id_index, phone_index
from cases.readlog import log_list_reads
from cases.registry import search_sources
from cases.selectors import case_scope, cases_in_scope
from cases.validators import is_valid_national_id, is_valid_tw_mobile

MAX_RESULTS = 50
_CASE_NUMBER = re.compile(r"^(\d{2,3})-(\d{1,6})$")


@dataclass(frozen=True)
class Term:
    kind: str  # "case_number" | "mobile" | "national_id" | "name" | "too_short"
    label: str
    value: str  # normalised; never shown, never stored


@dataclass(frozen=True, slots=True)
class Match:
    """A row of the results: a case, or an intake waiting in the queue (no case yet)."""

    kind: str  # "case" | "intake"
    pk: uuid.UUID
    name: str  # the victim's, decrypted for this row only
    at: dt.datetime  # the case's opening, the intake's receipt: the list's order
    number: str = ""  # a case's
    status: str = ""  # a case's
    danger_since: dt.datetime | None = None  # a case's
    worker: str = ""  # a case's assigned worker
    source: str = ""  # an intake's


@dataclass
class SearchResult:
    term: Term
    rows: list[Match] = field(default_factory=list)  # cases and waiting intakes, newest first
    hits: list = field(default_factory=list)  # registry SearchHit rows from other apps
    more: bool = False  # more than MAX_RESULTS matched: only the newest are shown

    @property
    def page_size(self) -> int:
        return MAX_RESULTS

    @property
    def cases(self) -> list[Match]:
        return [row for row in self.rows if row.kind == "case"]

    @property
    def intakes(self) -> list[Match]:
        return [row for row in self.rows if row.kind == "intake"]

    @property
    def rows_html(self) -> SafeString:
        return rows_html(self.rows)

    @property
    def empty(self) -> bool:
        return not (self.rows or self.hits)


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


def lookup_value(term: Term) -> str:
    """What the term is matched on: the case number itself, or the blind index of a victim's identifier."""
    index = {"mobile": phone_index, "national_id": national_id_index, "name": name_index}.get(term.kind)
    return index(term.value) if index else term.value


def case_condition(kind: str, value: str) -> Q | None:
    """`value`: lookup_value() of a term of this kind."""
    if kind == "case_number":
        return Q(number=value)
    if kind == "mobile":
        return Q(victim__phone_index=value)
    if kind == "national_id":
        return Q(victim__national_id_index=value)
    if kind == "name":
        # The case's own copy of the index: with case_search_name (case_search_worker_name for a worker)
        # a name's newest cases are read in order, however many share it (thousands at a million cases).
        return Q(victim_name_index=value)
    return None


def intake_condition(kind: str, value: str) -> Q | None:
    if kind == "mobile":
        return Q(victim_phone_index=value)
    if kind == "national_id":
        return Q(victim_national_id_index=value)
    if kind == "name":
        return Q(victim_name_index=value)
    return None


# The columns of both parts of the list, in this order (the second part's names are not used). The
# victim's name is read as stored (a Fernet token, cast to text so Django does not decrypt it as it loads)
# and decrypted only for the rows shown: the query reads one row past the page.
COLUMNS = (
    "kind",
    "pk",
    "found_name",
    "found_at",
    "found_number",
    "found_status",
    "found_danger_since",
    "found_worker_last_name",
    "found_worker_first_name",
    "found_worker_username",
    "found_source",
)
_NO_TEXT = Value("")
_NO_TIME = Value(None, output_field=DateTimeField())


def _case_part(scope: str, condition: Q):
    return (
        cases_in_scope(scope, STAND_IN_USER)
        .filter(condition)
        .annotate(
            kind=Value("case"),
            found_name=Cast("victim__name", TextField()),
            found_at=F("opened_at"),
            found_number=F("number"),
            found_status=F("status"),
            found_danger_since=F("danger_since"),
            found_worker_last_name=F("assigned_worker__last_name"),
            found_worker_first_name=F("assigned_worker__first_name"),
            found_worker_username=F("assigned_worker__username"),
            found_source=_NO_TEXT,
        )
        .values_list(*COLUMNS)
    )


def _intake_part(condition: Q):
    return (
        Intake.objects.filter(condition, status=Intake.Status.PENDING)
        .annotate(
            kind=Value("intake"),
            found_name=Cast("victim_name", TextField()),
            found_at=F("received_at"),
            found_number=_NO_TEXT,
            found_status=_NO_TEXT,
            found_danger_since=_NO_TIME,
            found_worker_last_name=_NO_TEXT,
            found_worker_first_name=_NO_TEXT,
            found_worker_username=Value(None, output_field=TextField()),
            found_source=F("source"),
        )
        .values_list(*COLUMNS)
    )


def _newest(kind: str, scope: str, with_intakes: bool):
    """The query of the newest MAX_RESULTS + 1 rows of a term of this kind, for a user of this scope, with
    or without the waiting intakes: its SQL is compiled once per process (cases.compiled), with stand-ins
    for the user and the value looked up.

    On PostgreSQL each part reads its own first page in the order of its index (case_search_name,
    intake_pending_name: 51 index entries each, however many share the name) and the union sorts those. A
    mobile, an ID number or a case number matches a victim or so through its own index: NULLS LAST on the
    case part (opened_at is never null) keeps PostgreSQL from walking every case newest first instead.
    """
    parts = [_case_part(scope, case_condition(kind, STAND_IN_TEXT))]
    if with_intakes:
        parts.append(_intake_part(intake_condition(kind, STAND_IN_TEXT)))
    newest = F("found_at").desc() if kind == "name" else F("found_at").desc(nulls_last=True)
    if len(parts) == 1:
        return parts[0].order_by(newest)[: MAX_RESULTS + 1]
    if connections[parts[0].db].features.supports_slicing_ordering_in_compound:
        parts = [part.order_by(newest)[: MAX_RESULTS + 1] for part in parts]
    else:  # SQLite takes neither ORDER BY nor LIMIT in a part of a UNION: the outer ones do it all
        parts = [part.order_by() for part in parts]
    union = parts[0].union(*parts[1:], all=True)
    return union.order_by("-found_at")[: MAX_RESULTS + 1]


def _decrypt(token: str | None) -> str:
    # cases.privacy.EncryptedMixin.from_db_value, for a column read as text
    return decrypt_text(token) if token else ""


def _match(row: tuple) -> Match:
    kind, pk, token, at, number, status, danger_since, last_name, first_name, username, source = row
    if kind == "intake":
        return Match(kind=kind, pk=pk, name=_decrypt(token), at=at, source=source)
    return Match(
        kind=kind,
        pk=pk,
        name=_decrypt(token),
        at=at,
        number=number,
        status=status,
        danger_since=danger_since,
        worker=person_name(last_name, first_name, username),
    )


def search(user, raw: str) -> SearchResult:
    """Matches in the user's scope; every case and intake shown is logged as read, in one bulk insert."""
    term = classify(raw)
    result = SearchResult(term=term)
    if term.kind == "too_short":
        return result
    scope = case_scope(user)
    with_intakes = intake_condition(term.kind, "") is not None and user.has_perm("cases.process_intake")
    rows = compiled_values(
        f"search:{term.kind}:{scope}:{'with' if with_intakes else 'without'}_intakes",
        lambda: _newest(term.kind, scope, with_intakes),
        values={STAND_IN_USER: user.pk, STAND_IN_TEXT: lookup_value(term)},
    )
    result.rows = [_match(row) for row in rows[:MAX_RESULTS]]
    result.more = len(rows) > MAX_RESULTS
    for source in search_sources():
        result.hits += source(user, term)
    log_list_reads(
        user=user,
        case_ids=[row.pk for row in result.rows if row.kind == "case"],
        intake_ids=[row.pk for row in result.rows if row.kind == "intake"],  # it shows the victim's name
        view="搜尋結果",
    )
    return result


# The rows are joined in Python with every value escaped (as the case list's, cases.case_rows): through the
# template, the flags include and the filters of 50 rows cost more than the search's queries.
_STATUS_LABELS = dict(Case.Status.choices)
_SOURCE_LABELS = dict(Intake.Source.choices)
_DANGER = '<span class="badge text-bg-danger danger-flag" title="{} 起">有立即危險</span>'
_HIDDEN = '<span class="visually-hidden"> {}</span>'  # which intake the link opens, for a screen reader
_INTAKE_CLASS = ' class="search-intake"'


def rows_html(rows: list[Match]) -> SafeString:
    """The <tr>s of the results: a case's number, victim, danger flag, status, worker and opening date;
    a waiting intake's link, victim, channel and time of receipt."""
    case_url = url_maker()
    intake_url = url_maker("cases:intake_detail")
    out = []
    for r in rows:
        if r.kind == "intake":
            received = roc_datetime(r.at)
            link = f'<a href="{intake_url(r.pk)}">受理紀錄{_HIDDEN.format(received)}</a>'
            source = esc(_SOURCE_LABELS.get(r.source, r.source))
            danger, status, worker, day = "", f"待處理（{source}，尚未開案）", "—", received
        else:
            link = f'<a href="{case_url(r.pk)}">{esc(r.number)}</a>'
            danger = _DANGER.format(roc_datetime(r.danger_since)) if r.danger_since else ""
            status, worker, day = esc(_STATUS_LABELS.get(r.status, r.status)), esc(r.worker), roc_date(r.at)
        out.append(
            f'<tr{_INTAKE_CLASS if r.kind == "intake" else ""}><td data-label="案號">{link}</td>'
            f'<td data-label="被害人">{esc(r.name)}</td><td data-label="危險">{danger}</td>'
            f'<td data-label="狀態">{status}</td><td data-label="承辦社工">{worker}</td>'
            f'<td data-label="開案／受理日期">{day}</td></tr>'
        )
    return mark_safe("\n".join(out))


__all__ = ["MAX_RESULTS", "Match", "SearchResult", "Term", "classify", "search"]
