"""DEVELOPERS acceptance journeys, in a real browser: a call becomes a dispatched case, the worker reads
what the caller already said, police see only the progress of their referral, and a typing mistake
costs the hotline nothing it already typed."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import services
from cases.models import Case, Intake
from referrals.models import Referral
from tests.browser.conftest import assert_styled, field, log_in, screenshot

pytestmark = pytest.mark.browser

NARRATIVE = "前男友在社群平台散布交往時拍攝的私密影像，被害人已截圖保存網址。"
POLICE_NARRATIVE = "被害人至婦幼隊報案，表示影像遭上傳至境外網站，同意轉介社工。"


def _roc_now() -> tuple[str, str]:
    """Now in Taipei as staff type it: ROC date (115.11.26) and HH:MM. Written out, not via cases.rocdate."""
    now = timezone.localtime()
    return f"{now.year - 1911}.{now.month:02d}.{now.day:02d}", f"{now:%H:%M}"


def _open_call_form(page):
    page.get_by_role("link", name="登錄來電", exact=True).click()
    expect(page.get_by_role("heading", name="登錄專線來電")).to_be_visible()
    received = page.get_by_role("group", name="來電時間")
    return received.get_by_placeholder("例：115.11.30"), received.get_by_placeholder("HH:MM")


def test_call_becomes_case_worker_reads_it_police_see_only_status(
    new_page, hotline, worker, police, screenshot_dir
):
    # (1) Hotline: queue -> call form -> intake -> open case -> dispatch -> case page.
    page = new_page()
    log_in(page, "hotline", "pw-hotline")
    expect(page).to_have_url(re.compile(r"/intake/$"))
    expect(page.get_by_role("heading", name="受理佇列")).to_be_visible()

    received_date, received_time = _open_call_form(page)
    roc_date, hhmm = _roc_now()
    received_date.fill(roc_date)
    received_time.fill(hhmm)
    field(page, "管道").select_option(label="24小時專線")
    field(page, "來電者身分").select_option(label="被害人本人")
    field(page, "被害人姓名").fill("林小姐")
    field(page, "被害人手機").fill("0912-345-678")
    field(page, "被害人身分證字號").fill("a123456789")
    field(page, "是否有立即人身安全危險").select_option(label="無立即危險")
    page.get_by_label("影像下架", exact=True).check()
    page.get_by_label("保存證據", exact=True).check()
    field(page, "案情概述").fill(NARRATIVE)
    page.get_by_label("提供影像下架資源", exact=True).check()
    field(page, "被害人意願").select_option(label="同意接受服務")
    assert_styled(page)
    screenshot(page, screenshot_dir, "intake_form_filled")
    page.get_by_role("button", name="儲存來電紀錄").click()

    expect(page.get_by_role("alert")).to_contain_text("來電紀錄已儲存")
    # The ROC date and time typed come back unchanged (Asia/Taipei round trip).
    expect(page.get_by_role("heading", name="專線來電")).to_contain_text(f"{roc_date} {hhmm}")
    expect(page.locator(".narrative")).to_have_text(NARRATIVE)
    expect(page.get_by_text("A123456789")).to_be_visible()
    expect(page.get_by_text("影像下架、保存證據")).to_be_visible()
    page.get_by_role("button", name="開新案件").click()

    heading = page.get_by_role("heading", name=re.compile(r"^派案：案件 \d{3}-\d{6}$"))
    expect(heading).to_be_visible()
    case_number = heading.inner_text().removeprefix("派案：案件 ").strip()
    expect(page.get_by_role("alert")).to_contain_text(f"已開案（案號 {case_number}）")
    field(page, "承辦社工").select_option(label="陳社工（服務中 0 案）")
    field(page, "派案說明").fill("被害人同意接受服務，請於今日內聯繫。")
    page.get_by_role("button", name="派案", exact=True).click()

    expect(page).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}/$"))
    case_url = page.url
    expect(page.get_by_role("heading", name=f"案件 {case_number}")).to_contain_text("服務中")
    expect(page.get_by_text("承辦社工：陳社工")).to_be_visible()
    expect(page.locator("#case-intakes .narrative")).to_have_text(NARRATIVE)
    assert_styled(page)
    screenshot(page, screenshot_dir, "case_page_hotline")

    # (2) Worker, own context: my cases -> the case -> what the caller already told the hotline.
    page = new_page()
    log_in(page, "worker", "pw-worker")
    expect(page).to_have_url(re.compile(r"/cases/$"))
    expect(page.get_by_role("heading", name="我的案件")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=case_number)
    expect(row).to_contain_text("林小姐")
    row.get_by_role("link", name=case_number).click()
    expect(page).to_have_url(case_url)
    expect(page.locator("#case-intakes .narrative")).to_have_text(NARRATIVE)
    expect(page.get_by_role("link", name="改派")).to_have_count(0)
    assert_styled(page)
    screenshot(page, screenshot_dir, "case_page_worker")

    # (3) Police, own context: my referrals -> referral form -> shared status only.
    page = new_page()
    log_in(page, "police", "pw-police")
    expect(page).to_have_url(re.compile(r"/referrals/$"))
    expect(page.get_by_role("heading", name="我的轉介")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="填寫轉介表").click()
    expect(page.get_by_role("heading", name="數位性影像案件轉介表")).to_be_visible()
    field(page, "轉介單位").fill("臺北市政府警察局婦幼警察隊")
    field(page, "承辦人").fill("張警員")
    field(page, "承辦人聯絡電話").fill("02-2345-6789")
    field(page, "被害人姓名").fill("吳小姐")
    field(page, "被害人手機").fill("0987-654-321")
    page.get_by_label("已受理報案").check()
    page.get_by_label("已主動詢問被害人是否需要轉介社工").check()
    field(page, "被害人轉介社工意願").select_option(label="需要社工協助")
    field(page, "是否有立即人身安全危險").select_option(label="無立即危險")
    field(page, "案情概述").fill(POLICE_NARRATIVE)
    page.get_by_role("button", name="送出轉介表").click()

    expect(page.get_by_role("alert")).to_contain_text("轉介表已送出")
    expect(page.locator("#shared-status")).to_have_text("家防中心已收件，處理中")
    expect(page.get_by_text(POLICE_NARRATIVE)).to_have_count(0)
    referral_url = page.url

    # The hotline's case is not theirs: a plain 404, no content, not even that it exists.
    response = page.goto(case_url)
    assert response is not None and response.status == 404
    expect(page.locator("body")).not_to_contain_text(NARRATIVE)
    expect(page.locator("body")).not_to_contain_text("林小姐")
    expect(page.locator("body")).not_to_contain_text(case_number)

    # Once the centre opens and dispatches their referral, police see the progress, still not the case.
    referral = Referral.objects.get(referrer=police)
    own_case = services.case_open_from_intake(actor=hotline, intake=referral.intake)
    services.dispatch_case(actor=hotline, case=own_case, worker=worker, reason="轉介案件派案")
    page.goto(referral_url)
    expect(page.locator("#shared-status")).to_have_text("已開案，社工服務中")
    expect(page.locator("body")).not_to_contain_text(own_case.number)
    response = page.goto(own_case.get_absolute_url())
    assert response is not None and response.status == 404
    expect(page.locator("body")).not_to_contain_text(POLICE_NARRATIVE)


def test_invalid_mobile_shows_zh_hant_error_and_keeps_what_was_typed(new_page, hotline, screenshot_dir):
    page = new_page()
    log_in(page, "hotline", "pw-hotline")
    received_date, received_time = _open_call_form(page)
    roc_date, hhmm = _roc_now()
    received_date.fill(roc_date)
    received_time.fill(hhmm)
    field(page, "來電者身分").select_option(label="家屬")
    field(page, "來電者姓名").fill("林媽媽")
    field(page, "被害人姓名").fill("林小姐")
    phone = field(page, "被害人手機")
    phone.fill("0912-345")
    field(page, "是否有立即人身安全危險").select_option(label="有立即危險")
    page.get_by_label("人身安全", exact=True).check()
    narrative = field(page, "案情概述")
    narrative.fill(NARRATIVE)
    page.get_by_role("button", name="儲存來電紀錄").click()

    expect(page.get_by_role("heading", name="登錄專線來電")).to_be_visible()
    expect(page.get_by_text("資料有誤，請依下方標示修正；已填寫的內容都保留著。")).to_be_visible()
    # The message is tied to the field (aria-describedby), so a screen reader reads it with the field.
    phone_error = "請輸入臺灣手機號碼：09 開頭共 10 碼（例如 0912-345-678），或 +886 9 開頭。"
    expect(phone).to_have_accessible_description(phone_error)
    expect(page.get_by_text(phone_error)).to_be_visible()
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_value("0912-345")
    expect(received_date).to_have_value(roc_date)
    expect(received_time).to_have_value(hhmm)
    expect(field(page, "來電者身分")).to_have_value(Intake.CallerRelation.FAMILY)
    expect(field(page, "來電者姓名")).to_have_value("林媽媽")
    expect(field(page, "被害人姓名")).to_have_value("林小姐")
    expect(field(page, "是否有立即人身安全危險")).to_have_value(Intake.Danger.YES)
    expect(page.get_by_label("人身安全", exact=True)).to_be_checked()
    expect(narrative).to_have_value(NARRATIVE)
    assert_styled(page)
    screenshot(page, screenshot_dir, "intake_form_error")
    assert not Intake.objects.exists() and not Case.objects.exists()
