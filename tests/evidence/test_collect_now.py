"""指引 4-3-2A: a publicly prosecuted offence, or a victim who will report, calls for collecting evidence at
once; the evidence panel says so (reading the legal app's offences through the hub) until the advice is
recorded in the teaching record."""

from __future__ import annotations

import pytest

from legal.models import CaseOffence
from tests.evidence.factories import make_teaching
from tests.legal.factories import make_case_offence

pytestmark = pytest.mark.django_db


def _panel(client, case):
    html = client.get(case.get_absolute_url()).content.decode()
    start = html.find('id="collect-now"')
    return html, html[start : start + 400]


def test_a_public_offence_prompts_until_the_advice_is_recorded(client, worker, case_of_worker):
    make_case_offence(
        actor=worker, case=case_of_worker, code="P-F", victim_wishes=CaseOffence.Wishes.DECLINES
    )
    client.force_login(worker)
    html, prompt = _panel(client, case_of_worker)
    assert (
        "即時蒐證" in prompt
        and "非告訴乃論" in prompt
        and "alert" in html[html.find('id="collect-now"') - 60 :][:60]
    )
    make_teaching(actor=worker, case=case_of_worker, advised_collect_now=True)
    html, prompt = _panel(client, case_of_worker)
    assert "已建議即時蒐證" in prompt


def test_a_victim_who_will_report_a_complaint_offence_is_prompted_too(client, worker, case_of_worker):
    make_case_offence(actor=worker, case=case_of_worker, code="C-B", victim_wishes=CaseOffence.Wishes.WANTS)
    client.force_login(worker)
    _html, prompt = _panel(client, case_of_worker)
    assert "被害人願意報案" in prompt


def test_no_prompt_for_an_undecided_complaint_offence(client, worker, case_of_worker):
    make_case_offence(
        actor=worker, case=case_of_worker, code="C-A", victim_wishes=CaseOffence.Wishes.UNDECIDED
    )
    client.force_login(worker)
    html, _prompt = _panel(client, case_of_worker)
    assert 'id="collect-now"' not in html
