"""The nightly schedule fires: deploy prefect.yaml as a user does, and the server's scheduler creates
SCHEDULED runs at the deployment's real cron, without an ERROR in its log — on SQLite and PostgreSQL.

Everything real: `prefect server start` on 127.0.0.1 (its own, not the session's: its scheduler runs
every few seconds and its log must be this test's alone), `prefect --no-prompt deploy --all` from
the project folder, and for PostgreSQL a scratch cluster started by the test.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.flows.test_flows_deployments import POOL, prefect
from tests.postgres_harness import scratch_postgres
from tests.prefect_harness import PrefectServer, running_server

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]

REPO_ROOT = Path(__file__).resolve().parents[2]
# The main scheduler loop runs every 60 s by default; every 5 s here so the test sees it run
# several times. The deployment keeps its real cron (02:30 Asia/Shanghai).
SCHEDULER_ENV = {
    "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5",
    "PREFECT_SERVER_LOGGING_LEVEL": "INFO",  # the scheduler's "Scheduled N runs." lines
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}
SCHEDULED_WITHIN_S = 180
NIGHTLY_LOCAL_TIME = dt.time(2, 30)
NIGHTLY_ZONE = ZoneInfo("Asia/Shanghai")


@contextmanager
def server_on(backend: str) -> Iterator[PrefectServer]:
    if backend == "sqlite":
        with running_server(SCHEDULER_ENV) as server:
            yield server
        return
    with scratch_postgres() as postgres, running_server(
            {**SCHEDULER_ENV, "PREFECT_API_DATABASE_CONNECTION_URL": postgres.asyncpg_url}) as server:
        yield server


def scheduled_runs(server: PrefectServer, deployment_id: str) -> list[dict]:
    response = httpx.post(f"{server.api_url}/flow_runs/filter", timeout=10, json={
        "deployments": {"id": {"any_": [deployment_id]}},
        "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
    })
    response.raise_for_status()
    return response.json()


def scheduler_passes(log: Path) -> int:
    return len(re.findall(r"Scheduled \d+ runs", log.read_text(errors="replace")))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_deployed_nightly_gets_scheduled_runs_at_its_cron(backend: str, tmp_path: Path) -> None:
    with server_on(backend) as server:
        if backend == "postgresql":  # the server really is on PostgreSQL, not its default SQLite
            assert not list(server.home.glob("*.db"))
        env = server.client_env(MINUTES_DATA_DIR=str(tmp_path / "data"))
        prefect(env, "work-pool", "create", POOL, "--type", "process", "--overwrite")
        prefect(env, "--no-prompt", "deploy", "--all")
        deployment = httpx.get(f"{server.api_url}/deployments/name/nightly/nightly", timeout=10).json()
        assert [schedule["schedule"]["cron"] for schedule in deployment["schedules"]] == ["30 2 * * *"]

        runs: list[dict] = []
        deadline = time.monotonic() + SCHEDULED_WITHIN_S
        while not runs and time.monotonic() < deadline:
            runs = scheduled_runs(server, deployment["id"])
            if not runs:
                time.sleep(2)
        assert runs, f"no SCHEDULED nightly run within {SCHEDULED_WITHIN_S} s:\n" \
                     f"{server.log.read_text(errors='replace')[-3000:]}"

        # Two more scheduler passes after the runs exist: an error in a later pass shows in the log.
        passes = scheduler_passes(server.log)
        while scheduler_passes(server.log) < passes + 2 and time.monotonic() < deadline + 60:
            time.sleep(1)
        log = server.log.read_text(errors="replace")
        assert scheduler_passes(server.log) >= passes + 2, log[-3000:]

    errors = [line for line in log.splitlines() if re.search(r"\bERROR\b", line)]
    assert errors == [], "\n".join(errors[:10])
    assert len(runs) >= 3  # the scheduler's minimum number of future runs
    for run in runs:
        start = dt.datetime.fromisoformat(run["expected_start_time"]).astimezone(NIGHTLY_ZONE)
        assert start.time() == NIGHTLY_LOCAL_TIME, run["expected_start_time"]
        assert run["auto_scheduled"] is True
    starts = sorted(dt.datetime.fromisoformat(run["expected_start_time"]) for run in runs)
    assert all(later - earlier == dt.timedelta(days=1) for earlier, later in itertools.pairwise(starts))
