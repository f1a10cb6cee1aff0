"""A fresh store per test: on SQLite always, and on PostgreSQL when $OPENRCM_TEST_DATABASE_URL is set.

PostgreSQL tests run in a schema of their own, dropped afterwards, so they never touch other data.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from openrcm.store import Store, open_engine

PG_ENV = "OPENRCM_TEST_DATABASE_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not os.environ.get(PG_ENV), reason=PG_ENV))]


def _pg_url() -> str:
    url = os.environ[PG_ENV]
    return "postgresql+psycopg://" + url.removeprefix("postgresql://") if url.startswith("postgresql://") else url


@pytest.fixture
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'openrcm.sqlite3'}"
        return
    schema = f"openrcm_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_pg_url())
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in _pg_url() else "?"
    try:
        yield f"{_pg_url()}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store(open_engine(store_url))
    yield opened
    opened.close()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store_url" in metafunc.fixturenames:
        metafunc.parametrize("store_url", BACKENDS, indirect=True)
