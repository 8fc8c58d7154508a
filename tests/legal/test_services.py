"""Legal services: periods in the tracker, the center's accusation, appointments, all-or-nothing saves."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Deadline, DeadlineReminder
from cases.selectors import deadlines_for_user
from legal import services
from legal.models import (
    Accusation,
    CaseOffence,
    LawExplanation,
    LawyerReferral,
    LegalConsultation,
    PoliceReport,
    SubsidyApplication,
)
from tests.legal.factories import (
    make_accusation,
    make_case_offence,
    make_consultation,
    make_police_report,
    offence,
    soon,
)

pytestmark = pytest.mark.django_db
TAIPEI = ZoneInfo("Asia/Taipei")
D = dt.date


def deadlines(item, kind=None):
    qs = Deadline.objects.filter(source_id=str(item.pk))
    return qs.filter(kind=kind) if kind else qs


def due_date(deadline: Deadline) -> dt.date:
    return deadline.due_at.astimezone(TAIPEI).date()


def update(item: CaseOffence, actor, **changes) -> CaseOffence:
    fields = {
        name: getattr(item, name)
        for name in (
            "offence",
            "learned_on",
            "offence_on",
            "offender_known",
            "knew_offender_on",
            "continuing",
            "conduct_ended_on",
            "victim_wishes",
            "complaint_filed_on",
            "note",
        )
    }
    fields.update(changes)
    return services.case_offence_update(actor=actor, case_offence=item, **fields)


class TestComplaintPeriod:
    def test_runs_six_months_from_knowing_the_offender(self, worker, case_of_worker):
        item = make_case_offence(
            actor=worker, case=case_of_worker, code="C-B", knew_offender_on=D(2025, 3, 12)
        )
        deadline = deadlines(item, Deadline.Kind.COMPLAINT).get()
        assert due_date(deadline) == D(2025, 9, 12)
        assert deadline.is_warning is False
        assert deadline.owner == worker and deadline.case == case_of_worker
        assert "C-B" in deadline.title and "告訴期間" in deadline.title

    def test_while_the_offender_is_unknown_no_period_runs_so_nothing_can_be_overdue(
        self, worker, case_of_worker
    ):
        # Issue 14 point 1 (CCP 237): the six months start only when the offender is known. The old
        # behaviour (a warning row counted from learning of the images) went overdue after six months.
        item = make_case_offence(
            actor=worker, case=case_of_worker, code="C-A", offender_known=False, knew_offender_on=None
        )
        assert not deadlines(item, Deadline.Kind.COMPLAINT).filter(state=Deadline.State.OPEN).exists()

    def test_when_the_offender_becomes_known_the_period_opens_from_that_day(self, worker, case_of_worker):
        item = make_case_offence(
            actor=worker, case=case_of_worker, code="C-A", offender_known=False, knew_offender_on=None
        )

        update(item, worker, offender_known=True, knew_offender_on=D(2025, 4, 1))

        deadline = deadlines(item, Deadline.Kind.COMPLAINT).get()
        assert due_date(deadline) == D(2025, 10, 1)
        assert deadline.is_warning is False and deadline.note == ""
        assert deadline.state == Deadline.State.OPEN

    def test_when_the_knowledge_date_is_corrected_the_same_row_moves_and_old_reminders_are_cleared(
        self, worker, case_of_worker
    ):
        item = make_case_offence(actor=worker, case=case_of_worker, code="C-B")
        first = deadlines(item, Deadline.Kind.COMPLAINT).get()
        DeadlineReminder.objects.create(deadline=first, days_before=30)

        update(item, worker, knew_offender_on=D(2025, 4, 1))

        deadline = deadlines(item, Deadline.Kind.COMPLAINT).get()
        assert deadline.pk == first.pk  # one row per offence, its history keeps the earlier date
        assert due_date(deadline) == D(2025, 10, 1)
        assert not deadline.reminders.exists()  # reminders of the old date are cleared
        assert deadline.history.count() == 2

    def test_a_public_prosecution_offence_has_no_complaint_period(self, worker, case_of_worker):
        item = make_case_offence(actor=worker, case=case_of_worker, code="P-A")
        assert not deadlines(item, Deadline.Kind.COMPLAINT).exists()

    def test_reclassifying_as_public_prosecution_cancels_the_complaint_period(self, worker, case_of_worker):
        item = make_case_offence(actor=worker, case=case_of_worker, code="C-B")
        update(item, worker, offence=offence("P-C"))
        deadline = deadlines(item, Deadline.Kind.COMPLAINT).get()
        assert deadline.state == Deadline.State.NOT_APPLICABLE
        assert deadline.close_reason == "罪名為非告訴乃論，無告訴期間。" and deadline.closed_by == worker

    def test_filing_the_complaint_closes_the_period_as_done(self, worker, case_of_worker):
        item = make_case_offence(actor=worker, case=case_of_worker, code="C-B")
        update(item, worker, complaint_filed_on=D(2025, 4, 2))
        deadline = deadlines(item, Deadline.Kind.COMPLAINT).get()
        assert deadline.state == Deadline.State.DONE
        assert "114.04.02" in deadline.close_reason

    def test_clearing_a_filed_date_entered_by_mistake_reopens_the_period(self, worker, case_of_worker):
        item = make_case_offence(actor=worker, case=case_of_worker, code="C-B")
        item = update(item, worker, complaint_filed_on=D(2025, 4, 2))
        update(item, worker, complaint_filed_on=None)
        deadline = deadlines(item, Deadline.Kind.COMPLAINT).get()
        assert (deadline.state, deadline.closed_by, deadline.close_reason) == (Deadline.State.OPEN, None, "")
        assert due_date(deadline) == D(2025, 9, 12)

    def test_a_complaint_filed_after_the_period_is_recorded_as_missed(self, worker, case_of_worker):
        item = make_case_offence(actor=worker, case=case_of_worker, code="C-B")  # period ends 114.09.12
        update(item, worker, complaint_filed_on=D(2025, 9, 15))
        deadline = deadlines(item, Deadline.Kind.COMPLAINT).get()
        assert deadline.state == Deadline.State.MISSED
        assert "114.09.15" in deadline.close_reason and "已逾告訴期間" in deadline.close_reason

    def test_saving_again_keeps_who_closed_the_period_and_when(self, worker, supervisor, case_of_worker):
        item = make_case_offence(actor=worker, case=case_of_worker, code="C-B")
        item = update(item, worker, complaint_filed_on=D(2025, 4, 2))
        first = deadlines(item, Deadline.Kind.COMPLAINT).get()
        update(item, supervisor, note="補充說明")
        again = deadlines(item, Deadline.Kind.COMPLAINT).get()
        assert (again.closed_by, again.closed_at) == (worker, first.closed_at)

    def test_a_last_day_on_a_holiday_gets_the_art_122_note_but_keeps_its_date(self, worker, case_of_worker):
        # Knowing on 2025-08-27: the period ends on 2026-02-27, 和平紀念日（補假）.
        item = make_case_offence(
            actor=worker,
            case=case_of_worker,
            code="C-B",
            learned_on=D(2025, 8, 27),
            offence_on=D(2025, 8, 20),
            knew_offender_on=D(2025, 8, 27),
        )
        deadline = deadlines(item, Deadline.Kind.COMPLAINT).get()
        assert due_date(deadline) == D(2026, 2, 27)
        assert "民法第122條" in deadline.note and "115.03.02" in deadline.note


class TestLimitation:
    @pytest.mark.parametrize(
        ("code", "years", "due"),
        [
            ("C-A", 20, D(2045, 2, 28)),
            ("C-B", 20, D(2045, 2, 28)),
            ("P-A", 20, D(2045, 2, 28)),
            ("P-B", 20, D(2045, 2, 28)),
            ("P-C", 20, D(2045, 2, 28)),
            ("P-D", 10, D(2035, 2, 28)),  # art. 305, maximum 2 years: 10 years (art. 80 §1 (3))
            ("P-E", 10, D(2035, 2, 28)),
            ("P-F", 20, D(2045, 2, 28)),
        ],
    )
    def test_each_offence_runs_its_catalogue_years_from_the_offence(
        self, worker, case_of_worker, code, years, due
    ):
        item = make_case_offence(actor=worker, case=case_of_worker, code=code, offence_on=D(2025, 3, 1))
        deadline = deadlines(item, Deadline.Kind.LIMITATION).get()
        assert due_date(deadline) == due
        assert f"{years}年" in deadline.title and deadline.is_warning is False
        assert "114.03.01" in deadline.note

    def test_continuing_conduct_counts_from_its_end(self, worker, case_of_worker):
        item = make_case_offence(
            actor=worker,
            case=case_of_worker,
            code="P-D",
            offence_on=D(2025, 1, 5),
            continuing=True,
            conduct_ended_on=D(2025, 3, 10),
            learned_on=D(2025, 1, 5),
            knew_offender_on=D(2025, 1, 5),
        )
        deadline = deadlines(item, Deadline.Kind.LIMITATION).get()
        assert due_date(deadline) == D(2035, 3, 9)
        assert "持續行為終了" in deadline.note

    def test_ongoing_conduct_has_no_limitation_yet(self, worker, case_of_worker):
        item = make_case_offence(actor=worker, case=case_of_worker, code="P-D")
        assert deadlines(item, Deadline.Kind.LIMITATION).get().state == Deadline.State.OPEN
        update(item, worker, continuing=True)
        deadline = deadlines(item, Deadline.Kind.LIMITATION).get()
        assert deadline.state == Deadline.State.NOT_APPLICABLE
        assert "持續" in deadline.close_reason
        # When the conduct ends the same row opens again, counted from the end.
        update(item, worker, continuing=True, conduct_ended_on=D(2025, 3, 10))
        deadline.refresh_from_db()
        assert deadline.state == Deadline.State.OPEN and due_date(deadline) == D(2035, 3, 9)

    def test_the_catalogue_is_data_a_changed_period_applies_on_the_next_save(self, worker, case_of_worker):
        item = make_case_offence(actor=worker, case=case_of_worker, code="P-D", offence_on=D(2025, 3, 1))
        catalogue_row = offence("P-D")
        catalogue_row.limitation_years = 20
        catalogue_row.save()
        update(item, worker, offence=catalogue_row)
        assert due_date(deadlines(item, Deadline.Kind.LIMITATION).get()) == D(2045, 2, 28)


class TestAccusation:
    def test_a_declined_public_prosecution_offence_becomes_an_accusation_due_today(
        self, worker, supervisor, case_of_worker
    ):
        accusation = make_accusation(actor=worker, case=case_of_worker)
        assert accusation.state == Accusation.State.OPEN
        assert accusation.decided_on == timezone.localdate()
        deadline = deadlines(accusation, Deadline.Kind.ACCUSATION).get()
        assert due_date(deadline) == timezone.localdate() and deadline.state == Deadline.State.OPEN
        assert deadline.owner == worker
        # The supervisor's tracker shows it until it is filed.
        assert deadline in deadlines_for_user(supervisor).filter(state=Deadline.State.OPEN)

    @pytest.mark.parametrize("wishes", [CaseOffence.Wishes.WANTS, CaseOffence.Wishes.UNDECIDED])
    def test_no_accusation_while_the_victim_may_report(self, worker, case_of_worker, wishes):
        make_case_offence(actor=worker, case=case_of_worker, code="P-B", victim_wishes=wishes)
        assert not Accusation.objects.exists()
        assert not Deadline.objects.filter(kind=Deadline.Kind.ACCUSATION).exists()

    def test_no_accusation_for_a_complaint_offence_the_victim_declines(self, worker, case_of_worker):
        make_case_offence(
            actor=worker, case=case_of_worker, code="C-A", victim_wishes=CaseOffence.Wishes.DECLINES
        )
        assert not Accusation.objects.exists()

    def test_the_victim_deciding_to_report_withdraws_it_and_declining_again_reopens_it(
        self, worker, case_of_worker
    ):
        accusation = make_accusation(actor=worker, case=case_of_worker)
        item = accusation.case_offence
        update(item, worker, victim_wishes=CaseOffence.Wishes.WANTS)
        accusation.refresh_from_db()
        deadline = deadlines(accusation, Deadline.Kind.ACCUSATION).get()
        assert accusation.state == Accusation.State.WITHDRAWN
        assert deadline.state == Deadline.State.NOT_APPLICABLE and "改變意願" in deadline.close_reason

        update(item, worker, victim_wishes=CaseOffence.Wishes.DECLINES)
        accusation.refresh_from_db()
        deadline.refresh_from_db()
        assert accusation.state == Accusation.State.OPEN and deadline.state == Deadline.State.OPEN
        assert Accusation.objects.count() == 1

    def test_filing_closes_the_deadline_as_done_and_records_who(self, worker, case_of_worker):
        accusation = make_accusation(actor=worker, case=case_of_worker)
        services.accusation_file(
            actor=worker,
            accusation=accusation,
            filed_on=timezone.localdate(),
            filed_with="臺灣臺北地方檢察署",
        )
        accusation.refresh_from_db()
        assert accusation.state == Accusation.State.FILED and accusation.filed_by == worker
        deadline = deadlines(accusation, Deadline.Kind.ACCUSATION).get()
        assert deadline.state == Deadline.State.DONE and deadline.closed_by == worker
        assert "臺灣臺北地方檢察署" in deadline.close_reason
        assert accusation.history.first().history_user == worker

    def test_filing_twice_is_refused(self, worker, supervisor, case_of_worker):
        accusation = make_accusation(actor=worker, case=case_of_worker)
        services.accusation_file(
            actor=worker, accusation=accusation, filed_on=timezone.localdate(), filed_with="地檢署"
        )
        with pytest.raises(ValidationError, match="已處理過"):
            services.accusation_file(
                actor=supervisor, accusation=accusation, filed_on=timezone.localdate(), filed_with="地檢署"
            )

    def test_filing_needs_the_agency_and_a_date_not_in_the_future(self, worker, case_of_worker):
        accusation = make_accusation(actor=worker, case=case_of_worker)
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        with pytest.raises(ValidationError) as exc:
            services.accusation_file(actor=worker, accusation=accusation, filed_on=tomorrow, filed_with=" ")
        assert set(exc.value.message_dict) == {"filed_on", "filed_with"}
        accusation.refresh_from_db()
        assert accusation.state == Accusation.State.OPEN
        assert deadlines(accusation, Deadline.Kind.ACCUSATION).get().state == Deadline.State.OPEN

    def test_an_accused_offence_cannot_be_turned_into_a_complaint_offence(self, worker, case_of_worker):
        accusation = make_accusation(actor=worker, case=case_of_worker)
        services.accusation_file(
            actor=worker, accusation=accusation, filed_on=timezone.localdate(), filed_with="地檢署"
        )
        with pytest.raises(ValidationError) as exc:
            update(accusation.case_offence, worker, offence=offence("C-B"))
        assert "offence" in exc.value.message_dict


class TestNothingIsSavedHalfWay:
    def test_a_refused_update_leaves_the_record_and_its_deadlines_as_they_were(self, worker, case_of_worker):
        item = make_case_offence(actor=worker, case=case_of_worker, code="C-B")
        before = {d.kind: d.due_at for d in deadlines(item)}
        with pytest.raises(ValidationError) as exc:
            update(item, worker, offence_on=D(2025, 3, 20), knew_offender_on=D(2025, 3, 25))  # after learning
        assert "offence_on" in exc.value.message_dict
        item.refresh_from_db()
        assert item.offence_on == D(2025, 3, 1) and item.knew_offender_on == D(2025, 3, 12)
        assert {d.kind: d.due_at for d in deadlines(item)} == before
        assert item.history.count() == 1

    def test_a_failure_while_opening_the_deadlines_rolls_back_the_offence(
        self, worker, case_of_worker, monkeypatch
    ):
        def broken(**kwargs):
            raise RuntimeError("tracker down")

        monkeypatch.setattr(services, "deadline_open", broken)
        with pytest.raises(RuntimeError):
            make_case_offence(actor=worker, case=case_of_worker, code="P-D", victim_wishes="declines")
        assert not CaseOffence.objects.exists() and not Accusation.objects.exists()
        assert not Deadline.objects.exists()

    def test_a_deactivated_offence_cannot_be_chosen_for_a_new_record(self, worker, case_of_worker):
        retired = offence("P-F")
        retired.is_active = False
        retired.save()
        with pytest.raises(ValidationError) as exc:
            make_case_offence(actor=worker, case=case_of_worker, code="P-F")
        assert "offence" in exc.value.message_dict


class TestConsultation:
    def test_booking_sets_an_appointment_deadline_at_the_booked_time_for_the_escort(
        self, worker, worker2, case_of_worker
    ):
        at = soon(days=5, hour=15)
        consultation = make_consultation(
            actor=worker, case=case_of_worker, scheduled_at=at, escorted=True, escort_worker=worker2
        )
        deadline = deadlines(consultation, Deadline.Kind.APPOINTMENT).get()
        assert deadline.due_at == at and deadline.all_day is False
        assert deadline.owner == worker2

    def test_held_closes_it_cancelled_makes_it_not_applicable_and_rebooking_reopens(
        self, worker, case_of_worker
    ):
        consultation = make_consultation(actor=worker, case=case_of_worker)

        def set_status(status, at=None):
            services.consultation_update(
                actor=worker,
                consultation=consultation,
                scheduled_at=at or consultation.scheduled_at,
                provider=consultation.provider,
                mode=consultation.mode,
                escorted=False,
                status=status,
            )
            return deadlines(consultation, Deadline.Kind.APPOINTMENT).get()

        assert set_status(LegalConsultation.Status.CANCELLED).state == Deadline.State.NOT_APPLICABLE
        later = soon(days=9)
        rebooked = set_status(LegalConsultation.Status.BOOKED, at=later)
        assert rebooked.state == Deadline.State.OPEN and rebooked.due_at == later
        with pytest.raises(ValidationError) as exc:  # not yet happened
            set_status(LegalConsultation.Status.HELD, at=later)
        assert "status" in exc.value.message_dict
        past = timezone.now() - dt.timedelta(hours=2)
        held = set_status(LegalConsultation.Status.HELD, at=past)
        assert held.state == Deadline.State.DONE
        # Marked held by mistake: booking it again reopens the reminder.
        again = soon(days=3)
        reopened = set_status(LegalConsultation.Status.BOOKED, at=again)
        assert (reopened.state, reopened.due_at, reopened.closed_by) == (Deadline.State.OPEN, again, None)

    def test_an_escorted_consultation_needs_the_escorting_worker(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            make_consultation(actor=worker, case=case_of_worker, escorted=True, escort_worker=None)
        assert exc.value.message_dict["escort_worker"] == ["勾選社工陪同時，請選擇陪同的社工。"]
        assert not LegalConsultation.objects.exists() and not Deadline.objects.exists()

    def test_a_new_booking_in_the_past_is_refused(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            make_consultation(
                actor=worker, case=case_of_worker, scheduled_at=timezone.now() - dt.timedelta(days=2)
            )
        assert "scheduled_at" in exc.value.message_dict


class TestSubsidy:
    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"status": "approved", "decided_on": D(2025, 5, 1)}, "approved_amount"),
            ({"status": "applied", "approved_amount": 30000}, "approved_amount"),
            ({"status": "rejected", "decided_on": D(2025, 5, 1), "paid_on": D(2025, 5, 2)}, "paid_on"),
            ({"status": "approved", "approved_amount": 30000}, "decided_on"),
            ({"status": "approved", "decided_on": D(2025, 3, 1), "approved_amount": 1}, "decided_on"),
            (
                {
                    "status": "approved",
                    "decided_on": D(2025, 5, 1),
                    "approved_amount": 1,
                    "paid_on": D(2025, 4, 1),
                },
                "paid_on",
            ),
        ],
    )
    def test_inconsistent_decisions_are_refused(self, worker, case_of_worker, changes, field):
        fields = {"kind": SubsidyApplication.Kind.LAWYER_FEES, "applied_on": D(2025, 4, 1), **changes}
        with pytest.raises(ValidationError) as exc:
            services.subsidy_apply(actor=worker, case=case_of_worker, **fields)
        assert field in exc.value.message_dict

    def test_approved_and_paid(self, worker, case_of_worker):
        subsidy = services.subsidy_apply(
            actor=worker,
            case=case_of_worker,
            kind=SubsidyApplication.Kind.LITIGATION_COSTS,
            applied_on=D(2025, 4, 1),
        )
        services.subsidy_update(
            actor=worker,
            subsidy=subsidy,
            kind=subsidy.kind,
            applied_on=subsidy.applied_on,
            status=SubsidyApplication.Status.APPROVED,
            decided_on=D(2025, 5, 1),
            approved_amount=45000,
            paid_on=D(2025, 5, 20),
        )
        subsidy.refresh_from_db()
        assert (subsidy.approved_amount, subsidy.paid_on) == (45000, D(2025, 5, 20))


class TestLawExplanation:
    def test_recorded_with_the_topics_and_the_actor_as_who_explained(self, worker, case_of_worker):
        explanation = services.law_explanation_record(
            actor=worker,
            case=case_of_worker,
            explained_on=timezone.localdate(),
            topics=["sexual_assault_act", "criminal_code", "sexual_assault_act"],
            note="  說明身分保密。  ",
        )
        explanation.refresh_from_db()
        assert explanation.by == worker
        assert explanation.topics == ["sexual_assault_act", "criminal_code"]  # repeats dropped, order kept
        assert explanation.note == "說明身分保密。"
        assert explanation.topic_labels() == "性侵害犯罪防治法（被害人權益與服務）、刑法（罪名與刑度）"
        assert explanation.history.get().history_user == worker

    def test_a_colleague_may_be_named_as_who_explained(self, worker, hotline, case_of_worker):
        explanation = services.law_explanation_record(
            actor=worker,
            case=case_of_worker,
            explained_on=D(2025, 4, 1),
            topics=["complaint_period"],
            by=hotline,
        )
        assert explanation.by == hotline

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"topics": []}, "topics", "請勾選向被害人說明了哪些法律規定（指引 4-A）。"),
            ({"topics": ["civil_code"]}, "topics", "說明項目的選項不正確。"),
            ({"topics": ["other"], "note": "  "}, "note", "勾選「其他」時，請在備註寫明說明了哪些規定。"),
            ({"explained_on": D(2099, 1, 1)}, "explained_on", "說明日期不能晚於今天。"),
        ],
    )
    def test_refused_in_chinese_and_nothing_saved(self, worker, case_of_worker, changes, field, message):
        fields = {"explained_on": D(2025, 4, 1), "topics": ["criminal_code"], **changes}
        with pytest.raises(ValidationError) as exc:
            services.law_explanation_record(actor=worker, case=case_of_worker, **fields)
        assert message in exc.value.message_dict[field]
        assert not LawExplanation.objects.exists()

    def test_police_cannot_be_named_as_the_center_staff_who_explained(self, worker, police, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            services.law_explanation_record(
                actor=worker,
                case=case_of_worker,
                explained_on=D(2025, 4, 1),
                topics=["limitation"],
                by=police,
            )
        assert exc.value.message_dict["by"] == ["請選擇本中心在職的專線或社工人員。"]

    def test_an_update_corrects_the_record_and_history_names_who(self, worker, supervisor, case_of_worker):
        explanation = services.law_explanation_record(
            actor=worker, case=case_of_worker, explained_on=D(2025, 4, 1), topics=["criminal_code"]
        )
        services.law_explanation_update(
            actor=supervisor,
            explanation=explanation,
            explained_on=D(2025, 4, 2),
            topics=["criminal_code", "protection_order"],
            by=worker,
        )
        explanation.refresh_from_db()
        assert explanation.explained_on == D(2025, 4, 2) and explanation.by == worker
        assert explanation.topics == ["criminal_code", "protection_order"]
        assert explanation.history.latest().history_user == supervisor

    def test_a_refused_update_changes_nothing(self, worker, case_of_worker):
        explanation = services.law_explanation_record(
            actor=worker, case=case_of_worker, explained_on=D(2025, 4, 1), topics=["criminal_code"]
        )
        with pytest.raises(ValidationError):
            services.law_explanation_update(
                actor=worker, explanation=explanation, explained_on=D(2025, 4, 1), topics=["other"]
            )
        explanation.refresh_from_db()
        assert explanation.topics == ["criminal_code"] and explanation.history.count() == 1


class TestLawyerReferral:
    def test_a_match_is_recorded_and_linked_to_the_case_subsidy(self, worker, case_of_worker):
        subsidy = services.subsidy_apply(
            actor=worker,
            case=case_of_worker,
            kind=SubsidyApplication.Kind.LAWYER_FEES,
            applied_on=D(2025, 4, 1),
        )
        referral = services.lawyer_referral_record(
            actor=worker,
            case=case_of_worker,
            lawyer_or_org="  法律扶助基金會臺北分會 陳律師 ",
            matched_on=D(2025, 4, 3),
            subsidy=subsidy,
        )
        referral.refresh_from_db()
        assert referral.lawyer_or_org == "法律扶助基金會臺北分會 陳律師"
        assert referral.status == LawyerReferral.Status.MATCHING and referral.created_by == worker
        assert list(subsidy.lawyer_referrals.all()) == [referral]

    def test_the_victim_retaining_the_lawyer_is_recorded(self, worker, case_of_worker):
        referral = services.lawyer_referral_record(
            actor=worker, case=case_of_worker, lawyer_or_org="王律師", matched_on=D(2025, 4, 3)
        )
        services.lawyer_referral_update(
            actor=worker,
            referral=referral,
            lawyer_or_org="王律師",
            matched_on=D(2025, 4, 3),
            status=LawyerReferral.Status.RETAINED,
            note="已簽委任契約。",
        )
        referral.refresh_from_db()
        assert referral.get_status_display() == "已委任" and referral.note == "已簽委任契約。"
        assert referral.history.count() == 2

    def test_a_subsidy_of_another_case_is_refused(self, worker, worker2, case_of_worker, case_of_worker2):
        other = services.subsidy_apply(
            actor=worker2,
            case=case_of_worker2,
            kind=SubsidyApplication.Kind.LAWYER_FEES,
            applied_on=D(2025, 4, 1),
        )
        with pytest.raises(ValidationError) as exc:
            services.lawyer_referral_record(
                actor=worker,
                case=case_of_worker,
                lawyer_or_org="王律師",
                matched_on=D(2025, 4, 3),
                subsidy=other,
            )
        assert exc.value.message_dict["subsidy"] == ["所選的訴訟補助申請不屬於本案件。"]
        assert not LawyerReferral.objects.exists()

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"lawyer_or_org": "   "}, "lawyer_or_org", "請填寫媒合的律師或機構。"),
            ({"matched_on": D(2099, 1, 1)}, "matched_on", "媒合日期不能晚於今天。"),
        ],
    )
    def test_refused_in_chinese(self, worker, case_of_worker, changes, field, message):
        fields = {"lawyer_or_org": "王律師", "matched_on": D(2025, 4, 3), **changes}
        with pytest.raises(ValidationError) as exc:
            services.lawyer_referral_record(actor=worker, case=case_of_worker, **fields)
        assert message in exc.value.message_dict[field]
        assert not LawyerReferral.objects.exists()

    def test_an_unknown_status_is_refused(self, worker, case_of_worker):
        referral = services.lawyer_referral_record(
            actor=worker, case=case_of_worker, lawyer_or_org="王律師", matched_on=D(2025, 4, 3)
        )
        with pytest.raises(ValidationError) as exc:
            services.lawyer_referral_update(
                actor=worker,
                referral=referral,
                lawyer_or_org="王律師",
                matched_on=D(2025, 4, 3),
                status="lost",
            )
        assert "status" in exc.value.message_dict
        referral.refresh_from_db()
        assert referral.status == LawyerReferral.Status.MATCHING


class TestPoliceReport:
    def test_booking_sets_an_appointment_deadline(self, worker, case_of_worker):
        report = make_police_report(actor=worker, case=case_of_worker)
        deadline = deadlines(report, Deadline.Kind.APPOINTMENT).get()
        assert deadline.due_at == report.scheduled_at and "婦幼警察隊" in deadline.title

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"laws": []}, "laws", "請勾選預計適用的法規（指引 9-1-1）。"),
            (
                {"laws": ["dv_act", "stalking_act"]},
                "laws",
                "家暴法（家庭成員、親密關係）與跟騷法（非家庭成員）請擇一。",
            ),
            ({"laws": ["parking_act"]}, "laws", "法規選項不正確。"),
            (
                {"officer_gender_asked": False},
                "officer_gender_asked",
                "請先詢問被害人是否需要指定員警性別（指引 9-1-2），並勾選。",
            ),
            ({"escorted": True}, "escort_worker", "勾選社工陪同時，請選擇陪同的社工。"),
            ({"victim_keeps_copy": True}, "victim_keeps_copy", "證據尚未交付警方時，不需勾選自留一份。"),
        ],
    )
    def test_bad_bookings_are_refused_in_chinese(self, worker, case_of_worker, changes, field, message):
        with pytest.raises(ValidationError) as exc:
            make_police_report(actor=worker, case=case_of_worker, **changes)
        assert message in exc.value.message_dict[field]
        assert not PoliceReport.objects.exists() and not Deadline.objects.exists()

    def test_done_closes_the_appointment(self, worker, case_of_worker):
        report = make_police_report(actor=worker, case=case_of_worker)
        values = {
            f: getattr(report, f)
            for f in (
                "unit_kind",
                "unit_name",
                "officer_gender_asked",
                "officer_gender",
                "laws",
                "evidence_handed_over",
                "victim_keeps_copy",
                "escorted",
                "escort_worker",
                "minor_companion",
                "note",
            )
        }
        services.police_report_update(
            actor=worker,
            police_report=report,
            scheduled_at=timezone.now() - dt.timedelta(hours=1),
            status=PoliceReport.Status.DONE,
            complaint_decision=PoliceReport.ComplaintDecision.DEFERRED,  # 9-2-5: asked once done
            age_answer=PoliceReport.AgeAnswer.ADULT,  # 9-2-7: no birth date, so the worker confirms it
            **values,
        )
        assert deadlines(report, Deadline.Kind.APPOINTMENT).get().state == Deadline.State.DONE


class TestProsecutorDirection:
    def test_an_answer_needs_its_date_and_not_before_the_request(self, police, hotline, referral_of_police):
        from tests.legal.factories import make_direction, make_referred_case

        case = make_referred_case(hotline=hotline, referral=referral_of_police)
        direction = make_direction(police=police, case=case)
        fields = {
            "requested_at": direction.requested_at,
            "prosecutor_office": direction.prosecutor_office,
            "urgency": direction.urgency,
        }
        with pytest.raises(ValidationError) as exc:
            services.prosecutor_direction_update(
                actor=police, direction=direction, outcome="directed", **fields
            )
        assert "outcome_on" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            services.prosecutor_direction_update(
                actor=police,
                direction=direction,
                outcome="directed",
                outcome_on=timezone.localdate() - dt.timedelta(days=3),
                **fields,
            )
        assert "outcome_on" in exc.value.message_dict
        services.prosecutor_direction_update(
            actor=police, direction=direction, outcome="directed", outcome_on=timezone.localdate(), **fields
        )
        direction.refresh_from_db()
        assert direction.outcome == "directed" and direction.history.first().history_user == police
