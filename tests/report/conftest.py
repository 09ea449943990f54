from __future__ import annotations

import pytest

from extract.datadir import DataDir
from tests.report.demo_warehouse import build_demo_warehouse


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory: pytest.TempPathFactory) -> DataDir:
    """The demo corpus's warehouse and raw store (26 documents); tests only read it."""
    return build_demo_warehouse(tmp_path_factory.mktemp("report") / "data")
