"""Walk every page a role can reach, for the accessibility and phone-layout tests.

Pages are found the way a user finds them: from the role's landing page and the notifications page
(every signed-in user has it), following each link inside the app, one page per URL name (and per
set of query keys, so the deadline dashboard's week agenda is a page of its own). The case page is
the exception: every case the role can open is visited, since each holds different satellite panels.
A page another issue adds is therefore checked as soon as some link leads to it.

Not walked: the Django admin (not ours), PDFs (not HTML), links off the site, logout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Page

from tests.browser.conftest import log_in

# Each demo account of seed_demo, as signed in by the tests; worker2 works like worker.
ROLES = ["hotline", "worker", "police", "supervisor", "admin"]
START = ["/", "/notifications/"]
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_NAMES = {"logout"}
# Every case the role may open is visited: the case page is where the apps' panels and tables meet.
EVERY_RECORD = {"cases:detail"}
MAX_PAGES = 250  # a guard against a crawl that never ends (e.g. an endless "next week" link chain)

AXE_JS = "/static/vendor/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE_JS = (Path(__file__).parent / "phone_layout.js").read_text()


@dataclass(frozen=True)
class Visit:
    url: str
    name: str  # URL name, e.g. "cases:detail"; "" for a page that failed (status 500)
    status: int


def seed_demo(settings) -> None:
    """The demo data of every app (cases.registry.register_demo_data): each panel and list has rows.

    The demo needs the catalogues the migrations load (offences, platforms, programmes…), which an
    earlier transactional test flushes: a test that calls this asks for `migrated_db` (and for
    `django_db_serialized_rollback`, which is what makes pytest-django serialize the database at all).
    """
    settings.DEBUG = True  # seed_demo refuses to run otherwise: it creates accounts with a known password
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False  # the pages themselves as in production (our 404/403 templates, no debug pages)


def sign_in(page: Page, settings, username: str) -> None:
    log_in(page, username, settings.DEMO_PASSWORD)


def _page_key(url: str, name: str, kwargs: dict) -> tuple:
    parts = urlsplit(url)
    query_keys = frozenset(key for key, _ in parse_qsl(parts.query) if key != "page")
    record = tuple(sorted(kwargs.items())) if name in EVERY_RECORD else ()
    return name, query_keys, record


def _resolve(url: str, origin: str) -> tuple[str, dict] | None:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.namespace in EXCLUDED_NAMESPACES or match.view_name in EXCLUDED_NAMES:
        return None
    return match.view_name, match.kwargs


def walk(page: Page, origin: str, check: Callable[[Page, Visit], None]) -> list[Visit]:
    """Visit each page the signed-in role reaches by links and call check(page, visit) on it.

    A page that fails (500) is in the list with its status and no URL name, and is not checked.
    """
    queue = [origin + path for path in START]
    seen: set[tuple] = set()
    visits: list[Visit] = []
    while queue:
        url = queue.pop(0).split("#")[0]
        resolved = _resolve(url, origin)
        if resolved is None or urlsplit(url).path.endswith(".pdf"):
            continue
        key = _page_key(url, *resolved)
        if key in seen:
            continue
        seen.add(key)
        assert len(visits) < MAX_PAGES, f"more than {MAX_PAGES} pages: {[v.url for v in visits[-20:]]}"
        response = page.goto(url)
        if response.status >= 500:
            visits.append(Visit(url=url.removeprefix(origin), name="", status=response.status))
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        landed = _resolve(page.url, origin)  # "/" redirects to the role's own page
        if landed is None:
            continue
        visit = Visit(url=page.url.removeprefix(origin), name=landed[0], status=response.status)
        visits.append(visit)
        queue.extend(page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"))
        check(page, visit)  # last: a check may leave the page (e.g. to submit its form)
    return visits


def axe_violations(page: Page) -> list[dict]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # From the app's own static files: the strict CSP allows scripts from 'self' only.
        page.add_script_tag(url=AXE_JS)
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return result.violations
                .filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                              targets: v.nodes.map((n) => n.target.join(" "))}));
        }""",
        AXE_TAGS,
    )


def broken(visits: list[Visit]) -> list[str]:
    return [f"{v.url} answered {v.status}" for v in visits if v.status >= 500]


def describe_violations(where: str, violations: list[dict]) -> Iterator[str]:
    for v in violations:
        targets = ", ".join(v["targets"][:8]) + (" …" if len(v["targets"]) > 8 else "")
        yield f"{where}: {v['id']} ({v['impact']}: {v['help']}) at {targets}"


def phone_layout_problems(page: Page) -> list[str]:
    """What makes the page unreadable on a phone: see phone_layout.js."""
    return page.evaluate(PHONE_JS)


def submit_empty(page: Page) -> None:
    """Empty the page's first form and submit it past the browser's own checks, as a careless user might."""
    form = page.locator("main form[method=post]").first
    form.evaluate(
        """(form) => {
            form.noValidate = true;
            for (const el of form.elements) {
                if (el.type === "hidden" || el.type === "submit" || el.type === "button") continue;
                if (el.type === "checkbox" || el.type === "radio") el.checked = false;
                else if (el.tagName === "SELECT") el.selectedIndex = el.multiple ? -1 : 0;
                else el.value = "";
            }
        }"""
    )
    with page.expect_navigation():
        form.locator("[type=submit]").first.click()
