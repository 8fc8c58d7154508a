"""Where the victim is sleeping (指引 7-3) is shown to the assigned worker and supervisors only.

Every page of the project, as every other role, with a shelter placement on the case: the hotel's name
never appears. The URL list is the access matrix's (tests/test_access_matrix.py), each called with the
records its rows use, plus the pages that show a case's records to the roles who may read them.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Notification, SmsMessage
from safety import services
from tests import test_access_matrix as matrix
from tests.safety.factories import HOTEL, flag_danger, make_placement
from tests.test_access_matrix import MATRIX, ROLES, _login_as, _records, _url

pytestmark = pytest.mark.django_db

# The matrix module's record fixtures (pending intake, flagged case, legal and SMS records), so every
# row's record can be built here as there.
for _name, _value in vars(matrix).items():
    if type(_value).__name__ == "FixtureFunctionDefinition" or hasattr(_value, "_pytestfixturefunction"):
        globals()[_name] = _value

OTHER_ROLES = ["anon", "hotline", "worker2", "police", "police2", "admin", "nobody"]


@pytest.fixture
def placed(worker, supervisor, case_of_worker):
    """case_of_worker: flagged, in a hotel under the scheme, approved, then moved to a second hotel."""
    flag_danger(case=case_of_worker, worker=worker)
    placement = make_placement(actor=worker, case=case_of_worker)
    services.shelter_approve(actor=supervisor, placement=placement)
    return placement


def _pages(request) -> list[str]:
    urls = []
    for name, method, *_ in MATRIX:
        if method == "GET":
            urls.append(_url(name, _records(request, name)))
    return sorted(set(urls))


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_no_other_role_finds_the_hotel_on_any_page(client, request, placed, role):
    assert role in ROLES
    pages = _pages(request)
    assert reverse("cases:detail", args=[placed.case_id]) in pages
    _login_as(client, request, role)
    for url in pages:
        response = client.get(url, follow=True)
        body = response.content.decode(errors="ignore")
        assert HOTEL not in body, f"{role} sees the hotel on {url}"


def test_control_the_assigned_worker_and_a_supervisor_do_see_it(client, request, placed, worker, supervisor):
    url = reverse("cases:detail", args=[placed.case_id])
    for user in (worker, supervisor):
        client.force_login(user)
        assert HOTEL in client.get(url).content.decode()


def test_the_hotel_is_in_no_notification_sms_deadline_or_string(placed):
    texts = list(Notification.objects.values_list("text", flat=True))
    assert texts  # supervisors were told of the request, the worker of the approval
    assert all(HOTEL not in text for text in texts)
    assert all(HOTEL not in (sms.body or "") for sms in SmsMessage.objects.all())
    deadlines = placed.case.deadlines.values_list("title", "note")
    assert all(HOTEL not in title and HOTEL not in note for title, note in deadlines)
    assert HOTEL not in str(placed)


def test_the_hotel_is_encrypted_at_rest(placed):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT hotel FROM safety_shelterplacement")
        stored = cursor.fetchone()[0]
    assert HOTEL not in stored
