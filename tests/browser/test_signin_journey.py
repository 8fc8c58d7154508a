"""Sign-in journey in a real browser: the first sign-in enrols an authenticator (the code computed here from
the secret the page shows, as the app on a phone would), hands out recovery codes once; the next
sign-in asks for a code after the password."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.accounts.helpers import code_from_secret
from tests.browser.conftest import assert_styled, screenshot

pytestmark = pytest.mark.browser


def _password_step(page, username: str, password: str) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="登入")).to_be_visible()
    page.get_by_label("帳號").fill(username)
    page.get_by_label("密碼").fill(password)
    page.get_by_role("button", name="登入").click()


def test_first_sign_in_enrols_then_the_next_asks_for_a_code(settings, new_page, worker, screenshot_dir):
    settings.TWO_FACTOR_REQUIRED = True
    page = new_page()

    _password_step(page, "worker", "pw-worker")
    expect(page.get_by_role("heading", name="第一次登入：設定雙因素驗證")).to_be_visible()
    expect(page.get_by_role("button", name="登出")).to_have_count(0)  # not signed in yet
    qr = page.locator("#totp-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # drawn locally, rendered
    assert_styled(page)  # no CSP refusal (the QR code is an SVG data URI)
    screenshot(page, screenshot_dir, "signin-enrol")
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("驗證碼").fill(code_from_secret(secret))
    page.get_by_role("button", name="完成設定").click()

    expect(page.get_by_role("heading", name="您的復原碼")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="我已保存，繼續").click()
    expect(page.get_by_role("button", name="登出")).to_be_visible()
    page.get_by_role("button", name="登出").click()

    _password_step(page, "worker", "pw-worker")
    expect(page.get_by_role("heading", name="雙因素驗證")).to_be_visible()
    # The next time step: the code used at enrolment is never accepted twice.
    page.get_by_label("驗證碼").fill(code_from_secret(secret, drift=1))
    page.get_by_role("button", name="驗證並登入").click()
    expect(page.get_by_role("button", name="登出")).to_be_visible()
    expect(page.get_by_role("link", name="陳社工")).to_be_visible()  # the account page link in the nav
