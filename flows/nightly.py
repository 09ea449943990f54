"""The nightly job: what did the source publish since last time? Fetch, extract and load only that."""

from __future__ import annotations

from prefect import flow

from extract.sources import served_source
from flows.runtime import run_flow
from pipeline.params import check_fetchable, source_name
from pipeline.run import Run
from pipeline.summary import RunSummary


@flow(name="nightly", description="Incremental: fetch what the source published since the last run, "
                                   "extract, parse and load it.")
def nightly(source: str | None = None, refetch: bool = False, ocr: bool = True) -> RunSummary:
    """`source`: a configured source name or a listing URL; default env MINUTES_SOURCE, then `demo`.
    `refetch`: download the listed attachments again, even those already stored. `ocr`: read scans by
    OCR; off, they are quarantined no_text_layer."""
    name = source_name(source)
    check_fetchable(name, reprocess=False)

    def body(run: Run) -> None:
        with served_source(name) as source_config:
            run.discover_and_fetch(source_config, incremental=True, refetch=refetch)
        # What was just fetched, and anything an earlier run fetched but did not get to load.
        run.process(run.unfinished(source_config.name))

    return run_flow("nightly", name, body, ocr=ocr)
