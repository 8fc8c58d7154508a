"""On a phone (issue 18, point 8): at 390 × 844 every page a role reaches is readable.

Every page of every role that works cases (tests/browser/site.py walks them: the case page with each
app's panel, the contact form, every list, the deadline dashboard and its week agenda, the overview,
notifications, the resources page) and the search results: the page does not scroll sideways, no box
on it scrolls sideways (tables stack into cards, app.css `stack-sm`), and no text is squeezed into a
column a character or two wide (tests/browser/phone_layout.js says exactly how that is measured).
"""

from __future__ import annotations

import pytest

from cases.models import Case
from tests.browser import site

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ROLES = ["hotline", "worker", "police", "supervisor"]  # the admin has no case pages
MUST_REACH = {
    "hotline": {"cases:intake_queue", "cases:my_cases", "cases:detail", "cases:notifications"},
    "worker": {
        "cases:my_cases",
        "cases:detail",
        "cases:contact_new",
        "cases:deadlines",
        "takedown:resources",
    },
    "police": {"referrals:list", "referrals:detail", "legal:police_cases"},
    "supervisor": {
        "cases:overview",
        "cases:intake_queue",
        "cases:deadlines",
        "cases:detail",
        "legal:accusations",
    },
}


def test_every_page_of_every_role_is_readable_on_a_phone(
    django_db_serialized_rollback, migrated_db, browser, live_server, settings
):
    site.seed_demo(settings)
    case_number = Case.objects.order_by("opened_at").values_list("number", flat=True).first()
    failures: list[str] = []

    for role in ROLES:
        context = browser.new_context(base_url=live_server.url, locale="zh-TW", timezone_id="Asia/Taipei")
        page = context.new_page()
        site.sign_in(page, settings, role)  # at desktop width: on a phone the sign-out button is in the menu
        page.set_viewport_size(PHONE)

        def check(page, where):
            page.wait_for_load_state("load")
            failures.extend(f"{where}: {problem}" for problem in site.phone_layout_problems(page))

        visits = site.walk(
            page, live_server.url, lambda page, visit, role=role: check(page, f"{role} {visit.url}")
        )
        print(f"{role}: {len(visits)} pages at {PHONE['width']} px")
        failures.extend(f"{role} {problem}" for problem in site.broken(visits))
        missing = MUST_REACH[role] - {v.name for v in visits}
        assert not missing, f"{role} never reached {sorted(missing)}"
        page.goto("/search/")
        page.locator("#search-q").fill(case_number)
        page.locator("main").get_by_role("button", name="搜尋").click()
        page.wait_for_url("**/search/")
        check(page, f"{role} search results")
        context.close()

    assert not failures, f"unreadable at {PHONE['width']} px:\n" + "\n".join(failures)
