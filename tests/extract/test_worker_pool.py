"""The pool of capped extraction workers (extract/isolation.py): callers in different threads get
different workers that run at the same time; one caller at a time costs one worker; a worker killed
at its limit does not disturb the others."""

from __future__ import annotations

import itertools
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from extract.isolation import ExtractionTimeout, Limits, WorkerPool, shared_pool, workers_per_process
from tests.adversarial import worker_functions

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def pool() -> WorkerPool:
    pool = WorkerPool(2, Limits(seconds=5.0, memory_mb=300))
    yield pool
    pool.close()


def _lent_call(pool: WorkerPool, function: object, *args: object) -> object:
    with pool.worker() as worker:
        return worker.call(function, *args)


def test_two_threads_get_two_workers_that_run_at_once(pool: WorkerPool) -> None:
    with ThreadPoolExecutor(max_workers=2) as threads:
        (pid_a, start_a, end_a), (pid_b, start_b, end_b) = threads.map(
            lambda _: _lent_call(pool, worker_functions.hold, 1.0), range(2))
    assert pid_a != pid_b
    assert start_b < end_a and start_a < end_b  # the two calls overlapped
    assert pool.starts == 2


def test_a_pool_of_one_runs_calls_in_turn_in_one_worker() -> None:
    pool = WorkerPool(1, Limits(seconds=5.0, memory_mb=300))
    try:
        with ThreadPoolExecutor(max_workers=3) as threads:
            answers = sorted(threads.map(lambda _: _lent_call(pool, worker_functions.hold, 0.3), range(3)),
                             key=lambda answer: answer[1])
        assert len({pid for pid, _, _ in answers}) == 1
        assert all(earlier[2] <= later[1] for earlier, later in itertools.pairwise(answers))
        assert pool.starts == 1
    finally:
        pool.close()


def test_one_caller_at_a_time_costs_one_worker(pool: WorkerPool) -> None:
    pids = {_lent_call(pool, worker_functions.pid) for _ in range(4)}
    assert len(pids) == 1 and pool.starts == 1


def test_a_worker_killed_at_its_limit_leaves_the_other_call_alone() -> None:
    pool = WorkerPool(2, Limits(seconds=1.0, memory_mb=300))
    try:
        with ThreadPoolExecutor(max_workers=2) as threads:
            stuck = threads.submit(_lent_call, pool, worker_functions.sleep_forever)
            fine = threads.submit(_lent_call, pool, worker_functions.hold, 0.5)
            with pytest.raises(ExtractionTimeout):
                stuck.result(timeout=30)
            assert fine.result(timeout=30)[0] > 0
        assert _lent_call(pool, worker_functions.pid) > 0  # the killed worker is replaced on next use
    finally:
        pool.close()


def test_the_number_of_workers_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINUTES_EXTRACT_WORKERS", "3")
    assert workers_per_process() == 3 and shared_pool().size == 3
    monkeypatch.setenv("MINUTES_EXTRACT_WORKERS", "1")
    assert shared_pool().size == 1
    monkeypatch.setenv("MINUTES_EXTRACT_WORKERS", "many")
    with pytest.raises(ValueError, match="MINUTES_EXTRACT_WORKERS"):
        workers_per_process()


ORPHAN_SCRIPT = """
import sys, threading, time
from extract.isolation import IsolatedWorker, Limits
from tests.adversarial import worker_functions
worker = IsolatedWorker(Limits(seconds=600, memory_mb=300))
print(worker.call(worker_functions.pid), flush=True)
threading.Thread(target=worker.call, args=(worker_functions.sleep_forever,), daemon=True).start()
time.sleep(600)
"""


def test_a_worker_ends_when_its_parent_is_killed(tmp_path: Path) -> None:
    """kill -9 of a run (the OOM killer, a CI timeout) must not leave its workers reading forever."""
    parent = subprocess.Popen([sys.executable, "-c", ORPHAN_SCRIPT], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[2])
    try:
        worker_pid = int(parent.stdout.readline())  # type: ignore[union-attr]
        time.sleep(0.5)  # the worker is inside sleep_forever now
        assert Path(f"/proc/{worker_pid}").exists()
        parent.kill()
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _running(worker_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _running(worker_pid), "the worker outlived its killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(timeout=10)


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
