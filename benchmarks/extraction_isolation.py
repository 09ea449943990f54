"""Extraction in the isolated worker (extract.isolation) against in-process, on the demo corpus.

    python -m benchmarks.extraction_isolation [--rounds N]

Prints seconds per document both ways and their ratio, the worker's start-up on its own, and the
worker's peak resident memory and peak address space (what RLIMIT_AS caps) after reading every demo
document: the figure the default memory cap is chosen against.
"""

from __future__ import annotations

import time
from typing import Annotated

import typer
from minutes_etl.demo.site import ensure_demo_site

from extract.isolation import IsolatedWorker, Limits, peak_memory
from pipeline.document import WORKER_PRELOAD, process_document, process_document_within_limits


def demo_documents() -> list[tuple[bytes, str]]:
    """The demo site's PDFs: what extraction spends its time on (detail pages are cheap HTML)."""
    site = ensure_demo_site()
    return [(path.read_bytes(), path.suffix) for path in sorted(site.rglob("*.pdf"))]


def main(rounds: Annotated[int, typer.Option(help="Passes over the corpus, each way.")] = 3) -> None:
    documents = demo_documents()
    for data, suffix in documents[:3]:  # warm imports and caches of this process
        process_document(data, suffix)
    started = time.perf_counter()
    for _ in range(rounds):
        for data, suffix in documents:
            process_document(data, suffix)
    in_process = (time.perf_counter() - started) / (rounds * len(documents))

    worker = IsolatedWorker(Limits.from_env(), preload=WORKER_PRELOAD)
    started = time.perf_counter()
    worker.call(peak_memory)
    start_up = time.perf_counter() - started
    for data, suffix in documents[:3]:
        process_document_within_limits(data, suffix, worker=worker)
    started = time.perf_counter()
    for _ in range(rounds):
        for data, suffix in documents:
            process_document_within_limits(data, suffix, worker=worker)
    isolated = (time.perf_counter() - started) / (rounds * len(documents))
    rss_kib, address_kib = worker.call(peak_memory)
    worker.close()

    print(f"demo corpus: {len(documents)} PDFs, {rounds} rounds each way")
    print(f"in-process extraction      {in_process * 1000:8.1f} ms/document")
    print(f"isolated worker (reused)   {isolated * 1000:8.1f} ms/document")
    print(f"ratio isolated/in-process  {isolated / in_process:8.3f}")
    print(f"worker start-up (once per process, and after each kill) {start_up:.2f} s")
    print(f"worker peak RSS {rss_kib / 1024:.0f} MiB, peak address space {address_kib / 1024:.0f} MiB "
          f"(cap {worker.limits.memory_mb} MiB)")


if __name__ == "__main__":
    typer.run(main)
