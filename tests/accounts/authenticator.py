"""A software passkey: an EC P-256 key pair and the bytes a browser and authenticator would send.

Registration: attestation format "none" (authenticator data with the attested credential and its COSE
key). Authentication: authenticator data, clientDataJSON and an ECDSA-SHA256 signature over both, as the
WebAuthn spec (§6.1, §7.2) lays them out. Nothing is mocked on the server side: what is built here is
verified by py_webauthn as a real passkey would be.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

RP_ID = "testserver"  # config/settings_test.py
ORIGIN = "http://testserver"

FLAG_USER_PRESENT = 0x01
FLAG_USER_VERIFIED = 0x04
FLAG_ATTESTED_DATA = 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class SoftAuthenticator:
    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.sign_count = 0

    def _cose_public_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        # kty EC2, alg ES256, crv P-256, x, y
        return cbor2.dumps(
            {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
        )

    def _authenticator_data(self, *, rp_id: str, flags: int, attested: bool) -> bytes:
        data = hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + self.sign_count.to_bytes(4, "big")
        if attested:
            aaguid = bytes(16)
            cred_id = self.credential_id
            data += aaguid + len(cred_id).to_bytes(2, "big") + cred_id + self._cose_public_key()
        return data

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}
        ).encode()

    def _ids(self) -> dict:
        return {"id": b64url(self.credential_id), "rawId": b64url(self.credential_id), "type": "public-key"}

    def create(self, options: dict, *, origin: str = ORIGIN, rp_id: str | None = None) -> dict:
        """navigator.credentials.create(): the registration answer to the server's options."""
        rp_id = rp_id or options["rp"]["id"]
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        flags = FLAG_USER_PRESENT | FLAG_USER_VERIFIED | FLAG_ATTESTED_DATA
        auth_data = self._authenticator_data(rp_id=rp_id, flags=flags, attested=True)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return {
            **self._ids(),
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        }

    def get(
        self,
        options: dict,
        *,
        origin: str = ORIGIN,
        rp_id: str | None = None,
        sign_count: int | None = None,
        forge: bool = False,
    ) -> dict:
        """navigator.credentials.get(): an assertion over the server's challenge.

        Each call counts up like an authenticator does, unless `sign_count` says otherwise. `forge` signs
        with a different key, as someone who copied the credential id but not the private key would.
        """
        self.sign_count = self.sign_count + 1 if sign_count is None else sign_count
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        flags = FLAG_USER_PRESENT | FLAG_USER_VERIFIED
        auth_data = self._authenticator_data(rp_id=rp_id or options["rpId"], flags=flags, attested=False)
        signer = ec.generate_private_key(ec.SECP256R1()) if forge else self.key
        signature = signer.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {
            **self._ids(),
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
            },
            "clientExtensionResults": {},
        }


def register_passkey(user, *, name: str = "辦公室電腦") -> tuple[SoftAuthenticator, object]:
    """A passkey of `user` made through the real services (for fixtures: tests of other pages)."""
    from accounts import services

    request = RequestFactory().post("/", HTTP_HOST=RP_ID)
    request.session = SessionStore()
    request.user = user
    authenticator = SoftAuthenticator()
    options = services.passkey_registration_options(request=request, user=user)
    credential = services.passkey_register(
        request=request, user=user, data=authenticator.create(options), name=name
    )
    assert credential is not None
    return authenticator, credential
