"""Prefect tasks: thin wrappers over the plain stage functions, each over a batch of documents.

A task run costs ~25 ms client + ~60 ms server CPU, so no task ever handles one page or one
document: fetch, extract and load each take a batch (tens to a couple of hundred documents).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.states import State

from extract import crawl
from extract.sources import Source
from flows.cache import document_hints
from flows.local_files import readable_suffix
from flows.progress import report
from load import lake, warehouse
from load.rows import DocumentMeta, RunRow
from minutes_etl.settings import DataDir
from transform.pipeline import process_document
from transform.record import PARSER_VERSION, MinutesRecord

FETCH_BATCH = 100
EXTRACT_BATCH = 50
# The lake writes files of up to 200 documents: one load task per file. Four 50-document load tasks
# took 1.6-4.1 s where one call writes the same rows in 0.3-0.5 s (`make bench`, 200 documents).
LOAD_BATCH = 200


@dataclass
class Extracted:
    """One document of this run and the record of its bytes (parsed now, or from the cache).

    The document always comes from this run (its URL, fetched_at, raw path); only the record may be
    older: that is what the warehouse's `documents` row is built from.
    """

    document: crawl.FetchedDocument
    record: MinutesRecord
    from_cache: bool = False


def batches(items: Sequence[Any], size: int) -> list[list[Any]]:
    return [list(items[start:start + size]) for start in range(0, len(items), size)]


def worth_retrying(task: Any, task_run: Any, state: State) -> bool:
    """The crawler already retried each request with backoff: a source still unreachable after that
    will not be back in 30 s, and the error should reach the user now. Anything else: retry."""
    try:
        error = state.result(raise_on_failure=False)
    except Exception:
        return True
    return not isinstance(error, crawl.SourceUnreachable)


@task(name="discover", retries=2, retry_delay_seconds=[5, 30], retry_condition_fn=worth_retrying,
      timeout_seconds=30 * 60, cache_policy=NO_CACHE)
def discover(source: Source, data_dir: DataDir, *, since: dt.date | None = None,
             until: dt.date | None = None,
             incremental: bool = True) -> crawl.Discovery:
    """Walk the listing pages: which documents the source publishes, and which are new."""
    return crawl.discover(source, data_dir, since=since, until=until, incremental=incremental)


@task(name="fetch", retries=2, retry_delay_seconds=[5, 30], retry_condition_fn=worth_retrying,
      timeout_seconds=60 * 60, cache_policy=NO_CACHE)
def fetch(entries: list[Any], source: Source, data_dir: DataDir) -> crawl.FetchReport:
    """Download one batch of detail pages and attachments into the raw store."""
    progress, done = report(), 0

    def advance(total_done: int) -> None:  # fetch_entries counts cumulatively; the bar wants steps
        nonlocal done
        progress.advance("fetch", total_done - done)
        done = total_done

    fetch_report = crawl.fetch_entries(entries, source, data_dir, on_progress=advance)
    progress.advance("fetch", len(entries) - done)  # entries already fetched are skipped silently
    return fetch_report


@task(name="extract", timeout_seconds=60 * 60, cache_policy=NO_CACHE)
def extract(documents: list[crawl.FetchedDocument], ocr: bool = True) -> list[MinutesRecord]:
    """Read and parse one batch of raw documents; CPU-bound. Bad documents come back quarantined.
    `ocr`: read scanned pages by OCR (off: scans are quarantined no_text_layer).

    Records only, in the order of `documents`: the caller pairs them with the documents it holds.
    No task cache: records are cached per document, under the data directory (flows/cache.py).
    """
    return [_process(Path(doc.raw_path).read_bytes(), doc, ocr) for doc in documents]


def _process(data: bytes, doc: crawl.FetchedDocument, ocr: bool) -> MinutesRecord:
    # A PDF stored without a PDF suffix (an ingested file named `scan` or `minutes.bin`) is read as one.
    return process_document(data, readable_suffix(data, doc.suffix), document_hints(doc), ocr=ocr)


@task(name="load", timeout_seconds=30 * 60, cache_policy=NO_CACHE)
def load(data_dir: DataDir, extracted: list[Extracted]) -> int:
    """Write one batch of records to the Parquet lake (the warehouse is published once, at the end)."""
    return lake.write_documents(data_dir.lake, [(document_meta(item), item.record) for item in extracted])


@task(name="record-run", retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE)
def record_run(data_dir: DataDir, run: RunRow) -> None:
    lake.write_run(data_dir.lake, run)


@task(name="publish", timeout_seconds=30 * 60, cache_policy=NO_CACHE)
def publish(data_dir: DataDir) -> None:
    """Lake → DuckDB. DuckDB has one writer: publish waits (file lock) for another run's publish."""
    warehouse.publish(data_dir)


def document_meta(item: Extracted) -> DocumentMeta:
    doc, record = item.document, item.record
    return DocumentMeta(
        doc_id=record.doc_id, source=doc.source, url=doc.url,
        title=doc.title or record.meeting.title, published_at=doc.published_at,
        fetched_at=doc.fetched_at, byte_size=doc.byte_size, page_count=record.page_count,
        status=record.status, quarantine_reason=record.quarantine_reason, parser_version=PARSER_VERSION,
    )

