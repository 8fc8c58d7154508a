"""What a backend is given and what it answers: shared by every backend and the outbox."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Outcome(enum.StrEnum):
    ACCEPTED = "accepted"  # the provider took it
    RETRY = "retry"  # certainly not taken (no connection, provider busy): try again later
    FAILED = "failed"  # refused for good (bad number, account problem): a person must look
    UNKNOWN = "unknown"  # the request went out but the answer is lost or unreadable: may have been sent


@dataclass(frozen=True)
class Outgoing:
    to: str  # a normalised mobile number, 09xxxxxxxx
    body: str
    client_id: str  # the outbox row's idempotency key; the gateway's client message id


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    provider_id: str = ""
    code: str = ""
    reason: str = ""  # for staff and logs: never the number or the text
