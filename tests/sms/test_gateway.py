"""The Mitake-style adapter against a real HTTP server on 127.0.0.1: the body decides, not HTTP 200."""

import logging

import pytest

from cases.sms.localgateway import LocalGateway, Reply, accepted
from cases.sms.message import Outcome, Outgoing
from cases.sms.mitake import MitakeBackend, classify, parse_reply

MESSAGE = Outgoing(
    to="0912345678", body="您好，提醒您12月5日（四）14:30在A3的約定。", client_id="c0ffee" * 5 + "ab"
)


@pytest.fixture
def local():
    with LocalGateway() as gw:
        yield gw


def backend(gw, **kw):
    return MitakeBackend(
        url=gw.url, username="ncii", password="secret-pw", timeout=kw.pop("timeout", 2), **kw
    )


def test_posts_a_utf8_form_with_the_client_id(local):
    result = backend(local, callback_url="https://ncii.example.org/sms/delivery-report/").send(MESSAGE)
    assert result.outcome == Outcome.ACCEPTED
    assert result.provider_id == "1010079522" and result.code == "1"
    (form,) = local.requests
    assert form["_content_type"].startswith("application/x-www-form-urlencoded")
    assert (form["username"], form["password"], form["dstaddr"]) == ("ncii", "secret-pw", "0912345678")
    assert form["smbody"] == MESSAGE.body
    assert form["clientid"] == MESSAGE.client_id
    assert form["response"] == "https://ncii.example.org/sms/delivery-report/"


def test_the_report_url_given_to_the_gateway_never_carries_the_secret(settings):
    """The secret would land in access logs; the reverse proxy adds it as a header (docs/sms.md)."""
    settings.SMS_CALLBACK_URL = "https://ncii.example.org/sms/delivery-report/"
    settings.SMS_CALLBACK_SECRET = "a-long-callback-secret-value"
    url = MitakeBackend.from_settings().callback_url
    assert url == "https://ncii.example.org/sms/delivery-report/"
    assert "secret" not in url


@pytest.mark.parametrize(
    ("body", "outcome", "code"),
    [
        ("[1]\nmsgid=9\nstatuscode=0\nAccountPoint=98\n", Outcome.ACCEPTED, "0"),
        ("[1]\r\nmsgid=9\r\nstatuscode=4\r\n", Outcome.ACCEPTED, "4"),
        ("[1]\nmsgid=9\nstatuscode=1\nDuplicate=Y\n", Outcome.ACCEPTED, "1"),
        ("[1]\nstatuscode=6\nError=門號有錯誤\n", Outcome.FAILED, "6"),
        ("[1]\nstatuscode=e\n", Outcome.FAILED, "e"),
        ("statuscode=v\n", Outcome.FAILED, "v"),
        ("[1]\nstatuscode=*\n", Outcome.RETRY, "*"),
        ("[1]\nstatuscode=b\n", Outcome.RETRY, "b"),
        ("[1]\nstatuscode=Q\n", Outcome.UNKNOWN, "Q"),
        ("<html><body>Service Unavailable</body></html>", Outcome.UNKNOWN, ""),
        ("", Outcome.UNKNOWN, ""),
    ],
)
def test_http_200_is_judged_by_its_body(local, body, outcome, code):
    local.replies.append(Reply(body))
    result = backend(local).send(MESSAGE)
    assert (result.outcome, result.code) == (outcome, code)


def test_only_the_first_section_counts():
    fields = parse_reply("[1]\nmsgid=1\nstatuscode=1\n[2]\nmsgid=2\nstatuscode=6\n")
    assert fields == {"msgid": "1", "statuscode": "1"}
    assert classify(fields).outcome == Outcome.ACCEPTED


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (503, Outcome.RETRY),
        (429, Outcome.RETRY),
        (401, Outcome.FAILED),
        (500, Outcome.UNKNOWN),
        (504, Outcome.UNKNOWN),
    ],
)
def test_http_errors(local, status, outcome):
    local.replies.append(Reply("error", status=status))
    assert backend(local).send(MESSAGE).outcome == outcome


def test_nothing_listening_is_a_retry():
    gw = LocalGateway()  # bound, never started, then closed: the port refuses connections
    url = gw.url
    gw.server.server_close()
    result = MitakeBackend(url=url, username="u", password="p", timeout=1).send(MESSAGE)
    assert (result.outcome, result.code) == (Outcome.RETRY, "connect")


def test_no_answer_after_sending_is_unknown_not_retry(local):
    """The gateway got the whole request; the answer never came: it may have been sent."""
    local.replies.append(Reply(accepted("77").body, delay=1.5))
    result = backend(local, timeout=0.5).send(MESSAGE)
    assert result.outcome == Outcome.UNKNOWN
    assert len(local.requests) == 1


def test_dropped_connection_after_sending_is_unknown(local):
    local.replies.append(Reply(drop=True))
    assert backend(local).send(MESSAGE).outcome == Outcome.UNKNOWN


def test_a_repeated_client_id_is_not_sent_twice_by_the_gateway(local):
    first, second = backend(local).send(MESSAGE), backend(local).send(MESSAGE)
    assert first.outcome == second.outcome == Outcome.ACCEPTED
    assert first.provider_id == second.provider_id
    assert len(local.requests) == 2 and len(local.sent) == 1


def test_logs_show_the_masked_number_only(local, caplog):
    with caplog.at_level(logging.INFO, logger="cases.sms"):
        backend(local).send(MESSAGE)
    assert "*******678" in caplog.text
    assert "0912345678" not in caplog.text and MESSAGE.body not in caplog.text
    assert "secret-pw" not in caplog.text
