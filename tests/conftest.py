"""Session-wide test setup.

Prefect reads its settings at import, so the environment is fixed here, before any test
module imports prefect: a private PREFECT_HOME, no telemetry, no UI, and a start-up timeout
long enough for this machine (the ephemeral server takes 11-30 s to start).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

_PREFECT_HOME = Path(tempfile.mkdtemp(prefix="minutes-prefect-home-"))
os.environ.setdefault("PREFECT_HOME", str(_PREFECT_HOME))
os.environ["DO_NOT_TRACK"] = "1"
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_SERVER_UI_ENABLED"] = "false"
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "90"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# `minutes` keeps its background Prefect server here: one for the session, stopped at its end.
_STATE_DIR = Path(tempfile.mkdtemp(prefix="minutes-state-"))
os.environ["MINUTES_STATE_DIR"] = str(_STATE_DIR)
os.environ.pop("MINUTES_PREFECT_SERVER", None)
# Tests never reach beyond this machine.
os.environ["NO_PROXY"] = "127.0.0.1,localhost"

SEEDS_DIR = REPO_ROOT / "demo" / "seeds"


# The session's real Prefect server (tests/prefect_harness.py), shared by tests/flows and tests/cli
# and by `minutes` commands the tests run without PREFECT_API_URL: started on first use.
import pytest  # noqa: E402

from minutes_etl import prefect_server as background  # noqa: E402
from tests.prefect_harness import PrefectServer, shared_server  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _background_server_stops_with_the_session() -> Iterator[None]:
    yield
    background.stop(_STATE_DIR, force=True)


@pytest.fixture(scope="session")
def prefect_server() -> PrefectServer:
    return shared_server()
