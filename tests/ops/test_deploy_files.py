"""deploy/systemd: the units docs/runbook.md installs run the right process, as a user that is not root,
hardened, with the settings of the one EnvironmentFile; the example environment names every variable the
settings require."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"
HARDENING = {
    "NoNewPrivileges": "yes",
    "PrivateTmp": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "CapabilityBoundingSet": "",
    "UMask": "0077",
}


def _service(name: str) -> dict[str, list[str]]:
    """The [Service] section's settings (a key may repeat)."""
    section, found = None, {}
    for line in (UNITS / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line
        elif section == "[Service]":
            key, _, value = line.partition("=")
            found.setdefault(key, []).append(value)
    return found


@pytest.mark.parametrize(
    ("unit", "part"), [("ncii-web", "web"), ("ncii-worker", "worker"), ("ncii-beat", "beat")]
)
def test_each_unit_runs_its_part_of_scripts_prod_as_ncii_hardened(unit, part):
    service = _service(f"{unit}.service")
    assert service["ExecStart"] == [f"/srv/ncii/app/scripts/prod {part}"]
    assert service["User"] == ["ncii"] and service["Group"] == ["ncii"]
    assert service["EnvironmentFile"] == ["/etc/ncii/ncii.env"]
    assert service["RestartPreventExitStatus"] == ["78"]  # config.production's refusal
    for key, value in HARDENING.items():
        assert service.get(key) == [value], key
    # scripts/prod knows the part the unit asks for.
    assert re.search(rf"^\s+{part}\)", (ROOT / "scripts" / "prod").read_text(encoding="utf-8"), re.M)


def test_only_beat_may_write_and_only_its_state_directory():
    assert _service("ncii-beat.service")["StateDirectory"] == ["ncii"]
    for unit in ("ncii-web.service", "ncii-worker.service", "ncii-audit-verify.service"):
        service = _service(unit)
        assert "StateDirectory" not in service and "ReadWritePaths" not in service


def test_the_example_environment_names_every_required_setting_and_no_secret():
    values = {}
    for line in (UNITS / "ncii.env.example").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    for key in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"):
        assert values[key] == "", f"{key} must be generated on the server, never shipped"
    assert values["DEBUG"] == "false"
    assert values["DATABASE_URL"].startswith("postgres://ncii_app:")  # the app role, not the owner
    for key in ("CELERY_BROKER_URL", "CACHE_URL", "ALLOWED_HOSTS", "STATIC_ROOT"):
        assert values[key], key
