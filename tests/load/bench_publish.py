"""Timings of the lake write and the warehouse publish (a measurement, not a test).

    .venv/bin/python tests/load/bench_publish.py [DOCUMENTS ...]    # default: 200 2000
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parent)]

from load_corpus import corpus  # noqa: E402

from load.lake import write_documents  # noqa: E402
from load.warehouse import publish, run_query  # noqa: E402
from minutes_etl.settings import DataDir  # noqa: E402


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


if __name__ == "__main__":
    for count in [int(arg) for arg in sys.argv[1:]] or [200, 2000]:
        bench(count)
