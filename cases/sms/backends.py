"""Where an SMS goes, chosen by settings.SMS_BACKEND: console (development), file (tests) or mitake.

A backend gets one message (number, text, client id) and answers with an Outcome. It never raises for
a provider problem, and it never logs the number or the text: only the masked number and the client id.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from cases.identifiers import mask_phone
from cases.sms.message import Outcome, Outgoing, SendResult
from cases.sms.mitake import MitakeBackend

logger = logging.getLogger("cases.sms")


class ConsoleBackend:
    """Development: prints the text with the masked number."""

    name = "console"

    def send(self, message: Outgoing) -> SendResult:
        sys.stdout.write(f"[SMS to {mask_phone(message.to)} id={message.client_id}]\n{message.body}\n")
        sys.stdout.flush()
        return SendResult(Outcome.ACCEPTED, provider_id=f"console-{message.client_id}", code="console")


class FileBackend:
    """Tests: one JSON line per message in SMS_FILE_PATH, standing in for the phone network."""

    name = "file"
    _lock = threading.Lock()

    def __init__(self, path: str):
        self.path = Path(path)

    def send(self, message: Outgoing) -> SendResult:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {
                "to": message.to,
                "body": message.body,
                "client_id": message.client_id,
                "at": timezone.now().isoformat(),
            },
            ensure_ascii=False,
        )
        with self._lock, self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
        return SendResult(Outcome.ACCEPTED, provider_id=f"file-{message.client_id}", code="file")


def read_file_outbox(path: str) -> list[dict]:
    """The messages a FileBackend wrote (tests)."""
    file = Path(path)
    if not file.exists():
        return []
    return [json.loads(line) for line in file.read_text(encoding="utf-8").splitlines() if line]


def get_backend():
    name = settings.SMS_BACKEND
    if name == "console":
        return ConsoleBackend()
    if name == "file":
        return FileBackend(settings.SMS_FILE_PATH)
    if name == "mitake":
        return MitakeBackend.from_settings()
    raise ValueError(f"unknown SMS_BACKEND {name!r}")
