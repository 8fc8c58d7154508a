"""Hostile input posted to every form of every app, as every role (issue 21, item 9).

The POST URLs, their records and who may use them come from the access matrix (tests/test_access_matrix.py
and tests/access/<app>.py), so a page that joins the matrix is fuzzed without a line here. The fields come
from the form itself: the page is opened as a role that may use it and its POST forms are read (for an
action button without a page of its own, from the pages of the same record that carry it). Each role the
matrix refuses posts one hostile form and must get the same refusal; the roles it lets in post generated
forms (tests/fuzz/hostile.py), which must be saved or refused with a message, never a server error.

FUZZ_EXAMPLES raises the number of forms per URL for a deeper run (docs/architecture.md, "Testing").
"""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests import test_access_matrix as matrix
from tests.fuzz.hostile import FUZZ, HOSTILE, assert_answered, forms_posting_to, payloads, post

pytestmark = pytest.mark.django_db

LET_IN = (200, matrix.GO)


def _post_rows():
    for name, method, *expected in matrix.MATRIX:
        if method == "POST":
            yield pytest.param(name, dict(zip(matrix.ROLES, expected, strict=True)), id=name)


def _sign_in(client, user) -> None:
    client.logout()
    if user is not None:
        client.force_login(user)
    client.cookies.pop("messages", None)  # a message left by an earlier post must not pass for this one's


def _page_fields(client, name: str, url: str, records: dict) -> dict[str, list[str]]:
    """The fields a user of this URL is offered: its own page's form, or the forms posting to it elsewhere."""
    has_page = any(row[0] == name and row[1] == "GET" for row in matrix.MATRIX)
    record_key = matrix.RECORD.get(name)
    if has_page:
        pages = [url]
    else:  # an action button: the pages of the same record (or of none) that carry it
        pages = [
            matrix._url(row[0], records)
            for row in matrix.MATRIX
            if row[1] == "GET" and matrix.RECORD.get(row[0]) in (record_key, None) and row[0] != "home"
        ]
    fields: dict[str, list[str]] = {}
    for page in pages:
        response = client.get(page)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            for field, options in forms_posting_to(response.content.decode(), page, url).items():
                fields.setdefault(field, []).extend(options)
    for field, value in matrix.POST_DATA.get(name, lambda r: {})(records).items():
        fields.setdefault(field, []).append(value)
    return fields


def _expected_refusal(response, status) -> None:
    if status == matrix.LOGIN:
        matrix.assert_status(response, matrix.LOGIN)
    else:
        assert response.status_code == status, (response.status_code, status)


@pytest.mark.parametrize(("name", "expected"), list(_post_rows()))
def test_every_form_answers_hostile_input_with_a_message_never_a_server_error(
    client, request, name, expected
):
    records = matrix._records(request, name)
    url = matrix._url(name, records)
    users = {role: request.getfixturevalue(f) if f else None for role, f in matrix.ROLES.items()}
    allowed = [role for role, status in expected.items() if status in LET_IN]
    # Nobody signed in may post the SMS gateway's delivery report: tests/fuzz/test_known_500s.py posts it
    # as the gateway. A form of that kind is refused below for every role, with the matrix's fields.
    _sign_in(client, users[allowed[0]] if allowed else None)
    fields = _page_fields(client, name, url, records) if allowed else {"id": [], "msgid": []}
    # Without NUL, which the middleware refuses before any permission is checked (test_known_500s.py).
    no_nul = [value for value in HOSTILE if "\x00" not in str(value)]
    everything_hostile = {field: [no_nul[i % len(no_nul)]] for i, field in enumerate(sorted(fields))}

    # The roles the matrix refuses get the same refusal whatever they post.
    for role, status in expected.items():
        if role not in allowed:
            _sign_in(client, users[role])
            response = post(client, url, everything_hostile)
            assert_answered(response, url_name=name)
            _expected_refusal(response, status)

    if not allowed:
        return

    # A record that does not exist: refused with a message, whatever is posted (most pages answer 404;
    # break-glass shows its form for any case, so as not to tell which exist).
    if matrix.RECORD.get(name):
        _sign_in(client, users[allowed[0]])
        response = post(client, reverse(name, kwargs={"pk": uuid.uuid4()}), everything_hostile)
        assert_answered(response, url_name=name)

    @FUZZ
    @given(role=st.sampled_from(allowed), data=payloads(fields))
    def fuzz(role, data):
        _sign_in(client, users[role])
        assert_answered(post(client, url, data), url_name=name)

    fuzz()


def test_the_fields_are_read_from_the_form_itself(client, request, worker, case_of_worker):
    """Guards the discovery: an empty field list would fuzz nothing but the URL."""
    client.force_login(worker)
    url = reverse("cases:contact_new", args=[case_of_worker.pk])
    fields = _page_fields(client, "cases:contact_new", url, {"case": case_of_worker})
    assert {"mode", "result", "immediate_danger"} <= set(fields)
    assert "phone" in fields["mode"]  # a select's options are offered as valid values
    assert "form_guard" in fields  # hidden fields too (the one-time token, issue 18)


def test_an_action_button_is_found_on_the_page_that_carries_it(client, hotline, pending_intake):
    """intake_accept has no page of its own: its form (a button and the token) is on the intake's page."""
    client.force_login(hotline)
    url = reverse("cases:intake_accept", args=[pending_intake.pk])
    fields = _page_fields(client, "cases:intake_accept", url, {"intake": pending_intake})
    assert "form_guard" in fields  # the matrix has no POST_DATA for it: this came from intake_detail


def test_a_valid_form_posted_the_fuzz_way_still_saves_with_a_message(client, worker, case_of_worker):
    """Positive control: the body the fuzz builds by hand binds the real form, which saves good input."""
    from django.utils import timezone

    from cases.rocdate import format_roc
    from evidence.models import EvidenceItem, Platform

    client.force_login(worker)
    data = {
        "platform": str(Platform.objects.get(code="dcard").pk),
        "url": "https://www.dcard.tw/f/talk/p/1",
        "first_seen_on": format_roc(timezone.localdate()),
        "kept_where": "usb",
    }
    response = post(client, reverse("evidence:item_add", args=[case_of_worker.pk]), data)
    assert response.status_code == 302
    assert_answered(response)
    assert EvidenceItem.objects.filter(case=case_of_worker).count() == 1
