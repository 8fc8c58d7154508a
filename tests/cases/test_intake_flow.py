"""Guideline item 1: a call or referral becomes a case, is dispatched, and re-dispatch keeps history."""

import pytest
from django.core.exceptions import ValidationError

from cases import services
from cases.models import Case, Dispatch, Intake
from tests.factories import make_case, make_intake

pytestmark = pytest.mark.django_db


def test_accepting_an_intake_opens_a_case_with_the_victim_it_described(hotline):
    intake = make_intake(actor=hotline, victim_name="林小姐", victim_phone="0912-345-678")
    case = services.case_open_from_intake(actor=hotline, intake=intake)
    intake.refresh_from_db()
    assert intake.status == Intake.Status.ACCEPTED and intake.case == case
    assert case.victim.name == "林小姐"
    assert case.victim.phone_index == intake.victim_phone_index != ""
    assert case.status == Case.Status.NEW
    assert case.number.endswith("-000001")


def test_an_intake_can_be_handled_only_once(hotline):
    intake = make_intake(actor=hotline)
    services.case_open_from_intake(actor=hotline, intake=intake)
    with pytest.raises(ValidationError):
        services.case_open_from_intake(actor=hotline, intake=intake)
    assert Case.objects.count() == 1


def test_dispatch_assigns_the_worker_and_redispatch_keeps_earlier_rows(hotline, supervisor, worker, worker2):
    case = make_case(actor=hotline, worker=worker)
    assert case.assigned_worker == worker and case.status == Case.Status.ASSIGNED
    services.dispatch_case(actor=supervisor, case=case, worker=worker2, reason="原社工休假")
    case.refresh_from_db()
    assert case.assigned_worker == worker2
    rows = list(Dispatch.objects.filter(case=case).order_by("dispatched_at"))
    assert [(r.worker, r.previous_worker) for r in rows] == [(worker, None), (worker2, worker)]
    assert rows[1].dispatched_by == supervisor
    assert case.history.first().history_user == supervisor


def test_dispatch_only_to_a_social_worker(hotline, police):
    case = make_case(actor=hotline)
    with pytest.raises(ValidationError) as exc:
        services.dispatch_case(actor=hotline, case=case, worker=police, reason="x")
    assert "社工" in str(exc.value)


def test_dispatch_needs_a_reason(hotline, worker):
    case = make_case(actor=hotline)
    with pytest.raises(ValidationError):
        services.dispatch_case(actor=hotline, case=case, worker=worker, reason="  ")
    assert not Dispatch.objects.exists()


def test_closing_an_intake_needs_a_note_and_opens_no_case(hotline):
    intake = make_intake(actor=hotline)
    with pytest.raises(ValidationError):
        services.intake_close(actor=hotline, intake=intake, note="")
    services.intake_close(actor=hotline, intake=intake, note="被害人暫無意願，已提供資源")
    intake.refresh_from_db()
    assert intake.status == Intake.Status.CLOSED and intake.case is None
    assert not Case.objects.exists()


def test_case_numbers_run_per_roc_year(hotline):
    numbers = [make_case(actor=hotline).number for _ in range(3)]
    assert [n.split("-")[1] for n in numbers] == ["000001", "000002", "000003"]
    assert len({n.split("-")[0] for n in numbers}) == 1


def test_immediate_danger_alerts_hotline_and_supervisors_not_the_recorder(hotline, supervisor, police):
    from cases.models import Notification
    from tests.factories import make_referral, make_user

    def alerts():
        return Notification.objects.filter(kind=Notification.Kind.SAFETY)

    other_hotline = make_user("hotline2", "hotline")
    referral = make_referral(police=police, immediate_danger=Intake.Danger.YES, victim_name="危險中的人")
    alerted = set(alerts().values_list("recipient__username", flat=True))
    assert alerted == {"hotline", "hotline2", "supervisor"}
    assert all(n.url == referral.intake.get_absolute_url() for n in alerts())
    assert not any("危險中的人" in n.text for n in alerts())  # the text names no one
    make_intake(actor=other_hotline, immediate_danger=Intake.Danger.NO)
    assert alerts().count() == 3
    make_intake(actor=other_hotline, immediate_danger=Intake.Danger.YES)
    # The colleague who recorded it is not alerted about their own call.
    assert alerts().filter(recipient=other_hotline).count() == 1
    assert alerts().count() == 5
