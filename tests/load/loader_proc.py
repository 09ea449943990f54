"""A real loader process for the crash and concurrency tests: lake batches, each published.

    python -m tests.load.loader_proc DATA_DIR --count 100 --batch 20 [--start 0] [--version 1.0.0]
                                     [--pause-at POINT [--pause-step K]]

Prints one line before each step (`writing K`, `publishing K`) and `done` at the end. With
`--pause-at` it also stops at a named point inside the load code, once in step K (in every step
without `--pause-step`; the closing publish is step <number of batches>): it prints
`paused POINT K` and blocks until it reads a line (or end of file) on stdin. A test can so
SIGKILL it exactly there, or act while it holds its locks there, then release it: no timing.

Points, in the real library code (wrapped only to add the stop, behaviour unchanged):
  lake-commit    a lake batch's other tables are written, its `documents` file (the commit
                 record) not yet; the loader holds the exclusive lake lock
  publish-load   inside the load transaction on the staging copy: the document tables are
                 replaced, the runs not yet; the loader holds the publish lock
  publish-swap   the staging copy is complete and checkpointed, not yet renamed over the live file
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from extract.datadir import DataDir, Storage
from load import lake
from load import publish as warehouse
from load.lake import write_documents, write_run
from load.publish import publish
from load.rows import RunRow
from tests.load.load_corpus import corpus

POINTS = ("lake-commit", "publish-load", "publish-swap")


class Pauses:
    """Stops at one named point, at most once per step, until the test says go (a line on stdin)."""

    def __init__(self, point: str | None, step: int | None) -> None:
        self.point = point
        self.step = step
        self.current_step = 0
        self._stopped_in: set[int] = set()

    def reach(self, point: str) -> None:
        if point != self.point or self.current_step in self._stopped_in:
            return
        if self.step is not None and self.current_step != self.step:
            return
        self._stopped_in.add(self.current_step)
        print(f"paused {point} {self.current_step}", flush=True)
        sys.stdin.readline()  # returns on a line or on EOF (a test that went away)


def install(pauses: Pauses) -> None:
    """Wrap the library functions at the named points so that they call `pauses.reach` first."""
    write_parquet = lake._write_parquet
    sql = warehouse._sql
    replace_durably = warehouse.replace_durably

    def write_parquet_pausing(storage: Storage, target: str, table: Any, **options: Any) -> None:
        # A new file in `documents/` is a batch commit (a sweep only rewrites existing ones).
        path = PurePosixPath(target)
        if path.parent.parent.name == "documents" and not storage.exists(storage.relative(target)):
            pauses.reach("lake-commit")
        write_parquet(storage, target, table, **options)

    def sql_pausing(name: str, **options: Any) -> str:
        if name == "delete_runs":  # the statement after the document tables, in the transaction
            pauses.reach("publish-load")
        return sql(name, **options)

    def replace_pausing(source: Path, target: Path, **options: Any) -> None:
        pauses.reach("publish-swap")
        replace_durably(source, target, **options)

    patches: dict[tuple[Any, str], Callable[..., Any]] = {
        (lake, "_write_parquet"): write_parquet_pausing,
        (warehouse, "_sql"): sql_pausing,
        (warehouse, "replace_durably"): replace_pausing,
    }
    for (module, name), function in patches.items():
        setattr(module, name, function)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--version", default="1.0.0")
    parser.add_argument("--run-id", default="loader")
    parser.add_argument("--pause-at", choices=POINTS)
    parser.add_argument("--pause-step", type=int)
    args = parser.parse_args()
    pauses = Pauses(args.pause_at, args.pause_step)
    install(pauses)
    data_dir = DataDir(args.data_dir)
    lake_root = data_dir.lake_store  # the data directory's lake/, or MINUTES_STORE_URL's
    started = dt.datetime.now(dt.UTC)
    done = 0
    for step, first in enumerate(range(args.start, args.start + args.count, args.batch)):
        pauses.current_step = step
        size = min(args.batch, args.start + args.count - first)
        print(f"writing {step}", flush=True)
        write_documents(lake_root, corpus(size, start=first, version=args.version), batch_docs=7)
        done += size
        running = RunRow(args.run_id, "test", started, None, "running", args.count, done, done, 0)
        write_run(lake_root, running)
        print(f"publishing {step}", flush=True)
        publish(data_dir)
    pauses.current_step += 1
    write_run(lake_root, RunRow(args.run_id, "test", started, dt.datetime.now(dt.UTC), "completed",
                                    args.count, done, done, 0))
    publish(data_dir)
    print("done", flush=True)


if __name__ == "__main__":
    main()
