"""Small things people notice (issue: everyday use) and pages that must not linger after sign-out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Notification
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_opening_the_case_marks_its_dispatch_notification_read(client, hotline, worker):
    case = make_case(actor=hotline, worker=worker)
    dispatch = Notification.objects.get(recipient=worker, kind=Notification.Kind.DISPATCH, case=case)
    assert dispatch.read_at is None
    client.force_login(worker)
    client.get(case.get_absolute_url())
    dispatch.refresh_from_db()
    assert dispatch.read_at is not None


def test_other_notifications_of_the_case_stay_unread(client, hotline, worker):
    case = make_case(actor=hotline, worker=worker)
    Notification.objects.create(recipient=worker, kind=Notification.Kind.DEADLINE, case=case, text="期限")
    client.force_login(worker)
    client.get(case.get_absolute_url())
    assert Notification.objects.get(kind=Notification.Kind.DEADLINE).read_at is None


def test_the_danger_question_comes_first_on_the_call_form(client, hotline):
    client.force_login(hotline)
    html = client.get(reverse("cases:intake_new_call")).content.decode()
    assert html.index('name="immediate_danger"') < html.index('name="received_at_0"')
    assert html.index('name="immediate_danger"') < html.index('name="victim_name"')


@pytest.mark.parametrize("debug", [True, False])
def test_the_login_page_lists_demo_accounts_only_in_development(client, settings, worker, supervisor, debug):
    settings.DEBUG = debug
    html = client.get(reverse("login")).content.decode()
    assert ('id="demo-accounts"' in html) is debug
    if debug:
        assert "<code>worker</code>" in html and "直接服務組社工" in html
        assert "<code>supervisor</code>" in html and "督導" in html


@pytest.mark.parametrize("value", ["²", "1" * 26, "abc", "-1"])
def test_a_strange_notification_id_is_ignored_not_a_server_error(client, worker, value):
    client.force_login(worker)
    response = client.post(reverse("cases:notifications_read"), {"id": value})
    assert response.status_code == 302


def test_signed_in_pages_are_never_stored_by_the_browser(client, hotline, worker):
    case = make_case(actor=hotline, worker=worker)
    client.force_login(worker)
    response = client.get(case.get_absolute_url())
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    pdf = client.get(reverse("cases:summary_pdf", args=[case.pk]))
    assert "no-store" in pdf["Cache-Control"]
