"""Backfill: everything the source published in a date window, or (`reprocess`) re-extract the raw store."""

from __future__ import annotations

from prefect import flow

from extract import crawl
from extract.sources import served_source
from flows.runtime import run_flow
from pipeline.params import check_fetchable, date_window, source_name, stored_source_name
from pipeline.run import Run
from pipeline.summary import RunSummary


@flow(name="backfill", description="Fetch and load everything published in [since, until]; with "
                                    "reprocess, re-extract stored documents without fetching (source "
                                    "`local`: ingested files; `all`: every stored document).")
def backfill(source: str | None = None, since: str | None = None, until: str | None = None,
             reprocess: bool = False, refetch: bool = False, ocr: bool = True) -> RunSummary:
    """`since`/`until`: ISO dates (inclusive), either may be omitted. With `reprocess`, `source` may
    also be `local` (documents of `minutes ingest`) or `all` (every stored document). `refetch`:
    download the window's attachments again, even those already stored and unchanged. `ocr`: read
    scans by OCR; off, they are quarantined no_text_layer."""
    # Validated here, not by Prefect: a deployment run accepts `-p since=notadate` at creation.
    since_date, until_date = date_window(since, until)
    name = source_name(source)
    check_fetchable(name, reprocess=reprocess)

    def body(run: Run) -> None:
        fetched: list[crawl.FetchedDocument] = []
        if not reprocess:
            with served_source(name) as source_config:
                fetched = run.discover_and_fetch(source_config, since=since_date, until=until_date,
                                                 incremental=False, refetch=refetch)
        # Everything stored for the window, fetched now or before: unchanged documents come from
        # the cache (same bytes, same parser version), so this re-extracts only what needs it.
        stored = crawl.stored_documents(run.data_dir, source=stored_source_name(name), since=since_date,
                                        until=until_date)
        if reprocess:
            run.summary.discovered = len(stored)
        run.process(fetched + stored)

    return run_flow("backfill", name, body, ocr=ocr)
