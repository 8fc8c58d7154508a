"""The supervisors' audit review (issue 21, point 1): one timeline, per case or per user, of changes
(field-level before/after from every app's history tables, found generically), reads, searches,
downloads, sign-ins and the other audit events.

Reads only. The pages are gated by `cases.review_audit`; a PII value in a change is shown in clear only
when the viewer may read that case (`cases_for_user`), masked otherwise, and never in the CSV export.
Pagination merges the newest rows of every source (no total count: an audit page must stay cheap).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from cases.audit import ACTION_LABELS, action_label
from cases.audit_chain import chained_models, pii_fields
from cases.models import AuditEvent, Case, CaseReadLog, Victim
from cases.people import staff_name
from cases.selectors import cases_for_user

PAGE_SIZE = 50
MASK = "＊＊＊（無權檢視）"
SEARCH_VIEW = "搜尋結果"

# The kinds a supervisor filters by, then every audit event action (cases.audit.ACTION_LABELS).
BASE_KINDS = {"change": "資料異動", "read": "閱覽", "search": "搜尋", "download": "下載（PDF）"}
_HISTORY_TYPES = {"+": "新增", "~": "修改", "-": "刪除"}


def kind_choices() -> list[tuple[str, str]]:
    return [("", "全部動作"), *BASE_KINDS.items(), *sorted(ACTION_LABELS.items())]


@dataclass(frozen=True)
class Filters:
    user: object | None = None
    case: Case | None = None
    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass
class Change:
    label: str
    before: str
    after: str
    pii: bool = False


@dataclass
class AuditEntry:
    at: dt.datetime
    kind: str
    kind_label: str
    user: object | None
    subject: str
    case_id: object | None = None
    case_number: str = ""
    username: str = ""
    ip_address: str = ""
    detail: str = ""
    changes: list[Change] = field(default_factory=list)
    _row: object = None
    _model: object = None

    @property
    def who(self) -> str:
        return staff_name(self.user) if self.user is not None else (self.username or "—")


# --- the history tables, found generically ---------------------------------------------------------


def history_models() -> list:
    """The history model of every app (simple-history's, through AuditedHistoricalRecords)."""
    return [m for m in chained_models() if hasattr(m, "instance_type")]


def _case_link(live):
    """How a live model's rows belong to a case: ("self"|"victim"|"field"|"via", attname, related)."""
    if live is Case:
        return ("self", "id", None)
    if live is Victim:
        return ("victim", "id", None)
    fields = {f.name: f for f in live._meta.concrete_fields}
    if "case" in fields and fields["case"].related_model is Case:
        return ("field", "case_id", None)
    for f in live._meta.concrete_fields:
        related = getattr(f, "related_model", None)
        if f.is_relation and related is not None and related is not live:
            names = {g.name: g for g in related._meta.concrete_fields}
            if "case" in names and names["case"].related_model is Case:
                return ("via", f.attname, related)
    return None


def _history_for_case(model, case: Case):
    link = _case_link(model.instance_type)
    if link is None:
        return None
    how, attname, related = link
    qs = model.objects.all()
    if how == "self":
        return qs.filter(id=case.pk)
    if how == "victim":
        return qs.filter(id=case.victim_id)
    if how == "field":
        return qs.filter(case_id=case.pk)
    return qs.filter(**{f"{attname}__in": related._base_manager.filter(case=case).values("pk")})


def _day_bounds(filters: Filters) -> tuple:
    tz = timezone.get_current_timezone()
    start = end = None
    if filters.date_from:
        start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=tz)
    if filters.date_to:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def _history_entries(filters: Filters, limit: int) -> list[AuditEntry]:
    if filters.kind not in ("", "change"):
        return []
    start, end = _day_bounds(filters)
    entries = []
    for model in history_models():
        qs = _history_for_case(model, filters.case) if filters.case else model.objects.all()
        if qs is None:
            continue
        if filters.user is not None:
            qs = qs.filter(history_user=filters.user)
        if start:
            qs = qs.filter(history_date__gte=start)
        if end:
            qs = qs.filter(history_date__lt=end)
        subject = str(model.instance_type._meta.verbose_name)
        for row in qs.select_related("history_user").order_by("-history_date", "-history_id")[:limit]:
            entries.append(
                AuditEntry(
                    at=row.history_date,
                    kind="change",
                    kind_label=f"{BASE_KINDS['change']}・{_HISTORY_TYPES.get(row.history_type, '')}",
                    user=row.history_user,
                    subject=subject,
                    _row=row,
                    _model=model,
                )
            )
    return entries


def _read_entries(filters: Filters, limit: int) -> list[AuditEntry]:
    if filters.kind not in ("", "read", "search", "download"):
        return []
    qs = CaseReadLog.objects.select_related("user", "case")
    if filters.user is not None:
        qs = qs.filter(user=filters.user)
    if filters.case is not None:
        qs = qs.filter(Q(case=filters.case) | Q(intake__case=filters.case))
    if filters.kind == "search":
        qs = qs.filter(view=SEARCH_VIEW)
    elif filters.kind == "download":
        qs = qs.filter(view__contains="PDF")
    elif filters.kind == "read":
        qs = qs.exclude(view=SEARCH_VIEW).exclude(view__contains="PDF")
    start, end = _day_bounds(filters)
    if start:
        qs = qs.filter(read_at__gte=start)
    if end:
        qs = qs.filter(read_at__lt=end)
    entries = []
    for log in qs.order_by("-read_at", "-id")[:limit]:
        kind = "search" if log.view == SEARCH_VIEW else "download" if "PDF" in log.view else "read"
        entries.append(
            AuditEntry(
                at=log.read_at,
                kind=kind,
                kind_label=BASE_KINDS[kind],
                user=log.user,
                subject=log.view + ("（尚未開案的受理紀錄）" if log.intake_id and not log.case_id else ""),
                case_id=log.case_id,
                case_number=log.case.number if log.case_id else "",
            )
        )
    return entries


def _event_entries(filters: Filters, limit: int) -> list[AuditEntry]:
    if filters.kind in BASE_KINDS:
        return []
    qs = AuditEvent.objects.select_related("actor", "case", "target_user")
    if filters.kind:
        qs = qs.filter(action=filters.kind)
    if filters.user is not None:
        user = filters.user
        qs = qs.filter(
            Q(actor=user)
            | Q(target_user=user)
            | Q(actor__isnull=True, username=user.get_username())  # failed sign-ins typed as this user
        )
    if filters.case is not None:
        qs = qs.filter(case=filters.case)
    start, end = _day_bounds(filters)
    if start:
        qs = qs.filter(at__gte=start)
    if end:
        qs = qs.filter(at__lt=end)
    entries = []
    for event in qs.order_by("-at", "-id")[:limit]:
        subject = staff_name(event.target_user) if event.target_user_id else ""
        entries.append(
            AuditEntry(
                at=event.at,
                kind=event.action,
                kind_label=action_label(event.action),
                user=event.actor,
                subject=subject,
                case_id=event.case_id,
                case_number=event.case.number if event.case_id else "",
                username=event.username,
                ip_address=event.ip_address or "",
                detail=event.detail,
            )
        )
    return entries


def audit_entries(filters: Filters, *, page: int = 1, page_size: int = PAGE_SIZE) -> tuple[list, bool]:
    """One page of the merged timeline, newest first, and whether an older page exists."""
    page = max(1, page)
    limit = page * page_size + 1
    merged = _history_entries(filters, limit) + _read_entries(filters, limit) + _event_entries(filters, limit)
    merged.sort(key=lambda e: e.at, reverse=True)
    start = (page - 1) * page_size
    return merged[start : start + page_size], len(merged) > start + page_size


# --- field-level changes ------------------------------------------------------------------------------


def _resolve_cases(entries: list[AuditEntry]) -> None:
    """The case of each history entry, with a query per kind of link (not per row)."""
    victims, via = {}, {}
    for entry in entries:
        if entry.kind != "change":
            continue
        row = entry._row
        how, attname, related = _case_link(entry._model.instance_type) or (None, None, None)
        if how == "self":
            entry.case_id = row.id
        elif how == "field":
            entry.case_id = row.case_id
        elif how == "victim":
            victims.setdefault(row.id, []).append(entry)
        elif how == "via":
            via.setdefault(related, {}).setdefault(getattr(row, attname), []).append(entry)
    if victims:
        for case_id, victim_id in Case.objects.filter(victim_id__in=victims).values_list("pk", "victim_id"):
            for entry in victims[victim_id]:
                entry.case_id = case_id
    for related, by_pk in via.items():
        for pk, case_id in related._base_manager.filter(pk__in=by_pk).values_list("pk", "case_id"):
            for entry in by_pk[pk]:
                entry.case_id = case_id
    missing = {e.case_id for e in entries if e.case_id and not e.case_number}
    numbers = dict(Case.objects.filter(pk__in=missing).values_list("pk", "number")) if missing else {}
    for entry in entries:
        if entry.case_id and not entry.case_number:
            entry.case_number = numbers.get(entry.case_id, "")


def _display(fieldobj, value, users: dict) -> str:
    if value in (None, ""):
        return "—"
    if fieldobj.choices:
        return str(dict(fieldobj.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if fieldobj.is_relation:
        related = getattr(fieldobj, "related_model", None)
        if related is get_user_model() and value in users:
            return staff_name(users[value])
        return f"#{str(value)[:8]}"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def _skip(name: str) -> bool:
    return name.startswith("history_") or name in ("chain_seq", "chain_hash", "chain_digest", "pii_digest")


def attach_changes(entries: list[AuditEntry], viewer, *, clear_pii: bool = True) -> None:
    """Field-level before/after for the history entries of one page (a query per changed row for its
    previous version, bounded by the page size). PII in clear only where `viewer` may read the case and
    `clear_pii` holds (never in an export)."""
    _resolve_cases(entries)
    case_ids = {e.case_id for e in entries if e.case_id}
    readable = set()
    if case_ids:
        readable = set(cases_for_user(viewer).filter(pk__in=case_ids).values_list("pk", flat=True))
    history_rows = [e for e in entries if e.kind == "change"]
    user_ids = set()
    pairs = []
    for entry in history_rows:
        row = entry._row
        prior = row.prev_record if row.history_type == "~" else None
        pairs.append((entry, row, prior))
    for entry, row, prior in pairs:
        for f in entry._model.instance_type._meta.concrete_fields:
            if f.is_relation and getattr(f, "related_model", None) is get_user_model():
                user_ids.add(getattr(row, f.attname, None))
                if prior is not None:
                    user_ids.add(getattr(prior, f.attname, None))
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids - {None})} if user_ids else {}
    for entry, row, prior in pairs:
        live = entry._model.instance_type
        pii = {f.attname for f in pii_fields(entry._model)}
        show_pii = clear_pii and entry.case_id in readable
        history_columns = {g.attname for g in entry._model._meta.concrete_fields}
        for f in live._meta.concrete_fields:
            if f.primary_key or _skip(f.attname) or f.attname not in history_columns:
                continue
            after = getattr(row, f.attname, None)
            before = getattr(prior, f.attname, None) if prior is not None else None
            if prior is None and row.history_type != "+":
                continue
            if prior is not None and before == after:
                continue
            if prior is None and after in (None, ""):
                continue
            label = str(f.verbose_name)
            if f.attname in pii:
                if f.attname.endswith("_index"):
                    entry.changes.append(Change(label, "", "（比對碼已更新）", pii=True))
                    continue
                entry.changes.append(
                    Change(
                        label,
                        _pii_text(f, before, show_pii) if prior is not None else "",
                        _pii_text(f, after, show_pii),
                        pii=True,
                    )
                )
                continue
            shown_before = _display(f, before, users) if prior is not None else ""
            entry.changes.append(Change(label, shown_before, _display(f, after, users)))


def _pii_text(f, value, show: bool) -> str:
    if value in (None, ""):
        return "—"
    if not show:
        return MASK
    return _display(f, value, {})


def user_choices():
    """Every staff account, inactive ones too (their trail stays)."""
    return get_user_model().objects.order_by("username")


__all__ = [
    "AuditEntry",
    "Filters",
    "MASK",
    "PAGE_SIZE",
    "attach_changes",
    "audit_entries",
    "history_models",
    "kind_choices",
    "user_choices",
]
