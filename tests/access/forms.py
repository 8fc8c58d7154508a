"""Access-matrix rows of the idle warning's endpoints (issue 18, cases/session_views.py).

Every signed-in user may ask how long is left and say 繼續工作 (a user without a role too: the page
they are on still times out); an anonymous caller is sent to sign in.
"""

from __future__ import annotations

__all__: list[str] = []

RECORD: dict[str, str] = {}
RECORD_FIXTURES: dict[str, str] = {}
POST_DATA: dict = {}
POST_ONLY = ["cases:session_keepalive"]

LOGIN = "login"  # as in tests/test_access_matrix.py

# fmt: off
MATRIX: list[tuple] = [
    # url name                  method  anon   hotline worker  worker2 police  police2 superv  admin   nobody
    ("cases:session_status",    "GET",  LOGIN, 200,    200,    200,    200,    200,    200,    200,    200),
    ("cases:session_keepalive", "POST", LOGIN, 200,    200,    200,    200,    200,    200,    200,    200),
]
# fmt: on
