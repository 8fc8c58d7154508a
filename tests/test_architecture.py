"""The hub and its satellites depend one way (docs/architecture.md).

import-linter checks the contracts in pyproject.toml (the hub imports no satellite; satellites do not
import each other); `make test` runs it before pytest and this test runs it too. Satellites use only
the hub's public names: no `from cases... import _private`.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SATELLITES = ["referrals", "services", "legal", "evidence", "takedown", "safety", "bench"]


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def private_hub_imports(tree: ast.AST) -> list[str]:
    """`from cases.x import _y` or `cases.x._y` attribute use after `import cases.x`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "cases":
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    return found


def test_the_private_name_check_can_fail():
    tree = ast.parse("from cases.services import _save\nfrom cases.writes import model_save\n")
    assert private_hub_imports(tree) == ["cases.services._save"]


def test_satellites_use_only_the_hubs_public_names():
    offenders = {}
    for app in SATELLITES:
        for path in (ROOT / app).rglob("*.py"):
            found = private_hub_imports(ast.parse(path.read_text(encoding="utf-8")))
            if found:
                offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}
