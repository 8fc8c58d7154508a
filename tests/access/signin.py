"""Access-matrix rows of the accounts app (sign-in, see tests/access/__init__.py).

Everyone signed in manages their own security (recovery codes, password). Supervisors alone lift
lockouts, reset someone's second factor and decide account changes; the administrators who ask for
those changes follow them in the admin site, not here. The second sign-in step (accounts:verify,
accounts:enrol) belongs to login and is outside the table, like login itself (tests/accounts/).
"""

from __future__ import annotations

import pytest

__all__ = ["account_change_of_newcomer", "passkey_of_worker"]

RECORD: dict[str, str] = {
    "accounts:approval_decide": "account_change",
    "accounts:passkey_remove": "passkey_of_worker",
}
RECORD_FIXTURES: dict[str, str] = {
    "account_change": "account_change_of_newcomer",
    "passkey_of_worker": "passkey_of_worker",
}
POST_DATA: dict = {}
POST_ONLY = {
    "accounts:recovery_codes",
    "accounts:unlock",
    "accounts:two_factor_reset",
    "accounts:passkey_add",
}
# Steps of signing in, covered by tests/accounts/test_signin.py and test_passkeys.py.
EXCLUDED = {"accounts:verify", "accounts:enrol", "accounts:passkey_verify", "accounts:passkey_enrol"}

LOGIN = "login"  # as in tests/test_access_matrix.py
GO = "go"

# fmt: off
MATRIX: list[tuple] = [
    # url name                  method  anon    hotline worker  worker2 police  police2 superv  admin   nobody
    ("accounts:security",       "GET",  LOGIN, 200,   200,    200,    200,    200,    200,    200,    200),
    ("accounts:recovery_codes", "POST", LOGIN, 200,   200,    200,    200,    200,    200,    200,    200),
    # The authenticator app next to a passkey (none of these users has one yet).
    ("accounts:totp_add",       "GET",  LOGIN, 200,   200,    200,    200,    200,    200,    200,    200),
    ("accounts:totp_add",       "POST", LOGIN, 200,   200,    200,    200,    200,    200,    200,    200),
    # A passkey: an empty POST answers the options (JSON); removing is for its owner only (worker).
    ("accounts:passkey_add",    "POST", LOGIN, 200,   200,    200,    200,    200,    200,    200,    200),
    ("accounts:passkey_remove", "GET",  LOGIN, 404,   200,    404,    404,    404,    404,    404,    404),
    ("accounts:passkey_remove", "POST", LOGIN, 404,   200,    404,    404,    404,    404,    404,    404),
    # The recovery codes of a passkey enrolment, shown once; with none waiting, back to the security page.
    ("accounts:recovery_codes_new_shown", "GET", LOGIN, GO, GO, GO,     GO,     GO,     GO,     GO,     GO),
    ("accounts:password_change", "GET", LOGIN, 200,   200,    200,    200,    200,    200,    200,    200),
    ("accounts:password_change", "POST", LOGIN, 200,  200,    200,    200,    200,    200,    200,    200),
    ("accounts:lockouts",       "GET",  LOGIN, 403,   403,    403,    403,    403,    200,    403,    403),
    ("accounts:unlock",         "POST", LOGIN, 403,   403,    403,    403,    403,    GO,     403,    403),
    ("accounts:two_factor_reset", "POST", LOGIN, 403, 403,    403,    403,    403,    GO,     403,    403),
    ("accounts:approvals",      "GET",  LOGIN, 403,   403,    403,    403,    403,    200,    403,    403),
    ("accounts:approval_decide", "GET", LOGIN, 403,   403,    403,    403,    403,    200,    403,    403),
    ("accounts:approval_decide", "POST", LOGIN, 403,  403,    403,    403,    403,    200,    403,    403),
]
# fmt: on


@pytest.fixture
def account_change_of_newcomer(admin_user):
    from accounts import services
    from tests.factories import make_user

    newcomer = make_user("newcomer", None)
    return services.account_change_request(actor=admin_user, target=newcomer, kind="roles", roles=["hotline"])


@pytest.fixture
def passkey_of_worker(worker):
    """The worker's passkey, by the key its URL uses (credential_id_sha256, not the row number)."""
    from types import SimpleNamespace

    from tests.accounts.authenticator import register_passkey

    _, credential = register_passkey(worker)
    return SimpleNamespace(pk=credential.credential_id_sha256)
