"""Search tests run on the Whoosh backend, and on the PostgreSQL backend when the suite runs on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import PG_URL, running_app

BACKENDS = ["whoosh", pytest.param("postgres", marks=pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL"))]


@pytest.fixture(params=BACKENDS)
def backend_name(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def app(database_url: str, tmp_path: Path, backend_name: str) -> Iterator[Flask]:
    with running_app(database_url, tmp_path, SEARCH_BACKEND=backend_name) as application:
        yield application


@pytest.fixture
def app_without_indexer(database_url: str, tmp_path: Path, backend_name: str) -> Iterator[Flask]:
    """A server that dies between committing a publish and updating the index, every time."""
    with running_app(database_url, tmp_path, SEARCH_BACKEND=backend_name, SEARCH_INDEX_AFTER_COMMIT=False) as app:
        yield app
