"""The scaled-out set-up end to end, every part real and on 127.0.0.1: a Prefect server, a Dask
scheduler with two workers (separate processes), a SeaweedFS S3 server. `minutes backfill` of the
demo through them must give the warehouse a plain local backfill gives, row for row."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client

from extract.datadir import DataDir
from load.lake import lake_files
from load.query import run_query
from tests.helpers import MINUTES
from tests.prefect_harness import PrefectServer
from tests.scale.services import DaskCluster, S3Server, dask_cluster
from tests.scale.warehouse_rows import warehouse_rows

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]
BACKFILL_TIMEOUT = 300


@pytest.fixture(scope="module")
def store_env(s3_server: S3Server) -> dict[str, str]:
    return s3_server.env("backfill")


@pytest.fixture(scope="module")
def cluster(prefect_server: PrefectServer, store_env: dict[str, str],
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[DaskCluster]:
    """Two workers with what any worker needs: the flow's Prefect API and the object store's keys."""
    worker_env = prefect_server.client_env(**store_env)
    worker_env["PREFECT_HOME"] = str(tmp_path_factory.mktemp("dask-prefect-home"))
    with dask_cluster(2, worker_env, tmp_path_factory.mktemp("dask")) as running:
        yield running


def _backfill(env: dict[str, str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(MINUTES), "--data-dir", str(data_dir), "backfill"], env=env,
                          capture_output=True, text=True, timeout=BACKFILL_TIMEOUT, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return done


def _tasks_per_worker(address: str) -> dict[str, int]:
    with Client(address, timeout=30) as client:
        return client.run(lambda dask_worker: dask_worker.state.executed_count)


def test_a_backfill_on_dask_and_s3_equals_a_local_backfill(
        prefect_server: PrefectServer, store_env: dict[str, str], cluster: DaskCluster,
        s3_server: S3Server, tmp_path: Path) -> None:
    local_dir, scaled_dir = tmp_path / "local", tmp_path / "scaled"
    _backfill(prefect_server.client_env(), local_dir)
    assert (local_dir / "raw").is_dir() and (local_dir / "lake").is_dir()

    before = _tasks_per_worker(cluster.address)
    _backfill(prefect_server.client_env(MINUTES_DASK_ADDRESS=cluster.address, **store_env), scaled_dir)

    # Extraction ran on the cluster, on both workers.
    after = _tasks_per_worker(cluster.address)
    assert len(after) == 2 and all(after[worker] > before.get(worker, 0) for worker in after), after
    # raw/ and lake/ went to S3; the manifest and the warehouse stayed in the data directory.
    assert not (scaled_dir / "raw").exists() and not (scaled_dir / "lake").exists()
    assert (scaled_dir / "manifest.sqlite").is_file() and (scaled_dir / "warehouse.duckdb").is_file()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in store_env.items():
            patch.setenv(name, value)
        store = DataDir(scaled_dir)
        raw_objects = store.raw_store.files()
        committed = lake_files(store.lake_store, "documents")
    documents = run_query(DataDir(scaled_dir), "SELECT count(*) FROM documents")[1][0][0]
    assert documents > 10
    assert len(raw_objects) == documents and committed

    local, scaled = warehouse_rows(DataDir(local_dir)), warehouse_rows(DataDir(scaled_dir))
    assert set(local) == set(scaled)
    for table in local:
        assert scaled[table] == local[table], f"{table} differs between the local and the scaled run"
    assert sum(len(rows) for rows in local.values()) > documents * 10  # the comparison covered real rows


def test_dask_without_a_prefect_server_is_a_one_line_error(cluster: DaskCluster, tmp_path: Path) -> None:
    """With Prefect's temporary in-process server (no PREFECT_API_URL), workers could report nowhere:
    say what to set, fetch nothing."""
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    env["MINUTES_PREFECT_SERVER"] = "ephemeral"
    env["MINUTES_DASK_ADDRESS"] = cluster.address
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    done = subprocess.run([str(MINUTES), "--data-dir", str(tmp_path / "data"), "backfill"], env=env,
                          capture_output=True, text=True, timeout=BACKFILL_TIMEOUT, check=False)
    assert done.returncode == 1
    assert "PREFECT_API_URL" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "data" / "raw").exists()
