"""Passkey journey in a real browser: Chromium's virtual authenticator (DevTools WebAuthn domain) stands in
for a phone's or laptop's screen lock. The first sign-in makes a passkey and hands out recovery codes; the
next sign-in is the password and the passkey; a second device's passkey is added on the security page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_styled, screenshot

pytestmark = pytest.mark.browser


def _password_step(page, username: str, password: str) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="登入")).to_be_visible()
    page.get_by_label("帳號").fill(username)
    page.get_by_label("密碼").fill(password)
    page.get_by_role("button", name="登入").click()


def _virtual_authenticator(page) -> tuple:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    options = {
        "protocol": "ctap2",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": True,
        "automaticPresenceSimulation": True,
    }
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]
    return cdp, authenticator


def test_first_sign_in_makes_a_passkey_and_the_next_signs_in_with_it(
    settings, live_server, new_page, worker, screenshot_dir
):
    from django_otp_webauthn.models import WebAuthnCredential

    host = urlsplit(live_server.url).hostname
    assert host == "localhost", "a passkey needs a host name, not an IP address (--liveserver localhost)"
    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_WEBAUTHN_RP_ID = host
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    page = new_page()
    cdp, authenticator = _virtual_authenticator(page)

    _password_step(page, "worker", "pw-worker")
    expect(page.get_by_role("heading", name="第一次登入：設定雙因素驗證")).to_be_visible()
    assert_styled(page)  # passkeys.js loaded from static, no CSP refusal
    screenshot(page, screenshot_dir, "signin-enrol-passkey")
    page.get_by_label("名稱（方便日後辨認）").fill("辦公室電腦")
    page.get_by_role("button", name="建立通行金鑰").click()

    expect(page.get_by_role("heading", name="您的復原碼")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="我已保存，繼續").click()
    expect(page.get_by_role("button", name="登出")).to_be_visible()
    assert WebAuthnCredential.objects.get(user=worker).name == "辦公室電腦"
    page.get_by_role("button", name="登出").click()

    _password_step(page, "worker", "pw-worker")
    expect(page.get_by_role("heading", name="雙因素驗證")).to_be_visible()
    expect(page.get_by_role("button", name="登出")).to_have_count(0)
    page.get_by_role("button", name="使用通行金鑰登入").click()
    expect(page.get_by_role("button", name="登出")).to_be_visible()
    assert page.problems == []

    held = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(held) == 1
    credential = WebAuthnCredential.objects.get(user=worker)
    assert credential.last_used_at is not None and credential.sign_count == held[0]["signCount"]

    # A second device (a new laptop): its passkey is added on the security page.
    cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": authenticator})
    cdp, laptop = _virtual_authenticator(page)
    page.goto("/account/security/")
    expect(page.locator("#passkeys")).to_contain_text("辦公室電腦")
    page.get_by_label("新通行金鑰的名稱").fill("家裡筆電")
    page.get_by_role("button", name="新增通行金鑰").click()
    expect(page.locator("#passkeys")).to_contain_text("家裡筆電")
    expect(page.get_by_text("已新增通行金鑰「家裡筆電」。")).to_be_visible()
    assert_styled(page)
    screenshot(page, screenshot_dir, "security-passkeys")
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": laptop})["credentials"]) == 1
