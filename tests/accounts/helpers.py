"""Codes as an authenticator app computes them, from the secret the enrolment page shows."""

from __future__ import annotations

import base64

from django_otp.oath import totp


def code_from_secret(secret: str, *, drift: int = 0) -> str:
    padded = secret + "=" * (-len(secret) % 8)
    return f"{totp(base64.b32decode(padded), drift=drift):06d}"


def code_for(device, *, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"
