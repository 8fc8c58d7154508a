"""Browser journeys: Debian's Chromium, driven by Playwright's sync API, against pytest-django's live_server.

One browser per session, a fresh context (cookies, storage) per user. Nothing here skips: a missing
Chromium or missing CJK fonts fail the tests loudly, because a skipped acceptance test reads as green.

Screenshots go to $BROWSER_SCREENSHOT_DIR if set, else to a pytest temp dir (never into the repo).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from cases.roles import sync_role_groups

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TIMEOUT_MS = 5_000

# Bootstrap's .bg-dark and app.css's body background: proof that both local stylesheets applied.
NAVBAR_DARK = "rgb(33, 37, 41)"
APP_BODY_BG = "rgb(246, 247, 249)"


def _require_cjk_fonts() -> None:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        pytest.fail("fc-list not found: install fontconfig and fonts-noto-cjk", pytrace=False)
    families = subprocess.run([fc_list, ":lang=zh-tw", "family"], capture_output=True, text=True).stdout
    if not families.strip():
        pytest.fail("no Traditional Chinese font installed: apt-get install -y fonts-noto-cjk", pytrace=False)


@pytest.fixture(scope="session")
def serialized_db(django_db_setup) -> str | None:
    """The test database as migrations left it (catalogues included), taken before Playwright starts.

    While Playwright's event loop runs in this thread, Django's connection handler gives the thread
    another connection object, which lacks the `_test_serialized_contents` pytest-django stored on the
    first one: `django_db_serialized_rollback` then restored nothing and seed_demo met no catalogues.
    """
    from django.db import connections

    return getattr(connections["default"], "_test_serialized_contents", None)


@pytest.fixture
def migrated_db(serialized_db, transactional_db) -> None:
    """The database as migrations left it (catalogues, role groups), for a test that seeds the demo.

    An earlier live-server test's flush emptied the catalogues and post_migrate recreated only content
    types and permissions, so the tables are emptied without post_migrate and the serialized database
    loaded back. (`django_db_serialized_rollback` cannot do this here: see serialized_db.)
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connections

    assert serialized_db, "pytest-django did not serialize the test database"
    # Sequences are not reset: the serialized rows come back with their ids (the overview counters
    # among them), and a reset sequence would hand the next trigger-written counter row an id in use.
    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True, reset_sequences=False)
    ContentType.objects.clear_cache()
    connections["default"].creation.deserialize_db_from_string(serialized_db)
    ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def browser(serialized_db) -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM} (set CHROMIUM_PATH or apt-get install -y chromium); "
            "`playwright install` cannot download browsers here",
            pytrace=False,
        )
    _require_cjk_fonts()
    expect.set_options(timeout=TIMEOUT_MS)
    # While Playwright runs, its event loop counts as running in this thread, so Django's ORM calls
    # from the test itself would raise SynchronousOnlyOperation. Allow them exactly for that span.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield chromium
            chromium.close()


@pytest.fixture(autouse=True)
def role_groups(transactional_db, live_server) -> None:
    """live_server flushes every table after each test, the role groups made by migration included."""
    sync_role_groups()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    configured = os.environ.get("BROWSER_SCREENSHOT_DIR")
    if configured:
        path = Path(configured)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def new_page(browser, live_server):
    """Factory: a page in a new browser context (one per user), closed after the test.

    Each page records static-asset failures, CSP refusals and script errors on `page.problems`.
    """
    contexts = []

    def make() -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            locale="zh-TW",
            timezone_id="Asia/Taipei",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.problems = []

        def on_response(response):
            if "/static/" in response.url and response.status >= 400:
                page.problems.append(f"{response.status} {response.url}")

        def on_console(message):
            if message.type == "error" and "Content Security Policy" in message.text:
                page.problems.append(f"CSP: {message.text}")

        page.on("response", on_response)
        page.on("requestfailed", lambda request: page.problems.append(f"failed {request.url}"))
        page.on("console", on_console)
        page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()


def log_in(page: Page, username: str, password: str) -> None:
    """Through the login page, as staff do: the home URL redirects there and back to the role's page."""
    page.goto("/")
    expect(page.get_by_role("heading", name="登入")).to_be_visible()
    page.get_by_label("帳號").fill(username)
    page.get_by_label("密碼").fill(password)
    page.get_by_role("button", name="登入").click()
    expect(page.get_by_role("button", name="登出")).to_be_visible()


def field(page_or_locator, label: str):
    """A form control by its label's words, ignoring a trailing （note） and crispy's required ' *'.

    field(page, "承辦人") finds 「承辦人*」 but not 「承辦人聯絡電話」; field(page, "案情概述") finds
    「案情概述（被害人已陳述的內容…）*」, so rewording the note does not break the journey.
    """
    return page_or_locator.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*(（[^）]*）)?\s*\*?\s*$"))


def assert_styled(page: Page) -> None:
    """Bootstrap and app.css applied, every static asset loaded, nothing refused by the CSP."""
    page.wait_for_load_state("load")
    assert page.problems == []
    nav_bg = page.locator("nav.navbar").evaluate("el => getComputedStyle(el).backgroundColor")
    body_bg = page.locator("body").evaluate("el => getComputedStyle(el).backgroundColor")
    assert (nav_bg, body_bg) == (NAVBAR_DARK, APP_BODY_BG)


def screenshot(page: Page, directory: Path, name: str) -> Path:
    path = directory / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path
