"""Signing in with two factors (TOTP or a recovery code), enrolment at the first sign-in, and lockouts.

The general suite runs with TWO_FACTOR_REQUIRED off (config.settings_test); here it is on.
"""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from cases.models import AuditEvent
from tests.accounts.helpers import code_for, code_from_secret

pytestmark = pytest.mark.django_db

LOCKED = "登入失敗次數過多"


@pytest.fixture
def two_factor(settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.AXES_FAILURE_LIMIT = 5


@pytest.fixture
def enrolled_worker(worker):
    device = TOTPDevice.objects.create(user=worker, name="驗證器 App", confirmed=True)
    codes = services.recovery_codes_issue(user=worker)
    return worker, device, codes


def _password(client, username, password, *, next: str = "", **meta):
    data = {"username": username, "password": password, "next": next}
    return client.post(reverse("login"), data, **meta)


def _signed_in(client) -> bool:
    return SESSION_KEY in client.session


class TestPasswordThenCode:
    def test_the_password_alone_signs_nobody_in(self, client, two_factor, enrolled_worker):
        response = _password(client, "worker", "pw-worker")
        assert response.status_code == 302 and response.url == reverse("accounts:verify")
        assert not _signed_in(client)
        # Every page still asks for a sign-in.
        assert client.get(reverse("cases:my_cases")).url.startswith(reverse("login"))

    def test_the_authenticator_code_completes_the_sign_in(self, client, two_factor, enrolled_worker):
        worker, device, _ = enrolled_worker
        _password(client, "worker", "pw-worker", next=reverse("cases:my_cases"))
        response = client.post(reverse("accounts:verify"), {"token": code_for(device)})
        assert response.status_code == 302 and response.url == reverse("cases:my_cases")
        assert int(client.session[SESSION_KEY]) == worker.pk
        assert client.get(reverse("cases:my_cases")).status_code == 200

    def test_a_wrong_code_is_refused_with_a_message(self, client, two_factor, enrolled_worker):
        _, device, _ = enrolled_worker
        _password(client, "worker", "pw-worker")
        wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
        response = client.post(reverse("accounts:verify"), {"token": wrong})
        assert response.status_code == 200
        assert "驗證碼不正確" in response.content.decode()
        assert not _signed_in(client)

    def test_a_recovery_code_works_once(self, client, two_factor, enrolled_worker):
        worker, _, codes = enrolled_worker
        _password(client, "worker", "pw-worker")
        response = client.post(reverse("accounts:verify"), {"token": codes[0].upper()})
        assert response.status_code == 302 and _signed_in(client)
        assert StaticToken.objects.filter(device__user=worker).count() == len(codes) - 1
        client.post(reverse("logout"))
        _password(client, "worker", "pw-worker")
        response = client.post(reverse("accounts:verify"), {"token": codes[0]})
        assert response.status_code == 200 and not _signed_in(client)

    def test_the_code_step_expires_with_the_pending_password(
        self, client, settings, two_factor, enrolled_worker
    ):
        _, device, _ = enrolled_worker
        settings.SIGNIN_PENDING_SECONDS = 0
        _password(client, "worker", "pw-worker")
        response = client.post(reverse("accounts:verify"), {"token": code_for(device)})
        assert response.url == reverse("login") and not _signed_in(client)

    def test_the_code_page_without_a_password_step_goes_back_to_login(self, client, two_factor):
        assert client.get(reverse("accounts:verify")).url == reverse("login")
        assert client.get(reverse("accounts:enrol")).url == reverse("login")

    def test_a_session_signed_in_another_way_without_the_second_factor_is_ended(
        self, client, two_factor, enrolled_worker
    ):
        worker, _, _ = enrolled_worker
        client.force_login(worker)
        response = client.get(reverse("cases:my_cases"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert not _signed_in(client)

    def test_the_admin_site_signs_in_through_the_same_two_steps(self, client, two_factor):
        response = client.get("/admin/login/?next=/admin/")
        assert response.status_code == 302 and response.url.startswith(reverse("login") + "?next=")

    def test_with_two_factor_off_the_password_signs_in(self, client, settings, worker):
        settings.TWO_FACTOR_REQUIRED = False
        response = _password(client, "worker", "pw-worker")
        assert response.status_code == 302 and _signed_in(client)


class TestEnrolment:
    def test_first_sign_in_enrols_with_a_locally_drawn_qr_and_gives_recovery_codes(
        self, client, two_factor, worker
    ):
        response = _password(client, "worker", "pw-worker")
        assert response.url == reverse("accounts:enrol")
        page = client.get(reverse("accounts:enrol")).content.decode()
        assert 'src="data:image/svg+xml' in page  # drawn on the server, no external service
        secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', page).group(1)
        response = client.post(reverse("accounts:enrol"), {"token": code_from_secret(secret)})
        assert response.status_code == 200 and _signed_in(client)
        codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', response.content.decode())
        assert len(codes) == services.RECOVERY_CODE_COUNT
        assert TOTPDevice.objects.get(user=worker).confirmed
        assert AuditEvent.objects.filter(action="two_factor_enrolled", target_user=worker).exists()

    def test_reloading_the_page_keeps_the_same_secret_until_confirmed(self, client, two_factor, worker):
        _password(client, "worker", "pw-worker")
        first = client.get(reverse("accounts:enrol")).content.decode()
        again = client.get(reverse("accounts:enrol")).content.decode()
        secret = re.compile(r'id="totp-secret"[^>]*>([A-Z2-7]+)<')
        assert secret.search(first).group(1) == secret.search(again).group(1)

    def test_a_wrong_code_does_not_enrol(self, client, two_factor, worker):
        _password(client, "worker", "pw-worker")
        client.get(reverse("accounts:enrol"))
        response = client.post(reverse("accounts:enrol"), {"token": "12345x"})
        assert "驗證碼為 6 位數字" in response.content.decode()
        assert not TOTPDevice.objects.filter(user=worker, confirmed=True).exists()
        assert not _signed_in(client)

    def test_an_enrolled_account_is_not_offered_a_new_secret(self, client, two_factor, enrolled_worker):
        _password(client, "worker", "pw-worker")
        assert client.get(reverse("accounts:enrol")).url == reverse("accounts:verify")


class TestLockout:
    def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(self, client, two_factor, worker):
        for _ in range(5):
            _password(client, "worker", "wrong-password-123")
        response = _password(client, "worker", "pw-worker")
        assert response.status_code == 429
        assert LOCKED in response.content.decode()
        assert not _signed_in(client)

    def test_the_lockout_message_is_the_same_for_an_account_that_does_not_exist(self, client, worker):
        for _ in range(5):
            _password(client, "worker", "wrong-password-123")
            _password(client, "no-such-person", "wrong-password-123", REMOTE_ADDR="10.0.0.9")
        known = _password(client, "worker", "x").content.decode()
        unknown = client.post(
            reverse("login"), {"username": "no-such-person", "password": "x"}, REMOTE_ADDR="10.0.0.9"
        ).content.decode()
        strip = re.compile(r'name="(csrfmiddlewaretoken|username)" value="[^"]*"|value="[^"]*" required')
        assert LOCKED in known and LOCKED in unknown
        assert strip.sub("", known).replace("worker", "") == strip.sub("", unknown).replace(
            "no-such-person", ""
        )

    def test_failures_from_one_address_lock_that_address_for_every_account(self, client, worker, worker2):
        for i in range(5):
            _password(client, f"guess{i}", "wrong-password-123", REMOTE_ADDR="10.1.1.1")
        locked = client.post(
            reverse("login"), {"username": "worker2", "password": "pw-worker2"}, REMOTE_ADDR="10.1.1.1"
        )
        assert locked.status_code == 429
        elsewhere = client.post(
            reverse("login"), {"username": "worker2", "password": "pw-worker2"}, REMOTE_ADDR="10.2.2.2"
        )
        assert elsewhere.status_code == 302

    def test_wrong_codes_count_towards_the_lockout(self, client, two_factor, enrolled_worker):
        _password(client, "worker", "pw-worker")
        for _ in range(5):
            response = client.post(reverse("accounts:verify"), {"token": "000000x"})
        assert response.status_code == 429 and LOCKED in response.content.decode()
        assert client.get(reverse("accounts:verify")).url == reverse("login")  # the password step is void

    def test_a_lockout_is_on_the_audit_trail(self, client, worker):
        for _ in range(6):
            _password(client, "worker", "wrong-password-123")
        assert AuditEvent.objects.filter(action="signin_locked_out", username="worker").exists()

    def test_a_forwarded_for_header_does_not_escape_the_address_lock(self, client, worker):
        for i in range(5):
            client.post(
                reverse("login"),
                {"username": f"guess{i}", "password": "x"},
                REMOTE_ADDR="10.3.3.3",
                HTTP_X_FORWARDED_FOR=f"192.0.2.{i}",
            )
        assert AccessAttempt.objects.filter(ip_address="10.3.3.3").count() == 5
