"""WCAG 2.1 AA (issue 18, point 7): axe-core, vendored in static/vendor/axe-core, on every page of every role.

One live server, one browser, the demo data of every app (seed_demo), and each demo role walked
through every page its links reach (tests/browser/site.py): lists, the case page with each app's
panel, every form, the deadline dashboard and its week agenda, search results, the 403 and 404 pages.
Some forms are also sent back empty, to check the page re-displayed with errors, whose summary must be
announced (role="alert"). Any serious or critical violation fails the test, listed with the rule, the
page and the elements.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case
from tests.browser import site
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

# Forms sent back empty, when the role reaches them: one per app at least, and the hub's main ones.
ERROR_FORMS = {
    "cases:intake_new_call",
    "cases:contact_new",
    "cases:dispatch",
    "cases:sms_template_edit",
    "referrals:new",
    "services:support_note_add",
    "legal:consultation_add",
    "safety:order_add",
    "evidence:item_add",
    "takedown:complaint_add",
}

# Pages each role must have reached, so that a walk cut short (a broken link, a failed sign-in) cannot
# pass for a clean one.
MUST_REACH = {
    "hotline": {
        "cases:intake_queue",
        "cases:intake_new_call",
        "cases:intake_detail",
        "cases:my_cases",
        "cases:detail",
    },
    "worker": {
        "cases:my_cases",
        "cases:detail",
        "cases:contact_new",
        "cases:deadlines",
        "services:support_note_add",
        "legal:consultation_add",
        "safety:order_add",
        "evidence:item_add",
        "takedown:complaint_add",
        "takedown:resources",
    },
    "police": {"referrals:list", "referrals:detail", "referrals:new", "legal:police_cases"},
    "supervisor": {
        "cases:overview",
        "cases:intake_queue",
        "cases:deadlines",
        "cases:sms_templates",
        "cases:sms_template_edit",
    },
    "admin": {"cases:sms_templates", "cases:notifications"},
}


def test_no_page_of_any_role_has_a_serious_accessibility_violation(
    django_db_serialized_rollback, migrated_db, browser, live_server, settings
):
    site.seed_demo(settings)
    case_number = Case.objects.order_by("opened_at").values_list("number", flat=True).first()
    failures: list[str] = []
    submitted: list[str] = []
    origin = live_server.url

    def check(page, where):
        page.wait_for_load_state("load")
        failures.extend(site.describe_violations(where, site.axe_violations(page)))

    context = browser.new_context(base_url=origin, locale="zh-TW", timezone_id="Asia/Taipei")
    page = context.new_page()
    page.goto("/login/")
    check(page, "anonymous /login/")
    page.goto("/no-such-page/")
    check(page, "anonymous 404")
    context.close()

    for role in site.ROLES:
        context = browser.new_context(base_url=origin, locale="zh-TW", timezone_id="Asia/Taipei")
        page = context.new_page()
        site.sign_in(page, settings, role)

        def check_page(page, visit, role=role):
            check(page, f"{role} {visit.url}")
            if visit.name in ERROR_FORMS and visit.status == 200:
                if page.locator("main form[method=post]").count() == 0:
                    failures.append(f"{role} {visit.url}: no form to send back")
                    return
                site.submit_empty(page)
                where = f"{role} {visit.url} (sent back with errors)"
                summary = page.locator("main [role=alert]").first
                if summary.count() == 0:
                    failures.append(f'{where}: no error summary with role="alert"')
                check(page, where)
                submitted.append(visit.name)

        visits = site.walk(page, origin, check_page)
        print(f"{role}: {len(visits)} pages")
        for visit in visits:
            print(f"  {visit.name} {visit.url}")
        failures.extend(f"{role} {problem}" for problem in site.broken(visits))
        missing = MUST_REACH[role] - {v.name for v in visits}
        assert not missing, f"{role} never reached {sorted(missing)}"

        page.goto("/search/")
        page.locator("#search-q").fill(case_number)
        page.locator("main").get_by_role("button", name="搜尋").click()
        expect(page.locator("main")).to_contain_text(re.compile("依案號(找到|查無)"))
        check(page, f"{role} search results")
        page.goto("/no-such-page/")
        check(page, f"{role} 404")
        if page.goto("/overview/").status == 403:
            check(page, f"{role} 403")
        context.close()

    assert ERROR_FORMS <= set(submitted), f"forms never sent back with errors: {ERROR_FORMS - set(submitted)}"
    assert not failures, "axe-core found serious or critical violations:\n" + "\n".join(failures)


def test_the_first_tab_shows_a_skip_link_that_moves_focus_to_the_main_content(new_page, hotline):
    page = new_page()
    log_in(page, "hotline", "pw-hotline")
    page.goto("/intake/")
    skip = page.get_by_role("link", name="跳到主要內容")
    assert skip.bounding_box()["width"] <= 1  # hidden from sight until a keyboard reaches it
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["width"] > 50 and box["height"] > 20 and box["y"] < 100
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside the page, past the navigation
    assert page.evaluate("document.activeElement.closest('main') !== null")
