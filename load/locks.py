"""Advisory file locks between processes (flock): the kernel drops them when a process dies."""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class LockTimeout(RuntimeError):
    """Another process holds the lock for longer than we were willing to wait."""


@contextmanager
def file_lock(path: Path, *, what: str, shared: bool = False, timeout: float | None = None) -> Iterator[None]:
    """Hold `path` locked (shared or exclusive); `timeout` None waits as long as it takes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    operation = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    deadline = None if timeout is None else time.monotonic() + timeout
    with open(path, "a+b") as handle:
        while True:
            try:
                fcntl.flock(handle, operation | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    raise LockTimeout(f"{what} is locked by another process (lock file {path})") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
