"""Timings of the lake write and the warehouse publish (a measurement, not a test).

    .venv/bin/python -m benchmarks.publish [DOCUMENTS ...]    # default: 200 2000

Run from the repository root. The documents are the load tests' corpus (tests/load/load_corpus.py):
the seed records, varied into as many documents as asked.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from extract.datadir import DataDir
from load.lake import write_documents
from load.publish import publish
from load.query import run_query
from tests.load.load_corpus import corpus


def _timed(label: str, action: Callable[[], object]) -> object:
    started = time.perf_counter()
    result = action()
    print(f"  {label:<44} {time.perf_counter() - started:7.3f} s", flush=True)
    return result


def bench(documents: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data_dir = DataDir(Path(folder))
        print(f"{documents} documents")
        _timed("write lake (batches of 200)", lambda: write_documents(data_dir.lake, corpus(documents)))
        _timed("publish: first load, all new", lambda: publish(data_dir))
        _timed("publish: nothing changed", lambda: publish(data_dir))
        _timed("write lake: reprocess 10% of documents",
               lambda: write_documents(data_dir.lake, corpus(documents // 10, version="1.1.0")))
        _timed("publish: 10% reprocessed", lambda: publish(data_dir))
        _timed("query: search_paragraphs('安全生产')",
               lambda: run_query(data_dir, "SELECT count(*) FROM search_paragraphs('安全生产')"))
        _, rows = run_query(data_dir, "SELECT count(*) FROM paragraphs")
        size = data_dir.warehouse.stat().st_size / 2**20
        lake = sum(p.stat().st_size for p in data_dir.lake.rglob("*.parquet")) / 2**20
        print(f"  paragraphs {rows[0][0]}, warehouse {size:.1f} MiB, lake {lake:.1f} MiB")


def main(arguments: list[str]) -> None:
    for count in [int(argument) for argument in arguments] or [200, 2000]:
        bench(count)


if __name__ == "__main__":
    main(sys.argv[1:])
