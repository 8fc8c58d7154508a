"""Access-matrix rows of the services app (see tests/access/__init__.py).

Screenings, counselling and escorts: the assigned worker and supervisors only (the selector answers 404
for a worker of another case); the hotline, police and administrators never (403). The printed record
form is GET only.
"""

from __future__ import annotations

import pytest

__all__: list[str] = ["services_escort_record", "services_referral_record"]

LOGIN = "login"

RECORD: dict[str, str] = {
    "services:support_note_add": "case",
    "services:screening_add": "case",
    "services:referral_add": "case",
    "services:referral_edit": "services_referral",
    "services:escort_add": "case",
    "services:escort_edit": "services_escort",
    "services:escort_report": "services_escort",
    "services:escort_report_pdf": "services_escort",
    "services:declined_add": "case",
}
RECORD_FIXTURES: dict[str, str] = {
    "services_referral": "services_referral_record",
    "services_escort": "services_escort_record",
}
POST_DATA: dict = {}


@pytest.fixture
def services_referral_record(worker, case_of_worker):
    from tests.services.factories import make_referral

    return make_referral(actor=worker, case=case_of_worker)


@pytest.fixture
def services_escort_record(worker, case_of_worker):
    """An interview escort of case_of_worker, done, with its record form completed (so the PDF exists)."""
    from tests.services.factories import make_interview_escort, make_report

    escort = make_interview_escort(actor=worker, case=case_of_worker)
    make_report(actor=worker, escort=escort)
    return escort


# fmt: off
MATRIX: list[tuple] = [
    # url name                 method  anon    hotline worker  worker2 police  police2 superv  admin   nobody
    ("services:support_note_add", "GET", LOGIN, 403,   200,    404,    403,    403,    200,    403,    403),
    ("services:support_note_add", "POST", LOGIN, 403,  200,    404,    403,    403,    200,    403,    403),
    ("services:screening_add", "GET",  LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("services:screening_add", "POST", LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("services:referral_add",  "GET",  LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("services:referral_add",  "POST", LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("services:referral_edit", "GET",  LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("services:referral_edit", "POST", LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("services:escort_add",    "GET",  LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("services:escort_add",    "POST", LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("services:escort_edit",   "GET",  LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("services:escort_edit",   "POST", LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("services:escort_report", "GET",  LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("services:escort_report", "POST", LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("services:escort_report_pdf", "GET", LOGIN, 403,  200,    404,    403,    403,    200,    403,    403),
    ("services:declined_add",  "GET",  LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
    ("services:declined_add",  "POST", LOGIN,  403,    200,    404,    403,    403,    200,    403,    403),
]
# fmt: on
