"""Progress of a running flow, for whoever is watching (the `minutes` command's progress bars).

The flows run in the CLI's own process, so a plain module-level hook is enough: the CLI installs a
reporter, the flows call `report()`. Under a worker nobody installs one and the calls do nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class ProgressReporter(Protocol):
    def start(self, stage: str, total: int | None) -> None:
        """A stage begins; `total` is the number of documents it will handle, if known."""

    def advance(self, stage: str, done: int = 1) -> None:
        """`done` more documents of `stage` are finished."""


class SilentReporter:
    """Nobody watching: a worker, or `minutes` with its output piped."""

    def start(self, stage: str, total: int | None) -> None:
        pass

    def advance(self, stage: str, done: int = 1) -> None:
        pass


_reporter: ProgressReporter = SilentReporter()


def report() -> ProgressReporter:
    return _reporter


@contextmanager
def reporting_to(reporter: ProgressReporter) -> Iterator[None]:
    global _reporter
    previous, _reporter = _reporter, reporter
    try:
        yield
    finally:
        _reporter = previous
