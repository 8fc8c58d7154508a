"""The case page's one probe of the kinds of records a case has (cases.case_records)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.case_records import case_first, case_rows, probe_case_records
from cases.models import Contact
from cases.selectors import case_contacts
from tests.factories import make_case, make_referral

pytestmark = pytest.mark.django_db


def _queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return result, len(ctx.captured_queries)


def test_one_query_answers_for_every_kind_and_an_empty_kind_is_not_read(hotline, worker):
    case = make_case(actor=hotline, worker=worker)
    present, n = _queries(lambda: probe_case_records(case))
    assert n == 1
    assert present["cases.contacts"] is False and present["referrals.referrals"] is False
    assert len(present) > 25  # the hub's kinds and every app's
    rows, n = _queries(lambda: case_rows(case, "cases.contacts", case_contacts(case)))
    assert rows == [] and n == 0
    first, n = _queries(lambda: case_first(case, "cases.contacts", case_contacts(case)))
    assert first is None and n == 0


def test_a_kind_the_case_has_is_read(hotline, worker, police):
    case = make_case(actor=hotline, worker=worker)
    referral = make_referral(police=police, victim_phone=case.victim.phone)
    referral.intake.case = case
    referral.intake.save(update_fields=["case"])
    present = probe_case_records(case)
    assert present["referrals.referrals"] is True
    assert present["cases.contacts"] is False


def test_without_a_probe_or_for_an_unknown_kind_it_reads(hotline, worker):
    case = make_case(actor=hotline, worker=worker)
    _, n = _queries(lambda: case_rows(case, "cases.contacts", case_contacts(case)))
    assert n == 1
    probe_case_records(case)
    _, n = _queries(lambda: case_rows(case, "no.such_kind", Contact.objects.filter(case=case)))
    assert n == 1  # a misspelt key costs a query, never hides rows


def test_every_kind_read_through_the_probe_is_registered(hotline):
    """A key used with case_rows/case_first that no app registered would always query: name them alike."""
    registered = set(probe_case_records(make_case(actor=hotline)))
    used = set()
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        used |= set(re.findall(r'case_(?:rows|first)\(\s*case,\s*"([^"]+)"', path.read_text()))
    assert used and used <= registered, used - registered
