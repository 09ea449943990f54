"""Fixtures of the orchestration tests: the session's real Prefect server."""

from __future__ import annotations

import pytest
from prefect_harness import PrefectServer, shared_server


@pytest.fixture(scope="session")
def prefect_server() -> PrefectServer:
    return shared_server()
