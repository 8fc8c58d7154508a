"""Fixtures of the SMS tests: the file backend, a real local gateway, consenting victims."""

from __future__ import annotations

import pytest

from cases.sms.backends import read_file_outbox
from cases.sms.localgateway import LocalGateway
from cases.writes import model_save


@pytest.fixture(autouse=True)
def sms_settings(settings, tmp_path):
    """File backend in a temp dir; no quiet hours unless a test turns them on; no callback secret."""
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    settings.SMS_QUIET_HOURS_START = settings.SMS_QUIET_HOURS_END = "00:00"
    settings.SMS_CALLBACK_SECRET = ""
    return settings


@pytest.fixture
def phone_outbox(settings):
    """What the file backend 'sent' (to, body, client_id)."""
    return lambda: read_file_outbox(settings.SMS_FILE_PATH)


@pytest.fixture
def gateway(settings):
    """A real HTTP server on 127.0.0.1 speaking the Mitake reply format; SMS_BACKEND points at it."""
    with LocalGateway() as gw:
        settings.SMS_BACKEND = "mitake"
        settings.SMS_GATEWAY_URL = gw.url
        settings.SMS_GATEWAY_USERNAME = "ncii-test"
        settings.SMS_GATEWAY_PASSWORD = "ncii-test-password"
        settings.SMS_GATEWAY_TIMEOUT = 2.0
        yield gw


@pytest.fixture
def consenting_case(hotline, worker):
    """A case dispatched to `worker` whose victim agreed to SMS."""
    from tests.factories import make_case

    case = make_case(actor=hotline, worker=worker, victim_phone="0912345678")
    victim = case.victim
    victim.sms_consent = True
    model_save(actor=worker, instance=victim, update_fields=["sms_consent"])
    return case
