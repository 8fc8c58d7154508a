"""The services panel and entries on the case page cost the same queries with N records as with 3N."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone

from cases.models import Case
from services import services
from services.models import DeclinedEscortRequest
from services.panels import _context, services_entries
from tests.services.factories import (
    make_court_escort,
    make_interview_escort,
    make_referral,
    make_report,
    make_screening,
)

pytestmark = pytest.mark.django_db

N = 3
# support notes + screenings + referrals (programme joined)
# + escorts (worker, checklist, report, referral joined) + declined requests
PANEL_QUERIES = 5
# The entries reuse the rows the panel read for the same case object.
ENTRY_QUERIES = 0


def _add(n, *, case, worker):
    for i in range(n):
        make_screening(actor=worker, case=case, items=(i % 5, 1, 2, 3, 0), item_suicide=i % 3)
        services.support_note_record(
            actor=worker, case=case, noted_at=timezone.now(), emotions=["fear"], support_given="陪伴"
        )
        make_referral(actor=worker, case=case)
        escort = make_interview_escort(
            actor=worker, case=case, starts_at=timezone.now() - dt.timedelta(hours=3 + i)
        )
        if i % 2:
            make_report(actor=worker, escort=escort)
        make_court_escort(actor=worker, case=case)
        services.declined_request_record(
            actor=worker,
            case=case,
            request=DeclinedEscortRequest.Request.FETCH_BELONGINGS,
            requested_on=timezone.localdate(),
        )


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_panel_reads_a_fixed_number_of_queries(worker, case_of_worker, django_assert_num_queries):
    case = Case.objects.select_related("victim").get(pk=case_of_worker.pk)
    request = _request(worker)
    request.user.has_perm("services.manage_services")  # permissions cached as on a page after the nav
    _add(N, case=case, worker=worker)
    with django_assert_num_queries(PANEL_QUERIES):
        context = _context(request, case)
    assert len(context["screenings"]) == N and len(context["escorts"]) == 2 * N
    with django_assert_num_queries(ENTRY_QUERIES):
        assert len(services_entries(case, worker)) == 4 * N
    _add(2 * N, case=case, worker=worker)
    case = Case.objects.select_related("victim").get(pk=case_of_worker.pk)  # a new page, a new case object
    with django_assert_num_queries(PANEL_QUERIES):
        context = _context(request, case)
    assert len(context["screenings"]) == 3 * N and len(context["declined"]) == 3 * N
    with django_assert_num_queries(ENTRY_QUERIES):
        assert len(services_entries(case, worker)) == 12 * N
