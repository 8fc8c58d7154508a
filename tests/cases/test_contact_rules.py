"""The rules of a contact record (cases/contact_rules.py): a plain function, tested without a database."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
from zoneinfo import ZoneInfo

import pytest

from cases import contact_rules
from cases.contact_rules import contact_errors, reached_victim

TAIPEI = ZoneInfo("Asia/Taipei")
NOW = dt.datetime(2026, 11, 30, 15, 0, tzinfo=TAIPEI)

MISSING_DANGER = "這次有聯繫到被害人：請記錄是否有立即人身安全危險（指引 7-1，每次接觸都要詢問）。"
MISSING_REASON = "請說明這次未能詢問立即危險的原因。"
DANGER_NOT_EMPTY = "聯繫未果時沒有詢問到危險狀況，請將此欄留空。"
FUTURE = "聯繫時間不能晚於現在。"
NEXT_BEFORE = "下次聯繫日期不能早於這次聯繫的日期。"
SMS_WRONG_RESULT = "服務資源簡訊只在「聯繫未果」或「被害人暫無意願」時傳送（指引 1-3）。"
SMS_NO_MOBILE = "被害人沒有可接收簡訊的手機號碼，請先補上手機。"


def errors(**overrides) -> dict[str, str]:
    """contact_errors for a valid contact (reached, 無立即危險, an hour ago), changed by `overrides`."""
    args = {
        "result": "reached",
        "immediate_danger": "no",
        "danger_not_asked_reason": "",
        "contacted_at": NOW - dt.timedelta(hours=1),
        "now": NOW,
        "next_contact_on": None,
        "send_resource_sms": False,
        "has_mobile": True,
    }
    args.update(overrides)
    return contact_errors(**args)


def test_a_complete_reached_contact_has_no_errors():
    assert errors() == {}


class TestImmediateDanger:
    @pytest.mark.parametrize("result", ["reached", "no_wish"])
    def test_reaching_the_victim_needs_the_danger_answer(self, result):
        assert errors(result=result, immediate_danger="") == {"immediate_danger": MISSING_DANGER}

    @pytest.mark.parametrize("result", ["reached", "no_wish"])
    @pytest.mark.parametrize("answer", ["yes", "no"])
    def test_a_yes_or_no_answer_is_enough(self, result, answer):
        assert errors(result=result, immediate_danger=answer) == {}

    @pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
    def test_not_asked_needs_a_reason_that_is_not_blank(self, reason):
        assert errors(immediate_danger="not_asked", danger_not_asked_reason=reason) == {
            "danger_not_asked_reason": MISSING_REASON
        }

    def test_not_asked_with_a_reason_is_accepted(self):
        assert errors(immediate_danger="not_asked", danger_not_asked_reason="加害人在旁，無法詢問") == {}

    def test_a_reason_is_not_asked_for_when_the_danger_was_answered(self):
        assert errors(immediate_danger="yes", danger_not_asked_reason="") == {}

    def test_not_reached_leaves_the_danger_empty(self):
        assert errors(result="not_reached", immediate_danger="") == {}

    @pytest.mark.parametrize("answer", ["yes", "no", "not_asked"])
    def test_not_reached_with_a_danger_answer_is_refused(self, answer):
        got = errors(result="not_reached", immediate_danger=answer, danger_not_asked_reason="x")
        assert got == {"immediate_danger": DANGER_NOT_EMPTY}


class TestContactTime:
    @pytest.mark.parametrize(
        "offset",
        [
            dt.timedelta(days=-400),
            dt.timedelta(0),
            dt.timedelta(minutes=9, seconds=59),
            dt.timedelta(minutes=10),  # a phone clock a few minutes fast is within the slack
        ],
    )
    def test_past_now_and_within_ten_minutes_are_accepted(self, offset):
        assert errors(contacted_at=NOW + offset) == {}

    @pytest.mark.parametrize(
        "offset", [dt.timedelta(minutes=10, seconds=1), dt.timedelta(hours=2), dt.timedelta(days=1)]
    )
    def test_later_than_the_slack_is_refused(self, offset):
        assert errors(contacted_at=NOW + offset) == {"contacted_at": FUTURE}

    def test_the_slack_is_ten_minutes(self):
        assert contact_rules.FUTURE_SLACK == dt.timedelta(minutes=10)

    def test_a_time_in_another_zone_is_compared_as_the_same_instant(self):
        # 07:05 UTC is 15:05 in Taipei: five minutes ahead, within the slack.
        assert errors(contacted_at=dt.datetime(2026, 11, 30, 7, 5, tzinfo=dt.UTC)) == {}
        assert errors(contacted_at=dt.datetime(2026, 11, 30, 7, 11, tzinfo=dt.UTC)) == {
            "contacted_at": FUTURE
        }

    def test_without_a_time_no_time_rule_applies(self):
        # The form reports the missing time itself; the other rules still speak.
        assert errors(contacted_at=None, next_contact_on=dt.date(2000, 1, 1)) == {}
        assert errors(contacted_at=None, immediate_danger="") == {"immediate_danger": MISSING_DANGER}


class TestNextContact:
    contact_day = dt.date(2026, 11, 30)

    @pytest.mark.parametrize("days", [0, 1, 30])
    def test_the_same_day_or_later_is_accepted(self, days):
        assert errors(next_contact_on=self.contact_day + dt.timedelta(days=days)) == {}

    @pytest.mark.parametrize("days", [1, 365])
    def test_before_the_contact_date_is_refused(self, days):
        assert errors(next_contact_on=self.contact_day - dt.timedelta(days=days)) == {
            "next_contact_on": NEXT_BEFORE
        }

    def test_compared_with_the_date_of_the_contact_not_with_today(self):
        backdated = NOW - dt.timedelta(days=10)
        assert errors(contacted_at=backdated, next_contact_on=dt.date(2026, 11, 25)) == {}
        assert errors(contacted_at=backdated, next_contact_on=dt.date(2026, 11, 19)) == {
            "next_contact_on": NEXT_BEFORE
        }

    def test_a_future_contact_time_is_reported_instead(self):
        got = errors(contacted_at=NOW + dt.timedelta(days=3), next_contact_on=dt.date(2026, 12, 1))
        assert got == {"contacted_at": FUTURE}


class TestResourceSms:
    @pytest.mark.parametrize(("result", "danger"), [("not_reached", ""), ("no_wish", "no")])
    def test_allowed_when_not_reached_or_no_wish_with_a_mobile(self, result, danger):
        assert errors(result=result, immediate_danger=danger, send_resource_sms=True) == {}

    @pytest.mark.parametrize("has_mobile", [True, False])
    def test_refused_after_a_reached_contact(self, has_mobile):
        assert errors(send_resource_sms=True, has_mobile=has_mobile) == {
            "send_resource_sms": SMS_WRONG_RESULT
        }

    @pytest.mark.parametrize(("result", "danger"), [("not_reached", ""), ("no_wish", "no")])
    def test_refused_without_a_mobile(self, result, danger):
        got = errors(result=result, immediate_danger=danger, send_resource_sms=True, has_mobile=False)
        assert got == {"send_resource_sms": SMS_NO_MOBILE}

    def test_no_mobile_matters_only_when_sending(self):
        assert errors(result="not_reached", immediate_danger="", has_mobile=False) == {}


def test_every_problem_is_reported_at_once():
    got = errors(
        result="not_reached",
        immediate_danger="yes",
        contacted_at=NOW + dt.timedelta(hours=1),
        send_resource_sms=True,
        has_mobile=False,
    )
    assert got == {
        "immediate_danger": DANGER_NOT_EMPTY,
        "contacted_at": FUTURE,
        "send_resource_sms": SMS_NO_MOBILE,
    }


@pytest.mark.parametrize(
    ("result", "reached"), [("reached", True), ("no_wish", True), ("not_reached", False), ("", False)]
)
def test_reached_victim(result, reached):
    assert reached_victim(result) is reached


def test_the_rules_import_nothing_but_the_standard_library():
    tree = ast.parse(inspect.getsource(contact_rules))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= {"__future__", "datetime"}


def test_the_rules_speak_the_same_values_as_the_contact_model():
    from cases.models import Contact

    assert {contact_rules.REACHED, contact_rules.NOT_REACHED, contact_rules.NO_WISH} == set(
        Contact.Result.values
    )
    assert {
        contact_rules.DANGER_YES,
        contact_rules.DANGER_NO,
        contact_rules.DANGER_NOT_ASKED,
    } == set(Contact.Danger.values)
