"""Passkeys (WebAuthn) as the second factor: enrolment, sign-in, the security page, and every way an
answer can be wrong. The ceremonies are real: tests/accounts/authenticator.py signs with its own P-256
key and py_webauthn verifies it as it would a browser's.
"""

from __future__ import annotations

import json
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import services
from cases.models import AuditEvent
from tests.accounts.authenticator import SoftAuthenticator, register_passkey
from tests.accounts.helpers import code_for, code_from_secret

pytestmark = pytest.mark.django_db

# The security page: session, user, groups with permissions, TOTP, passkeys (one query however many),
# recovery codes left, the navigation's unread notifications.
QUERIES_SECURITY_PAGE = 7


@pytest.fixture
def two_factor(settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.AXES_FAILURE_LIMIT = 5


@pytest.fixture
def passkey_worker(worker):
    authenticator, credential = register_passkey(worker)
    codes = services.recovery_codes_issue(user=worker)
    return worker, authenticator, credential, codes


def _post_json(client, name: str, body: dict):
    return client.post(reverse(name), json.dumps(body), content_type="application/json")


def _options(client, name: str) -> dict:
    response = _post_json(client, name, {})
    assert response.status_code == 200, response.content
    return response.json()["options"]


def _password(client, username="worker", password="pw-worker", next=""):
    return client.post(reverse("login"), {"username": username, "password": password, "next": next})


def _signed_in(client) -> bool:
    return SESSION_KEY in client.session


class TestEnrolment:
    def test_first_sign_in_offers_a_passkey_next_to_the_authenticator_app(self, client, two_factor, worker):
        _password(client)
        page = client.get(reverse("accounts:enrol")).content.decode()
        assert f'data-passkey-url="{reverse("accounts:passkey_enrol")}"' in page
        assert 'id="totp-secret"' in page
        assert "/static/js/passkeys.js" in page
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script (SECURE_CSP)

    def test_a_passkey_enrols_signs_in_and_shows_the_recovery_codes_once(self, client, two_factor, worker):
        _password(client, next=reverse("cases:my_cases"))
        client.get(reverse("accounts:enrol"))  # the page, with its QR code, as the person sees it
        authenticator = SoftAuthenticator()
        options = _options(client, "accounts:passkey_enrol")
        assert options["rp"]["id"] == "testserver" and options["attestation"] == "none"
        response = _post_json(
            client,
            "accounts:passkey_enrol",
            {"credential": authenticator.create(options), "name": "辦公室電腦"},
        )
        assert response.status_code == 200 and _signed_in(client)
        codes_page = client.get(response.json()["redirect"])
        codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', codes_page.content.decode())
        assert len(codes) == services.RECOVERY_CODE_COUNT
        assert codes_page.context["continue_to"] == reverse("cases:my_cases")
        assert client.get(reverse("accounts:recovery_codes_new_shown")).url == reverse("accounts:security")
        credential = WebAuthnCredential.objects.get(user=worker)
        assert credential.name == "辦公室電腦" and credential.confirmed
        assert not TOTPDevice.objects.filter(user=worker).exists()  # the QR code offered is dropped
        # The session is verified by the passkey: TwoFactorRequiredMiddleware lets it through.
        assert client.get(reverse("cases:my_cases")).status_code == 200
        event = AuditEvent.objects.get(action="passkey_enrolled", target_user=worker)
        assert event.detail == "辦公室電腦"

    def test_an_answer_from_another_origin_is_not_kept(self, client, two_factor, worker):
        _password(client)
        options = _options(client, "accounts:passkey_enrol")
        answer = SoftAuthenticator().create(options, origin="https://evil.example")
        response = _post_json(client, "accounts:passkey_enrol", {"credential": answer})
        assert response.status_code == 400 and not _signed_in(client)
        assert not WebAuthnCredential.objects.exists()

    def test_an_answer_for_another_rp_id_is_not_kept(self, client, two_factor, worker):
        _password(client)
        options = _options(client, "accounts:passkey_enrol")
        answer = SoftAuthenticator().create(options, rp_id="evil.example")
        response = _post_json(client, "accounts:passkey_enrol", {"credential": answer})
        assert response.status_code == 400 and not WebAuthnCredential.objects.exists()

    def test_an_answer_without_a_challenge_in_waiting_is_refused(self, client, two_factor, worker):
        _password(client)
        options = _options(client, "accounts:passkey_enrol")
        answer = SoftAuthenticator().create(options)
        session = client.session
        del session["passkey_register_state"]
        session.save()
        response = _post_json(client, "accounts:passkey_enrol", {"credential": answer})
        assert response.status_code == 400 and not WebAuthnCredential.objects.exists()

    def test_the_passkey_step_needs_the_password_step_first(self, client, two_factor, worker):
        response = _post_json(client, "accounts:passkey_enrol", {})
        assert response.status_code == 403 and response.json()["redirect"] == reverse("login")
        assert _post_json(client, "accounts:passkey_verify", {}).status_code == 403

    def test_an_enrolled_account_cannot_enrol_another_passkey_before_signing_in(
        self, client, two_factor, passkey_worker
    ):
        _password(client)
        response = _post_json(client, "accounts:passkey_enrol", {})
        assert response.status_code == 409 and response.json()["redirect"] == reverse("accounts:verify")


class TestSignIn:
    def _begin(self, client) -> dict:
        response = _password(client, next=reverse("cases:my_cases"))
        assert response.url == reverse("accounts:verify")
        return _options(client, "accounts:passkey_verify")

    def test_the_verify_page_offers_the_passkey_and_recovery_codes(self, client, two_factor, passkey_worker):
        _password(client)
        page = client.get(reverse("accounts:verify")).content.decode()
        assert f'data-passkey-url="{reverse("accounts:passkey_verify")}"' in page
        assert "復原碼" in page and "驗證器 App 顯示" not in page  # no authenticator app on this account

    def test_a_passkey_completes_the_sign_in(self, client, two_factor, passkey_worker):
        worker, authenticator, credential, _ = passkey_worker
        options = self._begin(client)
        assert [c["id"] for c in options["allowCredentials"]] == [authenticator._ids()["id"]]
        response = _post_json(client, "accounts:passkey_verify", {"credential": authenticator.get(options)})
        assert response.status_code == 200 and response.json()["redirect"] == reverse("cases:my_cases")
        assert int(client.session[SESSION_KEY]) == worker.pk
        assert client.get(reverse("cases:my_cases")).status_code == 200
        credential.refresh_from_db()
        assert credential.sign_count == 1 and credential.last_used_at is not None
        assert AuditEvent.objects.filter(action="passkey_used", target_user=worker).count() == 1

    def test_a_wrong_signature_is_refused_and_counts_as_a_failed_sign_in(
        self, client, two_factor, passkey_worker
    ):
        worker, authenticator, _, _ = passkey_worker
        options = self._begin(client)
        answer = authenticator.get(options, forge=True)
        response = _post_json(client, "accounts:passkey_verify", {"credential": answer})
        assert response.status_code == 400 and "未通過" in response.json()["detail"]
        assert not _signed_in(client)
        assert AccessAttempt.objects.get(username="worker").failures_since_start == 1
        assert not AuditEvent.objects.filter(action="passkey_used").exists()

    @pytest.mark.parametrize(
        "wrong",
        [{"origin": "https://evil.example"}, {"origin": "http://testserver:8443"}, {"rp_id": "evil.example"}],
    )
    def test_an_assertion_for_another_origin_or_rp_id_is_refused(
        self, client, two_factor, passkey_worker, wrong
    ):
        _, authenticator, _, _ = passkey_worker
        options = self._begin(client)
        response = _post_json(
            client, "accounts:passkey_verify", {"credential": authenticator.get(options, **wrong)}
        )
        assert response.status_code == 400 and not _signed_in(client)

    def test_an_answer_to_an_earlier_challenge_is_refused(self, client, two_factor, passkey_worker):
        _, authenticator, _, _ = passkey_worker
        old = authenticator.get(self._begin(client))
        _options(client, "accounts:passkey_verify")  # a new challenge replaces the old one
        response = _post_json(client, "accounts:passkey_verify", {"credential": old})
        assert response.status_code == 400 and not _signed_in(client)

    def test_a_replayed_answer_is_refused(self, client, two_factor, passkey_worker):
        _, authenticator, _, _ = passkey_worker
        answer = authenticator.get(self._begin(client))
        assert _post_json(client, "accounts:passkey_verify", {"credential": answer}).status_code == 200
        client.post(reverse("logout"))
        _password(client)
        # The same bytes again, with no challenge in waiting and with one.
        assert _post_json(client, "accounts:passkey_verify", {"credential": answer}).status_code == 400
        _options(client, "accounts:passkey_verify")
        assert _post_json(client, "accounts:passkey_verify", {"credential": answer}).status_code == 400
        assert not _signed_in(client)

    def test_a_sign_counter_going_backwards_is_refused(self, client, two_factor, passkey_worker):
        _, authenticator, credential, _ = passkey_worker
        answer = authenticator.get(self._begin(client), sign_count=5)
        assert _post_json(client, "accounts:passkey_verify", {"credential": answer}).status_code == 200
        client.post(reverse("logout"))
        cloned = authenticator.get(self._begin(client), sign_count=3)
        assert _post_json(client, "accounts:passkey_verify", {"credential": cloned}).status_code == 400
        same = authenticator.get(_options(client, "accounts:passkey_verify"), sign_count=5)
        assert _post_json(client, "accounts:passkey_verify", {"credential": same}).status_code == 400
        credential.refresh_from_db()
        assert credential.sign_count == 5 and not _signed_in(client)

    def test_a_colleagues_passkey_does_not_sign_in_this_account(
        self, client, two_factor, passkey_worker, worker2
    ):
        other, _ = register_passkey(worker2)
        options = self._begin(client)
        response = _post_json(client, "accounts:passkey_verify", {"credential": other.get(options)})
        assert response.status_code == 400 and not _signed_in(client)

    def test_malformed_answers_are_refused_without_an_error_page(self, client, two_factor, passkey_worker):
        self._begin(client)
        for junk in ({"id": "x"}, {"id": "AA", "rawId": "AA", "response": {}, "type": "public-key"}):
            _options(client, "accounts:passkey_verify")
            assert _post_json(client, "accounts:passkey_verify", {"credential": junk}).status_code == 400

    def test_five_refused_passkeys_lock_the_account(self, client, two_factor, passkey_worker):
        _, authenticator, _, _ = passkey_worker
        self._begin(client)
        for _ in range(5):
            options = _options(client, "accounts:passkey_verify")
            response = _post_json(
                client, "accounts:passkey_verify", {"credential": authenticator.get(options, forge=True)}
            )
        assert response.status_code == 429
        assert _password(client).status_code == 429

    def test_a_recovery_code_still_works_for_a_passkey_only_account(self, client, two_factor, passkey_worker):
        _, _, _, codes = passkey_worker
        _password(client)
        response = client.post(reverse("accounts:verify"), {"token": codes[0]})
        assert response.status_code == 302 and _signed_in(client)

    def test_an_account_with_both_may_use_either(self, client, two_factor, passkey_worker):
        worker, authenticator, _, _ = passkey_worker
        device = TOTPDevice.objects.create(user=worker, name="驗證器 App", confirmed=True)
        _password(client)
        assert client.post(reverse("accounts:verify"), {"token": code_for(device)}).status_code == 302
        client.post(reverse("logout"))
        options = self._begin(client)
        answer = authenticator.get(options)
        assert _post_json(client, "accounts:passkey_verify", {"credential": answer}).status_code == 200


class TestSecurityPage:
    def test_the_page_lists_ones_own_passkeys(self, client, passkey_worker, worker2):
        register_passkey(worker2, name="別人的金鑰")
        client.force_login(passkey_worker[0])
        page = client.get(reverse("accounts:security")).content.decode()
        assert "辦公室電腦" in page and "別人的金鑰" not in page
        assert str(services.RECOVERY_CODE_COUNT) in page
        assert re.search(r"<title>帳號安全 · [^<]*</title>", page)
        button = page.index(f'data-passkey-url="{reverse("accounts:passkey_add")}"')
        assert button < page.index('src="/static/js/passkeys.js"')  # the script finds the button

    def test_the_page_costs_the_same_queries_with_three_passkeys_as_with_one(
        self, client, worker, django_assert_num_queries
    ):
        register_passkey(worker, name="一")
        client.force_login(worker)
        client.get(reverse("accounts:security"))  # warm: content types, the idle cookie
        with django_assert_num_queries(QUERIES_SECURITY_PAGE):
            assert client.get(reverse("accounts:security")).status_code == 200
        register_passkey(worker, name="二")
        register_passkey(worker, name="三")
        with django_assert_num_queries(QUERIES_SECURITY_PAGE):
            assert "三" in client.get(reverse("accounts:security")).content.decode()

    def test_adding_a_passkey(self, client, worker):
        client.force_login(worker)
        authenticator = SoftAuthenticator()
        options = _options(client, "accounts:passkey_add")
        response = _post_json(
            client, "accounts:passkey_add", {"credential": authenticator.create(options), "name": "家裡筆電"}
        )
        assert response.status_code == 200 and response.json()["redirect"] == reverse("accounts:security")
        assert list(services.passkeys_of(worker).values_list("name", flat=True)) == ["家裡筆電"]
        assert AuditEvent.objects.filter(action="passkey_enrolled", actor=worker).exists()

    def test_the_same_passkey_is_not_registered_twice(self, client, passkey_worker):
        worker, authenticator, _, _ = passkey_worker
        client.force_login(worker)
        options = _options(client, "accounts:passkey_add")
        assert [c["id"] for c in options["excludeCredentials"]] == [authenticator._ids()["id"]]
        authenticator.sign_count = 0
        response = _post_json(client, "accounts:passkey_add", {"credential": authenticator.create(options)})
        assert response.status_code == 400 and WebAuthnCredential.objects.filter(user=worker).count() == 1

    def test_removing_asks_for_the_password(self, client, passkey_worker):
        worker, _, credential, _ = passkey_worker
        client.force_login(worker)
        url = reverse("accounts:passkey_remove", args=[credential.credential_id_sha256])
        assert "目前的密碼" in client.get(url).content.decode()
        response = client.post(url, {"password": "not-my-password"})
        assert response.status_code == 200 and "密碼不正確" in response.content.decode()
        assert WebAuthnCredential.objects.filter(pk=credential.pk).exists()
        response = client.post(url, {"password": "pw-worker"})
        assert response.status_code == 302 and response.url == reverse("accounts:security")
        assert not WebAuthnCredential.objects.filter(pk=credential.pk).exists()
        assert AuditEvent.objects.get(action="passkey_removed", actor=worker).detail == "辦公室電腦"

    def test_a_colleagues_passkey_is_not_found(self, client, passkey_worker, worker2):
        client.force_login(worker2)
        url = reverse("accounts:passkey_remove", args=[passkey_worker[2].credential_id_sha256])
        assert client.get(url).status_code == 404
        assert client.post(url, {"password": "pw-worker2"}).status_code == 404

    def test_the_last_second_factor_stays(self, client, two_factor, passkey_worker):
        worker, authenticator, credential, _ = passkey_worker
        _password(client)
        options = _options(client, "accounts:passkey_verify")
        _post_json(client, "accounts:passkey_verify", {"credential": authenticator.get(options)})
        url = reverse("accounts:passkey_remove", args=[credential.credential_id_sha256])
        response = client.post(url, {"password": "pw-worker"})
        assert response.status_code == 200 and "唯一的第二道驗證" in response.content.decode()
        assert WebAuthnCredential.objects.filter(pk=credential.pk).exists()

    def test_removing_the_passkey_this_session_used_signs_out(self, client, two_factor, passkey_worker):
        worker, authenticator, credential, _ = passkey_worker
        register_passkey(worker, name="備用金鑰")
        _password(client)
        options = _options(client, "accounts:passkey_verify")
        _post_json(client, "accounts:passkey_verify", {"credential": authenticator.get(options)})
        url = reverse("accounts:passkey_remove", args=[credential.credential_id_sha256])
        response = client.post(url, {"password": "pw-worker"})
        assert response.url == reverse("login") and not _signed_in(client)
        assert services.passkeys_of(worker).count() == 1

    def test_a_passkey_only_account_adds_the_authenticator_app(self, client, passkey_worker):
        worker = passkey_worker[0]
        client.force_login(worker)
        assert reverse("accounts:totp_add") in client.get(reverse("accounts:security")).content.decode()
        page = client.get(reverse("accounts:totp_add")).content.decode()
        secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', page).group(1)
        response = client.post(reverse("accounts:totp_add"), {"token": code_from_secret(secret)})
        codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', response.content.decode())
        assert len(codes) == services.RECOVERY_CODE_COUNT
        assert services.has_totp(worker) and services.passkeys_of(worker).count() == 1
        assert AuditEvent.objects.filter(action="two_factor_enrolled", target_user=worker).exists()
        assert client.get(reverse("accounts:totp_add")).url == reverse("accounts:security")

    def test_a_wrong_code_does_not_add_the_authenticator_app(self, client, passkey_worker):
        worker = passkey_worker[0]
        client.force_login(worker)
        page = client.get(reverse("accounts:totp_add")).content.decode()
        secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', page).group(1)
        wrong = f"{(int(code_from_secret(secret)) + 1) % 1_000_000:06d}"
        response = client.post(reverse("accounts:totp_add"), {"token": wrong})
        assert "驗證碼不正確" in response.content.decode() and not services.has_totp(worker)

    def test_a_supervisor_reset_forgets_the_passkeys(self, passkey_worker, supervisor):
        worker = passkey_worker[0]
        services.two_factor_reset(actor=supervisor, user=worker)
        assert not WebAuthnCredential.objects.filter(user=worker).exists()
        assert not StaticToken.objects.filter(device__user=worker).exists()
        assert not services.has_two_factor(worker)


class TestSettings:
    """Production takes the RP ID and origin from ALLOWED_HOSTS unless told otherwise, and refuses none."""

    def _settings(self, **env) -> str:
        from tests.test_settings import _manage, _real_secrets

        code = "from django.conf import settings as s; "
        code += "print(s.OTP_WEBAUTHN_RP_ID, s.OTP_WEBAUTHN_ALLOWED_ORIGINS)"
        result = _manage("shell", "-c", code, **{**_real_secrets(), **env})
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    def test_the_first_allowed_host_over_https_by_default(self):
        assert self._settings() == "ncii.example.org ['https://ncii.example.org']"

    def test_set_explicitly(self):
        printed = self._settings(
            WEBAUTHN_RP_ID="example.org", WEBAUTHN_ORIGINS="https://a.example.org,https://b.example.org"
        )
        assert printed == "example.org ['https://a.example.org', 'https://b.example.org']"

    def test_check_fails_without_any_host_name(self):
        from tests.test_settings import _manage, _real_secrets

        result = _manage("check", **{**_real_secrets(), "ALLOWED_HOSTS": ""})
        assert result.returncode != 0 and "Relying party ID not configured" in result.stderr
