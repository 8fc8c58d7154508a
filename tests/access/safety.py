"""Access-matrix rows of the safety app (see tests/access/__init__.py)."""

from __future__ import annotations

__all__: list[str] = []  # the fixtures below, so tests/conftest.py makes them visible to the matrix

RECORD: dict[str, str] = {}
RECORD_FIXTURES: dict[str, str] = {}
POST_DATA: dict = {}

# fmt: off
MATRIX: list[tuple] = [
    # url name                 method  anon    hotline worker  worker2 police  police2 superv  admin   nobody
]
# fmt: on
