"""Pure evidence rules (guideline items 4-3-2, 6 and 8-1-3D), no Django: unit-tested without the database."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from urllib.parse import urlsplit

RETENTION_DAYS = 180  # 6-2a: platforms keep data at least 180 days

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
PHASH_RE = re.compile(r"^[0-9a-f]{16,64}$")


def retention_due(first_seen_on: dt.date) -> dt.date:
    """Guideline 6-2a: the platform may delete its data after 180 days from when the item was first seen."""
    return first_seen_on + dt.timedelta(days=RETENTION_DAYS)


def url_error(value: str) -> str:
    """A zh-Hant message when `value` is not an http(s) address with a host, else ""."""
    if not value:
        return ""
    if any(ch.isspace() for ch in value):
        return "網址不能包含空白，請貼上完整網址，例如 https://www.facebook.com/…"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises on a malformed port)
    except ValueError:
        return "網址格式不正確，請貼上完整網址，例如 https://www.facebook.com/…"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
        return "網址格式不正確，請貼上以 http:// 或 https:// 開頭的完整網址。"
    return ""


def normalise_ip(value: str) -> str:
    """The IPv4 or IPv6 address in its canonical form; ValueError with a zh-Hant message otherwise."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise ValueError(
            "IP 位址格式不正確，請輸入 IPv4（如 140.112.8.116）或 IPv6（如 2001:db8::1）。"
        ) from None


def hamming(a: str, b: str) -> int | None:
    """Bits that differ between two hex perceptual hashes of the same length; None when not comparable."""
    if not a or not b or len(a) != len(b):
        return None
    try:
        return bin(int(a, 16) ^ int(b, 16)).count("1")
    except ValueError:
        return None


def is_same_image(*, sha_a: str, sha_b: str, phash_a: str, phash_b: str, threshold: int) -> str:
    """ "exact" when the SHA-256 digests are equal, "similar" when the perceptual hashes differ in fewer
    than `threshold` bits (a re-encoded or resized copy), "" otherwise."""
    if sha_a and sha_a == sha_b:
        return "exact"
    distance = hamming(phash_a, phash_b)
    if distance is not None and distance < threshold:
        return "similar"
    return ""


# 8-1-3D: what evidence a platform row needs, and which item fields hold it.
NEEDS_ACCOUNT = "account"
NEEDS_VIDEO_POST_URL = "video_post_url"
NEEDS_MESSAGE_POST_URL = "message_post_url"
NEEDS_PRIVATE_ACCOUNT_REPORT = "private_account_report"
NEEDS_VIDEO_URL = "video_url"
NEEDS_ARTICLE_POST_URL = "article_post_url"

NEEDS_LABELS = {
    NEEDS_ACCOUNT: "對方帳號",
    NEEDS_VIDEO_POST_URL: "影片貼文網址",
    NEEDS_MESSAGE_POST_URL: "訊息貼文網址",
    NEEDS_PRIVATE_ACCOUNT_REPORT: "私人帳號檢舉",
    NEEDS_VIDEO_URL: "影片網址",
    NEEDS_ARTICLE_POST_URL: "文章貼文網址",
}
URL_NEEDS = {NEEDS_VIDEO_POST_URL, NEEDS_MESSAGE_POST_URL, NEEDS_VIDEO_URL, NEEDS_ARTICLE_POST_URL}


def platform_errors(
    *,
    needs: str,
    requires_recording: bool,
    platform_name: str,
    url: str,
    account_name: str,
    account_id: str,
    captured_by_recording: bool,
) -> dict[str, str]:
    """What the chosen platform's row of the 8-1-3D table (and 6-1-3B) asks for but the item lacks."""
    errors: dict[str, str] = {}
    label = NEEDS_LABELS.get(needs, "")
    if needs in URL_NEEDS and not url:
        errors["url"] = f"{platform_name} 的證據需要{label}，請填寫網址。"
    if needs == NEEDS_ACCOUNT and not (account_name or account_id):
        errors["poster_account_id"] = f"{platform_name} 的證據需要對方帳號，請填寫帳號名稱或 ID。"
    if needs == NEEDS_PRIVATE_ACCOUNT_REPORT and not account_id:
        errors["poster_account_id"] = f"{platform_name} 需以私人帳號檢舉，請填寫對方帳號 ID。"
    if requires_recording and not captured_by_recording:
        errors["capture_recording"] = (
            f"{platform_name} 須另行錄影保留蒐證過程（指引 6-1-3B），請勾選「錄影」。"
        )
    return errors
