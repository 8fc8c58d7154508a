"""Demo records of the sign-in side (seed_demo): an enrolled authenticator and a passkey, account change
requests (one waiting for a supervisor, one decided) and a locked-out mistyped account name."""

from __future__ import annotations

import os

import cbor2
from cryptography.hazmat.primitives.asymmetric import ec
from django.contrib.auth import get_user_model
from django.utils import timezone


def add_demo_data(*, users: dict, cases: list, rng) -> None:
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp_webauthn.models import WebAuthnCredential

    from accounts import services
    from accounts.models import AccountChangeRequest
    from cases.roles import Role

    # worker2 has an authenticator and recovery codes, as every account will have once two-factor is on.
    # (With DEBUG on, TWO_FACTOR_REQUIRED is off by default: the demo accounts sign in with the password.)
    if not TOTPDevice.objects.filter(user=users["worker2"]).exists():
        TOTPDevice.objects.create(user=users["worker2"], name=services.TOTP_DEVICE_NAME, confirmed=True)
        services.recovery_codes_issue(user=users["worker2"])
    # ...and a passkey next to it (its security page lists it). The key pair is made here and the private
    # half thrown away: a browser cannot sign with it, which a demo passkey never needs.
    if not WebAuthnCredential.objects.filter(user=users["worker2"]).exists():
        WebAuthnCredential.objects.create(
            user=users["worker2"],
            name="辦公室電腦（示範）",
            credential_id=os.urandom(32),
            public_key=_demo_public_key(),
            aaguid="00000000-0000-0000-0000-000000000000",
            transports=["internal"],
            confirmed=True,
        )

    if AccountChangeRequest.objects.exists():
        return
    newcomer, _ = get_user_model().objects.get_or_create(
        username="newcomer", defaults={"first_name": "新進", "last_name": "周"}
    )
    admin, supervisor = users["admin"], users["supervisor"]
    # Waiting: the admin asked to make the newcomer a social worker; a supervisor decides.
    services.account_change_request(actor=admin, target=newcomer, kind="roles", roles=[Role.SOCIAL_WORKER])
    # Decided: the admin set the newcomer's first password; the supervisor approved it.
    password = services.account_change_request(
        actor=admin, target=newcomer, kind="password", raw_password="demo-" + str(rng.random())
    )
    services.account_change_approve(actor=supervisor, change=password, note="新進人員報到，已核對身分。")
    # A mistyped account name, locked after five wrong passwords from a documentation address.
    AccessAttempt.objects.get_or_create(
        username="wroker",
        ip_address="203.0.113.7",
        user_agent="Mozilla/5.0",
        defaults={
            "attempt_time": timezone.now(),
            "failures_since_start": 5,
            "get_data": "",
            "post_data": "",
            "http_accept": "text/html",
            "path_info": "/login/",
        },
    )


def _demo_public_key() -> bytes:
    """A P-256 public key as COSE (kty EC2, alg ES256, crv P-256), the form WebAuthn stores."""
    numbers = ec.generate_private_key(ec.SECP256R1()).public_key().public_numbers()
    return cbor2.dumps(
        {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
    )
