"""The safety services (指引 7-1a → 7-2, 7-1b, 7-2-3, 7-3), through the real hub services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services as case_services
from cases.models import CaseStatusChange, Deadline, Notification
from cases.tracker import send_due_reminders
from safety import services
from safety.models import PlanReview, ProtectionOrder, SafetyAction, SafetyPlan, ShelterPlacement
from tests.safety.factories import HOTEL, flag_danger, make_delivery, make_order, make_placement, make_plan

pytestmark = pytest.mark.django_db


def _safety_deadlines(case):
    return case.deadlines.filter(kind=Deadline.Kind.SAFETY_MEASURE)


class TestDangerLeadsToAPlan:
    def test_immediate_danger_on_a_contact_opens_the_plan_waiting_for_a_review(self, case_of_worker, worker):
        assert not SafetyPlan.objects.filter(case=case_of_worker).exists()
        flag_danger(case=case_of_worker, worker=worker)
        plan = SafetyPlan.objects.get(case=case_of_worker)
        assert plan.created_by == worker
        case_of_worker.refresh_from_db()
        assert not plan.reviewed_since(case_of_worker)

    def test_a_second_flag_surfaces_the_same_plan_and_asks_for_a_new_review(
        self, case_of_worker, worker, supervisor
    ):
        make_plan(actor=worker, case=case_of_worker, adjust_hours=True)
        flag_danger(case=case_of_worker, worker=worker)
        services.plan_review(actor=worker, case=case_of_worker, reviewed_at=timezone.now())
        case_services.case_clear_danger(actor=supervisor, case=case_of_worker, note="警方確認已安全")
        flag_danger(case=case_of_worker, worker=worker)
        plan = SafetyPlan.objects.get(case=case_of_worker)
        assert plan.adjust_hours  # what the worker wrote is kept
        case_of_worker.refresh_from_db()
        assert not plan.reviewed_since(case_of_worker)

    def test_a_review_after_the_flag_records_who_and_when_and_covers_the_flag(self, case_of_worker, worker):
        flag_danger(case=case_of_worker, worker=worker)
        at = timezone.now()
        services.plan_review(actor=worker, case=case_of_worker, reviewed_at=at, note="改由家人接送")
        plan = SafetyPlan.objects.get(case=case_of_worker)
        assert (plan.last_reviewed_at, plan.last_reviewed_by) == (at, worker)
        case_of_worker.refresh_from_db()
        assert plan.reviewed_since(case_of_worker)
        assert PlanReview.objects.get(plan=plan).note == "改由家人接送"

    def test_a_review_dated_before_the_flags_day_does_not_cover_it(self, case_of_worker, worker):
        flag_danger(case=case_of_worker, worker=worker)
        services.plan_review(
            actor=worker, case=case_of_worker, reviewed_at=timezone.now() - dt.timedelta(days=2)
        )
        plan = SafetyPlan.objects.get(case=case_of_worker)
        case_of_worker.refresh_from_db()
        assert not plan.reviewed_since(case_of_worker)

    def test_the_flag_opens_no_deadline_that_would_outlive_it(self, case_of_worker, worker):
        flag_danger(case=case_of_worker, worker=worker)
        assert not _safety_deadlines(case_of_worker).exists()

    def test_a_late_entered_older_review_does_not_move_the_last_reviewed_date_back(
        self, case_of_worker, worker
    ):
        make_plan(actor=worker, case=case_of_worker)
        now = timezone.now()
        services.plan_review(actor=worker, case=case_of_worker, reviewed_at=now)
        services.plan_review(actor=worker, case=case_of_worker, reviewed_at=now - dt.timedelta(days=3))
        assert SafetyPlan.objects.get(case=case_of_worker).last_reviewed_at == now

    def test_reviewing_without_a_plan_is_refused(self, case_of_worker, worker):
        with pytest.raises(ValidationError, match="還沒有安全計畫"):
            services.plan_review(actor=worker, case=case_of_worker, reviewed_at=timezone.now())


class TestPlan:
    def test_a_patrol_point_needs_the_precinct_and_the_date_and_nothing_is_saved_without(
        self, case_of_worker, worker
    ):
        with pytest.raises(ValidationError) as exc:
            make_plan(actor=worker, case=case_of_worker, patrol_point_requested=True)
        assert set(exc.value.message_dict) == {"precinct", "patrol_requested_on"}
        assert not SafetyPlan.objects.exists()

    def test_the_plan_records_reach_measures_family_and_routes(self, case_of_worker, worker):
        plan = make_plan(
            actor=worker,
            case=case_of_worker,
            offender_knows_home=SafetyPlan.Answer.YES,
            will_meet_offender=SafetyPlan.Answer.NO,
            adjust_hours=True,
            change_routes=True,
            escort=True,
            patrol_point_requested=True,
            precinct="大安分局和平東路派出所",
            patrol_requested_on=timezone.localdate(),
            covers_family=True,
            family_note="母親同住，一併告知安全措施",
            offender_relationship=SafetyPlan.Relationship.ACQUAINTANCE,
            stalking=True,
        )
        plan.refresh_from_db()
        assert plan.measures == [
            "調整上下班時間",
            "更換不同路線",
            "請親友接送或陪同出入",
            "已請轄區派出所增設巡邏點",
        ]
        assert plan.routes == ["stalking_act", "crime_victim"]
        assert plan.family_note == "母親同住，一併告知安全措施"

    def test_a_closed_case_refuses_changes(self, closed_case_of_worker, worker):
        with pytest.raises(ValidationError, match="已結案"):
            make_plan(actor=worker, case=closed_case_of_worker)


class TestActions:
    def test_a_measure_is_a_tracker_deadline_of_the_assigned_worker(self, case_of_worker, worker):
        make_plan(actor=worker, case=case_of_worker)
        due = timezone.localdate() + dt.timedelta(days=3)
        action = services.action_add(actor=worker, case=case_of_worker, task="申請巡邏點", due_on=due)
        deadline = _safety_deadlines(case_of_worker).get(source_id=str(action.pk))
        assert (deadline.owner, deadline.title, deadline.state) == (worker, "安全計畫：申請巡邏點", "open")
        assert timezone.localtime(deadline.due_at).date() == due

    def test_someone_else_named_among_staff_owns_it(self, case_of_worker, worker, supervisor):
        make_plan(actor=worker, case=case_of_worker)
        action = services.action_add(
            actor=worker,
            case=case_of_worker,
            task="聯繫派出所",
            due_on=timezone.localdate(),
            owner=supervisor,
        )
        assert _safety_deadlines(case_of_worker).get(source_id=str(action.pk)).owner == supervisor

    def test_police_cannot_be_named_as_the_owner(self, case_of_worker, worker, police):
        make_plan(actor=worker, case=case_of_worker)
        with pytest.raises(ValidationError) as exc:
            services.action_add(
                actor=worker, case=case_of_worker, task="巡邏", due_on=timezone.localdate(), owner=police
            )
        assert "owner" in exc.value.message_dict
        assert not SafetyAction.objects.exists()

    def test_marking_it_done_settles_the_deadline(self, case_of_worker, worker):
        make_plan(actor=worker, case=case_of_worker)
        action = services.action_add(
            actor=worker, case=case_of_worker, task="換門鎖", due_on=timezone.localdate()
        )
        services.action_update(
            actor=worker, action=action, task="換門鎖", due_on=action.due_on, done_on=timezone.localdate()
        )
        deadline = _safety_deadlines(case_of_worker).get(source_id=str(action.pk))
        assert deadline.state == Deadline.State.DONE


class TestProtectionOrders:
    def test_an_order_with_an_expiry_is_tracked_with_how_to_extend_it(self, case_of_worker, worker):
        order = make_order(actor=worker, case=case_of_worker)
        deadline = case_of_worker.deadlines.get(kind=Deadline.Kind.PROTECTION_ORDER, source_id=str(order.pk))
        assert deadline.title == "通常保護令（家暴法）到期"
        assert "延長" in deadline.note and "第15條" in deadline.note
        assert timezone.localtime(deadline.due_at).date() == order.expires_on

    @pytest.mark.parametrize("days_before", [30, 7])
    def test_the_tracker_reminds_the_worker_before_the_order_lapses(
        self, case_of_worker, worker, days_before
    ):
        order = make_order(actor=worker, case=case_of_worker)
        day = order.expires_on - dt.timedelta(days=days_before)
        now = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
        send_due_reminders(now=now)
        texts = list(
            Notification.objects.filter(recipient=worker, kind=Notification.Kind.DEADLINE).values_list(
                "text", flat=True
            )
        )
        assert any("保護令" in t and case_of_worker.number in t for t in texts), texts

    def test_an_application_not_yet_decided_has_no_expiry_deadline(self, case_of_worker, worker):
        order = make_order(actor=worker, case=case_of_worker, issued_on=None, expires_on=None)
        assert not case_of_worker.deadlines.filter(source_id=str(order.pk)).exists()

    def test_an_expiry_without_an_issue_date_is_refused(self, case_of_worker, worker):
        with pytest.raises(ValidationError) as exc:
            make_order(actor=worker, case=case_of_worker, issued_on=None)
        assert "expires_on" in exc.value.message_dict
        assert not ProtectionOrder.objects.exists()

    def test_removing_the_expiry_cancels_the_deadline(self, case_of_worker, worker):
        order = make_order(actor=worker, case=case_of_worker)
        services.order_update(actor=worker, order=order, expires_on=None)
        deadline = case_of_worker.deadlines.get(source_id=str(order.pk))
        assert deadline.state == Deadline.State.NOT_APPLICABLE


class TestShelter:
    def test_a_request_counts_the_nights_and_tells_supervisors_without_the_hotel(
        self, case_of_worker, worker, supervisor
    ):
        placement = make_placement(actor=worker, case=case_of_worker)
        assert placement.nights == 3 and not placement.approved
        alert = Notification.objects.get(recipient=supervisor, kind=Notification.Kind.SAFETY)
        assert case_of_worker.number in alert.text
        assert HOTEL not in alert.text and "旅館" not in alert.text
        assert HOTEL not in str(placement)

    def test_a_supervisor_approves_and_the_worker_is_told(self, case_of_worker, worker, supervisor):
        placement = make_placement(actor=worker, case=case_of_worker)
        services.shelter_approve(actor=supervisor, placement=placement)
        placement.refresh_from_db()
        assert placement.approved_by == supervisor
        note = Notification.objects.get(recipient=worker, text__contains="已核准")
        assert HOTEL not in note.text

    def test_changing_the_dates_after_approval_asks_for_approval_again(
        self, case_of_worker, worker, supervisor
    ):
        placement = make_placement(actor=worker, case=case_of_worker)
        services.shelter_approve(actor=supervisor, placement=placement)
        services.shelter_update(
            actor=worker, placement=placement, check_out=placement.check_out + dt.timedelta(days=1)
        )
        placement.refresh_from_db()
        assert placement.nights == 4 and not placement.approved

    def test_the_schemes_limits_are_enforced_and_nothing_is_saved(self, case_of_worker, worker, scheme):
        scheme.max_nights, scheme.nightly_cap = 7, 2000
        scheme.save()
        today = timezone.localdate()
        with pytest.raises(ValidationError) as exc:
            make_placement(
                actor=worker,
                case=case_of_worker,
                check_in=today,
                check_out=today + dt.timedelta(days=8),
                cost=100,
            )
        assert "最多 7 晚" in str(exc.value.message_dict["check_out"])
        with pytest.raises(ValidationError) as exc:
            make_placement(actor=worker, case=case_of_worker, cost=9000)
        assert "補助上限" in str(exc.value.message_dict["cost"])
        assert not ShelterPlacement.objects.exists()

    def test_an_inactive_scheme_cannot_be_chosen(self, case_of_worker, worker, scheme):
        scheme.is_active = False
        scheme.save()
        with pytest.raises(ValidationError):
            make_placement(actor=worker, case=case_of_worker, scheme=scheme)


def test_a_delivery_records_the_sheet_version_given(case_of_worker, case_of_worker2, worker, worker2):
    from safety.models import SafetySheet

    first = make_delivery(actor=worker, case=case_of_worker)
    old = SafetySheet.objects.get(is_current=True)
    old.is_current = False
    old.save()
    new = SafetySheet.objects.create(
        version="115-2", body="緊急時\n撥打110", hotlines="報警｜110", is_current=True
    )
    second = make_delivery(actor=worker2, case=case_of_worker2)
    first.refresh_from_db()
    assert (first.sheet, second.sheet) == (old, new)
    assert second.delivered_by == worker2


def test_after_the_review_the_worker_may_ask_to_close_the_case(case_of_worker, worker, supervisor):
    """The plan leaves no open deadline behind that would stop a closing request once the flag is cleared."""
    flag_danger(case=case_of_worker, worker=worker)
    services.plan_review(actor=worker, case=case_of_worker, reviewed_at=timezone.now())
    case_services.case_clear_danger(actor=supervisor, case=case_of_worker, note="被害人已搬離")
    case_services.case_close_request(
        actor=worker,
        case=case_of_worker,
        closing_reason=CaseStatusChange.ClosingReason.GOALS_MET,
        note="被害人已搬離，安全計畫執行完畢。",
    )
    assert CaseStatusChange.objects.filter(case=case_of_worker).count() == 1
