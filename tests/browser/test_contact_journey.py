"""Contact journey in a real browser (指引 2-1, 7-1a): the worker records a contact that reached the
victim, is stopped until the immediate-danger question is answered (keeping what was typed), answers
有立即危險, and the case carries the flag on its page and in the worker's list; the supervisor, in their
own browser, is alerted and finds the case among the flagged ones on the unit overview."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cases.models import Contact, Notification
from tests.browser.conftest import assert_styled, field, log_in, screenshot
from tests.factories import make_case

pytestmark = pytest.mark.browser

VICTIM = "林小姐"
NOTES = "被害人表示前男友今天到住處樓下等候，並傳訊息威脅再散布影像；已說明報警與保護令。"
DANGER_ERROR = "這次有聯繫到被害人：請記錄是否有立即人身安全危險（指引 7-1，每次接觸都要詢問）。"


def test_contact_with_immediate_danger_flags_case_and_alerts_supervisor(
    new_page, hotline, worker, supervisor, screenshot_dir
):
    case = make_case(actor=hotline, worker=worker, victim_name=VICTIM)
    case_number = case.number

    # (a) Worker: my cases -> the case -> 新增聯繫紀錄; reached the victim, but no danger answer.
    page = new_page()
    log_in(page, "worker", "pw-worker")
    expect(page).to_have_url(re.compile(r"/cases/$"))
    expect(page.get_by_role("heading", name="我的案件")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=case_number)
    expect(row).to_contain_text(VICTIM)
    expect(row).not_to_contain_text("有立即危險")  # so the check after saving can fail
    row.get_by_role("link", name=case_number).click()
    expect(page).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    case_url = page.url
    expect(page.get_by_role("heading", name=re.compile(rf"^案件 {case_number}"))).to_be_visible()
    expect(page.locator("#danger-flag")).to_have_count(0)

    page.get_by_role("link", name="新增聯繫紀錄", exact=True).click()
    expect(page).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}/contact/$"))
    expect(page.get_by_role("heading", name=f"新增聯繫紀錄：案件 {case_number}")).to_be_visible()
    page.get_by_role("group", name="方式").get_by_label("電話", exact=True).check()
    page.get_by_role("group", name="結果").get_by_label("已聯繫", exact=True).check()
    danger = field(page, "是否有立即人身安全危險")
    expect(danger).to_have_value("")  # left unanswered
    notes = field(page, "聯繫內容")
    notes.fill(NOTES)
    assert_styled(page)
    page.get_by_role("button", name="儲存聯繫紀錄").click()

    # Back on the form: a zh-Hant message tied to the danger question, everything typed still there.
    expect(page.locator("#form-errors")).to_contain_text("資料有誤，請依下方標示修正；已填寫的內容都保留著。")
    expect(page.get_by_role("heading", name=f"新增聯繫紀錄：案件 {case_number}")).to_be_visible()
    expect(page.get_by_text(DANGER_ERROR)).to_be_visible()
    danger = field(page, "是否有立即人身安全危險")
    expect(danger).to_have_attribute("aria-invalid", "true")
    expect(danger).to_have_accessible_description(re.compile(re.escape(DANGER_ERROR)))
    notes = field(page, "聯繫內容")
    expect(notes).to_have_value(NOTES)
    expect(page.get_by_role("group", name="方式").get_by_label("電話", exact=True)).to_be_checked()
    expect(page.get_by_role("group", name="結果").get_by_label("已聯繫", exact=True)).to_be_checked()
    assert_styled(page)
    screenshot(page, screenshot_dir, "contact_form_danger_missing")
    assert not Contact.objects.exists()

    # (b) The worker answers 有立即危險 and saves: the case page carries the flag.
    danger.select_option(label="有立即危險")
    page.get_by_role("button", name="儲存聯繫紀錄").click()
    expect(page).to_have_url(case_url)
    expect(page.get_by_role("alert").filter(has_text="已記錄「有立即危險」")).to_be_visible()
    flag = page.locator("#danger-flag")
    expect(flag).to_be_visible()
    expect(flag).to_contain_text("有立即人身安全危險")
    contact_row = page.locator("#case-contacts").get_by_role("row").filter(has_text=NOTES)
    expect(contact_row).to_contain_text("有立即危險")
    assert_styled(page)
    screenshot(page, screenshot_dir, "case_page_danger_flag")

    page.get_by_role("link", name="我的案件", exact=True).click()
    expect(page).to_have_url(re.compile(r"/cases/$"))
    row = page.get_by_role("row").filter(has_text=case_number)
    expect(row).to_contain_text("有立即危險")

    # (c) Supervisor, own context: the alert in the navigation and on the notifications page, and the
    # case among the flagged ones on the unit overview (their home page).
    alerts = Notification.objects.filter(recipient=supervisor, kind=Notification.Kind.SAFETY, case=case)
    assert alerts.count() == 1
    unread = Notification.objects.filter(recipient=supervisor, read_at__isnull=True).count()
    page = new_page()
    log_in(page, "supervisor", "pw-supervisor")
    expect(page).to_have_url(re.compile(r"/overview/$"))
    expect(page.get_by_role("heading", name="單位總覽")).to_be_visible()
    expect(page.locator("#nav-notifications .badge")).to_have_text(str(unread))
    flagged_row = page.locator("#flagged-cases").get_by_role("row").filter(has_text=case_number)
    expect(flagged_row).to_contain_text(VICTIM)
    expect(flagged_row).to_contain_text("陳社工")
    assert_styled(page)
    screenshot(page, screenshot_dir, "overview_flagged_cases")

    page.get_by_role("link", name=re.compile(r"^通知")).click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    expect(page.get_by_role("heading", name="通知", exact=True)).to_be_visible()
    alert_item = page.get_by_role("listitem").filter(has_text=f"案件 {case_number}")
    expect(alert_item).to_contain_text("人身安全警示")
    expect(alert_item).to_contain_text("有立即人身安全危險")
    alert_item.get_by_role("link", name=re.compile(re.escape(case_number))).click()
    expect(page).to_have_url(case_url)
    expect(page.locator("#danger-flag")).to_be_visible()
