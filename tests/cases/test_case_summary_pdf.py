"""The case summary prints as a PDF in Traditional Chinese: CJK font embedded, no missing glyphs, ROC
dates, page numbers, only what the downloading role may see, and the download is a logged read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import CaseReadLog
from cases.rocdate import format_roc
from tests.factories import make_case
from tests.pdf import assert_printed_in_cjk, pdf_page_count

pytestmark = pytest.mark.django_db


def test_the_assigned_worker_downloads_the_summary_in_chinese(client, hotline, worker):
    case = make_case(actor=hotline, worker=worker)
    services.contact_record(
        actor=worker,
        case=case,
        contacted_at=timezone.now(),
        mode="phone",
        result="reached",
        immediate_danger="no",
        notes="被害人說明影像已被轉傳到論壇，討論下架申訴。",
    )
    client.force_login(worker)
    response = client.get(reverse("cases:summary_pdf", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert case.victim.name not in response["Content-Disposition"]
    text = assert_printed_in_cjk(response.content)
    assert "臺北市家庭暴力暨性侵害防治中心" in text
    assert "個案服務摘要" in text and case.number in text
    assert case.victim.name in text
    assert "討論下架申訴" in text
    assert format_roc(timezone.localdate()) in text
    assert f"第 1 頁／共 {pdf_page_count(response.content)} 頁" in text.replace("\n", "")
    assert CaseReadLog.objects.filter(case=case, user=worker, view="案件摘要（PDF）").count() == 1


def test_a_long_record_runs_onto_more_pages_with_their_numbers(client, hotline, worker):
    case = make_case(actor=hotline, worker=worker)
    start = timezone.now() - dt.timedelta(days=60)
    for i in range(60):
        services.contact_record(
            actor=worker,
            case=case,
            contacted_at=start + dt.timedelta(hours=i),
            mode="phone",
            result="reached",
            immediate_danger="no",
            notes=f"第 {i} 次聯繫：說明保存證據與下架申訴的進度，被害人情緒穩定。",
        )
    client.force_login(worker)
    data = client.get(reverse("cases:summary_pdf", args=[case.pk])).content
    pages = pdf_page_count(data)
    assert pages >= 2
    text = assert_printed_in_cjk(data).replace("\n", "")
    assert f"第 {pages} 頁／共 {pages} 頁" in text


@pytest.mark.parametrize("role", ["worker2", "hotline", "police"])
def test_no_one_else_gets_it(client, request, hotline, worker, role):
    case = make_case(actor=hotline, worker=worker)
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("cases:summary_pdf", args=[case.pk]))
    assert response.status_code in (403, 404)
    assert not CaseReadLog.objects.filter(case=case, view="案件摘要（PDF）").exists()


def test_the_tofu_check_can_fail():
    from tests.pdf import missing_glyphs

    assert missing_glyphs("案件\U0001f9a9") == {"\U0001f9a9"}  # an emoji Noto Sans CJK does not have
