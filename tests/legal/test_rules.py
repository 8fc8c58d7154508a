"""legal.rules: when the complaint period runs (CCP 237, 釋字108) and what a minor's report needs (9-2-7).

Pure functions, no database.
"""

from __future__ import annotations

import datetime as dt

import pytest

from legal import rules

D = dt.date


class TestComplaintStart:
    def test_counts_from_knowing_the_offender(self):
        start = rules.complaint_start(offender_known=True, knew_offender_on=D(2025, 3, 12))
        assert start.running and start.starts_after == D(2025, 3, 12) and start.due == D(2025, 9, 12)

    @pytest.mark.parametrize(("known", "knew"), [(False, None), (True, None), (False, D(2025, 3, 12))])
    def test_does_not_run_while_the_offender_is_not_known_with_a_date(self, known, knew):
        start = rules.complaint_start(offender_known=known, knew_offender_on=knew)
        assert not start.running and start.due is None and start.waiting_for == "offender"

    def test_continuing_conduct_counts_from_its_end_when_that_is_later(self):
        start = rules.complaint_start(
            offender_known=True,
            knew_offender_on=D(2025, 1, 10),
            continuing=True,
            conduct_ended_on=D(2025, 6, 30),
        )
        assert start.starts_after == D(2025, 6, 30) and start.due == D(2025, 12, 31)

    def test_continuing_conduct_counts_from_knowing_the_offender_when_that_is_later(self):
        start = rules.complaint_start(
            offender_known=True,
            knew_offender_on=D(2025, 8, 20),
            continuing=True,
            conduct_ended_on=D(2025, 6, 30),
        )
        assert start.starts_after == D(2025, 8, 20)

    def test_ongoing_conduct_has_not_started_the_clock(self):
        start = rules.complaint_start(offender_known=True, knew_offender_on=D(2025, 1, 10), continuing=True)
        assert not start.running and start.waiting_for == "conduct_end"

    def test_the_provisional_text_gives_the_date_if_known_today(self):
        text = rules.provisional_text("offender", D(2026, 11, 30))
        assert text.startswith("尚未知悉犯人") and "若今天知悉犯人，告訴期間將至 116.05.31 止" in text
        assert "逾" not in text
        assert "若行為今天終了" in rules.provisional_text("conduct_end", D(2026, 11, 30))


class TestMinorReport:
    def errors(self, **overrides):
        values = {
            "minor": True,
            "age_answer": "",
            "companion": "",
            "escort_worker_chosen": False,
            "done": True,
        }
        values.update(overrides)
        return rules.minor_report_errors(**values)

    def test_a_booking_is_not_held_to_the_rule(self):
        assert self.errors(done=False) == {}

    def test_a_minor_without_a_companion_cannot_be_done(self):
        assert self.errors() == {"minor_companion": [rules.MINOR_NEEDS_COMPANION]}

    def test_a_guardian_is_enough(self):
        assert self.errors(companion="guardian") == {}

    def test_a_social_worker_companion_must_be_the_escorting_worker(self):
        assert self.errors(companion="social_worker") == {
            "escort_worker": [rules.MINOR_SOCIAL_WORKER_NEEDS_ESCORT]
        }
        assert self.errors(companion="social_worker", escort_worker_chosen=True) == {}

    def test_an_adult_needs_nothing(self):
        assert self.errors(minor=False) == {}

    def test_unknown_age_asks_the_question_and_then_applies_the_answer(self):
        assert self.errors(minor=None) == {"age_answer": [rules.MINOR_QUESTION]}
        assert self.errors(minor=None, age_answer="adult") == {}
        assert self.errors(minor=None, age_answer="minor") == {
            "minor_companion": [rules.MINOR_NEEDS_COMPANION]
        }
