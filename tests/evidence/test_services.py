"""Evidence services: validation, the 180-day retention deadline, the teaching checklist (8-2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Deadline
from cases.registry import linkable_records
from evidence import services
from evidence.models import EvidenceItem, EvidenceTeaching
from evidence.selectors import matches_by_item
from tests.evidence.factories import make_item, make_teaching, platform, required_codes
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def _retention(item):
    return Deadline.objects.get(kind=Deadline.Kind.PLATFORM_RETENTION, source_id=str(item.pk))


class TestRetention:
    def test_an_item_opens_a_retention_deadline_180_days_after_first_seen_for_the_worker(
        self, worker, case_of_worker
    ):
        item = make_item(
            actor=worker, case=case_of_worker, first_seen_on=dt.date(2026, 9, 1), kept_where="not_yet"
        )
        deadline = _retention(item)
        assert deadline.state == Deadline.State.OPEN
        assert timezone.localtime(deadline.due_at).date() == dt.date(2027, 2, 28)
        assert deadline.owner == worker

    def test_the_victim_confirming_a_kept_copy_closes_it(self, worker, case_of_worker):
        item = make_item(actor=worker, case=case_of_worker, kept_where="not_yet")
        services.evidence_item_update(
            actor=worker,
            item=item,
            platform=item.platform,
            url=item.url,
            first_seen_on=item.first_seen_on,
            capture_fullscreen=True,
            kept_where=EvidenceItem.KeptWhere.USB,
            kept_encrypted=True,
            copy_confirmed_on=timezone.localdate(),
        )
        deadline = _retention(item)
        assert deadline.state == Deadline.State.DONE
        assert deadline.closed_by == worker

    def test_moving_the_first_seen_date_moves_the_deadline(self, worker, case_of_worker):
        item = make_item(actor=worker, case=case_of_worker, first_seen_on=dt.date(2026, 1, 1))
        services.evidence_item_update(
            actor=worker,
            item=item,
            platform=item.platform,
            url=item.url,
            first_seen_on=dt.date(2026, 2, 1),
            capture_fullscreen=True,
            kept_where="usb",
        )
        assert Deadline.objects.filter(kind=Deadline.Kind.PLATFORM_RETENTION).count() == 1
        assert timezone.localtime(_retention(item).due_at).date() == dt.date(2026, 7, 31)


class TestItemValidation:
    def _add(self, worker, case, **fields):
        data = {"first_seen_on": dt.date(2026, 1, 1), "kept_where": "usb", "capture_fullscreen": True}
        data.update(fields)
        return services.evidence_item_add(actor=worker, case=case, **data)

    def test_bad_input_is_refused_with_chinese_messages_and_nothing_saved(self, worker, case_of_worker):
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        with pytest.raises(ValidationError) as exc:
            self._add(
                worker,
                case_of_worker,
                platform=platform("ptt"),
                url="ptt.cc/bbs/x",
                poster_ip="300.1.1.1",
                first_seen_on=tomorrow,
                sha256="not-a-digest",
            )
        errors = exc.value.message_dict
        assert "網址格式不正確" in errors["url"][0]
        assert "IP 位址格式不正確" in errors["poster_ip"][0]
        assert errors["first_seen_on"] == ["首次發現於網路日期不能晚於今天。"]
        assert "指紋格式不正確" in errors["sha256"][0]
        assert not EvidenceItem.objects.exists()
        assert not Deadline.objects.filter(kind=Deadline.Kind.PLATFORM_RETENTION).exists()

    def test_an_inactive_platform_is_refused(self, worker, case_of_worker):
        retired = platform("dcard")
        retired.is_active = False
        retired.save()
        with pytest.raises(ValidationError) as exc:
            self._add(worker, case_of_worker, platform=retired, url="https://www.dcard.tw/f/x/p/1")
        assert "請從清單選擇平台" in exc.value.message_dict["platform"][0]

    def test_telegram_without_a_recording_is_refused(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            self._add(worker, case_of_worker, platform=platform("telegram"), url="https://t.me/c/1")
        assert "須另行錄影" in exc.value.message_dict["capture_recording"][0]

    def test_ptt_ipv6_is_stored_in_canonical_form(self, worker, case_of_worker):
        item = self._add(
            worker,
            case_of_worker,
            platform=platform("ptt"),
            url="https://www.ptt.cc/bbs/x/M.1.html",
            poster_ip="2001:DB8:0::1",
        )
        item.refresh_from_db()
        assert item.poster_ip == "2001:db8::1"


class TestMatches:
    def test_a_re_posted_image_of_the_same_victim_is_recognised_across_cases(self, hotline, worker):
        first = make_case(actor=hotline, worker=worker)
        earlier = make_item(actor=worker, case=first, sha256="a" * 64, phash="f0f0f0f0f0f0f0f0")
        second = make_case(actor=hotline, worker=worker)
        # the same victim's second case
        second.victim = first.victim
        second.save(update_fields=["victim"])
        exact = make_item(actor=worker, case=second, sha256="a" * 64)
        similar = make_item(actor=worker, case=second, sha256="b" * 64, phash="f0f0f0f0f0f0f0f1")
        found = matches_by_item(second, [exact, similar])
        assert [(m.item, m.kind) for m in found[exact.pk]] == [(earlier, "exact")]
        assert [(m.item, m.kind) for m in found[similar.pk]] == [(earlier, "similar")]

    def test_another_victims_image_is_never_matched(self, hotline, worker):
        one = make_case(actor=hotline, worker=worker)
        make_item(actor=worker, case=one, sha256="a" * 64)
        other = make_case(actor=hotline, worker=worker)
        item = make_item(actor=worker, case=other, sha256="a" * 64)
        assert matches_by_item(other, [item]) == {}

    def test_the_threshold_is_a_setting(self, settings, worker, case_of_worker):
        make_item(actor=worker, case=case_of_worker, phash="f0f0f0f0f0f0f0f0")
        later = make_item(actor=worker, case=case_of_worker, phash="f0f0f0f0f0f0f0f3")
        settings.EVIDENCE_PHASH_THRESHOLD = 2
        assert matches_by_item(case_of_worker, [later]) == {}
        settings.EVIDENCE_PHASH_THRESHOLD = 3
        assert len(matches_by_item(case_of_worker, [later])[later.pk]) == 1


class TestTeaching:
    def test_the_checklist_is_complete_when_every_reminder_and_check_is_ticked(self, worker, case_of_worker):
        make_teaching(actor=worker, case=case_of_worker, complete=True)
        [record] = linkable_records(case_of_worker, "evidence_checklist")
        assert record.data["complete"] is True
        assert "已完成" in record.label

    def test_an_incomplete_checklist_is_reported_as_such(self, worker, case_of_worker):
        make_teaching(actor=worker, case=case_of_worker, complete=False)
        [record] = linkable_records(case_of_worker, "evidence_checklist")
        assert record.data == {"complete": False, "waived": False, "taught_on": record.data["taught_on"]}

    def test_a_waiver_needs_a_reason(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            make_teaching(actor=worker, case=case_of_worker, complete=False, waived=True, waiver_reason=" ")
        assert "請說明原因" in exc.value.message_dict["waiver_reason"][0]
        make_teaching(
            actor=worker,
            case=case_of_worker,
            complete=False,
            waived=True,
            waiver_reason="被害人已自行完成蒐證",
        )
        [record] = linkable_records(case_of_worker, "evidence_checklist")
        assert record.data["waived"] is True

    def test_refusing_a_meeting_needs_the_date_the_video_link_was_sent(self, worker, case_of_worker):
        with pytest.raises(ValidationError) as exc:
            make_teaching(actor=worker, case=case_of_worker, face_to_face_refused=True)
        assert "video_link_sent_on" in exc.value.message_dict

    def test_saving_again_updates_the_one_record_of_the_case(self, worker, case_of_worker):
        make_teaching(actor=worker, case=case_of_worker, complete=False)
        make_teaching(
            actor=worker, case=case_of_worker, complete=True, mode=EvidenceTeaching.Mode.FACE_TO_FACE
        )
        teaching = EvidenceTeaching.objects.get(case=case_of_worker)
        assert teaching.mode == "face"
        assert set(required_codes()) <= set(teaching.ticked)
        assert teaching.history.count() == 2

    def test_an_item_code_not_in_the_current_version_is_refused(self, worker, case_of_worker):
        with pytest.raises(ValidationError):
            make_teaching(actor=worker, case=case_of_worker, ticked=["no-such-item"])

    def test_evidence_items_are_offered_to_other_apps_with_their_facts(self, worker, case_of_worker):
        item = make_item(actor=worker, case=case_of_worker, first_seen_on=dt.date(2026, 5, 1))
        [record] = linkable_records(case_of_worker, "evidence_item")
        assert record.key == f"evidence.evidenceitem:{item.pk}"
        assert record.data["url"] == item.url
        assert record.data["platform"] == "facebook"
        assert record.data["first_seen_on"] == "2026-05-01"
