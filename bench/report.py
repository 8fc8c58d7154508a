"""Writes a measured table into its marked section of docs/benchmarks.md (`make bench`).

A section is everything between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`; the text
around it is left alone, so the prose that explains the numbers stays written by hand.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from django.conf import settings


def benchmarks_doc() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "benchmarks.md"


def replace_section(path: Path, name: str, body: str) -> None:
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    text = path.read_text(encoding="utf-8")
    if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
        raise ValueError(f"{path.name} needs exactly one {start} … {end} section")
    before, rest = text.split(start)
    _, after = rest.split(end)
    path.write_text(f"{before}{start}\n{body.strip()}\n{end}{after}", encoding="utf-8")


def load_average() -> str:
    """`uptime`'s load averages (1, 5, 15 minutes), to read any wall-clock number beside."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def git_commit() -> str:
    """The commit measured, and whether the work tree differed from it (then the numbers are of both)."""

    def git(*args: str) -> str:
        try:
            out = subprocess.run(
                ["git", *args], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=10, check=False
            )
        except OSError:
            return ""
        return out.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "?"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " plus uncommitted changes"
    return commit


def markdown_table(headers: tuple[str, ...], rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
