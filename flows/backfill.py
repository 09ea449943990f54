"""Backfill: everything the source published in a date window, or (`reprocess`) re-extract the raw store."""

from __future__ import annotations

from prefect import flow

from extract import crawl
from extract.sources import resolve_source
from flows.params import check_fetchable, date_window
from flows.pipeline import (
    Run,
    discover_and_fetch,
    run_flow,
    served_source_url,
    source_name,
    stored_source_name,
)
from flows.summary import RunSummary


@flow(name="backfill", description="Fetch and load everything published in [since, until]; with "
                                    "reprocess, re-extract stored documents without fetching (source "
                                    "`local`: ingested files; `all`: every stored document).")
def backfill(source: str | None = None, since: str | None = None, until: str | None = None,
             reprocess: bool = False, ocr: bool = True) -> RunSummary:
    """`since`/`until`: ISO dates (inclusive), either may be omitted. With `reprocess`, `source` may
    also be `local` (documents of `minutes ingest`) or `all` (every stored document). `ocr`: read
    scans by OCR; off, they are quarantined no_text_layer."""
    # Validated here, not by Prefect: a deployment run accepts `-p since=notadate` at creation.
    since_date, until_date = date_window(since, until)
    name = source_name(source)
    check_fetchable(name, reprocess=reprocess)

    def body(run: Run) -> None:
        fetched: list[crawl.FetchedDocument] = []
        if not reprocess:
            with served_source_url(name) as base_url:
                fetched = discover_and_fetch(run, resolve_source(name, base_url), since=since_date,
                                             until=until_date, incremental=False)
        # Everything stored for the window, fetched now or before: unchanged documents come from
        # the cache (same bytes, same parser version), so this re-extracts only what needs it.
        stored = crawl.stored_documents(run.data_dir, source=stored_source_name(name), since=since_date,
                                        until=until_date)
        if reprocess:
            run.summary.discovered = len(stored)
        run.process(fetched + stored)

    return run_flow("backfill", name, body, ocr=ocr)
