"""Safety journey in a real browser (指引 7-1a, 7-1b, 7-2): a first contact where the victim says there is
immediate danger flags the case, alerts the supervisor, opens the safety plan with a prompt to review it
now and shows the reminder-sheet warning; the worker reviews the plan and records the sheet, and both
prompts go away."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cases.models import Notification
from safety.catalogue import load_catalogues
from safety.models import SafetyPlan, SafetySheet, SheetDelivery, ShelterScheme
from tests.browser.conftest import assert_styled, field, log_in, screenshot
from tests.factories import make_case

pytestmark = pytest.mark.browser


def test_first_contact_in_danger_leads_to_the_plan_and_the_sheet(
    new_page, hotline, worker, supervisor, screenshot_dir
):
    load_catalogues(SafetySheet, ShelterScheme)  # live_server flushed what the data migration loaded
    case = make_case(actor=hotline, worker=worker, victim_name="江小姐")
    number = case.number

    page = new_page()
    log_in(page, "worker", "pw-worker")
    page.goto(case.get_absolute_url())
    case_url = page.url
    safety = page.locator("#panel-safety")
    expect(safety.locator("#sheet-warning")).to_contain_text("尚未提供安全提醒單")
    expect(safety.locator("#safety-now")).to_have_count(0)  # not flagged yet, so the check below can fail

    # The first contact: reached, 有立即危險.
    page.get_by_role("link", name="新增聯繫紀錄", exact=True).click()
    page.get_by_role("group", name="方式").get_by_label("電話", exact=True).check()
    page.get_by_role("group", name="結果").get_by_label("已聯繫", exact=True).check()
    field(page, "是否有立即人身安全危險").select_option(label="有立即危險")
    field(page, "聯繫內容").fill("被害人表示前男友在公司樓下等她下班。")
    page.get_by_role("button", name="儲存聯繫紀錄").click()
    expect(page).to_have_url(case_url)

    # The flag, what to do now, the plan prompt and the sheet warning.
    expect(page.locator("#danger-flag")).to_contain_text("有立即人身安全危險")
    now = safety.locator("#safety-now")
    expect(now).to_contain_text("110")
    expect(now.locator("#plan-prompt")).to_contain_text("標記後尚未檢視")
    expect(safety.locator("#sheet-warning")).to_be_visible()
    assert SafetyPlan.objects.filter(case=case).exists()
    assert_styled(page)
    screenshot(page, screenshot_dir, "safety_case_flagged")

    # The supervisor is alerted (their own browser) and sees the plan not yet reviewed on the overview.
    assert (
        Notification.objects.filter(recipient=supervisor, kind=Notification.Kind.SAFETY, case=case).count()
        == 1
    )
    boss = new_page()
    log_in(boss, "supervisor", "pw-supervisor")
    expect(boss).to_have_url(re.compile(r"/overview/$"))
    row = boss.locator("#flagged-cases").get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text("標記後尚未檢視安全計畫")
    expect(boss.locator("#cases-without-sheet")).to_contain_text(number)
    boss.get_by_role("link", name=re.compile(r"^通知")).click()
    expect(boss.get_by_role("listitem").filter(has_text=f"案件 {number}")).to_contain_text(
        "有立即人身安全危險"
    )

    # The worker goes over the plan with the victim and records it; then records the sheet given by phone.
    now.get_by_role("link", name="檢視安全計畫").click()
    expect(page.get_by_role("heading", name=f"檢視安全計畫：案件 {number}")).to_be_visible()
    field(page, "檢視結果").fill("今晚由姊姊陪同，明天起改變下班路線。")
    page.get_by_role("button", name="登錄已檢視").click()
    expect(page).to_have_url(re.compile(re.escape(case_url)))
    expect(safety.locator("#plan-prompt")).to_contain_text("標記後已檢視安全計畫")

    safety.locator("#sheet-warning").get_by_role("link", name="登錄已提供").click()
    page.get_by_role("group", name="提供方式").get_by_label("電話說明", exact=True).check()
    page.get_by_role("button", name="登錄已提供").click()
    expect(safety.locator("#sheet-warning")).to_have_count(0)
    expect(safety.locator("#sheet-delivered")).to_contain_text("電話說明")
    assert SheetDelivery.objects.get(case=case).delivered_by == worker
    assert_styled(page)
    screenshot(page, screenshot_dir, "safety_case_reviewed")

    boss.goto("/overview/")
    expect(boss.locator("#flagged-cases").get_by_role("row").filter(has_text=number)).to_contain_text(
        "安全計畫已於標記後檢視"
    )
    expect(boss.locator("#cases-without-sheet")).not_to_contain_text(number)
