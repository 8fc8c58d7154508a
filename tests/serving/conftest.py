"""Fixtures of the serving tests: the collected static files gunicorn serves, the role groups."""

from __future__ import annotations

import pytest

from tests.serving.harness import collect_static


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """`collectstatic` once per run: production storage needs its manifest of hashed names."""
    target = tmp_path_factory.mktemp("static")
    collect_static(target)
    return target
