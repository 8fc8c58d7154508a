"""Issue 14, point 7 (指引 9-2-5, 9-2-7) in a real browser: a worker closes the police report of a victim
under 18. Marking it done without a guardian or an escorting worker is refused with what was typed kept;
with a guardian and the complaint decision it saves, and the case page shows the statement details."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from legal.models import PoliceReport
from tests.browser.conftest import assert_styled, field, log_in, screenshot
from tests.factories import make_case
from tests.legal.factories import make_police_report

pytestmark = pytest.mark.browser


def test_a_minors_report_needs_a_companion_before_it_is_done(new_page, hotline, worker, screenshot_dir):
    today = timezone.localdate()
    birth = today.replace(year=today.year - 16) - dt.timedelta(days=10)
    case = make_case(actor=hotline, worker=worker, victim_birth_date=birth)
    report = make_police_report(actor=worker, case=case, unit_name="臺北市政府警察局婦幼警察隊")
    PoliceReport.objects.filter(pk=report.pk).update(scheduled_at=timezone.now() - dt.timedelta(hours=2))

    page = new_page()
    log_in(page, "worker", "pw-worker")
    page.goto(f"/legal/police-reports/{report.pk}/")
    assert_styled(page)
    expect(page.get_by_text("未滿18歲").first).to_be_visible()
    field(page, "狀態").select_option("done")
    field(page, "是否提出告訴").select_option("filed")
    field(page, "筆錄所載法條").fill("刑法第319條之3")
    page.get_by_label("於獨立空間製作筆錄（指引 9-2-2）").check()
    page.get_by_role("button", name="儲存").click()

    expect(page.get_by_text("標示已完成筆錄前，請登錄監護人陪同或陪同社工")).to_be_visible()
    expect(field(page, "筆錄所載法條")).to_have_value("刑法第319條之3")
    assert PoliceReport.objects.get(pk=report.pk).status == PoliceReport.Status.BOOKED
    screenshot(page, screenshot_dir, "legal-minor-report-refused")

    field(page, "未成年被害人的陪同者").select_option("guardian")
    page.get_by_role("button", name="儲存").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/#legal$"))
    panel = page.locator("#legal-police-reports")
    expect(panel).to_contain_text("監護人陪同")
    expect(panel).to_contain_text("法條：刑法第319條之3")
    expect(panel).to_contain_text("提出告訴")
    assert page.problems == []
    screenshot(page, screenshot_dir, "legal-minor-report-done")
