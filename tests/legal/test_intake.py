"""legal.intake.intake_complaint_hint: the complaint date the hotline sees on the intake (1-2b, 1-2c).

Called on a plain object carrying the three Intake attributes, as the integrator's intake page will.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from legal.intake import intake_complaint_hint
from legal.models import RestDay

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


def call(**fields):
    values = {"learned_of_images_on": None, "offender_known": None, "knew_offender_on": None}
    values.update(fields)
    return SimpleNamespace(**values)


def test_nothing_typed_shows_nothing():
    assert intake_complaint_hint(call(), today=TODAY) is None
    assert intake_complaint_hint(object(), today=TODAY) is None  # before the hub has the fields


def test_a_known_offender_gives_the_last_day_and_days_left():
    hint = intake_complaint_hint(
        call(
            learned_of_images_on=dt.date(2026, 11, 1),
            offender_known=True,
            knew_offender_on=dt.date(2026, 11, 2),
        ),
        today=TODAY,
    )
    assert hint["state"] == "running" and hint["warning"] is False
    assert hint["due"] == dt.date(2027, 5, 2)
    assert "告訴期間至 116.05.02 止" in hint["text"] and "剩 153 天" in hint["text"]


def test_an_unknown_offender_is_a_warning_with_the_date_if_known_today():
    hint = intake_complaint_hint(
        call(learned_of_images_on=dt.date(2025, 1, 5), offender_known=False), today=TODAY
    )
    assert hint["state"] == "provisional" and hint["warning"] is True
    assert hint["due"] == dt.date(2027, 5, 31)
    assert "若今天知悉犯人，告訴期間將至 116.05.31 止" in hint["text"]
    assert "逾" not in hint["text"]  # learned almost two years ago: still never "too late"


def test_not_asked_says_so():
    hint = intake_complaint_hint(call(learned_of_images_on=dt.date(2026, 11, 1)), today=TODAY)
    assert hint["state"] == "provisional" and hint["text"].startswith("尚未詢問是否知悉犯人")


def test_known_without_a_date_asks_for_it():
    hint = intake_complaint_hint(call(offender_known=True), today=TODAY)
    assert hint["state"] == "missing_date" and "請詢問" in hint["text"]


def test_a_past_last_day_is_not_worded_as_too_late_to_the_caller():
    hint = intake_complaint_hint(
        call(offender_known=True, knew_offender_on=dt.date(2025, 3, 12)), today=TODAY
    )
    assert (
        hint["warning"] is True and "114.09.12" in hint["text"] and "請勿告知被害人「來不及」" in hint["text"]
    )


def test_a_last_day_on_a_rest_day_carries_the_art_122_note():
    RestDay.objects.create(date=dt.date(2027, 5, 3), kind=RestDay.Kind.REST, name="颱風停班")
    hint = intake_complaint_hint(
        call(offender_known=True, knew_offender_on=dt.date(2026, 11, 3)), today=TODAY
    )
    assert hint["due"] == dt.date(2027, 5, 3) and "民法第122條" in hint["note"]


def test_the_intake_page_shows_the_complaint_date_the_hotline_can_tell_the_caller(client, hotline):
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    from cases.rocdate import format_roc
    from tests.factories import make_intake

    knew = timezone.localdate() - dt.timedelta(days=10)
    intake = make_intake(actor=hotline, learned_of_images_on=knew, offender_known=True, knew_offender_on=knew)
    client.force_login(hotline)
    html = client.get(reverse("cases:intake_detail", args=[intake.pk])).content.decode()
    assert 'id="intake-complaint-hint"' in html and "告訴期間至" in html
    assert format_roc(knew) in html
    nothing = make_intake(actor=hotline)
    html = client.get(reverse("cases:intake_detail", args=[nothing.pk])).content.decode()
    assert 'id="intake-complaint-hint"' not in html
