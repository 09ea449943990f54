"""prefect.yaml end to end: deploy, trigger nightly and a parameterised backfill, run a process worker.

Everything real: a Prefect server on 127.0.0.1, `prefect deploy` from the project folder, the
process worker running both flow runs in subprocesses against the bundled demo source, and the
DuckDB warehouse they publish.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import httpx
import pytest

from extract.datadir import DataDir
from load.query import run_query
from tests.prefect_harness import BIN, PrefectServer

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parents[2]
POOL = "process"
FINAL_STATES = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def prefect(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    done = subprocess.run([str(BIN / "prefect"), *args], env=env, cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"prefect {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def created_run_id(output: str) -> str:
    found = re.search(r"UUID:\s*([0-9a-f-]{36})", output)
    assert found, f"no flow run id in:\n{output}"
    return found.group(1)


def flow_run(server: PrefectServer, run_id: str) -> dict:
    response = httpx.get(f"{server.api_url}/flow_runs/{run_id}", timeout=10)
    response.raise_for_status()
    return response.json()


def test_deployed_nightly_and_backfill_complete_on_a_process_worker(
        prefect_server: PrefectServer, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = prefect_server.client_env(MINUTES_DATA_DIR=str(data_dir))
    env.pop("MINUTES_SOURCE", None)  # the flows fall back to the demo source

    prefect(env, "work-pool", "create", POOL, "--type", "process", "--overwrite")
    deployed = prefect(env, "--no-prompt", "deploy", "--all")
    assert "nightly/nightly" in deployed and "backfill/backfill" in deployed

    nightly_id = created_run_id(prefect(env, "deployment", "run", "nightly/nightly"))
    backfill_id = created_run_id(prefect(env, "deployment", "run", "backfill/backfill",
                                         "-p", "since=2020-01-01", "-p", "until=2035-12-31"))
    assert flow_run(prefect_server, backfill_id)["parameters"]["since"] == "2020-01-01"

    runs: dict[str, dict] = {}
    for _ in range(3):  # a run created a moment late is picked up by the next poll
        prefect(env, "worker", "start", "--pool", POOL, "--run-once", "--limit", "2", timeout=600)
        runs = {run_id: flow_run(prefect_server, run_id) for run_id in (nightly_id, backfill_id)}
        if all(run["state_type"] in FINAL_STATES for run in runs.values()):
            break
    states = {runs[run_id]["state_type"] for run_id in runs}
    assert states == {"COMPLETED"}, {run_id: run["state"] for run_id, run in runs.items()}

    # Both runs left their `runs` row, and the documents they loaded are in the warehouse.
    _, rows = run_query(DataDir(data_dir), "SELECT run_id, flow, status, docs_discovered FROM runs")
    by_id = {row[0]: row for row in rows}
    assert by_id[nightly_id][1:3] == ("nightly", "completed")
    assert by_id[backfill_id][1:3] == ("backfill", "completed")
    assert by_id[backfill_id][3] > 0
    _, counts = run_query(DataDir(data_dir),
                          "SELECT count(*), count(*) FILTER (WHERE status = 'parsed') FROM documents")
    total, parsed = counts[0]
    assert total > 0 and parsed == total  # every demo document, its scan too (read by OCR)
    _, scanned = run_query(DataDir(data_dir), "SELECT count(DISTINCT doc_id) FROM paragraphs WHERE ocr")
    assert scanned == [(1,)]
    _, meetings = run_query(DataDir(data_dir), "SELECT count(*) FROM meetings")
    assert meetings[0][0] == parsed

    # Each run left its summary artifacts: a markdown summary and the documents table.
    for run_id in (nightly_id, backfill_id):
        artifacts = httpx.post(f"{prefect_server.api_url}/artifacts/filter", timeout=10,
                               json={"artifacts": {"flow_run_id": {"any_": [run_id]}}}).json()
        kinds = {artifact["key"]: artifact for artifact in artifacts}
        assert "minutes-run-summary" in kinds and "parsed" in kinds["minutes-run-summary"]["data"]
    backfill_docs = httpx.post(f"{prefect_server.api_url}/artifacts/filter", timeout=10, json={
        "artifacts": {"flow_run_id": {"any_": [backfill_id]}, "key": {"any_": ["minutes-documents"]}}}).json()
    assert backfill_docs and "quarantined" not in str(backfill_docs[0]["data"])  # the scan is parsed
