"""Guideline item 1 (one window): a second contact for a known victim is attached, not a new case."""

import pytest

from cases import selectors, services
from cases.models import Case, Intake
from cases.privacy import national_id_index, phone_index
from tests.factories import make_case, make_intake

pytestmark = pytest.mark.django_db


def test_same_phone_in_another_format_matches_the_existing_case(hotline):
    case = make_case(actor=hotline, victim_phone="0912345678", victim_national_id="")
    second = make_intake(actor=hotline, victim_phone="+886 912-345-678", victim_national_id="")
    matches = selectors.matching_cases(
        phone_index=second.victim_phone_index, national_id_index=second.victim_national_id_index
    )
    assert list(matches) == [case]


def test_same_national_id_matches_whatever_the_case_of_letters(hotline):
    case = make_case(actor=hotline, victim_phone="", victim_national_id="A123456789")
    second = make_intake(actor=hotline, victim_phone="", victim_national_id="a123456789")
    assert list(
        selectors.matching_cases(phone_index="", national_id_index=second.victim_national_id_index)
    ) == [case]


def test_a_different_person_does_not_match(hotline):
    make_case(actor=hotline, victim_phone="0912345678", victim_national_id="A123456789")
    other = make_intake(actor=hotline, victim_phone="0987654321", victim_national_id="B142610837")
    assert not selectors.matching_cases(
        phone_index=other.victim_phone_index, national_id_index=other.victim_national_id_index
    ).exists()


def test_attaching_adds_the_contact_to_the_case_without_a_new_case(hotline):
    case = make_case(actor=hotline, victim_phone="0912345678", victim_national_id="")
    second = make_intake(actor=hotline, victim_phone="0912345678", victim_national_id="A123456789")
    services.intake_attach(actor=hotline, intake=second, case=case)
    second.refresh_from_db()
    assert second.status == Intake.Status.ATTACHED and second.case == case
    assert Case.objects.count() == 1
    case.victim.refresh_from_db()
    # The ID the second contact brought is kept, so a third call quoting only the ID matches too.
    assert case.victim.national_id_index == national_id_index("A123456789")


def test_indexes_are_keyed_hashes_not_the_numbers(hotline):
    intake = make_intake(actor=hotline, victim_phone="0912345678", victim_national_id="A123456789")
    assert intake.victim_phone_index == phone_index("0912345678")
    assert "0912345678" not in intake.victim_phone_index
    assert len(intake.victim_phone_index) == 64


def test_queue_flags_only_intakes_of_known_victims(hotline):
    make_case(actor=hotline, victim_phone="0912345678", victim_national_id="")
    known = make_intake(actor=hotline, victim_phone="0912345678", victim_national_id="")
    unknown = make_intake(actor=hotline, victim_phone="0955000111", victim_national_id="")
    flags = {row.pk: row.matched for row in selectors.intake_queue_rows()}
    assert flags == {known.pk: True, unknown.pk: False}
