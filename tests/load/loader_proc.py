"""A real loader process for the crash and concurrency tests: lake batches, each published.

    python tests/load/loader_proc.py DATA_DIR --count 100 --batch 20 [--start 0] [--version 1.0.0]

Prints one line before each step (`writing K`, `publishing K`) and `done` at the end, so a
test can time a SIGKILL or watch progress.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parent)]

from load_corpus import corpus  # noqa: E402

from load.lake import write_documents, write_run  # noqa: E402
from load.rows import RunRow  # noqa: E402
from load.warehouse import publish  # noqa: E402
from minutes_etl.settings import DataDir  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--version", default="1.0.0")
    parser.add_argument("--run-id", default="loader")
    args = parser.parse_args()
    data_dir = DataDir(args.data_dir)
    started = dt.datetime.now(dt.UTC)
    done = 0
    for step, first in enumerate(range(args.start, args.start + args.count, args.batch)):
        size = min(args.batch, args.start + args.count - first)
        print(f"writing {step}", flush=True)
        write_documents(data_dir.lake, corpus(size, start=first, version=args.version), batch_docs=7)
        done += size
        running = RunRow(args.run_id, "test", started, None, "running", args.count, done, done, 0)
        write_run(data_dir.lake, running)
        print(f"publishing {step}", flush=True)
        publish(data_dir)
    write_run(data_dir.lake, RunRow(args.run_id, "test", started, dt.datetime.now(dt.UTC), "completed",
                                    args.count, done, done, 0))
    publish(data_dir)
    print("done", flush=True)


if __name__ == "__main__":
    main()
