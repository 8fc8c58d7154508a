"""Where satellite apps plug into the hub. Each app registers from its own AppConfig.ready(); the hub
never imports a satellite (an import-linter contract in pyproject.toml keeps it so).

- case-page panels (`register_case_panel`): a section of the case page with its own template;
- case entries (`register_case_entries`): the app's records on the case's one chronological record,
  so nobody asks the victim again (指引 G-2);
- audit timeline sources (`register_timeline_source`): the app's history rows on the supervisor's
  audit timeline;
- home pages (`register_home_page`): where a role lands after signing in;
- navigation links (`register_nav_link`): the app's pages in the top navigation;
- demo data (`register_demo_data`): what `manage.py seed_demo` adds for the app;
- linkable records (`register_linkable_records`): records one app lets another refer to without
  importing it (an escort links the police report it accompanies; a takedown complaint the evidence
  items it rests on); the reference is a key such as "legal.policereport:<pk>";
- danger listeners (`register_danger_listener`): called when a case is flagged 有立即危險;
- overview panels (`register_overview_panel`), charts (`register_overview_statistic`) and flagged-case
  notes (`register_flag_notes`): what an app adds to the supervisor overview.

Role permissions are registered in cases/roles.py (`register_role_permissions`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

# --- case-page panels ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CasePanel:
    title: str
    template: str
    context: Callable  # (request, case) -> dict, or None to hide the panel for this user
    order: int = 100
    anchor: str = ""  # the id of the section on the case page, for the section navigation


_panels: list[CasePanel] = []


def register_case_panel(panel: CasePanel) -> None:
    _panels.append(panel)
    _panels.sort(key=lambda p: p.order)


def panels_for(request, case) -> list[tuple[CasePanel, dict]]:
    shown = []
    for panel in _panels:
        ctx = panel.context(request, case)
        if ctx is not None:
            shown.append((panel, ctx))
    return shown


# --- intake-page panels --------------------------------------------------------------------------

_intake_panels: list[CasePanel] = []


def register_intake_panel(panel: CasePanel) -> None:
    """A section of the intake page; panel.context is (request, intake) -> dict or None."""
    _intake_panels.append(panel)
    _intake_panels.sort(key=lambda p: p.order)


def intake_panels_for(request, intake) -> list[tuple[CasePanel, dict]]:
    shown = []
    for panel in _intake_panels:
        ctx = panel.context(request, intake)
        if ctx is not None:
            shown.append((panel, ctx))
    return shown


# --- the case's chronological record ---------------------------------------------------------------


@dataclass(frozen=True)
class CaseEntry:
    """One thing that happened in a case, as the worker reads it on the case page."""

    at: dt.datetime
    kind: str  # short label: 「專線來電」, 「聯繫」, 「法律諮詢」
    title: str
    detail: str = ""  # what was said or done; shown only to those who may read the case
    by: str = ""  # staff name
    url: str = ""
    flag: str = ""  # "danger" for an entry that recorded immediate danger


_entry_sources: list[Callable] = []


def register_case_entries(source: Callable) -> None:
    """source(case, user) -> list[CaseEntry]; called once per case page, so keep it to a query or two."""
    _entry_sources.append(source)


def case_entry_sources() -> list[Callable]:
    return list(_entry_sources)


# --- audit timeline --------------------------------------------------------------------------------

_timeline_sources: list[Callable] = []


def register_timeline_source(source: Callable) -> None:
    """source(case) -> list of cases.selectors.TimelineEvent (history rows of the app's records)."""
    _timeline_sources.append(source)


def timeline_sources() -> list[Callable]:
    return list(_timeline_sources)


# --- home pages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomePage:
    permission: str
    url_name: str
    order: int


_homes: list[HomePage] = []


def register_home_page(*, permission: str, url_name: str, order: int) -> None:
    """A user holding `permission` lands on `url_name`; the lowest order that applies wins."""
    _homes.append(HomePage(permission, url_name, order))
    _homes.sort(key=lambda h: h.order)


def home_page_for(user) -> str | None:
    for home in _homes:
        if user.has_perm(home.permission):
            return home.url_name
    return None


# --- navigation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NavLink:
    permission: str
    url_name: str
    label: str
    order: int


_nav_links: list[NavLink] = []


def register_nav_link(*, permission: str, url_name: str, label: str, order: int = 100) -> None:
    """A link in the top navigation for users holding `permission` (after the hub's own links)."""
    _nav_links.append(NavLink(permission, url_name, label, order))
    _nav_links.sort(key=lambda link: link.order)


def nav_links_for(user) -> list[NavLink]:
    return [link for link in _nav_links if user.has_perm(link.permission)]


# --- records one app refers to from another --------------------------------------------------------


@dataclass(frozen=True)
class LinkableRecord:
    key: str  # "<app_label>.<model>:<pk>", stored by the app that refers to it
    label: str  # what staff see when choosing it: 「報案 115.12.03 14:00 大安分局」
    at: dt.datetime | None = None
    data: dict | None = None  # plain facts the referring app may use (e.g. {"url": ..., "platform": ...})


_linkables: dict[str, list[Callable]] = {}


def register_linkable_records(kind: str, source: Callable) -> None:
    """source(case) -> list[LinkableRecord] of one kind ("police_report", "evidence_item", …)."""
    _linkables.setdefault(kind, []).append(source)


def linkable_records(case, kind: str) -> list[LinkableRecord]:
    records: list[LinkableRecord] = []
    for source in _linkables.get(kind, []):
        records += source(case)
    return records


def record_key(instance) -> str:
    """The key other apps store to refer to `instance`."""
    return f"{instance._meta.label_lower}:{instance.pk}"


# --- danger flag and the supervisor overview -------------------------------------------------------

_danger_listeners: list[Callable] = []


def register_danger_listener(listener: Callable) -> None:
    """listener(*, case, actor) runs in the transaction that flags the case 有立即危險 (e.g. the safety app
    opens or surfaces the case's safety plan)."""
    _danger_listeners.append(listener)


def danger_listeners() -> list[Callable]:
    return list(_danger_listeners)


@dataclass(frozen=True)
class OverviewPanel:
    title: str
    template: str
    context: Callable  # (request, counts) -> dict, or None to hide it; counts: {name: capped int}
    # (request) -> {name: counter key or queryset}: read in the overview's own count query, so a panel's
    # count costs no query of its own; a key of cases_unitcounter (the app's triggers keep it, exact)
    # or a queryset counted up to the cap (「999+」).
    counts: Callable | None = None
    order: int = 100


_overview_panels: list[OverviewPanel] = []


def register_overview_panel(panel: OverviewPanel) -> None:
    _overview_panels.append(panel)
    _overview_panels.sort(key=lambda p: p.order)


def overview_panel_counts(request) -> dict[tuple[int, str], object]:
    """Every panel's querysets to count, keyed (panel position, name), for the overview's count query."""
    wanted = {}
    for i, panel in enumerate(_overview_panels):
        for name, qs in (panel.counts(request) if panel.counts else {}).items():
            wanted[(i, name)] = qs
    return wanted


def overview_panels_for(request, counted: dict | None = None) -> list[tuple[OverviewPanel, dict]]:
    """`counted`: the numbers of overview_panel_counts(), as the overview's count query returned them."""
    counted = counted or {}
    shown = []
    for i, panel in enumerate(_overview_panels):
        counts = {name: n for (at, name), n in counted.items() if at == i}
        ctx = panel.context(request, counts)
        if ctx is not None:
            shown.append((panel, ctx))
    return shown


@dataclass(frozen=True)
class OverviewStatistic:
    """A chart of the supervisor overview. `compute(now)` returns the chart (cases.dashboards.chart) from
    aggregates over the whole unit; the beat job stores it (cases.UnitStatistic) and the page reads the
    stored rows, so no request aggregates every case."""

    key: str  # "<app_label>.<name>", the stored row's key
    compute: Callable  # (now: datetime) -> dict
    permission: str = "cases.view_unit_overview"  # who sees the chart
    order: int = 100


_overview_statistics: list[OverviewStatistic] = []


def register_overview_statistic(statistic: OverviewStatistic) -> None:
    _overview_statistics.append(statistic)
    _overview_statistics.sort(key=lambda s: s.order)


def overview_statistics() -> list[OverviewStatistic]:
    return list(_overview_statistics)


@dataclass(frozen=True)
class FlagNotes:
    """A short text beside each flagged case on the overview, from columns read with the flagged rows
    (no query of its own). `columns()`: {name: expression over the case}, names prefixed with the app's
    label; `text(row)`: the note of one row (a named tuple holding those columns), or "" for none."""

    columns: Callable[[], dict]
    text: Callable


_flag_notes: list[FlagNotes] = []


def register_flag_notes(notes: FlagNotes) -> None:
    _flag_notes.append(notes)


def flag_note_columns() -> dict:
    """Every app's columns, to annotate onto the flagged cases' query."""
    columns: dict = {}
    for notes in _flag_notes:
        columns.update(notes.columns())
    return columns


def flag_notes(rows) -> dict:
    """{case pk: the notes joined} for rows read with flag_note_columns()."""
    out = {}
    for row in rows:
        texts = [text for notes in _flag_notes if (text := notes.text(row))]
        if texts:
            out[row.pk] = "；".join(texts)
    return out


# --- search ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    label: str  # what the user sees: 「轉介表 115.11.20 大安分局（家防中心已收件，處理中）」
    url: str


_search_sources: list[Callable] = []


def register_search_source(source: Callable) -> None:
    """source(user, term: cases.search.Term) -> [SearchHit], already scoped to what the user may open."""
    _search_sources.append(source)


def search_sources() -> list[Callable]:
    return list(_search_sources)


# --- demo data -------------------------------------------------------------------------------------

_demo_sources: list[tuple[int, Callable]] = []


def register_demo_data(add: Callable, *, order: int = 100) -> None:
    """add(*, users, cases, rng) creates the app's fictional records through its services."""
    _demo_sources.append((order, add))
    _demo_sources.sort(key=lambda item: item[0])


def demo_data_sources() -> list[Callable]:
    return [add for _, add in _demo_sources]
