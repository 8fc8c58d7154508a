"""Printing the case page (issue: everyday use): the 列印 button prints; the print stylesheet leaves out
the navigation, buttons and forms and keeps the case's content; the hotline prints only what it sees."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import make_case

pytestmark = pytest.mark.browser


def test_the_case_page_prints_its_content_without_the_chrome(new_page, live_server, hotline, worker):
    case = make_case(actor=hotline, worker=worker, victim_name="林小姐", narrative="前男友散布影片，已截圖。")
    page = new_page()
    log_in(page, "worker", "pw-worker")
    page.goto(live_server.url + case.get_absolute_url())
    button = page.get_by_role("button", name="列印")
    expect(button).to_be_visible()
    # (an expression ending in a function would be called by evaluate itself: end it with a number)
    page.evaluate("window.__printed = 0; window.print = () => { window.__printed += 1; }; 0")
    button.click()
    assert page.evaluate("window.__printed") == 1

    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(button).to_be_hidden()
    expect(page.get_by_role("link", name="新增聯繫紀錄")).to_be_hidden()
    expect(page.locator("#case-intakes")).to_contain_text("前男友散布影片，已截圖。")
    expect(page.locator("#case-victim")).to_contain_text("林小姐")
    page.emulate_media(media="screen")
    expect(page.locator("nav.navbar")).to_be_visible()
