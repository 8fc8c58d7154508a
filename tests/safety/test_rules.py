"""Protection routes (指引 7-2-3): plain function, no database."""

import datetime as dt

import pytest

from safety import rules
from safety.rules import CRIME_VICTIM, DV_ORDER, STALKING_ACT, protection_routes


@pytest.mark.parametrize("stalking", [False, True])
def test_a_family_member_leads_to_the_dv_order_first_and_the_prosecutor_always(stalking):
    assert protection_routes(rules.FAMILY, stalking) == [DV_ORDER, CRIME_VICTIM]


@pytest.mark.parametrize("stalking", [False, True])
def test_an_intimate_partner_not_living_together_is_covered_by_the_dv_act_art_63_1(stalking):
    assert protection_routes(rules.INTIMATE_NOT_COHABITING, stalking) == [DV_ORDER, CRIME_VICTIM]


@pytest.mark.parametrize("relationship", [rules.ACQUAINTANCE, rules.STRANGER, rules.UNKNOWN])
def test_stalking_outside_the_dv_act_leads_to_the_stalking_act(relationship):
    assert protection_routes(relationship, True) == [STALKING_ACT, CRIME_VICTIM]


@pytest.mark.parametrize("relationship", [rules.ACQUAINTANCE, rules.STRANGER, rules.UNKNOWN])
def test_without_stalking_or_a_dv_relationship_only_the_prosecutor_route_is_open(relationship):
    assert protection_routes(relationship, False) == [CRIME_VICTIM]


def test_every_route_has_a_label_and_a_note():
    for code in (DV_ORDER, STALKING_ACT, CRIME_VICTIM):
        assert rules.ROUTE_LABELS[code] and rules.ROUTE_NOTES[code]


def test_the_extension_note_names_the_article_for_orders_that_can_be_extended():
    assert "家庭暴力防治法第15條" in rules.extension_note("ordinary")
    assert "跟蹤騷擾防制法第12條" in rules.extension_note("stalking")
    assert "通常保護令" in rules.extension_note("temporary")


class TestReviewCoversFlag:
    FLAG = dt.datetime(2026, 11, 30, 21, 45, tzinfo=dt.UTC)

    def test_a_review_in_the_flagging_call_logged_after_the_flag_counts(self):
        assert rules.review_covers_flag(
            reviewed_on=dt.date(2026, 11, 30),
            recorded_at=self.FLAG + dt.timedelta(minutes=3),
            flagged_at=self.FLAG,
            flagged_on=dt.date(2026, 11, 30),
        )

    def test_a_review_logged_before_the_flag_does_not(self):
        assert not rules.review_covers_flag(
            reviewed_on=dt.date(2026, 11, 30),
            recorded_at=self.FLAG - dt.timedelta(minutes=1),
            flagged_at=self.FLAG,
            flagged_on=dt.date(2026, 11, 30),
        )

    def test_an_old_review_entered_late_does_not(self):
        assert not rules.review_covers_flag(
            reviewed_on=dt.date(2026, 11, 28),
            recorded_at=self.FLAG + dt.timedelta(hours=1),
            flagged_at=self.FLAG,
            flagged_on=dt.date(2026, 11, 30),
        )

    def test_no_review_never_covers_a_flag(self):
        assert not rules.review_covers_flag(
            reviewed_on=None, recorded_at=None, flagged_at=self.FLAG, flagged_on=dt.date(2026, 11, 30)
        )
