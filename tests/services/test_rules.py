"""The pure rules of services/rules.py, without the database."""

from __future__ import annotations

import datetime as dt

import pytest

from services import rules
from services.rules import bsrs5, programme_eligibility, ptsd_result, service_record_due


@pytest.mark.parametrize(
    ("items", "total", "band"),
    [
        ([0, 0, 0, 0, 0], 0, "身心適應狀況良好"),
        ([1, 1, 1, 1, 1], 5, "身心適應狀況良好"),
        ([2, 1, 1, 1, 1], 6, "輕度情緒困擾"),
        ([2, 2, 2, 2, 1], 9, "輕度情緒困擾"),
        ([2, 2, 2, 2, 2], 10, "中度情緒困擾"),
        ([3, 3, 3, 3, 2], 14, "中度情緒困擾"),
        ([3, 3, 3, 3, 3], 15, "重度情緒困擾"),
        ([4, 4, 4, 4, 4], 20, "重度情緒困擾"),
    ],
)
def test_bsrs5_bands_at_every_boundary(items, total, band):
    result = bsrs5(items, 0)
    assert (result.total, result.band, result.urgent) == (total, band, False)


def test_suicide_item_two_is_urgent_whatever_the_total():
    result = bsrs5([0, 0, 0, 0, 0], 2)
    assert result.urgent and result.suggest_psychiatry
    assert result.band == "身心適應狀況良好"
    assert not bsrs5([0, 0, 0, 0, 0], 1).urgent


def test_psychiatry_is_suggested_from_moderate_distress():
    assert not bsrs5([2, 2, 2, 2, 1], 0).suggest_psychiatry
    assert bsrs5([2, 2, 2, 2, 2], 0).suggest_psychiatry


@pytest.mark.parametrize(
    ("items", "suicide"),
    [
        ([1, 1, 1, 1], 0),
        ([1, 1, 1, 1, 1, 1], 0),
        ([1, 1, 1, 1, 5], 0),
        ([1, 1, 1, 1, -1], 0),
        ([1, 1, 1, 1, "1"], 0),
        ([1, 1, 1, 1, 1.0], 0),
        ([1, 1, 1, 1, True], 0),
        ([1, 1, 1, 1, 1], True),
        ([1, 1, 1, 1, 1], 5),
        ([1, 1, 1, 1, 1], None),
        (None, 0),
        (5, 0),
    ],
)
def test_anything_but_five_integers_0_to_4_and_one_is_refused(items, suicide):
    with pytest.raises(ValueError):
        bsrs5(items, suicide)


def test_ptsd_positive_at_the_cutoff_given_as_data():
    assert ptsd_result([True, True, True, False, False], 3) == (3, True)
    assert ptsd_result([True, True, False, False, False], 3) == (2, False)
    assert ptsd_result([True, True, False, False, False], 2) == (2, True)
    with pytest.raises(ValueError):
        ptsd_result([1, 0, 1], 2)


def test_a_positive_ptsd_check_alone_suggests_psychiatry():
    assert rules.psychiatry_suggested(bsrs5([0, 0, 0, 0, 0], 0), True)
    assert not rules.psychiatry_suggested(bsrs5([0, 0, 0, 0, 0], 0), False)


def test_service_record_is_due_three_days_after_the_escort_day_not_counted():
    # 115.11.30 -> 115.12.03 (Civil Code art. 120)
    assert service_record_due(dt.date(2026, 11, 30)) == dt.date(2026, 12, 3)
    assert service_record_due(dt.date(2026, 12, 30)) == dt.date(2027, 1, 2)
    assert service_record_due(dt.date(2026, 11, 30), 5) == dt.date(2026, 12, 5)


def test_eligibility_by_age_and_sessions_with_the_reason():
    args = {"min_age": 15, "max_age": 45, "free_sessions": 3}
    assert programme_eligibility(age=45, sessions_used=0, **args).eligible is True
    assert programme_eligibility(age=15, sessions_used=2, **args).eligible is True
    too_old = programme_eligibility(age=46, sessions_used=0, **args)
    assert too_old.eligible is False and too_old.reason.startswith("年齡不符")
    used_up = programme_eligibility(age=30, sessions_used=3, **args)
    assert used_up.eligible is False and used_up.reason.startswith("已用完次數")
    unknown = programme_eligibility(age=None, sessions_used=0, **args)
    assert unknown.eligible is None
    assert programme_eligibility(
        age=None, min_age=None, max_age=None, free_sessions=None, sessions_used=9
    ).eligible


def test_defendant_at_court_means_meeting_at_the_bailiffs_office():
    assert rules.meeting_point_error(defendant_present=True, meeting_point="法庭外")
    assert not rules.meeting_point_error(defendant_present=True, meeting_point="法警室")
    assert not rules.meeting_point_error(defendant_present=False, meeting_point="法庭外")


def test_a_worker_statement_needs_who_asked_for_it():
    assert rules.worker_statement_error(statement_made=True, requested_by="")
    assert not rules.worker_statement_error(statement_made=True, requested_by="法官")
    assert not rules.worker_statement_error(statement_made=False, requested_by="")
