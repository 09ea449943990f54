"""The stages of a run as plain functions over batches: discover, fetch, extract, load, publish.

Flows wrap each in a Prefect task (flows/tasks.py); the CLI's local paths and the benchmark call them
as they are. A task run costs ~25 ms client + ~60 ms server CPU, so no stage ever handles one page or
one document: fetch, extract and load each take a batch (tens to a couple of hundred documents).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from extract import crawl
from extract.datadir import DataDir
from extract.errors import TOO_LARGE
from extract.isolation import abort_shared_pool, workers_per_process
from extract.local_files import is_oversized
from extract.manifest import Manifest
from extract.rawstore import RAW_CORRUPT, RAW_MISSING, RawDamaged, read_verified
from extract.sources import Source, max_download_bytes
from extract.stored_documents import PortableDocument, portable
from load import lake
from load.publish import PublishReport
from load.publish import publish as publish_warehouse
from load.rows import DocumentMeta, RunRow, fetch_failure_row
from pipeline.document import process_document_within_limits
from pipeline.progress import report
from pipeline.record_cache import document_hints
from transform.record import PARSER_VERSION, DocHints, MinutesRecord

FETCH_BATCH = 100
EXTRACT_BATCH = 50
# The lake writes files of up to 200 documents: one load per file. Four 50-document loads took
# 1.6-4.1 s where one call writes the same rows in 0.3-0.5 s (`make bench`, 200 documents).
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


def discover(source: Source, data_dir: DataDir, *, since: dt.date | None = None,
             until: dt.date | None = None, incremental: bool = True,
             refetch: bool = False) -> crawl.Discovery:
    """Walk the listing pages: which documents the source publishes, and which are new."""
    return crawl.discover(source, data_dir, since=since, until=until, incremental=incremental,
                          refetch=refetch)


def fetch(entries: list[Any], source: Source, data_dir: DataDir,
          on_progress: Callable[[int], None] | None = None) -> crawl.FetchReport:
    """Download one batch of detail pages and attachments into the raw store."""
    return crawl.fetch_entries(entries, source, data_dir, on_progress=on_progress)


@dataclass(frozen=True)
class RawUnreadable:
    """A document whose stored bytes are missing or not the bytes it was stored as: not extracted,
    not loaded (the warehouse keeps what it had); the run reports it and goes on."""

    doc_id: str
    reason: str  # "<code>: <one line>", code raw_missing | raw_corrupt


def too_large(doc: crawl.FetchedDocument) -> MinutesRecord | None:
    """The record of a document over the size cap (an ingested file, never copied to the raw store),
    quarantined without being read; None for every other document."""
    if not is_oversized(doc.byte_size):
        return None
    return MinutesRecord(doc_id=doc.doc_id, status="quarantined", quarantine_reason=(
        f"{TOO_LARGE}: {doc.byte_size} bytes, over the {max_download_bytes()} byte limit "
        "(max_download_bytes); not read, not copied to the raw store"))


def extract(documents: list[crawl.FetchedDocument], ocr: bool = True) -> list[MinutesRecord | RawUnreadable]:
    """Read and parse one batch of raw documents; CPU-bound. Bad documents come back quarantined.
    `ocr` off: scanned pages are not read, scans stay quarantined no_text_layer.

    Records only, in the order of `documents`: the caller pairs them with the documents it holds.
    Progress is reported per document (to whoever watches this process).
    Each document is read in an extraction worker (extract/isolation.py): time and memory capped,
    one per core at once; its bytes are checked against their SHA-256 first.
    """
    def one(doc: crawl.FetchedDocument) -> MinutesRecord | RawUnreadable:
        try:
            data = read_verified(doc.raw_path, doc.doc_id)
        except RawDamaged as damaged:
            result: MinutesRecord | RawUnreadable = RawUnreadable(doc.doc_id, damaged.reason)
        else:
            result = process_document_within_limits(data, doc.suffix, document_hints(doc), ocr=ocr)
        report().advance("extract", 1)
        return result

    return _on_every_worker(one, documents)


def portable_parameters(documents: list[crawl.FetchedDocument]) -> dict[str, Any]:
    """extract_portable's parameters for a batch: bytes or storage URLs, never local paths, so the
    batch can be parsed on a machine that shares nothing with this one but the object store."""
    return {"documents": [_portable_or_missing(doc) for doc in documents],
            "hints": [document_hints(doc) for doc in documents]}


def _portable_or_missing(doc: crawl.FetchedDocument) -> PortableDocument:
    try:
        return portable(doc)
    except OSError:  # a local raw file gone: neither bytes nor URL, the worker reports raw_missing
        return PortableDocument(doc.doc_id, doc.suffix)


def extract_portable(documents: list[PortableDocument], hints: list[DocHints],
                     ocr: bool = True) -> list[MinutesRecord | RawUnreadable]:
    """`extract` for a worker elsewhere (a Dask cluster): the same records, from bytes or URLs,
    checked against their SHA-256 and read in that machine's extraction worker (time and memory
    capped). Progress is the caller's to report, per batch: the worker's process has no one watching."""
    def one(item: tuple[PortableDocument, DocHints]) -> MinutesRecord | RawUnreadable:
        doc, doc_hints = item
        try:
            data = doc.read()
        except (OSError, ValueError) as missing:
            return RawUnreadable(doc.doc_id, f"{RAW_MISSING}: {' '.join(str(missing).split())}")
        if hashlib.sha256(data).hexdigest() != doc.doc_id:
            return RawUnreadable(doc.doc_id, f"{RAW_CORRUPT}: the stored bytes of {doc.doc_id[:12]} "
                                             "no longer match their SHA-256: damaged")
        return process_document_within_limits(data, doc.suffix, doc_hints, ocr=ocr)

    return _on_every_worker(one, list(zip(documents, hints, strict=True)))


def _on_every_worker(read_one: Callable[[Any], MinutesRecord | RawUnreadable],
                     items: list[Any]) -> list[MinutesRecord | RawUnreadable]:
    """`read_one` over `items`, in their order, from as many threads as this process has extraction
    workers: each thread waits on its worker's pipe while the worker parses, so the cores work in
    parallel without a process pool's second start-up (extract/isolation.py)."""
    threads = min(len(items), workers_per_process())
    pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="extract") if threads > 1 else None
    try:
        return list(pool.map(read_one, items)) if pool else [read_one(item) for item in items]
    except Exception:
        raise  # one batch's bug: the other callers of this process's workers go on
    except BaseException:
        # Ctrl-C, SIGTERM (Prefect raises it in this thread), process-wide: without this, leaving
        # waits for every document being read to reach its time limit (60 s, more for scans).
        abort_shared_pool()
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def load(data_dir: DataDir, extracted: list[Extracted]) -> int:
    """Write one batch of records to the Parquet lake (the warehouse is published once, at the end)."""
    return lake.write_documents(data_dir.lake_store,
                                [(document_meta(item), item.record) for item in extracted])


def record_run(data_dir: DataDir, run: RunRow) -> None:
    lake.write_run(data_dir.lake_store, run)


def snapshot_fetch_failures(data_dir: DataDir) -> int:
    """The manifest's standing fetch failures → the lake's `fetch_failures` snapshot."""
    with Manifest(data_dir.manifest) as manifest:
        rows = [fetch_failure_row(dict(row)) for row in manifest.fetch_failures()]
    lake.write_fetch_failures(data_dir.lake_store, rows)
    return len(rows)


def publish(data_dir: DataDir) -> PublishReport:
    """Lake → DuckDB. DuckDB has one writer: publish waits (file lock) for another run's publish."""
    return publish_warehouse(data_dir)


def document_meta(item: Extracted) -> DocumentMeta:
    """The `documents` row: what this run knows of the document, and what its record says."""
    doc, record = item.document, item.record
    return DocumentMeta(
        doc_id=record.doc_id, source=doc.source, url=doc.url,
        title=doc.title or record.meeting.title, published_at=doc.published_at,
        fetched_at=doc.fetched_at, byte_size=doc.byte_size, page_count=record.page_count,
        status=record.status, quarantine_reason=record.quarantine_reason, parser_version=PARSER_VERSION,
    )
