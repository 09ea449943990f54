"""`minutes ingest` as a user runs it on a machine without a Prefect server: Prefect's ephemeral
server, extraction across worker processes, and still nothing on stderr but errors."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import MINUTES

pytestmark = pytest.mark.integration

SEEDS = Path(__file__).resolve().parents[2] / "minutes_etl" / "demo" / "seeds"


def test_ingest_a_folder_in_worker_processes_on_the_ephemeral_server(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    env.update({
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "MINUTES_DATA_DIR": str(tmp_path / "data"),
        "MINUTES_PARALLEL_MIN_DOCUMENTS": "2",  # the process pool even for this small folder
    })
    done = subprocess.run([str(MINUTES), "ingest", str(SEEDS)], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    # No start-up/shutdown lines from the ephemeral server, none from the pool's workers (which must
    # use the run's server, not start their own).
    assert done.stderr == ""
    # The four .txt files of the folder: two seeds as extracted, two already normalized.
    assert "extracted: 4" in done.stdout and "parsed: 4" in done.stdout

    again = subprocess.run([str(MINUTES), "ingest", str(SEEDS)], env=env, capture_output=True, text=True,
                           timeout=300, check=False)
    assert again.returncode == 0, again.stderr
    assert "extracted: 0" in again.stdout and "reused from cache: 4" in again.stdout

    rows = subprocess.run([str(MINUTES), "sql", "SELECT count(*) AS n FROM documents", "--format", "csv"],
                          env=env, capture_output=True, text=True, timeout=60, check=False)
    assert rows.stdout.splitlines() == ["n", "4"]
