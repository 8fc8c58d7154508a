"""Access-matrix rows of the legal app's later pages (see tests/access/__init__.py).

The urgent-preservation discussion (9-2-6, 10-N), the law explained to the victim (4-A) and the lawyer
matched (4-1-2) are the worker's side of a case, like the other legal forms: the assigned worker and
supervisors record them; another worker gets 404; the hotline, police and the admin never use the
pages (403).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from legal import services

__all__: list[str] = [
    "legal_preservation_talk",
    "legal_law_explanation",
    "legal_lawyer_referral",
]  # the fixtures below, so tests/conftest.py makes them visible

RECORD: dict[str, str] = {
    "legal:preservation_add": "case",
    "legal:preservation_edit": "preservation_talk",
    "legal:law_explanation_add": "case",
    "legal:law_explanation_edit": "law_explanation",
    "legal:lawyer_referral_add": "case",
    "legal:lawyer_referral_edit": "lawyer_referral",
}
RECORD_FIXTURES: dict[str, str] = {
    "preservation_talk": "legal_preservation_talk",
    "law_explanation": "legal_law_explanation",
    "lawyer_referral": "legal_lawyer_referral",
}
POST_DATA: dict = {}


@pytest.fixture
def legal_preservation_talk(worker, case_of_worker):
    return services.preservation_talk_record(
        actor=worker,
        case=case_of_worker,
        discussed_at=timezone.now() - dt.timedelta(hours=1),
        triggers=["leak"],
        officer_name="大安分局 李警員",
    )


@pytest.fixture
def legal_law_explanation(worker, case_of_worker):
    return services.law_explanation_record(
        actor=worker, case=case_of_worker, explained_on=timezone.localdate(), topics=["criminal_code"]
    )


@pytest.fixture
def legal_lawyer_referral(worker, case_of_worker):
    return services.lawyer_referral_record(
        actor=worker,
        case=case_of_worker,
        lawyer_or_org="法律扶助基金會臺北分會",
        matched_on=timezone.localdate(),
    )


# fmt: off
MATRIX: list[tuple] = [
    # url name                 method  anon    hotline worker  worker2 police  police2 superv  admin   nobody
    ("legal:preservation_add", "GET",  "login", 403,   200,    404,    403,    403,    200,    403,    403),
    ("legal:preservation_add", "POST", "login", 403,   200,    404,    403,    403,    200,    403,    403),
    ("legal:preservation_edit", "GET", "login", 403,   200,    404,    403,    403,    200,    403,    403),
    ("legal:preservation_edit", "POST", "login", 403,  200,    404,    403,    403,    200,    403,    403),
    ("legal:law_explanation_add", "GET", "login", 403,  200,    404,    403,    403,    200,    403,    403),
    ("legal:law_explanation_add", "POST", "login", 403, 200,    404,    403,    403,    200,    403,    403),
    ("legal:law_explanation_edit", "GET", "login", 403, 200,    404,    403,    403,    200,    403,    403),
    ("legal:law_explanation_edit", "POST", "login", 403, 200,   404,    403,    403,    200,    403,    403),
    ("legal:lawyer_referral_add", "GET", "login", 403,  200,    404,    403,    403,    200,    403,    403),
    ("legal:lawyer_referral_add", "POST", "login", 403, 200,    404,    403,    403,    200,    403,    403),
    ("legal:lawyer_referral_edit", "GET", "login", 403, 200,    404,    403,    403,    200,    403,    403),
    ("legal:lawyer_referral_edit", "POST", "login", 403, 200,   404,    403,    403,    200,    403,    403),
]
# fmt: on
