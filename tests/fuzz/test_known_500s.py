"""The hostile inputs that answered 500 before issue 21, each pinned by its own test."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from cases.models import Notification
from cases.notifications import notify
from legal.models import Offence
from tests.factories import make_user
from tests.fuzz.hostile import FUZZ, any_text, assert_answered, hostile_values, post, queued_messages

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return make_user("root", None, is_staff=True, is_superuser=True)


@pytest.mark.parametrize("bad_id", ["²", "1" * 26])
def test_marking_notifications_read_with_an_id_that_is_no_number_reads_nothing(client, worker, bad_id):
    notify(recipients=[worker], kind="deadline", text="期限提醒")
    client.force_login(worker)
    response = client.post(reverse("cases:notifications_read"), {"id": bad_id})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=worker, read_at__isnull=True).count() == 1


def test_a_huge_group_id_on_the_admin_user_form_is_an_invalid_choice(client, superuser, worker):
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[worker.pk])
    data = {"username": worker.username, "groups": ["1" * 26], "is_active": "on", "is_staff": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_an_integer_in_lookup_ignores_numbers_no_column_holds(db):
    group = Group.objects.get(name="social_worker")
    assert list(Group.objects.filter(pk__in=[10**30])) == []
    assert list(Group.objects.filter(pk__in=[group.pk, 10**30, -(10**30)])) == [group]
    assert Group.objects.exclude(pk__in=[10**30]).count() == Group.objects.count()


@pytest.mark.parametrize("version", ["abc", "²", "1" * 26, "00000000-0000-0000-0000-000000000001"])
def test_a_history_version_that_is_not_a_number_is_not_found(client, superuser, version):
    offence = Offence.objects.order_by("pk").first()
    client.force_login(superuser)
    response = client.get(f"/admin/legal/offence/{offence.pk}/history/{version}/")
    assert response.status_code == 404
    assert "找不到" in response.content.decode()


@pytest.mark.parametrize("page", ["history/", "history/1/", "history/?_to_field=pk", "change/", "delete/"])
@pytest.mark.parametrize("key", ["00000000-0000-0000-0000-000000000001", "abc", "1" * 26])
def test_a_key_that_is_not_a_key_of_the_model_is_not_found(client, superuser, key, page):
    client.force_login(superuser)
    response = client.get(f"/admin/legal/offence/{key}/{page}")
    assert response.status_code == 404


def test_an_empty_to_field_on_a_change_page_is_a_bad_request(client, superuser, worker):
    client.force_login(superuser)
    for url in (
        reverse("admin:auth_user_change", args=[worker.pk]) + "?_to_field=",
        f"/admin/legal/offence/{Offence.objects.order_by('pk').first().pk}/change/?_to_field=",
    ):
        response = client.get(url)
        assert response.status_code == 400
        assert "無法處理這個要求" in response.content.decode()


@pytest.mark.parametrize("term", ["x" * 100_000, " ".join(["案"] * 2_000)])
def test_an_endless_admin_search_is_refused_with_a_message(client, superuser, term):
    client.force_login(superuser)
    response = client.get(reverse("admin:legal_offence_changelist"), {"q": term, "o": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:legal_offence_changelist") + "?o=1"
    assert queued_messages(response) == ["搜尋字詞最多 100 字、10 個詞，請縮短後再搜尋。"]


def test_a_short_admin_search_still_searches(client, superuser):
    client.force_login(superuser)
    offence = Offence.objects.order_by("pk").first()
    response = client.get(reverse("admin:legal_offence_changelist"), {"q": offence.code})
    assert response.status_code == 200
    assert offence.code in response.content.decode()


def test_a_nul_character_anywhere_is_refused_with_a_zh_hant_page(client, worker, case_of_worker):
    client.force_login(worker)
    url = reverse("cases:contact_new", args=[case_of_worker.pk])
    for response in (
        client.post(url, {"notes": "a\x00b"}),
        client.post(url, {"no\x00te": "x"}),
        client.get(reverse("cases:my_cases"), {"q": "\x00"}),
    ):
        assert response.status_code == 400
        assert "無法處理這個要求" in response.content.decode()


SECRET = "s" * 32


def test_a_nul_character_in_the_delivery_reports_msgid_is_refused(settings):
    settings.SMS_CALLBACK_SECRET = SECRET
    gateway = Client(enforce_csrf_checks=True)
    url = reverse("cases:sms_delivery_report")
    headers = {"X-Sms-Callback-Secret": SECRET}
    assert gateway.post(url, {"msgid": "10\x0010", "statuscode": "4"}, headers=headers).status_code == 400
    assert gateway.get(url, {"msgid": "\x00"}, headers=headers).status_code == 400
    assert gateway.post(url, {"msgid": "1010", "statuscode": "4"}, headers=headers).status_code == 200


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(["msgid", "clientid", "statuscode", "dstaddr", "secret"]),
        st.lists(st.one_of(hostile_values, any_text), min_size=1, max_size=2),
    )
)
def test_the_delivery_report_answers_any_report_from_the_gateway(settings, fields):
    """The one form no person fills in: the gateway posts it, with the secret, whatever it holds."""
    settings.SMS_CALLBACK_SECRET = SECRET
    gateway = Client(enforce_csrf_checks=True, headers={"X-Sms-Callback-Secret": SECRET})
    response = post(gateway, reverse("cases:sms_delivery_report"), fields)
    assert_answered(response, url_name="cases:sms_delivery_report")
    assert response.status_code in (200, 400)


def test_ptsd_questions_that_are_not_a_list_are_a_form_error(client, superuser):
    """Found by the admin fuzz: `questions = 0` (valid JSON) broke the instrument's name on the error page."""
    from services.models import PtsdInstrument

    instrument = PtsdInstrument.objects.order_by("pk").first()
    client.force_login(superuser)
    data = {"code": instrument.code, "name": instrument.name, "questions": "0", "cutoff": "3"}
    response = client.post(reverse("admin:services_ptsdinstrument_change", args=[instrument.pk]), data)
    assert response.status_code == 200
    assert "請以清單列出題目" in response.content.decode()
    instrument.refresh_from_db()
    assert isinstance(instrument.questions, list)
