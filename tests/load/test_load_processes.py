"""Real processes: a loader killed with SIGKILL mid-run, and queries while another process loads.

The loader (loader_proc.py) stops at named points inside the load code and waits for a line on
stdin, so each test kills it, or queries, at exactly the moment it means to: no sleeps, no races.
"""

from __future__ import annotations

import fcntl
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from extract.datadir import DataDir
from load.lake import batch_of, lake_files
from load.query import connect_readonly, run_query
from load.rows import table_rows
from load.tables import DOCUMENT_TABLES
from tests.load.load_corpus import document, expected_rows

REPO_ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]


def _loader(data_dir: DataDir, *args: str) -> subprocess.Popen[str]:
    # As a module from the repository root: it imports the shared test corpus (tests.load.load_corpus).
    return subprocess.Popen([sys.executable, "-m", "tests.load.loader_proc", str(data_dir.root), *args],
                            cwd=REPO_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _read_until(process: subprocess.Popen[str], wanted: str) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == wanted:
            return
    raise AssertionError(f"loader ended before {wanted!r}: {process.stderr.read() if process.stderr else ''}")


def _release(process: subprocess.Popen[str]) -> None:
    """Let a loader stopped at its pause point go on (see loader_proc.py)."""
    assert process.stdin is not None
    process.stdin.write("go\n")
    process.stdin.flush()


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


def _leftovers(data_dir: DataDir) -> set[str]:
    """What a killed loader left behind that a rerun must clean up."""
    found = set()
    committed = {batch_of(path) for path in lake_files(data_dir.lake, "documents")}
    batches = {batch_of(path) for table in DOCUMENT_TABLES for path in lake_files(data_dir.lake, table)}
    if batches - committed:
        found.add("uncommitted lake batch")
    if data_dir.warehouse.with_name("warehouse.duckdb.staging").exists():
        found.add("staging database")
    return found


@pytest.mark.parametrize(("point", "step", "published", "leftover"), [
    # inside a lake write: a batch's files written, its commit record not (holds the lake lock)
    ("lake-commit", 1, 10, "uncommitted lake batch"),
    # inside a publish: the staging database half loaded, in its transaction (holds the publish lock)
    ("publish-load", 1, 10, "staging database"),
    # as a publish ends: the staging database complete, not renamed over the live one yet
    ("publish-swap", 2, 20, "staging database"),
])
def test_a_loader_killed_mid_run_leaves_a_consistent_warehouse_and_a_rerun_finishes(
        data_dir: DataDir, point: str, step: int, published: int, leftover: str) -> None:
    count = 40
    loader = _loader(data_dir, "--count", str(count), "--batch", "10",
                     "--pause-at", point, "--pause-step", str(step))
    _read_until(loader, f"paused {point} {step}")  # stopped exactly there until we say go: kill it
    loader.send_signal(signal.SIGKILL)
    loader.communicate(timeout=30)
    assert loader.returncode == -signal.SIGKILL
    assert _leftovers(data_dir) == {leftover}

    loaded = _assert_consistent(data_dir, count)
    assert loaded < count  # killed before the end: a consistent part
    assert loaded == published  # exactly the batches published before the kill

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
    assert _leftovers(data_dir) == set()


def _publish_in_progress(data_dir: DataDir) -> bool:
    with open(data_dir.warehouse.with_name("warehouse.duckdb.lock"), "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(lock, fcntl.LOCK_UN)
        return False


def test_queries_answer_while_another_process_publishes(data_dir: DataDir) -> None:
    first = _loader(data_dir, "--count", "20", "--batch", "20")
    _, errors = first.communicate(timeout=120)
    assert first.returncode == 0, errors
    held = connect_readonly(data_dir)  # opened before the load: must keep reading its version

    # The loader stops inside every publish (5 batches, then the closing publish), holding the
    # publish lock with its staging database half loaded; we query, then let it go on.
    loader = _loader(data_dir, "--start", "20", "--count", "100", "--batch", "20",
                     "--pause-at", "publish-load")
    counts_seen: list[int] = []
    answered_during_publish = 0
    for step in range(6):
        _read_until(loader, f"paused publish-load {step}")
        assert _publish_in_progress(data_dir)
        _, rows = run_query(data_dir, "SELECT count(*) FROM documents")
        assert _publish_in_progress(data_dir)  # answered while the publish was still going on
        answered_during_publish += 1
        counts_seen.append(rows[0][0])
        _release(loader)
    _, errors = loader.communicate(timeout=120)
    assert loader.returncode == 0, errors

    assert answered_during_publish > 0
    assert counts_seen == [20, 40, 60, 80, 100, 120]  # each time the version published before
    assert len(set(counts_seen)) > 1 and all(n % 20 == 0 and 20 <= n <= 120 for n in counts_seen)
    assert held.execute("SELECT count(*) FROM documents").fetchone() == (20,)
    held.close()
    assert run_query(data_dir, "SELECT count(*) FROM documents")[1] == [(120,)]
