"""Prefect tasks: thin wrappers over the plain stage functions, each over a batch of documents.

A task run costs ~25 ms client + ~60 ms server CPU, so no task ever handles one page or one
document: fetch, extract and load each take a batch (tens to a couple of hundred documents).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.context import TaskRunContext
from prefect.states import State

from extract import crawl
from extract.sources import Source
from flows.progress import report
from load import lake, warehouse
from load.rows import DocumentMeta, RunRow
from minutes_etl.settings import DataDir
from transform.pipeline import process_document
from transform.record import PARSER_VERSION, DocHints, MinutesRecord

FETCH_BATCH = 100
EXTRACT_BATCH = 50


@dataclass
class Extracted:
    """One fetched document and the record parsed from its bytes."""

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
    progress, done = report(), [0]

    def advance(total_done: int) -> None:  # fetch_entries counts cumulatively; the bar wants steps
        progress.advance("fetch", total_done - done[0])
        done[0] = total_done

    fetch_report = crawl.fetch_entries(entries, source, data_dir, on_progress=advance)
    progress.advance("fetch", len(entries) - done[0])  # entries already fetched are skipped silently
    return fetch_report


def batch_cache_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    """Content hashes × parser version of a batch: the same documents, parsed by the same parser.

    Catches a batch parsed but never loaded (a run that died in the load): its next run gets the
    records back without parsing. Across different batches the per-document cache of the flow
    (flows/cache.py) does the work; both are keyed on the document bytes, never on the run.
    Results live in Prefect's default result storage (PREFECT_LOCAL_STORAGE_PATH): a task's
    result storage must be a block saved on the server, and the data directory is known only
    at run time.
    """
    doc_ids = sorted(doc.doc_id for doc in parameters["documents"])
    return f"extract-{PARSER_VERSION}-{hashlib.sha256(' '.join(doc_ids).encode()).hexdigest()}"


@task(name="extract", timeout_seconds=60 * 60, cache_key_fn=batch_cache_key, persist_result=True,
      cache_expiration=dt.timedelta(days=7))
def extract(documents: list[crawl.FetchedDocument]) -> list[Extracted]:
    """Read and parse one batch of raw documents; CPU-bound. Bad documents come back quarantined."""
    return [Extracted(doc, process_document(Path(doc.raw_path).read_bytes(), doc.suffix, _hints(doc)))
            for doc in documents]


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


def _hints(doc: crawl.FetchedDocument) -> DocHints:
    return DocHints(title=doc.title, minutes_no=doc.minutes_no, published_at=doc.published_at,
                    url=doc.detail_url or doc.url)
