"""The load test's accounts and its report (manage.py bench_load; docs/benchmarks.md "Load").

The simulated staff sign in as the bench users, with both factors, as production requires. For the run
only, each gets one random password (hashed once and shared, so preparing 50 accounts costs one PBKDF2)
and a fresh authenticator (a confirmed TOTP device); afterwards the password is unusable again and the
device is deleted, so between runs nobody can sign in as a bench user.
"""

from __future__ import annotations

import csv
import ipaddress
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from bench.report import markdown_table
from bench.seed import USER_PREFIX
from cases.roles import Role

# Shares of the simulated staff per role (hotline, social workers, supervisors, police).
MIX_SHARES = {"hotline": 0.2, "worker": 0.5, "supervisor": 0.1, "police": 0.2}
ROLE_OF = {
    "hotline": Role.HOTLINE,
    "worker": Role.SOCIAL_WORKER,
    "supervisor": Role.SUPERVISOR,
    "police": Role.POLICE,
}
DEVICE_NAME = "負載測試"
LOOPBACK = "127.0.0.1"


def mix(users: int) -> dict[str, int]:
    """Users per role, at least one each, summing to `users` (largest remainders)."""
    if users < len(MIX_SHARES):
        raise ValueError(f"need at least {len(MIX_SHARES)} users, one per role")
    exact = {role: share * users for role, share in MIX_SHARES.items()}
    counts = {role: max(1, int(value)) for role, value in exact.items()}
    for role in sorted(exact, key=lambda r: exact[r] - counts[r], reverse=True):  # the most short first
        if sum(counts.values()) >= users:
            break
        counts[role] += 1
    while sum(counts.values()) > users:
        biggest = max(counts, key=counts.get)
        counts[biggest] -= 1
    return counts


def usernames(role: str, n: int) -> list[str]:
    """bench_hotline, bench_hotline02, …; bench_worker01, …: the bench's own users first."""
    if role in ("worker", "police"):
        return [f"{USER_PREFIX}{role}{i:02d}" for i in range(1, n + 1)]
    return [f"{USER_PREFIX}{role}"] + [f"{USER_PREFIX}{role}{i:02d}" for i in range(2, n + 1)]


@transaction.atomic
def accounts_open(counts: dict[str, int]) -> dict[str, list[dict]]:
    """Sign-in details for the run: role -> [{username, password, totp_key}]; missing users are made."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    User = get_user_model()
    password = secrets.token_urlsafe(24)
    hashed = make_password(password)
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    out: dict[str, list[dict]] = {}
    for role, n in counts.items():
        out[role] = []
        for username in usernames(role, n):
            user, created = User.objects.get_or_create(username=username, defaults={"first_name": "負載"})
            if created:
                user.groups.set([groups[ROLE_OF[role]]])
            user.password = hashed
            user.is_active = True
            user.save(update_fields=["password", "is_active"])
            TOTPDevice.objects.filter(user=user).delete()
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
            out[role].append({"username": username, "password": password, "totp_key": device.key})
    _forget_failures([a["username"] for pool in out.values() for a in pool])
    return out


@transaction.atomic
def accounts_close(names: list[str]) -> None:
    """No usable password and no authenticator: the bench users are sign-in-proof again."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    User = get_user_model()
    TOTPDevice.objects.filter(user__username__in=names).delete()
    User.objects.filter(username__in=names).update(password=make_password(None))


def _forget_failures(names: list[str]) -> None:
    from axes.models import AccessAttempt

    AccessAttempt.objects.filter(username__in=names).delete()


@dataclass
class PageStats:
    name: str
    requests: int
    failures: int
    p50: float
    p95: float
    rps: float


def read_stats(csv_prefix: Path) -> tuple[list[PageStats], PageStats, list[tuple[str, str, int]]]:
    """Locust's --csv files: per-page rows, the aggregated row, and the errors (name, error, count): failed
    requests and exceptions in the journeys."""
    pages, total = [], None
    with open(f"{csv_prefix}_stats.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            stats = PageStats(
                name=row["Name"],
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                p50=float(row["50%"] or 0),
                p95=float(row["95%"] or 0),
                rps=float(row["Requests/s"] or 0),
            )
            if row["Name"] == "Aggregated":
                total = stats
            else:
                pages.append(stats)
    failures = []
    failures_csv = Path(f"{csv_prefix}_failures.csv")
    if failures_csv.exists():
        with failures_csv.open(encoding="utf-8") as fh:
            failures = [(r["Name"], r["Error"], int(r["Occurrences"])) for r in csv.DictReader(fh)]
    # An exception in a journey (a page without the form it should have) is an error too, not a request.
    exceptions_csv = Path(f"{csv_prefix}_exceptions.csv")
    if exceptions_csv.exists():
        with exceptions_csv.open(encoding="utf-8") as fh:
            failures += [("exception", r["Message"], int(r["Count"])) for r in csv.DictReader(fh)]
    if total is None:
        raise ValueError("locust wrote no aggregated row: did the run start?")
    return sorted(pages, key=lambda p: p.name), total, failures


def table(pages: list[PageStats], total: PageStats) -> str:
    rows = [
        (p.name, f"{p.requests:,}", p.failures, f"{p.rps:.2f}", f"{p.p50:,.0f}", f"{p.p95:,.0f}")
        for p in pages
    ]
    rows.append(
        (
            "**all requests**",
            f"{total.requests:,}",
            total.failures,
            f"{total.rps:.2f}",
            f"{total.p50:,.0f}",
            f"{total.p95:,.0f}",
        )
    )
    return markdown_table(("page", "requests", "errors", "req/s", "p50 ms", "p95 ms"), rows)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 only, valid for a day: gunicorn serves the run over TLS, as production's
    proxy does, so secure cookies, HSTS and the CSRF origin check behave as they do there."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOOPBACK))]), False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.touch(mode=0o600)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path
