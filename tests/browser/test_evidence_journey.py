"""The fingerprint is computed on the device (issue 16, item 2; 指引 4-3-2E): in a real browser the worker
picks an image, the page computes its SHA-256 and perceptual hash, and the request that leaves the page holds
the form fields and the two hex digests only — no file bytes, not multipart. Logging the same image again
tells the worker it was already reported."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from evidence.catalogue import load_catalogues
from evidence.models import ChecklistItem, EvidenceItem, Platform
from tests.browser.conftest import assert_styled, log_in, screenshot
from tests.factories import make_case

pytestmark = pytest.mark.browser


def _png() -> bytes:
    image = Image.new("RGB", (64, 48))
    for x in range(64):
        for y in range(48):
            image.putpixel((x, y), ((x * 4) % 256, (y * 5) % 256, ((x + y) * 3) % 256))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_only_the_digests_leave_the_page_and_a_repost_is_recognised(
    new_page, hotline, worker, screenshot_dir
):
    load_catalogues(Platform, ChecklistItem)  # live_server flushed the migration's rows
    case = make_case(actor=hotline, worker=worker)
    png = _png()
    sha = hashlib.sha256(png).hexdigest()
    posts = []

    page = new_page()
    page.on(
        "request", lambda r: posts.append(r) if r.method == "POST" and "/evidence/new/" in r.url else None
    )
    log_in(page, "worker", "pw-worker")

    for attempt in (1, 2):
        page.goto(f"/cases/{case.pk}/evidence/new/")
        assert_styled(page)
        assert page.locator("#evidence-form").get_attribute("enctype") is None
        assert page.locator("#fingerprint-file").get_attribute("name") is None
        page.locator("#id_platform").select_option(str(Platform.objects.get(code="facebook").pk))
        expect(page.locator("#platform-needs")).to_contain_text("影片貼文網址")
        page.locator("#id_url").fill(f"https://www.facebook.com/permalink.php?story_fbid={attempt}")
        page.locator("#id_first_seen_on").fill("115.11.01")
        page.get_by_label("全螢幕截圖（含日期）").check()
        page.locator("#fingerprint-file").set_input_files(
            files=[{"name": "screenshot.png", "mimeType": "image/png", "buffer": png}]
        )
        expect(page.locator("#id_sha256")).to_have_value(sha)
        expect(page.locator("#id_phash")).to_have_value(re.compile(r"^[0-9a-f]{16}$"))
        expect(page.locator("#fingerprint-state")).to_contain_text("影像未上傳")
        if attempt == 1:
            screenshot(page, screenshot_dir, "evidence_item_fingerprint")
        page.get_by_role("button", name="儲存").click()
        expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/#evidence$"))

    assert len(posts) == 2
    for request in posts:
        body = request.post_data_buffer
        assert request.headers["content-type"].startswith("application/x-www-form-urlencoded")
        assert b"\x89PNG" not in body and b"IHDR" not in body and b"screenshot.png" not in body
        assert len(body) < 2000  # the form fields and two digests; the PNG alone is larger
        assert f"sha256={sha}".encode() in body
    phash = EvidenceItem.objects.order_by("created_at").first().phash
    assert EvidenceItem.objects.filter(sha256=sha, phash=phash).count() == 2

    expect(
        page.get_by_role("alert").filter(has_text=re.compile(r"此影像已於 .* 登錄過（完全相同"))
    ).to_be_visible()
    expect(page.locator("#evidence-items")).to_contain_text(f"登錄過（完全相同；案件 {case.number}")
    screenshot(page, screenshot_dir, "evidence_repost_recognised")
