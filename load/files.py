"""Durable file replacement: a reader sees the old file or the whole new one, even after a crash.

The recipe is the POSIX one: write a temp file in the target's folder, fsync it, rename it over
the target (atomic within one file system), then fsync the folder so the rename itself survives
a power cut. On object storage there is no rename, and no need for one: see write_stored.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from extract.datadir import Storage

TEMP_GLOB = ".*.tmp"  # the temp files of write_atomically; a killed writer's leftovers match this


def write_atomically(target: Path, write: Callable[[BinaryIO], None], *, sync_folder: bool = True) -> None:
    """Write `target` through `write(handle)` into a hidden temp file, then durably rename it.

    `sync_folder=False` leaves the folder's fsync to the caller, who may batch several files.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    with open(temp, "wb") as handle:
        write(handle)
    replace_durably(temp, target, sync_folder=sync_folder)


def replace_durably(source: Path, target: Path, *, sync_folder: bool = True) -> None:
    """Flush `source` to disk and rename it over `target`; then flush the folder (unless told not to)."""
    fsync_path(source)
    os.replace(source, target)
    if sync_folder:
        fsync_path(target.parent)


def fsync_path(path: Path) -> None:
    """fsync a file (its data) or a folder (its entries: creations, renames, deletions)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_stored(storage: Storage, path: str, write: Callable[[BinaryIO], None], *,
                 sync_folder: bool = True) -> None:
    """Write the file at `path` (a filesystem path of `storage`) so no reader sees part of it:
    locally through write_atomically; on object storage in place, since an object becomes visible
    only once its upload completes (a writer killed before that leaves nothing)."""
    if storage.is_local:
        write_atomically(Path(path), write, sync_folder=sync_folder)
        return
    with storage.fs.open_output_stream(path) as stream:
        write(stream)
