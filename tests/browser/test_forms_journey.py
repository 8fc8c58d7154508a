"""Forms never lose work (issue 18), in a real browser: a double click saves one call, the idle warning
offers 繼續工作, and a call typed while the session ran out is back on the form after signing in again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cases.models import FormDraft, Intake
from tests.browser.conftest import assert_styled, field, log_in

pytestmark = pytest.mark.browser

NARRATIVE = "對方把分手前拍的影片傳給被害人的同事，被害人已截圖保存。"


def _fill_call(page) -> None:
    received = page.get_by_role("group", name="來電時間")
    received.get_by_placeholder("例：115.11.30").fill("115.11.30")
    received.get_by_placeholder("HH:MM").fill("09:30")
    field(page, "管道").select_option(label="24小時專線")
    field(page, "來電者身分").select_option(label="被害人本人")
    field(page, "被害人姓名").fill("王小姐")
    field(page, "是否有立即人身安全危險").select_option(label="無立即危險")
    page.get_by_label("影像下架", exact=True).check()
    field(page, "案情概述").fill(NARRATIVE)
    field(page, "被害人意願").select_option(label="同意接受服務")


def test_a_double_click_on_save_makes_one_call_record(new_page, hotline):
    page = new_page()
    log_in(page, "hotline", "pw-hotline")
    page.goto("/intake/call/new/")
    _fill_call(page)
    narrative = field(page, "案情概述")
    expect(narrative.locator("xpath=following-sibling::*[contains(@class,'char-counter')]")).to_have_text(
        f"{len(NARRATIVE)}／10000 字"
    )
    assert_styled(page)
    page.get_by_role("button", name="儲存來電紀錄").dblclick()
    expect(page.get_by_role("heading", name="專線來電")).to_be_visible()
    expect(page.locator(".narrative")).to_have_text(NARRATIVE)
    assert Intake.objects.count() == 1


def test_a_double_click_without_the_script_is_still_saved_once(hotline, browser, live_server):
    """The server's one-time token alone: scripts off, so nothing disables the button."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, locale="zh-TW")
    try:
        page = context.new_page()
        log_in(page, "hotline", "pw-hotline")
        page.goto("/intake/call/new/")
        _fill_call(page)
        page.get_by_role("button", name="儲存來電紀錄").dblclick()
        expect(page.get_by_role("heading", name="專線來電")).to_be_visible()
        assert Intake.objects.count() == 1
    finally:
        context.close()


def test_the_idle_warning_and_a_call_kept_across_an_expired_session(new_page, hotline, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 0.1  # 6 seconds
    settings.SESSION_IDLE_WARNING_MINUTES = 0.05  # warned 3 seconds before
    page = new_page()
    log_in(page, "hotline", "pw-hotline")
    page.goto("/intake/call/new/")
    _fill_call(page)

    # The warning: an alert dialog with the focus on 繼續工作, which keeps the session.
    dialog = page.get_by_role("alertdialog", name="即將自動登出")
    expect(dialog).to_be_visible(timeout=10_000)
    expect(dialog).to_contain_text("您已閒置一段時間，將於 1 分鐘後自動登出")
    continue_button = dialog.get_by_role("button", name="繼續工作")
    expect(continue_button).to_be_focused()
    continue_button.click()
    expect(dialog).to_be_hidden()

    # No answer this time: the session runs out with the call typed; the page keeps it on screen.
    expect(page.get_by_text("已超過閒置時間")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="儲存來電紀錄").click()

    expect(page.get_by_role("heading", name="登入")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("剛才填寫的內容尚未儲存，已暫時加密保留")
    assert Intake.objects.count() == 0 and FormDraft.objects.count() == 1
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 15
    page.get_by_label("帳號").fill("hotline")
    page.get_by_label("密碼").fill("pw-hotline")
    page.get_by_role("button", name="登入").click()

    expect(page).to_have_url(re.compile(r"/intake/call/new/$"))
    expect(page.get_by_role("alert")).to_contain_text("已還原您登出前填寫的內容，這些內容尚未儲存")
    expect(field(page, "案情概述")).to_have_value(NARRATIVE)
    expect(field(page, "被害人姓名")).to_have_value("王小姐")
    expect(page.get_by_label("影像下架", exact=True)).to_be_checked()
    assert FormDraft.objects.count() == 0
    assert page.evaluate("() => window.localStorage.length + window.sessionStorage.length") == 0
    page.get_by_role("button", name="儲存來電紀錄").click()
    expect(page.locator(".narrative")).to_have_text(NARRATIVE)
    assert Intake.objects.count() == 1
