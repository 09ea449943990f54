"""Measuring instruments: a stopwatch, and a subprocess runner that records wall time, CPU time
and the peak resident memory of the whole process tree.

No psutil: the tree's memory is sampled from /proc (Linux), and the largest single process
comes from the kernel's own accounting (`os.wait4` → `ru_maxrss`).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
_PROC = Path("/proc")
# How often the tree's memory is sampled: often enough to catch a worker's peak, rarely enough
# that the sampler's own CPU does not disturb a run that uses both cores.
SAMPLE_INTERVAL_S = 0.1
MB = 1024 * 1024


@dataclass
class ProcessRun:
    """One measured subprocess."""

    command: list[str]
    returncode: int
    wall_s: float
    cpu_s: float  # user + system time of the process and every descendant it waited for
    peak_tree_rss_mb: float | None  # sampled: sum of RSS over the process and its descendants
    peak_process_rss_mb: float  # kernel ru_maxrss: the largest single process of the tree
    stdout: str = ""
    stderr: str = ""
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    @property
    def cores_used(self) -> float:
        """Average number of busy cores over the run (CPU time / wall time)."""
        return self.cpu_s / self.wall_s if self.wall_s > 0 else 0.0

    def failure(self) -> str:
        """One line saying why the run did not succeed (the last line of stderr, usually)."""
        if self.timed_out:
            return f"timed out after {self.wall_s:.0f} s"
        last = [line for line in self.stderr.splitlines() if line.strip()]
        return f"exit {self.returncode}: {last[-1].strip() if last else 'no error output'}"[:300]


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir(_PROC):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        # The command name may hold spaces and ')': the fields we want follow the last ')'.
        parent = int(stat[stat.rfind(")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    return children


def tree_rss_bytes(root_pid: int) -> int:
    """Resident memory of a process and all its descendants, summed (shared pages count twice)."""
    children = _children_by_parent()
    total, pending = 0, [root_pid]
    while pending:
        pid = pending.pop()
        with suppress(OSError, IndexError, ValueError):
            total += int((_PROC / str(pid) / "statm").read_text().split()[1]) * _PAGE_SIZE
        pending.extend(children.get(pid, ()))
    return total


class TreeMemorySampler:
    """Samples a process tree's RSS in a background thread and keeps the peak."""

    def __init__(self, root_pid: int, interval_s: float = SAMPLE_INTERVAL_S) -> None:
        self.root_pid = root_pid
        self.interval_s = interval_s
        self.peak_bytes = 0
        self.available = _PROC.is_dir()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemorySampler:
        if self.available:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.available:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_bytes = max(self.peak_bytes, tree_rss_bytes(self.root_pid))
            self._stop.wait(self.interval_s)

    @property
    def peak_mb(self) -> float | None:
        return self.peak_bytes / MB if self.available else None


def run_measured(
    command: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None, timeout_s: float = 1800
) -> ProcessRun:
    """Run a command to completion, measuring its wall time, CPU time and peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=err)
        killer = threading.Timer(timeout_s, process.kill)
        killer.start()
        with TreeMemorySampler(process.pid) as sampler:
            # wait4, not Popen.wait: it hands back this child's own resource usage.
            _, status, usage = os.wait4(process.pid, 0)
        wall_s = time.perf_counter() - started
        timed_out = not killer.is_alive()
        killer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ProcessRun(
            command=command,
            returncode=process.returncode,
            wall_s=wall_s,
            cpu_s=usage.ru_utime + usage.ru_stime,
            peak_tree_rss_mb=sampler.peak_mb,
            peak_process_rss_mb=usage.ru_maxrss / 1024,  # Linux reports KiB
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
            timed_out=timed_out,
        )


@dataclass
class Stopwatch:
    """Accumulates the time spent inside `with watch.running():` blocks."""

    seconds: float = 0.0
    laps: int = field(default=0)

    @contextmanager
    def running(self) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds += time.perf_counter() - started
            self.laps += 1
