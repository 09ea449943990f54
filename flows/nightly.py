"""The nightly job: what did the source publish since last time? Fetch, extract and load only that."""

from __future__ import annotations

from prefect import flow

from extract.sources import resolve_source
from flows.params import check_fetchable
from flows.pipeline import Run, discover_and_fetch, run_flow, served_source_url, source_name
from flows.summary import RunSummary


@flow(name="nightly", description="Incremental: fetch what the source published since the last run, "
                                   "extract, parse and load it.")
def nightly(source: str | None = None, ocr: bool = True) -> RunSummary:
    """`source`: a configured source name or a listing URL; default env MINUTES_SOURCE, then `demo`.
    `ocr`: read scans by OCR; off, they are quarantined no_text_layer."""
    name = source_name(source)
    check_fetchable(name, reprocess=False)

    def body(run: Run) -> None:
        with served_source_url(name) as base_url:
            source_config = resolve_source(name, base_url)
            discover_and_fetch(run, source_config, incremental=True)
        # What was just fetched, and anything an earlier run fetched but did not get to load.
        run.process(run.unfinished(source_config.name))

    return run_flow("nightly", name, body, ocr=ocr)
