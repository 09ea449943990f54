"""Module-level functions for the isolated worker to run in tests (it imports them by name)."""

from __future__ import annotations

import os
import time


def pid() -> int:
    return os.getpid()


def sleep_forever() -> None:
    time.sleep(3600)  # no Python-level timer in the worker interrupts this: only the kill does


def allocate(mib: int) -> int:
    block = bytearray(mib * 1024 * 1024)
    return len(block)


def fail(message: str) -> None:
    raise ValueError(message)


def hold(seconds: float) -> tuple[int, float, float]:
    """Busy for `seconds`: (the worker's pid, when it started, when it ended), to see overlap."""
    started = time.time()
    time.sleep(seconds)
    return os.getpid(), started, time.time()
