"""`make faults`: every fault drill, one line each (PASS/FAIL <fault>: <numbers>), exit 1 on any FAIL.

    python -m ops.faults.run                      # all four
    python -m ops.faults.run pg_restart redis_stop

Each drill runs in its own process with its own private PostgreSQL, Redis, gateway and app
processes (ops/faults/harness.py); their progress goes to stderr, the verdict lines to stdout.
"""

from __future__ import annotations

import subprocess
import sys
import time

from ops.faults.harness import PYTHON, ROOT

FAULTS = ("pg_restart", "redis_stop", "worker_kill", "double_beat")


def main(argv: list[str]) -> int:
    chosen = argv or list(FAULTS)
    unknown = [name for name in chosen if name not in FAULTS]
    if unknown:
        print(f"unknown fault(s): {', '.join(unknown)}; choose from {', '.join(FAULTS)}", file=sys.stderr)
        return 2
    lines, failed = [], False
    for name in chosen:
        started = time.monotonic()
        done = subprocess.run(
            [PYTHON, "-m", f"ops.faults.{name}"], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        verdict = (done.stdout.strip().splitlines() or [f"FAIL {name}: no verdict"])[-1]
        if done.returncode != 0 and not verdict.startswith("FAIL"):
            verdict = f"FAIL {name}: exit {done.returncode}"
        failed |= not verdict.startswith("PASS")
        lines.append(f"{verdict} ({time.monotonic() - started:.0f} s)")
        print(lines[-1], flush=True)
    if len(lines) > 1:
        print("\n".join(["", "summary:", *lines]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
