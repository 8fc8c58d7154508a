"""Services journey on a phone-sized screen (指引 2-1-1, 3-1, 3-1-3D): the worker records a screening whose
suicide item is 2 and sees the urgent flag, the supervisor finds the alert in their notifications; the
worker records an interview escort by ticking its checklist, sees the 3-day record deadline, completes
the 出勤服務工作紀錄表 and downloads its PDF, which reads back in Traditional Chinese."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from cases.rocdate import format_roc
from services.catalogue import load_catalogues
from services.models import Escort, EscortReport
from tests.browser.conftest import assert_styled, field, log_in, screenshot
from tests.factories import make_case
from tests.pdf import assert_printed_in_cjk

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_screening_alert_and_interview_escort_with_its_record_form_on_a_phone(
    new_page, hotline, worker, supervisor, screenshot_dir, tmp_path
):
    load_catalogues(apps)  # live_server flushed the tables the data migration filled
    case = make_case(actor=hotline, worker=worker, victim_name="周小姐")

    page = new_page()
    log_in(page, "worker", "pw-worker")
    page.set_viewport_size(PHONE)
    page.goto(case.get_absolute_url())
    panel = page.locator("#panel-services")
    expect(panel.locator("#screening-urgent")).to_have_count(0)

    # (a) A BSRS-5 with the suicide item at 2 (中等程度): urgent whatever the total.
    panel.get_by_role("link", name="新增情緒篩檢").click()
    expect(page.get_by_role("heading", name=f"情緒篩檢（BSRS-5）：案件 {case.number}")).to_be_visible()
    for i in range(1, 6):
        page.locator(f"input[name=item{i}][value='1']").check()
    page.locator("input[name=item_suicide][value='2']").check()
    assert_styled(page)
    screenshot(page, screenshot_dir, "services_screening_phone")
    page.get_by_role("button", name="儲存篩檢").click()
    expect(page.get_by_role("alert").filter(has_text="請立即評估自殺風險並陪伴被害人")).to_be_visible()
    urgent = page.locator("#screening-urgent")
    expect(urgent).to_be_visible()
    expect(urgent).to_contain_text("自殺意念緊急")
    expect(page.locator("#services-screenings")).to_contain_text("身心適應狀況良好")

    # (b) The supervisor, in their own browser, has the alert naming the case number.
    boss = new_page()
    log_in(boss, "supervisor", "pw-supervisor")
    boss.goto("/notifications/")
    # The link itself: the 已讀 button repeats the text for screen readers, visually hidden.
    wording = re.compile(rf"案件 {re.escape(case.number)}：情緒篩檢自殺意念")
    alert = boss.get_by_role("link").filter(has_text=wording)
    expect(alert).to_be_visible()
    expect(boss.get_by_text("周小姐")).to_have_count(0)

    # (c) The worker records an interview escort done today, ticking the checklist on the phone.
    page.goto(case.get_absolute_url())
    page.locator("#panel-services").get_by_role("link", name="新增陪同偵訊").click()
    expect(page.get_by_role("heading", name=f"新增陪同偵訊：案件 {case.number}")).to_be_visible()
    start = timezone.localtime(timezone.now() - dt.timedelta(hours=2))
    consented = start - dt.timedelta(days=1)
    field(page, "被害人同意社工陪同").check()
    page.locator("input[name=consent_at_0]").fill(format_roc(consented.date()))
    page.locator("input[name=consent_at_1]").fill(consented.strftime("%H:%M"))
    page.locator("input[name=consent_how][value=oral]").check()
    page.locator("input[name=starts_at_0]").fill(format_roc(start.date()))
    page.locator("input[name=starts_at_1]").fill(start.strftime("%H:%M"))
    page.locator("input[name=status][value=done]").check()
    checklist = page.locator("#escort-checklist")
    for code in ("3-1-1C", "3-1-1D", "3-1-1E", "3-1-3A"):
        checklist.get_by_role("checkbox", name=re.compile(rf"^{code} ")).check()
    checklist.get_by_label("3-1-1C 說明").fill("警方安排隔離偵訊室並使用代號")
    screenshot(page, screenshot_dir, "services_escort_phone")
    page.get_by_role("button", name="儲存陪同紀錄").click()

    due = format_roc(start.date() + dt.timedelta(days=3))
    expect(page.get_by_role("alert").filter(has_text=f"出勤服務工作紀錄表請於 {due} 前完成")).to_be_visible()
    escort = Escort.objects.get(case=case)
    assert escort.ticks == ["3-1-1C", "3-1-1D", "3-1-1E", "3-1-3A"]
    row = page.locator("#services-escorts").get_by_role("row").filter(has_text="陪同偵訊")
    expect(row).to_contain_text("4/16")
    expect(row).to_contain_text("待完成")
    expect(page.get_by_text(re.compile(r"出勤服務工作紀錄表（陪同偵訊")).first).to_be_visible()
    screenshot(page, screenshot_dir, "services_case_panel_phone")

    # (d) The record form, completed; the deadline closes; the PDF downloads.
    row.get_by_role("link", name="出勤服務工作紀錄表").click()
    expect(page.locator("#record-due")).to_contain_text(due)
    field(page, "服務內容摘要").fill("陪同被害人至婦幼隊製作筆錄，協助確認筆錄內容。")
    page.get_by_role("button", name="完成紀錄表").click()
    expect(page.get_by_role("alert").filter(has_text="出勤服務工作紀錄表已完成")).to_be_visible()
    assert EscortReport.objects.filter(escort=escort).exists()
    row = page.locator("#services-escorts").get_by_role("row").filter(has_text="陪同偵訊")
    expect(row).to_contain_text("已完成")
    with page.expect_download(timeout=30_000) as info:  # WeasyPrint lays out the CJK font first
        row.get_by_role("link", name="PDF").click()
    path = tmp_path / "record.pdf"
    info.value.save_as(path)
    text = assert_printed_in_cjk(path.read_bytes())
    assert "出勤服務工作紀錄表" in text and case.number in text
    assert "陪同被害人至婦幼隊製作筆錄" in text
