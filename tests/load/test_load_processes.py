"""Real processes: a loader killed with SIGKILL mid-run, and queries while another process loads."""

from __future__ import annotations

import fcntl
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from load_corpus import document, expected_rows

from load.lake import lake_files
from load.rows import table_rows
from load.tables import DOCUMENT_TABLES
from load.warehouse import connect_readonly, run_query
from minutes_etl.settings import DataDir

LOADER = Path(__file__).resolve().parent / "loader_proc.py"
pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]


def _loader(data_dir: DataDir, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(LOADER), str(data_dir.root), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _read_until(process: subprocess.Popen[str], wanted: str) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == wanted:
            return
    raise AssertionError(f"loader ended before {wanted!r}: {process.stderr.read() if process.stderr else ''}")


def _rows_per_document(count: int) -> dict[str, Counter[str]]:
    """table → doc_id → rows the document should have."""
    expected: dict[str, Counter[str]] = {table: Counter() for table in DOCUMENT_TABLES}
    for index in range(count):
        meta, record = document(index)
        for table, rows in table_rows(meta, record).items():
            if rows:
                expected[table][meta.doc_id] = len(rows)
    return expected


def _assert_consistent(data_dir: DataDir, count: int) -> int:
    """Every document in the warehouse has all its rows and no other document has any; returns documents."""
    if not data_dir.warehouse.exists():
        return 0
    expected = _rows_per_document(count)
    with connect_readonly(data_dir) as connection:
        loaded = {row[0] for row in connection.execute("SELECT doc_id FROM documents").fetchall()}
        for table in DOCUMENT_TABLES:
            actual = Counter(dict(connection.execute(
                f"SELECT doc_id, count(*) FROM {table} GROUP BY doc_id").fetchall()))
            wanted = Counter({doc: n for doc, n in expected[table].items() if doc in loaded})
            assert actual == wanted, f"{table}: rows of a document missing, doubled or orphaned"
    return len(loaded)


@pytest.mark.parametrize(("kill_at", "delay"), [
    ("writing 1", 0.01),      # inside a lake write: some batches committed, maybe one half-written
    ("publishing 1", 0.03),   # inside a publish: staging database half built
    ("publishing 2", 0.0),    # as a publish starts
])
def test_a_loader_killed_mid_run_leaves_a_consistent_warehouse_and_a_rerun_finishes(
        data_dir: DataDir, kill_at: str, delay: float) -> None:
    count = 40
    loader = _loader(data_dir, "--count", str(count), "--batch", "10")
    _read_until(loader, kill_at)
    time.sleep(delay)
    loader.send_signal(signal.SIGKILL)
    loader.wait(timeout=30)
    assert loader.returncode == -signal.SIGKILL

    assert _assert_consistent(data_dir, count) < count  # killed before the end: a consistent part

    rerun = _loader(data_dir, "--count", str(count), "--batch", "10")
    output, errors = rerun.communicate(timeout=150)
    assert rerun.returncode == 0, errors
    assert output.splitlines()[-1] == "done"

    assert _assert_consistent(data_dir, count) == count
    totals = {table: run_query(data_dir, f"SELECT count(*) FROM {table}")[1][0][0]
              for table in DOCUMENT_TABLES}
    assert totals == {table: expected_rows(count)[table] for table in DOCUMENT_TABLES}
    lake_ids = [doc for path in lake_files(data_dir.lake, "documents")
                for doc in pq.ParquetFile(path).read(columns=["doc_id"]).column("doc_id").to_pylist()]
    assert len(lake_ids) == len(set(lake_ids)) == count
    assert run_query(data_dir, "SELECT run_id, status FROM runs")[1] == [("loader", "completed")]
    assert not data_dir.warehouse.with_name("warehouse.duckdb.staging").exists()


def _publish_in_progress(data_dir: DataDir) -> bool:
    with open(data_dir.warehouse.with_name("warehouse.duckdb.lock"), "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(lock, fcntl.LOCK_UN)
        return False


def test_queries_answer_while_another_process_loads(data_dir: DataDir) -> None:
    first = _loader(data_dir, "--count", "20", "--batch", "20")
    assert first.wait(timeout=120) == 0
    held = connect_readonly(data_dir)  # opened before the load: must keep reading its version

    loader = _loader(data_dir, "--start", "20", "--count", "100", "--batch", "20")
    counts_seen: set[int] = set()
    answered_during_publish = 0
    while loader.poll() is None:
        busy_before = _publish_in_progress(data_dir)
        _, rows = run_query(data_dir, "SELECT count(*) FROM documents")
        if busy_before and _publish_in_progress(data_dir):
            answered_during_publish += 1
        counts_seen.add(rows[0][0])
        time.sleep(0.01)  # leave the loader some CPU on a 2-core machine
    assert loader.returncode == 0, loader.stderr.read() if loader.stderr else ""

    assert answered_during_publish > 0
    assert len(counts_seen) > 1 and all(n % 20 == 0 and 20 <= n <= 120 for n in counts_seen)
    assert held.execute("SELECT count(*) FROM documents").fetchone() == (20,)
    held.close()
    assert run_query(data_dir, "SELECT count(*) FROM documents")[1] == [(120,)]
