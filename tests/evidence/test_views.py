"""Evidence pages: what a worker types, what comes back, what never leaves the browser."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseReadLog, Deadline
from cases.rocdate import format_roc
from evidence.models import EvidenceItem, EvidenceTeaching
from tests.evidence.factories import make_item, make_teaching, platform, required_codes

pytestmark = pytest.mark.django_db


def _item_post(**overrides) -> dict:
    data = {
        "platform": str(platform("facebook").pk),
        "url": "https://www.facebook.com/permalink.php?story_fbid=42",
        "first_seen_on": format_roc(timezone.localdate() - dt.timedelta(days=2)),
        "capture_fullscreen": "on",
        "kept_where": "usb",
    }
    data.update(overrides)
    return data


class TestItemAdd:
    def test_the_worker_logs_an_item_and_its_retention_deadline_is_tracked(
        self, client, worker, case_of_worker
    ):
        client.force_login(worker)
        response = client.post(reverse("evidence:item_add", args=[case_of_worker.pk]), _item_post())
        assert response.status_code == 302
        item = EvidenceItem.objects.get(case=case_of_worker)
        assert item.url.endswith("story_fbid=42")
        assert Deadline.objects.filter(kind=Deadline.Kind.PLATFORM_RETENTION, source_id=str(item.pk)).exists()

    def test_the_form_has_no_upload_field_and_is_not_multipart(self, client, worker, case_of_worker):
        client.force_login(worker)
        html = client.get(reverse("evidence:item_add", args=[case_of_worker.pk])).content.decode()
        form = re.search(r"<form[^>]*id=\"evidence-form\"[^>]*>", html).group(0)
        assert "multipart" not in form
        file_input = re.search(r"<input[^>]*type=\"file\"[^>]*>", html).group(0)
        assert "name=" not in file_input
        assert 'name="sha256"' in html and 'name="phash"' in html
        assert "style=" not in html  # CSP style-src 'self': no style attributes
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # and no inline scripts

    def test_a_file_posted_anyway_is_dropped_and_the_fields_saved(self, client, worker, case_of_worker):
        client.force_login(worker)
        image = SimpleUploadedFile("x.jpg", b"\xff\xd8\xff" + b"0" * 1000, content_type="image/jpeg")
        response = client.post(
            reverse("evidence:item_add", args=[case_of_worker.pk]), {**_item_post(), "file": image}
        )
        assert response.status_code == 302
        assert EvidenceItem.objects.filter(case=case_of_worker).count() == 1

    def test_bad_input_comes_back_with_what_was_typed_and_chinese_messages(
        self, client, worker, case_of_worker
    ):
        client.force_login(worker)
        tomorrow = format_roc(timezone.localdate() + dt.timedelta(days=1))
        response = client.post(
            reverse("evidence:item_add", args=[case_of_worker.pk]),
            _item_post(
                platform=str(platform("ptt").pk),
                url="ptt.cc/bbs/abc",
                poster_ip="140.112.8",
                first_seen_on=tomorrow,
            ),
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "網址格式不正確" in html
        assert "IP 位址格式不正確" in html
        assert "首次發現於網路日期不能晚於今天" in html
        assert 'value="ptt.cc/bbs/abc"' in html
        assert 'value="140.112.8"' in html
        assert not EvidenceItem.objects.exists()

    def test_an_unknown_platform_is_refused(self, client, worker, case_of_worker):
        client.force_login(worker)
        response = client.post(
            reverse("evidence:item_add", args=[case_of_worker.pk]), _item_post(platform="99999")
        )
        assert "請從清單選擇平台" in response.content.decode()
        assert not EvidenceItem.objects.exists()

    def test_the_form_asks_for_what_the_chosen_platform_needs(self, client, worker, case_of_worker):
        client.force_login(worker)
        response = client.post(
            reverse("evidence:item_add", args=[case_of_worker.pk]),
            _item_post(platform=str(platform("instagram").pk), capture_fullscreen="on"),
        )
        html = response.content.decode()
        assert "Instagram 須另行錄影保留蒐證過程" in html
        assert "文章貼文網址" in html  # the 8-1-3D table beside the form

    def test_a_re_posted_image_is_announced_when_logged(self, client, worker, case_of_worker):
        earlier = make_item(actor=worker, case=case_of_worker, sha256="c" * 64)
        client.force_login(worker)
        response = client.post(
            reverse("evidence:item_add", args=[case_of_worker.pk]), _item_post(sha256="C" * 64), follow=True
        )
        html = response.content.decode()
        assert f"此影像已於 {format_roc(timezone.localdate(earlier.created_at))} 登錄過" in html
        assert case_of_worker.number in html


class TestItemEdit:
    def test_opening_the_edit_page_is_a_read_of_the_case(self, client, worker, case_of_worker):
        item = make_item(actor=worker, case=case_of_worker)
        client.force_login(worker)
        assert client.get(reverse("evidence:item_edit", args=[item.pk])).status_code == 200
        assert CaseReadLog.objects.filter(
            case=case_of_worker, user=worker, view="證據保存：證據項目編輯頁"
        ).exists()

    def test_confirming_the_copy_closes_the_retention_deadline(self, client, worker, case_of_worker):
        item = make_item(actor=worker, case=case_of_worker, kept_where="not_yet")
        client.force_login(worker)
        data = _item_post(
            url=item.url, copy_confirmed_on=format_roc(timezone.localdate()), kept_encrypted="on"
        )
        assert client.post(reverse("evidence:item_edit", args=[item.pk]), data).status_code == 302
        deadline = Deadline.objects.get(kind=Deadline.Kind.PLATFORM_RETENTION, source_id=str(item.pk))
        assert deadline.state == Deadline.State.DONE


class TestTeaching:
    def test_the_worker_records_the_teaching_with_its_checklist(self, client, worker, case_of_worker):
        client.force_login(worker)
        response = client.post(
            reverse("evidence:teaching", args=[case_of_worker.pk]),
            {
                "taught_on": format_roc(timezone.localdate()),
                "mode": "face",
                "weak_digital": "on",
                "interpreter_needed": "on",
                "language": "越南語",
                "ticked": required_codes() + ["6-1-2-room"],
            },
        )
        assert response.status_code == 302
        teaching = EvidenceTeaching.objects.get(case=case_of_worker)
        assert teaching.language == "越南語"
        assert "6-1-2-room" in teaching.ticked

    def test_an_interpreter_without_a_language_is_refused_and_the_ticks_are_kept(
        self, client, worker, case_of_worker
    ):
        client.force_login(worker)
        response = client.post(
            reverse("evidence:teaching", args=[case_of_worker.pk]),
            {
                "taught_on": format_roc(timezone.localdate()),
                "mode": "face",
                "interpreter_needed": "on",
                "ticked": ["6-1-3B-a"],
            },
        )
        html = response.content.decode()
        assert "需要通譯時，請填寫使用語言" in html
        assert re.search(r'value="6-1-3B-a"[^>]*checked', html)
        assert not EvidenceTeaching.objects.exists()


class TestCasePanel:
    def test_the_worker_sees_items_and_the_checklist_state_on_the_case_page(
        self, client, worker, case_of_worker
    ):
        make_teaching(actor=worker, case=case_of_worker)
        make_item(actor=worker, case=case_of_worker, url="https://www.facebook.com/unique-post")
        client.force_login(worker)
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        assert "https://www.facebook.com/unique-post" in html
        assert "檢核完成" in html

    def test_the_hotline_sees_nothing_of_the_evidence(self, client, hotline, worker, case_of_worker):
        make_item(actor=worker, case=case_of_worker, url="https://www.facebook.com/unique-post")
        client.force_login(hotline)
        html = client.get(case_of_worker.get_absolute_url()).content.decode()
        assert "unique-post" not in html
        assert "證據項目" not in html
