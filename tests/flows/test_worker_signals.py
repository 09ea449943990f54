"""A process worker started as the README says stops cleanly on SIGTERM (what systemd, docker stop
and Kubernetes send), within a bounded wait, and says so in its log."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.flows.test_flows_deployments import POOL, prefect
from tests.prefect_harness import BIN, PrefectServer

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

REPO_ROOT = Path(__file__).resolve().parents[2]
ONLINE_WITHIN_S = 120
STOPS_WITHIN_S = 15  # docker stop's grace period is 10 s, systemd's 90 s


def online_workers(server: PrefectServer) -> list[str]:
    response = httpx.post(f"{server.api_url}/work_pools/{POOL}/workers/filter", json={}, timeout=10)
    response.raise_for_status()
    return [worker["name"] for worker in response.json() if worker.get("status") == "ONLINE"]


def test_worker_stops_cleanly_on_sigterm(prefect_server: PrefectServer, tmp_path: Path) -> None:
    env = prefect_server.client_env(MINUTES_DATA_DIR=str(tmp_path / "data"))
    prefect(env, "work-pool", "create", POOL, "--type", "process", "--overwrite")
    name = f"sigterm-{tmp_path.name}"
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen([str(BIN / "prefect"), "worker", "start", "--pool", POOL, "--name", name],
                                  env=env, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        deadline = time.monotonic() + ONLINE_WITHIN_S
        while name not in online_workers(prefect_server) and time.monotonic() < deadline:
            assert worker.poll() is None, log.read_text()
            time.sleep(1)
        assert name in online_workers(prefect_server), log.read_text()

        worker.send_signal(signal.SIGTERM)
        try:
            code = worker.wait(timeout=STOPS_WITHIN_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the worker ignored SIGTERM for {STOPS_WITHIN_S} s:\n{log.read_text()[-3000:]}")
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=10)
    output = log.read_text(errors="replace")
    assert code == 0, output[-3000:]
    assert "Traceback" not in output and "telemetry" not in output.lower(), output[-3000:]
    assert "Received SIGTERM" in output
