"""Fixtures of the load tests: a fresh data directory; load_corpus importable."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # load_corpus, for this folder's tests

from minutes_etl.settings import DataDir


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "data")
