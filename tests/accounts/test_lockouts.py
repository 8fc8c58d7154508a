"""Supervisors see who is locked out and lift it; they reset a lost second factor."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from cases.models import AuditEvent

pytestmark = pytest.mark.django_db


def _fail(client, username, times=5, address="127.0.0.1"):
    for _ in range(times):
        client.post(
            reverse("login"), {"username": username, "password": "wrong-password-123"}, REMOTE_ADDR=address
        )


def test_a_supervisor_unlocks_an_account_and_it_signs_in_again(client, supervisor, worker):
    from django.test import Client

    _fail(client, "worker", address="10.9.9.1")
    _fail(client, "worker", times=1, address="10.9.9.2")
    assert client.post(reverse("login"), {"username": "worker", "password": "pw-worker"}).status_code == 429

    boss = Client()
    boss.force_login(supervisor)
    page = boss.get(reverse("accounts:lockouts")).content.decode()
    assert "<code>worker</code>" in page and "<code>10.9.9.1</code>" in page
    assert boss.post(reverse("accounts:unlock"), {"username": "worker"}).status_code == 302
    assert "<code>worker</code>" not in boss.get(reverse("accounts:lockouts")).content.decode()
    assert AuditEvent.objects.filter(action="signin_unlocked", actor=supervisor, username="worker").exists()

    response = client.post(reverse("login"), {"username": "worker", "password": "pw-worker"})
    assert response.status_code == 302 and SESSION_KEY in client.session


def test_a_supervisor_unlocks_an_address(client, supervisor, worker):
    _fail(client, "someone", address="10.9.9.3")
    client.force_login(supervisor)
    client.post(reverse("accounts:unlock"), {"ip_address": "10.9.9.3"})
    client.logout()
    response = client.post(
        reverse("login"), {"username": "worker", "password": "pw-worker"}, REMOTE_ADDR="10.9.9.3"
    )
    assert response.status_code == 302


@pytest.mark.parametrize("locked", ["supervisor2", "admin"])
def test_only_a_superuser_unlocks_a_supervisors_or_administrators_account(
    client, supervisor, admin_user, locked
):
    from django.test import Client

    from cases.roles import Role
    from tests.factories import make_user

    make_user("supervisor2", Role.SUPERVISOR)
    _fail(client, locked, address="10.9.9.4")
    client.force_login(supervisor)
    response = client.post(reverse("accounts:unlock"), {"username": locked}, follow=True)
    assert "只能由超級使用者解除" in response.content.decode()
    assert f"<code>{locked}</code>" in response.content.decode()  # still locked
    assert not AuditEvent.objects.filter(action="signin_unlocked").exists()

    root = Client()
    root.force_login(make_user("root", None, is_staff=True, is_superuser=True))
    response = root.post(reverse("accounts:unlock"), {"username": locked}, follow=True)
    assert "已解除鎖定" in response.content.decode()
    assert f"<code>{locked}</code>" not in response.content.decode()


def test_unlock_needs_exactly_one_name_or_address(client, supervisor):
    client.force_login(supervisor)
    response = client.post(reverse("accounts:unlock"), {}, follow=True)
    assert "請指定一個帳號或一個連線位址" in response.content.decode()


def test_a_supervisor_resets_a_lost_second_factor(client, supervisor, worker):
    TOTPDevice.objects.create(user=worker, name="x", confirmed=True)
    services.recovery_codes_issue(user=worker)
    client.force_login(supervisor)
    client.post(reverse("accounts:two_factor_reset"), {"username": "worker"})
    assert not services.has_two_factor(worker)
    assert AuditEvent.objects.filter(action="two_factor_reset", target_user=worker).exists()


def test_a_supervisors_second_factor_is_for_a_superuser_to_reset(client, supervisor):
    from tests.factories import make_user

    other = make_user("supervisor2", "supervisor")
    TOTPDevice.objects.create(user=other, name="x", confirmed=True)
    client.force_login(supervisor)
    response = client.post(reverse("accounts:two_factor_reset"), {"username": "supervisor2"}, follow=True)
    assert "只有超級使用者" in response.content.decode()
    assert services.has_two_factor(other)


def test_new_recovery_codes_replace_the_old_ones(client, worker):
    old = services.recovery_codes_issue(user=worker)
    client.force_login(worker)
    response = client.post(reverse("accounts:recovery_codes"))
    page = response.content.decode()
    assert "您的復原碼" in page and not any(code in page for code in old)


def test_a_refused_unlock_says_why(client, supervisor):
    client.force_login(supervisor)
    response = client.post(reverse("accounts:unlock"), {"username": "x" * 151}, follow=True)
    assert "帳號最多 150 個字元" in response.content.decode()
    response = client.post(reverse("accounts:unlock"), {"ip_address": "999.1.1.1"}, follow=True)
    assert "請輸入有效的 IP 位址" in response.content.decode()


def test_a_mistyped_code_is_not_kept_with_the_failure(client, settings, worker):
    from axes.models import AccessAttempt

    settings.TWO_FACTOR_REQUIRED = True
    TOTPDevice.objects.create(user=worker, name="x", confirmed=True)
    client.post(reverse("login"), {"username": "worker", "password": "pw-worker"})
    client.post(reverse("accounts:verify"), {"token": "12345678"})
    attempt = AccessAttempt.objects.get(username="worker")
    assert "12345678" not in attempt.post_data
