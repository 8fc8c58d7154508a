"""Access-matrix rows of the health endpoints (config/health.py): open to everyone, no record, no data.

The probes of a load balancer or process manager carry no session; a signed-in user gets the same answer.
"""

from __future__ import annotations

RECORD: dict[str, str] = {}
RECORD_FIXTURES: dict[str, str] = {}
POST_DATA: dict = {}

# fmt: off
MATRIX: list[tuple] = [
    # url name    method  anon  hotline worker worker2 police police2 superv admin nobody
    ("healthz",   "GET",  200,  200,    200,   200,    200,   200,    200,   200,  200),
    ("readyz",    "GET",  200,  200,    200,   200,    200,   200,    200,   200,  200),
]
# fmt: on
