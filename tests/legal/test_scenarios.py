"""Issue 14, points 1-4, as a table a lawyer can read: each row is a situation in words, the dates as staff
type them (ROC), what happens next, and what the app must then say about the two periods.

Every row runs through the real services (legal.services), as the pages do. Column meanings:

- 罪名: the catalogue code (C-A, C-B complaint offences; P-C, P-D public prosecution; docs/legal.md).
- 知悉影像 / 犯罪日 / 知悉犯人 / 行為終了 / 提告: the dates entered ("" = not entered; 持續 = ongoing).
- 之後: what is done next (a correction of the record, a worker closing the period by hand, ...).
- 告訴期間 / 追訴期: the period's state on the tracker (進行中 open, 已完成 done, 已逾期未完成 missed,
  不適用 not applicable, 無 no period at all), its last day, and words its note or closing reason holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from cases.models import Deadline, Notification
from cases.rocdate import format_roc, parse_date
from cases.tracker import deadline_close
from legal import services
from tests.legal.factories import offence

pytestmark = pytest.mark.django_db

ONGOING = "持續"


@dataclass(frozen=True)
class Period:
    state: str  # 進行中 / 已完成 / 已逾期未完成 / 不適用 / 無
    due: str = ""  # ROC last day, "" when not checked
    says: str = ""  # words in the note or the closing reason


@dataclass(frozen=True)
class Scenario:
    words: str
    code: str
    learned: str
    offence_on: str
    knew: str = ""
    ended: str = ""  # "" not continuing, 持續 ongoing, or the ROC date it ended
    filed: str = ""
    then: list = field(default_factory=list)  # steps: ("更正", {...}) or ("手動結束", kind, reason)
    complaint: Period = Period("無")
    limitation: Period | None = None  # None: not checked in this row
    notice: str = ""  # words of the notification the last step sends ("" = none expected)


SCENARIOS = [
    # --- 1. Offender unknown: CCP 237 has not started the clock -----------------------------------------
    Scenario(
        "犯人不明，一年多前就知道影像：告訴期間尚未起算，絕不顯示逾期",
        code="C-A",
        learned="114.03.10",
        offence_on="114.03.01",
        complaint=Period("無"),
        limitation=Period("進行中", "134.02.28", "刑法第80條"),
    ),
    Scenario(
        "犯人不明，之後才知道是誰：6個月自知悉犯人之翌日起算，不從知悉影像起算",
        code="C-A",
        learned="114.03.10",
        offence_on="114.03.01",
        then=[("更正", {"offender_known": True, "knew_offender_on": "115.09.01"})],
        complaint=Period("進行中", "116.03.01"),
    ),
    Scenario(
        "誤填知悉犯人日期而被記為逾期提告，更正為犯人不明：逾期紀錄撤回",
        code="C-B",
        learned="114.03.10",
        offence_on="114.03.01",
        knew="114.03.12",
        filed="114.10.01",
        then=[("更正", {"offender_known": False, "knew_offender_on": None})],
        complaint=Period("不適用", "", "尚未知悉犯人"),
    ),
    Scenario(
        "知悉犯人後6個月內提告：告訴期間完成",
        code="C-B",
        learned="114.03.10",
        offence_on="114.03.01",
        knew="114.03.12",
        filed="114.09.12",
        complaint=Period("已完成", "114.09.12", "已於 114.09.12 提出告訴"),
    ),
    Scenario(
        "知悉犯人後逾6個月才提告：如實記為逾期",
        code="C-B",
        learned="114.03.10",
        offence_on="114.03.01",
        knew="114.03.12",
        filed="114.09.15",
        complaint=Period("已逾期未完成", "114.09.12", "已逾告訴期間"),
    ),
    # --- 2. Continuing conduct: from its end or from knowing the offender, whichever is later (釋字108) ---
    Scenario(
        "同一行為持續到114.06.30，犯人早已知悉：自行為終了之翌日起算（7/1起6個月，至12/31）",
        code="C-B",
        learned="114.01.05",
        offence_on="114.01.01",
        knew="114.01.10",
        ended="114.06.30",
        complaint=Period("進行中", "114.12.31", "釋字第108號"),
        limitation=Period("進行中", "134.06.29", "持續行為終了"),
    ),
    Scenario(
        "持續行為終了後才知悉犯人：自知悉犯人之翌日起算（較晚者）",
        code="C-B",
        learned="114.01.05",
        offence_on="114.01.01",
        knew="114.08.20",
        ended="114.06.30",
        complaint=Period("進行中", "115.02.20"),
    ),
    Scenario(
        "持續行為，知悉犯人已逾6個月但在行為終了後6個月內提告：不算逾期",
        code="C-B",
        learned="114.01.05",
        offence_on="114.01.01",
        knew="114.01.10",
        ended="114.06.30",
        filed="114.11.01",
        complaint=Period("已完成", "114.12.31", "已於 114.11.01 提出告訴"),
    ),
    Scenario(
        "行為仍在持續：告訴期間與追訴期都尚未起算",
        code="C-B",
        learned="114.01.05",
        offence_on="114.01.01",
        knew="114.01.10",
        ended=ONGOING,
        complaint=Period("無"),
        limitation=Period("無"),
    ),
    # --- 3. Reclassification, and a worker's closing that a later save must not undo --------------------
    Scenario(
        "告訴乃論罪已逾期提告，改為非告訴乃論罪：告訴期間（含已逾期者）撤回",
        code="C-B",
        learned="114.03.10",
        offence_on="114.03.01",
        knew="114.03.12",
        filed="114.10.01",
        then=[("更正", {"offence": "P-C"})],
        complaint=Period("不適用", "", "非告訴乃論"),
    ),
    Scenario(
        "非告訴乃論罪改為告訴乃論罪：告訴期間開始提醒",
        code="P-C",
        learned="114.03.10",
        offence_on="114.03.01",
        knew="114.03.12",
        then=[("更正", {"offence": "C-B"})],
        complaint=Period("進行中", "114.09.12"),
    ),
    Scenario(
        "社工手動結束告訴期間後，只改備註：仍維持社工的結束",
        code="C-B",
        learned="114.03.10",
        offence_on="114.03.01",
        knew="114.03.12",
        then=[("手動結束", "complaint", "被害人已委任律師，由律師追蹤。"), ("更正", {"note": "補充說明"})],
        complaint=Period("不適用", "114.09.12", "被害人已委任律師"),
    ),
    Scenario(
        "社工手動結束告訴期間後，更正知悉犯人日期：重新開啟並通知原因",
        code="C-B",
        learned="114.03.10",
        offence_on="114.03.01",
        knew="114.03.12",
        then=[
            ("手動結束", "complaint", "被害人已委任律師，由律師追蹤。"),
            ("更正", {"knew_offender_on": "114.04.01"}),
        ],
        complaint=Period("進行中", "114.10.01"),
        notice="已重新開啟，因為知悉犯人日期已更正",
    ),
    # --- 4. Limitation stops (art. 83); a limitation that had passed before it was entered ---------------
    Scenario(
        "檢察官已起訴：追訴期停止進行，不再提醒",
        code="P-D",
        learned="114.03.10",
        offence_on="114.03.01",
        knew="114.03.12",
        then=[("更正", {"limitation_stop": "indicted", "limitation_stopped_on": "115.01.10"})],
        limitation=Period("已完成", "124.02.28", "已起訴：追訴權時效停止進行（刑法第83條）"),
    ),
    Scenario(
        "檢察官已開始偵查：追訴期停止進行",
        code="P-C",
        learned="114.03.10",
        offence_on="114.03.01",
        then=[("更正", {"limitation_stop": "investigating", "limitation_stopped_on": "114.05.02"})],
        limitation=Period("已完成", "134.02.28", "檢察官已開始偵查"),
    ),
    Scenario(
        "登錄時追訴期早已屆滿（99年的恐嚇，10年）：記為已逾追訴期，不是逾期待辦",
        code="P-D",
        learned="99.01.20",
        offence_on="99.01.01",
        limitation=Period("已逾期未完成", "108.12.31", "已逾追訴期"),
    ),
]


def _date(text: str) -> dt.date | None:
    return parse_date(text) if text else None


def _changes(changes: dict) -> dict:
    out = {}
    for name, value in changes.items():
        if name == "offence":
            value = offence(value)
        elif isinstance(value, str) and name.endswith("_on"):
            value = _date(value)
        out[name] = value
    return out


def _period_of(item, kind: str) -> Period:
    row = Deadline.objects.filter(source_id=str(item.pk), kind=kind).first()
    if row is None:
        return Period("無")
    return Period(
        str(row.get_state_display()),
        format_roc(timezone.localtime(row.due_at).date()),
        f"{row.note} {row.close_reason}",
    )


def _check(actual: Period, expected: Period, what: str) -> None:
    assert actual.state == expected.state, (
        f"{what}：應為 {expected.state}，實為 {actual.state}（{actual.says}）"
    )
    if expected.due:
        assert actual.due == expected.due, f"{what}：末日應為 {expected.due}，實為 {actual.due}"
    if expected.says:
        assert expected.says in actual.says, f"{what}：應含「{expected.says}」，實為「{actual.says}」"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.words for s in SCENARIOS])
def test_scenario(scenario: Scenario, worker, case_of_worker):
    continuing = bool(scenario.ended)
    item = services.case_offence_record(
        actor=worker,
        case=case_of_worker,
        offence=offence(scenario.code),
        learned_on=_date(scenario.learned),
        offence_on=_date(scenario.offence_on),
        offender_known=bool(scenario.knew),
        knew_offender_on=_date(scenario.knew),
        continuing=continuing,
        conduct_ended_on=None if scenario.ended in ("", ONGOING) else _date(scenario.ended),
        victim_wishes="wants",
        complaint_filed_on=_date(scenario.filed),
    )
    for step in scenario.then:
        Notification.objects.all().delete()  # only the last step's notices count
        if step[0] == "手動結束":
            _, kind, reason = step
            deadline = Deadline.objects.get(source_id=str(item.pk), kind=kind)
            deadline_close(
                actor=worker, deadline=deadline, state=Deadline.State.NOT_APPLICABLE, reason=reason
            )
            continue
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
                "limitation_stop",
                "limitation_stopped_on",
                "note",
            )
        }
        fields.update(_changes(step[1]))
        item = services.case_offence_update(actor=worker, case_offence=item, **fields)

    _check(_period_of(item, Deadline.Kind.COMPLAINT), scenario.complaint, "告訴期間")
    if scenario.limitation is not None:
        _check(_period_of(item, Deadline.Kind.LIMITATION), scenario.limitation, "追訴期")
    texts = list(Notification.objects.filter(recipient=worker).values_list("text", flat=True))
    if scenario.notice:
        assert any(scenario.notice in text and case_of_worker.number in text for text in texts), texts
        assert all(case_of_worker.victim.name not in text for text in texts)
    # Whatever happened, no period of an offender still unknown is ever called late.
    if not item.offender_known and item.offence.complaint_required:
        complaint = _period_of(item, Deadline.Kind.COMPLAINT)
        assert complaint.state != "已逾期未完成" and "已逾告訴期間" not in complaint.says
