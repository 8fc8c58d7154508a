"""The legal panel on the case page costs the same queries with N records behind it as with 3N."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case
from legal import services
from legal.models import CaseOffence
from legal.selectors import case_legal_panel
from tests.factories import make_referral
from tests.legal.factories import (
    make_case_offence,
    make_consultation,
    make_direction,
    make_police_report,
    make_referred_case,
    make_subsidy,
)

pytestmark = pytest.mark.django_db

N = 3
# offences (with catalogue row and accusation joined) + their deadlines + the rest-day overrides
# + consultations + police reports + subsidies + prosecutor directions + preservation talks
# + law explanations (with who explained) + lawyer referrals (with their subsidy)
PANEL_QUERIES = 10

CODES = ["C-A", "C-B", "P-A", "P-B", "P-C", "P-D", "P-E", "P-F"]


def _add(n, *, case, worker, worker2, police):
    for i in range(n):
        make_case_offence(
            actor=worker,
            case=case,
            code=CODES[i % len(CODES)],
            offender_known=bool(i % 2),
            knew_offender_on=dt.date(2025, 3, 12) if i % 2 else None,
            victim_wishes=CaseOffence.Wishes.DECLINES if i % 3 == 0 else CaseOffence.Wishes.WANTS,
        )
        make_consultation(
            actor=worker, case=case, escorted=bool(i % 2), escort_worker=worker2 if i % 2 else None
        )
        subsidy = make_subsidy(actor=worker, case=case)
        services.law_explanation_record(
            actor=worker,
            case=case,
            explained_on=timezone.localdate(),
            topics=["criminal_code", "sexual_assault_act"],
            by=worker2 if i % 2 else None,
        )
        services.lawyer_referral_record(
            actor=worker,
            case=case,
            lawyer_or_org=f"律師 {i}",
            matched_on=timezone.localdate(),
            subsidy=subsidy if i % 2 else None,
        )
        report = make_police_report(
            actor=worker, case=case, escorted=True, escort_worker=worker, officer=police
        )
        make_direction(police=police, case=case)
        services.preservation_talk_record(
            actor=worker,
            case=case,
            police_report=report,
            discussed_at=timezone.now() - dt.timedelta(hours=1),
            triggers=["leak"],
            officer=police,
        )


@pytest.fixture
def referred(hotline, worker, police):
    case = make_referred_case(hotline=hotline, referral=make_referral(police=police), worker=worker)
    return Case.objects.select_related("victim").get(pk=case.pk)  # as the case page's access helper loads it


def test_the_panel_reads_a_fixed_number_of_queries(
    worker, worker2, police, referred, django_assert_num_queries
):
    people = {"worker": worker, "worker2": worker2, "police": police}
    _add(N, case=referred, **people)
    case = type(referred).objects.select_related("victim").get(pk=referred.pk)  # nothing cached on it yet
    with django_assert_num_queries(PANEL_QUERIES):
        small = case_legal_panel(case)
    with django_assert_num_queries(0):
        assert case_legal_panel(case) is small  # the case page's record reuses the panel's rows
    _add(2 * N, case=referred, **people)
    case = type(referred).objects.select_related("victim").get(pk=referred.pk)
    with django_assert_num_queries(PANEL_QUERIES):
        large = case_legal_panel(case)
    assert len(large["offences"]) == 3 * len(small["offences"]) == 3 * N
    assert len(large["directions"]) == len(large["talks"]) == 3 * N
    assert len(large["explanations"]) == len(large["lawyer_referrals"]) == 3 * N
    assert sum(1 for row in large["offences"] if row["accusation"]) > 0


def test_the_case_page_does_not_grow_with_legal_records(client, worker, worker2, police, referred):
    client.force_login(worker)
    people = {"worker": worker, "worker2": worker2, "police": police}
    _add(N, case=referred, **people)
    client.get(referred.get_absolute_url())  # opened once: the dispatch notice is read (one UPDATE)
    with CaptureQueriesContext(connection) as small:
        assert client.get(referred.get_absolute_url()).status_code == 200
    _add(2 * N, case=referred, **people)
    with CaptureQueriesContext(connection) as large:
        response = client.get(referred.get_absolute_url())
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    html = response.content.decode()
    assert html.count("legal/offences/") == 3 * N  # every offence has its edit link
    assert html.count("legal/law-explanations/") == html.count("legal/lawyer-referrals/") == 3 * N
