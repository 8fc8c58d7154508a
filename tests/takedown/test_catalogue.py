"""The takedown catalogues hold the guideline's rows (loaded by migration, editable with history)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from takedown.models import PrivacySettingItem, ResourceLink, StopNCIIPartner

pytestmark = pytest.mark.django_db


def test_the_stopncii_partners_are_the_seven_of_5_2_1():
    assert list(StopNCIIPartner.objects.values_list("name", flat=True)) == [
        "facebook",
        "TikTok",
        "reddit",
        "Instagram",
        "bumble",
        "OnlyFans",
        "Threads",
    ]


def test_the_stopncii_page_names_the_partners(client, worker, case_of_worker):
    client.force_login(worker)
    html = client.get(reverse("takedown:stopncii", args=[case_of_worker.pk])).content.decode()
    assert "facebook、TikTok、reddit、Instagram、bumble、OnlyFans、Threads" in html


def test_the_privacy_checklist_holds_the_facebook_instagram_and_line_settings():
    rows = {(i.guideline_ref, i.platform, i.text) for i in PrivacySettingItem.objects.all()}
    assert ("5-3-1", "facebook", "隱私設定：分享內容的對象") in rows
    assert ("5-3-1", "facebook", "隱私設定：其他人可以在 facebook 上找到你的方式") in rows
    assert ("5-3-2", "Instagram", "隱私設定：阻擋陌生訊息") in rows
    assert {r[2] for r in rows if r[0] == "5-3-3A"} == {
        "隱私設定：關閉「允許利用 ID 加入好友」",
        "隱私設定：打開「阻擋訊息」",
    }
    assert {r[2] for r in rows if r[0] == "5-3-3B"} == {
        "設定：關閉「自動加入好友」",
        "設定：關閉「允許被加入好友」",
    }


def test_the_resources_are_grouped_as_1_3c_asks():
    categories = dict(ResourceLink.objects.values_list("code", "category"))
    assert categories["ncii-centre"] == categories["ncii-privacy"] == "takedown"
    assert categories["taipei-centre"] == "law"
    assert categories["private-me"] == categories["mohw-counselling"] == categories["ptsd-check"] == "support"
