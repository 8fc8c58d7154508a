"""Closing and reopening a case (cases/services/closing.py): the worker asks, a supervisor approves or
returns it, open deadlines block it, a closed case is read-only until reopened with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cases import selectors, services, tracker
from cases.models import Case, CaseStatusChange, Deadline, Notification
from cases.roles import Role
from tests.cases.contact_factories import close_case, record_contact, request_closing
from tests.factories import make_case, make_user

pytestmark = pytest.mark.django_db

Status, Action, Reason = Case.Status, CaseStatusChange.Action, CaseStatusChange.ClosingReason


@pytest.fixture
def case(hotline, worker):
    return make_case(actor=hotline, worker=worker, victim_name="被害人丙")


def status_of(case: Case) -> str:
    return Case.objects.values_list("status", flat=True).get(pk=case.pk)


def case_notes(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, kind=Notification.Kind.CASE)
        .order_by("created_at")
        .values_list("text", flat=True)
    )


def open_deadline(case: Case, kind: str, title: str, days: int) -> Deadline:
    # The case's intake stands in as the source record, one deadline per kind.
    return tracker.deadline_open(
        case=case,
        kind=kind,
        source=case.intakes.get(),
        title=title,
        due=timezone.localdate() + dt.timedelta(days=days),
    )


class TestRequest:
    def test_a_request_records_the_reason_and_waits_for_a_supervisor(self, case, worker, supervisor):
        change = request_closing(
            actor=worker, case=case, closing_reason=Reason.UNREACHABLE, note="  三次未接  "
        )
        assert status_of(case) == Status.CLOSE_REQUESTED
        stored = CaseStatusChange.objects.get()
        assert stored.pk == change.pk
        assert (stored.case, stored.action, stored.closing_reason, stored.note, stored.by) == (
            case,
            Action.CLOSE_REQUESTED,
            Reason.UNREACHABLE,
            "三次未接",
            worker,
        )
        assert selectors.pending_closure(Case.objects.get(pk=case.pk)) == stored

    def test_every_active_supervisor_is_told_but_not_the_requester(self, case, worker, supervisor):
        second = make_user("supervisor2", Role.SUPERVISOR)
        retired = make_user("retired", Role.SUPERVISOR, is_active=False)
        request_closing(actor=supervisor, case=case)
        assert case_notes(supervisor) == [] and case_notes(retired) == []
        assert case_notes(second) == [f"案件 {case.number} 申請結案，請審核。"]
        assert case_notes(worker) == []  # the request is for the supervisors to decide

    def test_the_notice_names_the_case_number_never_the_victim(self, case, worker, supervisor):
        request_closing(actor=worker, case=case)
        (text,) = case_notes(supervisor)
        assert case.number in text and "被害人丙" not in text

    @pytest.mark.parametrize("reason", ["", "bogus"])
    def test_needs_a_closing_reason_from_the_list(self, case, worker, reason):
        with pytest.raises(ValidationError) as exc:
            request_closing(actor=worker, case=case, closing_reason=reason)
        assert set(exc.value.message_dict) == {"closing_reason"}
        assert status_of(case) == Status.ASSIGNED and not CaseStatusChange.objects.exists()

    @pytest.mark.parametrize("note", ["", "  \n "])
    def test_needs_a_note(self, case, worker, note):
        with pytest.raises(ValidationError) as exc:
            request_closing(actor=worker, case=case, note=note)
        assert set(exc.value.message_dict) == {"note"}
        assert status_of(case) == Status.ASSIGNED and not CaseStatusChange.objects.exists()

    def test_refused_while_deadlines_are_open_and_the_message_lists_them(self, case, worker, supervisor):
        open_deadline(case, Deadline.Kind.COMPLAINT, "告訴期間", 90)
        record_contact(actor=worker, case=case, next_contact_on=timezone.localdate() + dt.timedelta(days=2))
        with pytest.raises(ValidationError) as exc:
            request_closing(actor=worker, case=case)
        assert exc.value.code == "open_deadlines"
        message = exc.value.messages[0]
        assert "尚有 2 個進行中的期限（下次聯繫被害人、告訴期間）" in message  # earliest due first
        assert status_of(case) == Status.ASSIGNED and not CaseStatusChange.objects.exists()
        assert case_notes(supervisor) == []

    def test_a_long_list_of_open_deadlines_is_shortened(self, case):
        kinds = [
            Deadline.Kind.COMPLAINT,
            Deadline.Kind.LIMITATION,
            Deadline.Kind.ACCUSATION,
            Deadline.Kind.PLATFORM_RETENTION,
            Deadline.Kind.PROTECTION_ORDER,
            Deadline.Kind.APPOINTMENT,
        ]
        for days, kind in enumerate(kinds, start=1):
            open_deadline(case, kind, f"期限{days}", days)
        with pytest.raises(ValidationError) as exc:
            request_closing(actor=case.assigned_worker, case=case)
        assert "尚有 6 個進行中的期限（期限1、期限2、期限3、期限4、期限5…）" in exc.value.messages[0]
        assert "期限6" not in exc.value.messages[0]

    def test_closed_deadlines_do_not_block(self, case, worker):
        deadline = open_deadline(case, Deadline.Kind.COMPLAINT, "告訴期間", 30)
        tracker.deadline_close(
            actor=worker, deadline=deadline, state=Deadline.State.NOT_APPLICABLE, reason="被害人決定不提告"
        )
        assert services.open_deadlines_blocking_closure(case) == []
        request_closing(actor=worker, case=case)
        assert status_of(case) == Status.CLOSE_REQUESTED

    def test_open_deadlines_blocking_closure_lists_only_this_cases_open_ones_earliest_first(
        self, case, hotline, worker
    ):
        later = open_deadline(case, Deadline.Kind.COMPLAINT, "告訴期間", 60)
        sooner = open_deadline(case, Deadline.Kind.APPOINTMENT, "開庭", 5)
        done = open_deadline(case, Deadline.Kind.LIMITATION, "追訴權時效", 1)
        tracker.deadline_close(actor=worker, deadline=done, state=Deadline.State.DONE)
        other = make_case(actor=hotline, worker=worker)
        open_deadline(other, Deadline.Kind.COMPLAINT, "別案告訴期間", 2)
        assert services.open_deadlines_blocking_closure(case) == [sooner, later]

    def test_a_case_without_a_worker_may_be_requested_too(self, hotline, supervisor):
        waiting = make_case(actor=hotline)
        request_closing(actor=supervisor, case=waiting, closing_reason=Reason.NO_WISH)
        assert status_of(waiting) == Status.CLOSE_REQUESTED

    def test_a_second_request_is_refused(self, case, worker):
        request_closing(actor=worker, case=case)
        with pytest.raises(ValidationError) as exc:
            request_closing(actor=worker, case=case)
        assert exc.value.code == "state"
        assert CaseStatusChange.objects.count() == 1


class TestDecide:
    def test_approval_closes_the_case_and_tells_the_worker(self, case, worker, supervisor):
        request_closing(actor=worker, case=case)
        change = services.case_close_decide(actor=supervisor, case=case, approve=True, comment=" 同意 ")
        assert status_of(case) == Status.CLOSED
        assert (change.action, change.by, change.note) == (Action.CLOSE_APPROVED, supervisor, "同意")
        assert case_notes(worker) == [f"案件 {case.number} 已核定結案。"]

    def test_approval_needs_no_comment(self, case, worker, supervisor):
        request_closing(actor=worker, case=case)
        change = services.case_close_decide(actor=supervisor, case=case, approve=True, comment="")
        assert status_of(case) == Status.CLOSED
        assert (change.action, change.note) == (Action.CLOSE_APPROVED, "")

    def test_a_return_sends_the_case_back_to_the_worker_with_the_comment(self, case, worker, supervisor):
        request_closing(actor=worker, case=case)
        change = services.case_close_decide(
            actor=supervisor, case=case, approve=False, comment="請先確認平台是否已回覆下架"
        )
        assert status_of(case) == Status.ASSIGNED
        assert (change.action, change.note) == (Action.CLOSE_RETURNED, "請先確認平台是否已回覆下架")
        assert case_notes(worker) == [f"案件 {case.number} 的結案申請已退回，請查看督導意見。"]
        assert selectors.pending_closure(Case.objects.get(pk=case.pk)) is None

    @pytest.mark.parametrize("comment", ["", "   "])
    def test_a_return_needs_a_comment(self, case, worker, supervisor, comment):
        request_closing(actor=worker, case=case)
        with pytest.raises(ValidationError) as exc:
            services.case_close_decide(actor=supervisor, case=case, approve=False, comment=comment)
        assert set(exc.value.message_dict) == {"comment"}
        assert status_of(case) == Status.CLOSE_REQUESTED
        assert CaseStatusChange.objects.count() == 1

    def test_a_returned_case_without_a_worker_goes_back_to_the_queue(self, hotline, supervisor):
        waiting = make_case(actor=hotline)
        request_closing(actor=supervisor, case=waiting)
        services.case_close_decide(actor=supervisor, case=waiting, approve=False, comment="先派案")
        assert status_of(waiting) == Status.NEW

    @pytest.mark.parametrize("approve", [True, False])
    def test_nothing_to_decide_without_a_request(self, case, supervisor, approve):
        with pytest.raises(ValidationError) as exc:
            services.case_close_decide(actor=supervisor, case=case, approve=approve, comment="x")
        assert exc.value.code == "state"
        assert status_of(case) == Status.ASSIGNED and not CaseStatusChange.objects.exists()

    def test_a_deadline_opened_after_the_request_blocks_the_approval(self, case, worker, supervisor):
        request_closing(actor=worker, case=case)
        record_contact(actor=worker, case=case, next_contact_on=timezone.localdate() + dt.timedelta(days=7))
        with pytest.raises(ValidationError) as exc:
            services.case_close_decide(actor=supervisor, case=case, approve=True, comment="同意")
        assert exc.value.code == "open_deadlines" and "下次聯繫被害人" in exc.value.messages[0]
        assert status_of(case) == Status.CLOSE_REQUESTED
        # A return is still possible: the worker keeps the case and its deadline.
        services.case_close_decide(actor=supervisor, case=case, approve=False, comment="仍需追蹤")
        assert status_of(case) == Status.ASSIGNED

    def test_the_decision_is_told_to_the_worker_only(self, case, worker, supervisor):
        second = make_user("supervisor2", Role.SUPERVISOR)
        request_closing(actor=worker, case=case)
        services.case_close_decide(actor=supervisor, case=case, approve=True, comment="同意")
        assert case_notes(second) == [
            f"案件 {case.number} 申請結案，請審核。"
        ]  # the request, not the decision
        assert case_notes(supervisor) == [f"案件 {case.number} 申請結案，請審核。"]
        assert len(case_notes(worker)) == 1


class TestClosedCase:
    def test_a_closed_case_is_read_only(self, case, worker, supervisor):
        close_case(worker=worker, supervisor=supervisor, case=case)
        for user in (worker, supervisor):
            assert selectors.can_edit_case(user, case) is False
            with pytest.raises(PermissionDenied):
                selectors.case_for_user(user, case.pk, write=True)
            assert selectors.case_for_user(user, case.pk) == case  # still readable

    def test_an_open_case_is_writable_by_its_worker_and_supervisors(self, case, worker, supervisor):
        for user in (worker, supervisor):
            assert selectors.can_edit_case(user, case) is True
            assert selectors.case_for_user(user, case.pk, write=True) == case

    def test_a_closed_case_cannot_be_dispatched_or_requested_again(self, case, worker, worker2, supervisor):
        close_case(worker=worker, supervisor=supervisor, case=case)
        with pytest.raises(ValidationError):
            services.dispatch_case(actor=supervisor, case=case, worker=worker2, reason="改派")
        with pytest.raises(ValidationError) as exc:
            request_closing(actor=worker, case=case)
        assert exc.value.code == "state"
        assert status_of(case) == Status.CLOSED


class TestReopen:
    def test_reopening_needs_a_note_and_returns_the_case_to_its_worker(self, case, worker, supervisor):
        close_case(worker=worker, supervisor=supervisor, case=case)
        with pytest.raises(ValidationError) as exc:
            services.case_reopen(actor=supervisor, case=case, note="  ")
        assert set(exc.value.message_dict) == {"note"}
        assert status_of(case) == Status.CLOSED
        change = services.case_reopen(actor=supervisor, case=case, note="影像在其他平台再次出現")
        assert status_of(case) == Status.ASSIGNED
        assert (change.action, change.by, change.note) == (
            Action.REOPENED,
            supervisor,
            "影像在其他平台再次出現",
        )
        assert case_notes(worker)[-1] == f"案件 {case.number} 已重新開案。"
        reopened = Case.objects.get(pk=case.pk)
        assert selectors.can_edit_case(worker, reopened)
        record_contact(actor=worker, case=reopened)  # writable again

    def test_an_open_case_is_not_reopened(self, case, supervisor):
        with pytest.raises(ValidationError) as exc:
            services.case_reopen(actor=supervisor, case=case, note="x")
        assert exc.value.code == "state"
        assert not CaseStatusChange.objects.exists()

    def test_a_case_whose_worker_has_left_reopens_to_the_dispatch_queue(self, case, worker, supervisor):
        close_case(worker=worker, supervisor=supervisor, case=case)
        worker.is_active = False
        worker.save(update_fields=["is_active"])
        services.case_reopen(actor=supervisor, case=case, note="被害人再次來電")
        assert status_of(case) == Status.NEW
        assert not Notification.objects.filter(recipient=worker, text__contains="重新開案").exists()


def test_each_step_is_a_status_change_row_and_in_the_case_history(case, worker, supervisor):
    request_closing(actor=worker, case=case)
    services.case_close_decide(actor=supervisor, case=case, approve=False, comment="再追蹤一次")
    request_closing(actor=worker, case=case, closing_reason=Reason.TRANSFERRED, note="已轉由他單位服務")
    services.case_close_decide(actor=supervisor, case=case, approve=True, comment="同意")
    services.case_reopen(actor=supervisor, case=case, note="再次被散布")
    rows = selectors.case_status_changes(case)
    assert [(r.action, r.by) for r in rows] == [
        (Action.CLOSE_REQUESTED, worker),
        (Action.CLOSE_RETURNED, supervisor),
        (Action.CLOSE_REQUESTED, worker),
        (Action.CLOSE_APPROVED, supervisor),
        (Action.REOPENED, supervisor),
    ]
    history = list(case.history.order_by("history_date", "history_id"))
    steps = [
        (row.history_user, row.status)
        for previous, row in zip(history, history[1:], strict=False)
        if previous.status != row.status
    ]
    assert steps[-5:] == [
        (worker, Status.CLOSE_REQUESTED),
        (supervisor, Status.ASSIGNED),
        (worker, Status.CLOSE_REQUESTED),
        (supervisor, Status.CLOSED),
        (supervisor, Status.ASSIGNED),
    ]


class TestDangerBlocksClosing:
    """A case still flagged 有立即危險 is not closed: the flag could then never be cleared."""

    def test_request_refused_while_flagged(self, hotline, worker):
        case = make_case(actor=hotline, worker=worker)
        record_contact(actor=worker, case=case, contacted_at=timezone.now(), immediate_danger="yes")
        with pytest.raises(ValidationError) as exc:
            request_closing(actor=worker, case=case)
        assert "有立即危險" in " ".join(exc.value.messages)
        case.refresh_from_db()
        assert case.status == Case.Status.ASSIGNED

    def test_approval_refused_when_flagged_after_the_request(self, hotline, worker, supervisor):
        case = make_case(actor=hotline, worker=worker)
        request_closing(actor=worker, case=case)
        record_contact(actor=worker, case=case, contacted_at=timezone.now(), immediate_danger="yes")
        with pytest.raises(ValidationError):
            services.case_close_decide(actor=supervisor, case=case, approve=True, comment="")
        services.case_clear_danger(actor=supervisor, case=case, note="警方確認安全")
        services.case_close_decide(actor=supervisor, case=case, approve=True, comment="")
        case.refresh_from_db()
        assert case.status == Case.Status.CLOSED
