"""Fixtures of the CLI tests: the `minutes` console script and the session's real Prefect server."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The Prefect server harness lives with the flow tests; one server serves both folders.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "flows"))
from prefect_harness import PrefectServer, shared_server

MINUTES = Path(sys.executable).parent / "minutes"


@pytest.fixture(scope="session")
def prefect_server() -> PrefectServer:
    return shared_server()
