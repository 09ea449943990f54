"""Fixtures of the load tests: a fresh data directory.

`load_corpus` (this folder's helper) is importable as a top-level module because pytest's default
import mode puts the folder of a test file without `__init__.py` on sys.path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.datadir import DataDir


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path / "data")
