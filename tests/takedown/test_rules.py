"""The pure takedown rules, without the database."""

from __future__ import annotations

import datetime as dt

import pytest

from takedown import rules

FILED = dt.datetime(2026, 11, 30, 21, 15, tzinfo=dt.UTC)


@pytest.mark.parametrize(("minor", "hours"), [(True, 24), (False, 72), (None, 24)])
def test_takedown_is_due_24_hours_for_a_minor_or_unknown_age_and_72_for_an_adult(minor, hours):
    assert rules.takedown_due(FILED, minor) == FILED + dt.timedelta(hours=hours)


@pytest.mark.parametrize(("answer", "minor"), [("yes", True), ("no", False), ("unknown", None), ("", None)])
def test_the_form_answer_maps_to_minor(answer, minor):
    assert rules.minor_from_answer(answer) is minor


def test_an_adult_holding_images_not_yet_spread_is_eligible_for_stopncii():
    assert rules.stopncii_eligible(False, True, False) == (True, "")


@pytest.mark.parametrize(
    ("minor", "holds", "spread", "says"),
    [
        (None, True, False, "年齡不明"),
        (True, True, False, "未成年"),
        (False, False, False, "未持有"),
        (False, True, True, "已遭散布"),
    ],
)
def test_stopncii_is_refused_with_the_reason(minor, holds, spread, says):
    eligible, reason = rules.stopncii_eligible(minor, holds, spread)
    assert eligible is False
    assert says in reason


def test_an_unknown_age_is_not_eligible_until_known():
    eligible, reason = rules.stopncii_eligible(None, True, False)
    assert not eligible and "請先確認出生日期" in reason


@pytest.mark.parametrize(
    ("resolved_after", "now_after", "state"),
    [(1, 2, "met"), (80, 90, "late"), (None, 100, "overdue"), (None, 1, "open")],
)
def test_sla_state(resolved_after, now_after, state):
    due = FILED + dt.timedelta(hours=72)
    resolved = None if resolved_after is None else FILED + dt.timedelta(hours=resolved_after)
    assert rules.sla_state(due=due, resolved_at=resolved, now=FILED + dt.timedelta(hours=now_after)) == state
