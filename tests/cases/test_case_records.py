"""The case page's one probe of the kinds of records a case has (cases.case_records)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import selectors
from cases.case_records import UNREAD_DISPATCH_NOTICES, case_first, case_rows, probe_case_records
from cases.models import Case, Contact, Notification
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


def test_the_user_s_unread_dispatch_notices_are_probed_for_that_user_only(hotline, worker, worker2):
    case = make_case(actor=hotline, worker=worker)  # dispatching it notified the worker
    assert probe_case_records(case, worker)[UNREAD_DISPATCH_NOTICES] is True
    assert probe_case_records(case, worker2)[UNREAD_DISPATCH_NOTICES] is False
    Notification.objects.filter(recipient=worker).update(read_at=timezone.now())
    assert probe_case_records(case, worker)[UNREAD_DISPATCH_NOTICES] is False


def test_the_case_page_reads_the_probe_with_the_case_and_writes_no_read_mark_without_unread_notices(
    client, hotline, worker
):
    case = make_case(actor=hotline, worker=worker)
    client.force_login(worker)
    with CaptureQueriesContext(connection) as first:
        assert client.get(case.get_absolute_url()).status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get(case.get_absolute_url()).status_code == 200
    assert Notification.objects.get(recipient=worker, case=case).read_at is not None
    updates = [[q for q in c.captured_queries if q["sql"].startswith("UPDATE")] for c in (first, again)]
    assert [len(u) for u in updates] == [1, 0]  # the dispatch notice marked read once, then nothing to do
    for captured in (first, again):
        assert not [q for q in captured.captured_queries if q["sql"].startswith("SELECT EXISTS")]
        (case_query,) = [
            q for q in captured.captured_queries if q["sql"].startswith('SELECT "cases_case"."id"')
        ]
        assert '"case_records_probe"' in case_query["sql"]  # the probe is a column of the case's own query


def test_a_case_read_without_the_probe_column_is_probed_by_a_query(hotline, worker):
    case = Case.objects.get(pk=make_case(actor=hotline, worker=worker).pk)  # as 緊急調閱 reads it
    present, n = _queries(lambda: probe_case_records(case, worker))
    assert n == 1 and present["cases.contacts"] is False and present[UNREAD_DISPATCH_NOTICES] is True
    probed = selectors.case_for_user(worker, case.pk, probe=True)
    again, n = _queries(lambda: probe_case_records(probed, worker))
    assert n == 0 and again == present
