"""The evidence catalogues hold the guideline's rows (loaded by migration, editable with history)."""

from __future__ import annotations

import pytest

from evidence.models import ChecklistItem, Platform

pytestmark = pytest.mark.django_db


def test_the_platform_table_holds_the_8_1_3d_rows_with_the_evidence_each_needs():
    needs = {p.name: p.get_needs_display() for p in Platform.objects.all()}
    assert needs["Instagram（私訊）"] == needs["Messenger"] == "對方帳號"
    assert needs["facebook"] == needs["Instagram"] == needs["Twitter（X）"] == "影片貼文網址"
    assert needs["Telegram"] == "訊息貼文網址"
    assert needs["LINE"] == "私人帳號檢舉"
    assert needs["TikTok"] == needs["Youtube"] == needs["各種色情網站"] == "影片網址"
    assert needs["Ptt"] == needs["Dcard"] == "文章貼文網址"
    assert set(Platform.objects.filter(requires_recording=True).values_list("code", flat=True)) == {
        "instagram",
        "instagram-dm",
        "telegram",
    }
    assert list(Platform.objects.filter(shows_ip=True).values_list("code", flat=True)) == ["ptt"]


def test_the_checklists_hold_the_reminders_the_points_a_to_g_and_the_room_by_version():
    items = ChecklistItem.objects.filter(version="115")
    by_group = {g: [i.guideline_ref for i in items.filter(group=g)] for g in ChecklistItem.Group.values}
    assert by_group["reminder"] == ["6-1-3A"] * 6
    assert [r for r in by_group["checklist"] if "(" in r] == [f"6-1-3B({c})" for c in "abcdefg"]
    assert by_group["dont_delete"] == ["4-3-2B", "4-3-2B"]
    assert [i.text for i in items.filter(group="room")] == [
        "筆電（可上網）",
        "可側錄手機",
        "具備隱私之會談空間",
    ]


def test_catalogue_rows_keep_their_history():
    platform = Platform.objects.get(code="dcard")
    platform.name = "Dcard 狄卡"
    platform.save()
    assert platform.history.count() == 2
