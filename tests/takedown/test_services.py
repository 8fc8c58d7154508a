"""Takedown services: the 8-2 prerequisite, the SLA deadline, outcomes per URL, StopNCII, advice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from cases.models import Deadline
from cases.registry import linkable_records
from takedown import services
from takedown.models import PreventionAdvice, StopNCIICase, TakedownComplaint, TakedownTarget
from tests.evidence.factories import make_item, make_teaching
from tests.takedown.factories import make_complaint

pytestmark = pytest.mark.django_db


def _sla(complaint):
    return Deadline.objects.get(kind=Deadline.Kind.TAKEDOWN, source_id=str(complaint.pk))


class TestFiling:
    def test_a_complaint_without_the_evidence_checklist_is_refused_and_nothing_saved(
        self, worker, case_of_worker
    ):
        make_item(actor=worker, case=case_of_worker)
        keys = [r.key for r in linkable_records(case_of_worker, "evidence_item")]
        with pytest.raises(ValidationError) as exc:
            services.complaint_file(
                actor=worker,
                case=case_of_worker,
                evidence_keys=keys,
                filed_at=timezone.now(),
                filed_by_kind="worker",
                minor_at_time="no",
            )
        assert "指引 8-2" in exc.value.messages[0]
        assert not TakedownComplaint.objects.exists()

    def test_an_incomplete_checklist_is_refused_but_a_waived_one_is_accepted(self, worker, case_of_worker):
        make_teaching(actor=worker, case=case_of_worker, complete=False)
        make_item(actor=worker, case=case_of_worker)
        keys = [r.key for r in linkable_records(case_of_worker, "evidence_item")]
        args = {"filed_at": timezone.now(), "filed_by_kind": "victim", "minor_at_time": "no"}
        with pytest.raises(ValidationError):
            services.complaint_file(actor=worker, case=case_of_worker, evidence_keys=keys, **args)
        make_teaching(
            actor=worker,
            case=case_of_worker,
            complete=False,
            waived=True,
            waiver_reason="被害人已自行完成蒐證",
        )
        complaint = services.complaint_file(actor=worker, case=case_of_worker, evidence_keys=keys, **args)
        assert "已免除" in complaint.checklist_state

    def test_each_chosen_evidence_item_becomes_a_url_to_follow(self, worker, case_of_worker):
        complaint = make_complaint(actor=worker, case=case_of_worker, items=2)
        targets = list(complaint.targets.all())
        assert len(targets) == 2
        assert all(
            t.outcome == TakedownTarget.Outcome.PENDING and t.platform_name == "facebook" for t in targets
        )
        assert all(t.url.startswith("https://www.facebook.com/") for t in targets)

    def test_another_cases_evidence_cannot_be_chosen(self, worker, case_of_worker, case_of_worker2, worker2):
        make_teaching(actor=worker, case=case_of_worker)
        other = make_item(actor=worker2, case=case_of_worker2)
        with pytest.raises(ValidationError) as exc:
            services.complaint_file(
                actor=worker,
                case=case_of_worker,
                evidence_keys=[f"evidence.evidenceitem:{other.pk}"],
                filed_at=timezone.now(),
                filed_by_kind="worker",
                minor_at_time="no",
            )
        assert "evidence_keys" in exc.value.message_dict

    def test_a_future_filing_time_is_refused(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            make_complaint(actor=worker, case=case_of_worker, filed_at=timezone.now() + dt.timedelta(days=1))
        assert exc.value.message_dict["filed_at"] == ["申訴時間不能晚於現在。"]


class TestSla:
    @pytest.mark.parametrize(("answer", "hours"), [("yes", 24), ("no", 72), ("unknown", 24)])
    def test_the_sla_deadline_is_a_datetime_by_the_age_of_the_person_depicted(
        self, worker, case_of_worker, answer, hours
    ):
        filed = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
        complaint = make_complaint(actor=worker, case=case_of_worker, filed_at=filed, minor_at_time=answer)
        deadline = _sla(complaint)
        assert deadline.due_at == filed + dt.timedelta(hours=hours)
        assert deadline.owner == worker
        assert deadline.state == Deadline.State.OPEN

    def test_correcting_the_age_answer_moves_the_deadline(self, worker, case_of_worker):
        filed = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
        complaint = make_complaint(actor=worker, case=case_of_worker, filed_at=filed, minor_at_time="no")
        services.complaint_update(actor=worker, complaint=complaint, minor_at_time="yes")
        assert _sla(complaint).due_at == filed + dt.timedelta(hours=24)

    def test_every_url_with_an_outcome_in_time_settles_the_deadline_done(self, worker, case_of_worker):
        complaint = make_complaint(actor=worker, case=case_of_worker, items=2)
        [a, b] = complaint.targets.all()
        today = timezone.localdate()
        services.complaint_update(actor=worker, complaint=complaint, outcomes={str(a.pk): ("removed", today)})
        assert _sla(complaint).state == Deadline.State.OPEN  # one URL still pending
        services.complaint_update(
            actor=worker,
            complaint=complaint,
            outcomes={str(a.pk): ("removed", today), str(b.pk): ("no_response", today)},
        )
        assert _sla(complaint).state == Deadline.State.DONE

    def test_outcomes_recorded_after_the_deadline_settle_it_missed(self, worker, case_of_worker):
        complaint = make_complaint(
            actor=worker,
            case=case_of_worker,
            filed_at=timezone.now() - dt.timedelta(hours=100),
            minor_at_time="no",
        )
        [target] = complaint.targets.all()
        services.complaint_update(
            actor=worker, complaint=complaint, outcomes={str(target.pk): ("refused", timezone.localdate())}
        )
        assert _sla(complaint).state == Deadline.State.MISSED

    def test_an_outcome_needs_its_date(self, worker, case_of_worker):
        complaint = make_complaint(actor=worker, case=case_of_worker)
        [target] = complaint.targets.all()
        with pytest.raises(ValidationError) as exc:
            services.complaint_update(
                actor=worker, complaint=complaint, outcomes={str(target.pk): ("removed", None)}
            )
        assert f"outcome_on_{target.pk}" in exc.value.message_dict
        target.refresh_from_db()
        assert target.outcome == "pending"


class TestFollowUp:
    def test_a_follow_up_cannot_predate_the_complaint(self, worker, case_of_worker):
        complaint = make_complaint(actor=worker, case=case_of_worker)
        with pytest.raises(ValidationError):
            services.follow_up_add(
                actor=worker, complaint=complaint, at=complaint.filed_at - dt.timedelta(hours=1), result="x"
            )
        follow_up = services.follow_up_add(
            actor=worker, complaint=complaint, at=timezone.now(), result="已確認受理"
        )
        assert follow_up.by == worker


class TestStopNCII:
    def _save(self, worker, case, minor, **fields):
        data = {"explained_on": timezone.localdate(), "holds_images": True, "already_spread": False}
        data.update(fields)
        return services.stopncii_save(actor=worker, case=case, minor=minor, **data)

    def test_an_eligible_adult_case_is_recorded_with_the_pin_reminder_and_an_encrypted_number(
        self, worker, case_of_worker
    ):
        record = self._save(
            worker,
            case_of_worker,
            False,
            created_on=timezone.localdate(),
            reminded_keep_number_and_pin=True,
            case_number="SN-123",
        )
        assert record.eligible and record.ineligible_reason == ""
        assert not hasattr(record, "pin")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT case_number FROM {StopNCIICase._meta.db_table} WHERE id = %s", [record.pk.hex]
            )
            stored = cursor.fetchone()[0]
        assert stored and "SN-123" not in stored
        assert StopNCIICase.objects.get(pk=record.pk).case_number == "SN-123"

    def test_a_case_made_without_the_reminder_is_refused(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            self._save(worker, case_of_worker, False, created_on=timezone.localdate())
        assert "牢記案件編號與密碼" in exc.value.message_dict["reminded_keep_number_and_pin"][0]

    def test_an_unknown_age_is_recorded_as_not_eligible_with_the_reason_and_no_case_can_be_made(
        self, worker, case_of_worker
    ):
        record = self._save(worker, case_of_worker, None)
        assert not record.eligible and "年齡不明" in record.ineligible_reason
        with pytest.raises(ValidationError) as exc:
            self._save(
                worker,
                case_of_worker,
                None,
                created_on=timezone.localdate(),
                reminded_keep_number_and_pin=True,
            )
        assert "不適用 StopNCII" in exc.value.message_dict["created_on"][0]


class TestAdvice:
    def test_privacy_items_need_the_teaching_date_and_known_codes(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            services.advice_save(
                actor=worker, case=case_of_worker, advised_on=timezone.localdate(), privacy_items=["line-id"]
            )
        assert "privacy_given_on" in exc.value.message_dict
        with pytest.raises(ValidationError):
            services.advice_save(
                actor=worker,
                case=case_of_worker,
                advised_on=timezone.localdate(),
                privacy_given_on=timezone.localdate(),
                privacy_items=["nope"],
            )
        advice = services.advice_save(
            actor=worker,
            case=case_of_worker,
            advised_on=timezone.localdate(),
            advise_report=True,
            privacy_given_on=timezone.localdate(),
            privacy_items=["line-id", "ig-strangers"],
        )
        assert PreventionAdvice.objects.get(pk=advice.pk).privacy_items == ["line-id", "ig-strangers"]
