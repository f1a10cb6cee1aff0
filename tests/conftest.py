"""Shared fixtures: the real data directory (../shared/data/codesets) and our own small fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from openrcm.codesets import CodeSets
from openrcm.codesets.datadir import resolve_data_dir
from openrcm.core.errors import DataDirectoryError

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    try:
        return resolve_data_dir()
    except DataDirectoryError as exc:
        pytest.skip(f"no code-set data directory: {exc}")


@pytest.fixture(scope="session")
def code_sets(data_dir: Path) -> CodeSets:
    return CodeSets(data_dir)


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES
