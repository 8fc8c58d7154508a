"""The pure evidence rules, without the database."""

from __future__ import annotations

import datetime as dt

import pytest

from evidence import rules


def test_retention_is_due_180_days_after_the_item_was_first_seen():
    assert rules.retention_due(dt.date(2026, 1, 1)) == dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    "url",
    ["https://www.ptt.cc/bbs/Gossiping/M.1.A.html", "http://t.me/x/1", "https://dcard.tw/f/x/p/1?ref=a#b"],
)
def test_full_http_addresses_are_accepted(url):
    assert rules.url_error(url) == ""


@pytest.mark.parametrize(
    "url",
    [
        "www.facebook.com/x",
        "javascript:alert(1)",
        "https://",
        "https://localhost/x",
        "https://a b.com",
        "https://x.com:99999/",
    ],
)
def test_malformed_addresses_get_a_message(url):
    assert "網址" in rules.url_error(url)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("140.112.8.116", "140.112.8.116"), (" 2001:DB8::1 ", "2001:db8::1"), ("", "")],
)
def test_ipv4_and_ipv6_addresses_are_normalised(value, expected):
    assert rules.normalise_ip(value) == expected


@pytest.mark.parametrize("value", ["999.1.1.1", "140.112.8", "fe80::zz", "ptt.cc"])
def test_malformed_ips_are_refused_in_chinese(value):
    with pytest.raises(ValueError, match="IP 位址格式不正確"):
        rules.normalise_ip(value)


def test_the_same_sha256_is_an_exact_match():
    assert (
        rules.is_same_image(sha_a="a" * 64, sha_b="a" * 64, phash_a="", phash_b="", threshold=10) == "exact"
    )


def test_perceptual_hashes_a_few_bits_apart_are_similar_and_far_apart_are_not():
    base = "f0f0f0f0f0f0f0f0"
    near = "f0f0f0f0f0f0f0f3"  # 2 bits differ
    far = "0f0f0f0f0f0f0f0f"  # 64 bits differ
    assert rules.hamming(base, near) == 2
    assert (
        rules.is_same_image(sha_a="1" * 64, sha_b="2" * 64, phash_a=base, phash_b=near, threshold=10)
        == "similar"
    )
    assert rules.is_same_image(sha_a="1" * 64, sha_b="2" * 64, phash_a=base, phash_b=far, threshold=10) == ""
    assert rules.is_same_image(sha_a="1" * 64, sha_b="2" * 64, phash_a=base, phash_b=near, threshold=2) == ""


def test_hashes_of_different_lengths_are_not_compared():
    assert rules.hamming("ff", "ffff") is None


def test_a_platform_needing_a_post_url_asks_for_it():
    errors = rules.platform_errors(
        needs=rules.NEEDS_VIDEO_POST_URL,
        requires_recording=False,
        platform_name="facebook",
        url="",
        account_name="",
        account_id="",
        captured_by_recording=False,
    )
    assert errors == {"url": "facebook 的證據需要影片貼文網址，請填寫網址。"}


def test_instagram_and_telegram_need_a_recording_of_the_capture():
    errors = rules.platform_errors(
        needs=rules.NEEDS_ACCOUNT,
        requires_recording=True,
        platform_name="Instagram（私訊）",
        url="",
        account_name="someone",
        account_id="",
        captured_by_recording=False,
    )
    assert list(errors) == ["capture_recording"]


def test_line_needs_the_account_id_for_a_private_account_report():
    errors = rules.platform_errors(
        needs=rules.NEEDS_PRIVATE_ACCOUNT_REPORT,
        requires_recording=False,
        platform_name="LINE",
        url="",
        account_name="名稱",
        account_id="",
        captured_by_recording=False,
    )
    assert "poster_account_id" in errors
