"""Deactivating an account ends its sessions at once, whichever store keeps them."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from accounts.models import SignInSession

pytestmark = pytest.mark.django_db

ENGINES = [
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cache",
    "django.contrib.sessions.backends.cached_db",
]


@pytest.mark.parametrize("engine", ENGINES)
def test_deactivating_a_user_in_the_admin_ends_every_session(settings, engine, admin_user, worker):
    settings.SESSION_ENGINE = engine
    office, home = Client(), Client()
    office.force_login(worker)
    home.force_login(worker)
    keys = [office.session.session_key, home.session.session_key]
    assert office.get(reverse("cases:my_cases")).status_code == 200

    admin = Client()
    admin.force_login(admin_user)
    response = admin.post(
        reverse("admin:auth_user_change", args=[worker.pk]),
        {
            "username": "worker",
            "first_name": "社工",
            "last_name": "陳",
            "email": "",
            "groups": [str(g.pk) for g in worker.groups.all()],
        },  # is_active left unticked
    )
    assert response.status_code == 302
    store = import_module(django_settings.SESSION_ENGINE).SessionStore
    assert [store().exists(key) for key in keys] == [False, False]
    assert not SignInSession.objects.filter(user=worker).exists()
    assert office.get(reverse("cases:my_cases")).url.startswith(reverse("login"))


def test_signing_out_forgets_the_session(client, worker):
    client.force_login(worker)
    assert SignInSession.objects.filter(user=worker).count() == 1
    client.post(reverse("logout"))
    assert not SignInSession.objects.filter(user=worker).exists()


def test_saving_an_active_account_ends_nothing(admin_user, worker, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(worker)
    with django_capture_on_commit_callbacks(execute=True):
        worker.first_name = "社工二"
        worker.save()
    assert client.get(reverse("cases:my_cases")).status_code == 200
