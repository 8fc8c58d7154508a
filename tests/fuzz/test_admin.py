"""Hostile input to the Django admin: every registered model's list, search, add and change forms and
record pages (simple-history's included), as the superuser, the admin role and every other role
(issue 21, item 9). The models come from the admin site itself, so a model registered later is fuzzed
too. What passes is defined in tests/fuzz/hostile.py (no server error; every refusal with a message).
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests import test_access_matrix as matrix
from tests.factories import make_user
from tests.fuzz.hostile import (
    FUZZ,
    HOSTILE,
    any_text,
    assert_answered,
    forms_posting_to,
    hostile_ids,
    hostile_values,
    path_segment,
    payloads,
    post,
    query_string,
)

pytestmark = pytest.mark.django_db


def _models():
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        yield pytest.param(model, model_admin, id=model._meta.label)


@pytest.fixture
def superuser(db):
    return make_user("root", None, is_staff=True, is_superuser=True)


def _sign_in(client, user) -> None:
    client.logout()
    if user is not None:
        client.force_login(user)
    client.cookies.pop("messages", None)


def _url(model, page: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def _fields(client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    if response.status_code != 200:
        return {}
    return forms_posting_to(response.content.decode(), url, url)


query_params = st.dictionaries(
    st.sampled_from(["q", "o", "p", "e", "_to_field", "_popup", "all", "pk__in", "id__exact", "state__exact"])
    | any_text,
    st.one_of(hostile_values, any_text),
    max_size=3,
)


@pytest.mark.parametrize(("model", "model_admin"), list(_models()))
def test_every_admin_page_answers_hostile_input_with_a_message_never_a_server_error(
    client, request, model, model_admin, superuser, admin_user
):
    record = model._default_manager.order_by("pk").first()
    if model is get_user_model():  # not an account the fuzz signs in with: it may lose its staff status
        record = request.getfixturevalue("worker")
    changelist, add = _url(model, "changelist"), _url(model, "add")

    # Every other role: sent to sign in (not staff), whatever the address carries.
    for role, fixture in matrix.ROLES.items():
        if fixture and fixture != "admin_user":
            _sign_in(client, request.getfixturevalue(fixture))
            response = client.get(f"{changelist}?q={path_segment(HOSTILE[5])}&_to_field=")
            assert_answered(response)
            assert response.status_code == 302, role

    staff = [superuser, admin_user]
    _sign_in(client, superuser)
    add_fields = _fields(client, add)
    change_fields = _fields(client, _url(model, "change", record.pk)) if record else {}

    @FUZZ
    @given(user=st.sampled_from(staff), params=query_params)
    def lists_and_searches(user, params):
        _sign_in(client, user)
        assert_answered(client.get(f"{changelist}?{query_string(params)}"))

    @FUZZ
    @given(
        user=st.sampled_from(staff),
        key=hostile_ids | st.just(str(record.pk) if record else "1"),  # a real record: its versions
        version=hostile_ids,
        page=st.sampled_from(["change", "delete", "history", "version"]),
        to_field=st.sampled_from([None, "", "id", "pk", "password", "\x00"]) | any_text,
    )
    def record_pages(user, key, version, page, to_field):
        _sign_in(client, user)
        base = f"{changelist}{path_segment(key)}/"
        url = {"change": "change/", "delete": "delete/", "history": "history/"}.get(page, "history/")
        if page == "version":
            url += f"{path_segment(version)}/"
        query = "" if to_field is None else "?" + query_string({"_to_field": to_field})
        assert_answered(client.get(base + url + query))

    @FUZZ
    @given(user=st.sampled_from(staff), data=payloads(add_fields))
    def add_form(user, data):
        _sign_in(client, user)
        assert_answered(post(client, add, data))

    @FUZZ
    @given(user=st.sampled_from(staff), data=payloads(change_fields))
    def change_form(user, data):
        _sign_in(client, user)
        assert_answered(post(client, _url(model, "change", record.pk), data))

    lists_and_searches()
    record_pages()
    add_form()
    if record is not None:
        change_form()


def test_the_admin_fuzz_covers_the_registered_models():
    """Guards the discovery: the models an admin manages are all in the run."""
    labels = {model._meta.label for model in admin.site._registry}
    assert {"auth.User", "evidence.Platform", "legal.Offence", "cases.SmsMessage"} <= labels
