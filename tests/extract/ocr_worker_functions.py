"""Module-level functions for the isolated extraction worker to run in tests (it imports them by name)."""

from __future__ import annotations

import time

from extract.isolation import extend_deadline, use_extra_memory


def sleep(seconds: float, *, extend_by: float = 0.0) -> str:
    if extend_by:
        extend_deadline(extend_by)  # as OCR does before each page that is only an image
    time.sleep(seconds)
    return "woke"


def allocate(mib: int, *, extra: bool = False) -> int:
    if extra:
        use_extra_memory()  # as OCR does before its engine runs
    block = bytearray(mib * 1024 * 1024)
    return len(block)
