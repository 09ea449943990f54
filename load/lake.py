"""The Parquet lake: one dataset per warehouse table, `<table>/year=YYYY/<batch>.parquet`.

How the lake stays right without a database:

* Documents are written in **batches**: one Parquet file per table per batch, all named after
  the batch id (a zero-padded nanosecond clock, increasing). A batch holds the documents of one
  partition year only, so each batch lives in exactly one `year=` folder.
* Every file is written to a hidden temp name, fsynced, then renamed: a reader never sees half
  a file. The `documents` file is written **last**: it is the batch's commit record. Files of a
  batch without a `documents` file (a writer killed mid-batch) are ignored and swept away.
* The `documents` files are the per-document index: `doc_id` → batch (the file name). When a
  document appears in several batches (loaded twice, reprocessed, its year changed), the
  **newest batch wins**; the warehouse load applies that rule, so duplicates are never loaded.
* After each commit a sweep rewrites older batches without their superseded documents (and
  deletes batches left empty), so the lake itself keeps one copy. A sweep killed half-way is
  harmless (the rule above still picks the right rows) and the next write finishes it.
* Writers hold an exclusive lock on `<lake>/.lock` per batch; the warehouse load holds it
  shared while it reads, so no file disappears under a reader.

A file per batch (default 200 documents) rather than per document keeps the file count, and
so the cost of opening files at load time, low for a large corpus.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from load.files import TEMP_GLOB, fsync_path, write_atomically
from load.locks import file_lock
from load.rows import DocumentMeta, RunRow, partition_year, run_row, table_rows
from load.tables import DOCUMENT_TABLES, FETCH_FAILURES, RUNS, SCHEMAS
from transform.record import MinutesRecord

FETCH_FAILURES_FILE = "snapshot.parquet"

DEFAULT_BATCH_DOCS = 200
LOCK_NAME = ".lock"
_RUN_ID = re.compile(r"^[A-Za-z0-9._-]{1,200}$")

DocRows = dict[str, list[dict]]


def write_documents(
    lake_root: Path,
    items: Iterable[tuple[DocumentMeta, MinutesRecord]],
    *,
    batch_docs: int = DEFAULT_BATCH_DOCS,
) -> int:
    """Write documents to the lake in batches; returns how many documents were written.

    Streams `items`: at most `batch_docs` documents are held in memory. A document given twice
    is written once (the later one wins).
    """
    pending: dict[str, tuple[int, DocRows]] = {}
    written = 0
    for meta, record in items:
        pending[meta.doc_id] = (partition_year(meta, record), table_rows(meta, record))
        if len(pending) >= batch_docs:
            written += _flush(lake_root, pending)
            pending = {}
    return written + _flush(lake_root, pending)


def write_run(lake_root: Path, run: RunRow) -> None:
    """Record a run (again: a later call for the same run_id replaces the row)."""
    if not _RUN_ID.match(run.run_id):
        raise ValueError(f"run_id {run.run_id!r} must be letters, digits, '.', '_' or '-'")
    table = pa.Table.from_pylist([run_row(run)], schema=SCHEMAS[RUNS])
    target = lake_root / RUNS / f"year={run.started_at.year}" / f"{run.run_id}.parquet"
    with file_lock(lake_lock_path(lake_root), what="the lake"):  # a sweep clears temp files
        _write_parquet(target, table)


def write_fetch_failures(lake_root: Path, rows: list[dict]) -> None:
    """Replace the snapshot of URLs that failed and have not succeeded since (one file, atomic)."""
    table = pa.Table.from_pylist(rows, schema=SCHEMAS[FETCH_FAILURES])
    with file_lock(lake_lock_path(lake_root), what="the lake"):
        _write_parquet(fetch_failures_file(lake_root), table)


def fetch_failures_file(lake_root: Path) -> Path:
    return lake_root / FETCH_FAILURES / FETCH_FAILURES_FILE


def lake_files(lake_root: Path, table: str) -> list[Path]:
    """The Parquet files of one dataset, committed or not, in batch order."""
    return sorted((lake_root / table).glob("year=*/*.parquet"), key=lambda path: path.name)


def batch_of(path: Path) -> str:
    return path.stem


def lake_lock_path(lake_root: Path) -> Path:
    return lake_root / LOCK_NAME


def compact(lake_root: Path) -> int:
    """Maintenance: merge every year partition made of several batches into one batch.

    Returns the number of partitions merged. Not part of a run: many small runs (one batch each)
    leave many small files, and every publish opens them all; call this now and then (e.g. from
    a maintenance job) to bring the file count back to one per table per year. The merged batch
    is newer than its parts, so the ordinary sweep removes them. Documents of a merged partition
    get a new batch id: the next publish reloads them once — which is why a run does not compact
    on its own.
    """
    merged = 0
    with file_lock(lake_lock_path(lake_root), what="the lake"):
        _sweep(lake_root)
        by_year: dict[str, list[Path]] = defaultdict(list)
        for path in lake_files(lake_root, "documents"):
            by_year[path.parent.name].append(path)
        for year_dir, documents_files in sorted(by_year.items()):
            if len(documents_files) < 2:
                continue
            batch = _next_batch_id(lake_root)
            for table in DOCUMENT_TABLES:  # `documents` last: it commits the merged batch
                parts = [_read(lake_root / table / year_dir / path.name) for path in documents_files]
                parts = [part for part in parts if part is not None]
                if parts:
                    combined = pa.concat_tables(parts, promote_options="default")
                    _write_parquet(lake_root / table / year_dir / f"{batch}.parquet", combined)
            merged += 1
        _sweep(lake_root)
    return merged


def _flush(lake_root: Path, pending: dict[str, tuple[int, DocRows]]) -> int:
    by_year: dict[int, list[DocRows]] = defaultdict(list)
    for year, rows in pending.values():
        by_year[year].append(rows)
    with file_lock(lake_lock_path(lake_root), what="the lake"):
        for year, documents in sorted(by_year.items()):
            _write_batch(lake_root, year, documents)
        _sweep(lake_root)
    return len(pending)


def _write_batch(lake_root: Path, year: int, documents: list[DocRows]) -> None:
    batch = _next_batch_id(lake_root)
    folders = []
    for table in DOCUMENT_TABLES:
        if table == "documents":  # the other tables' files are durable before the commit
            for folder in folders:
                fsync_path(folder)
        rows = [row for document in documents for row in document[table]]
        if rows:
            target = lake_root / table / f"year={year}" / f"{batch}.parquet"
            _write_parquet(target, pa.Table.from_pylist(rows, schema=SCHEMAS[table]),
                           sync_folder=table == "documents")
            folders.append(target.parent)


def _next_batch_id(lake_root: Path) -> str:
    """Nanosecond clock, zero-padded so names sort as numbers; never behind an existing batch."""
    newest = max((int(batch_of(p)) for p in lake_files(lake_root, "documents")), default=0)
    return f"{max(time.time_ns(), newest + 1):020d}"


def _sweep(lake_root: Path) -> None:
    """Drop superseded documents from older batches, uncommitted batches and temp files.

    Caller holds the exclusive lake lock.
    """
    documents_files = lake_files(lake_root, "documents")
    doc_ids = {
        batch_of(path): pq.ParquetFile(path).read(columns=["doc_id"]).column("doc_id").to_pylist()
        for path in documents_files
    }
    newest: dict[str, str] = {}
    for batch in sorted(doc_ids):
        for doc_id in doc_ids[batch]:
            newest[doc_id] = batch
    for path in documents_files:
        batch = batch_of(path)
        stale = [doc_id for doc_id in doc_ids[batch] if newest[doc_id] != batch]
        if stale:
            for table in DOCUMENT_TABLES:  # `documents` last, as when writing
                _drop_documents(lake_root / table / path.parent.name / path.name, stale)
    committed = set(doc_ids)
    for table in DOCUMENT_TABLES:
        for path in lake_files(lake_root, table):
            if batch_of(path) not in committed:
                path.unlink()
    for leftover in lake_root.glob(f"*/year=*/{TEMP_GLOB}"):
        leftover.unlink()


def _drop_documents(path: Path, doc_ids: list[str]) -> None:
    table = _read(path)
    if table is None:
        return
    kept = table.filter(pc.invert(pc.is_in(table.column("doc_id"), value_set=pa.array(doc_ids))))
    if kept.num_rows == 0:
        path.unlink()
    elif kept.num_rows < table.num_rows:
        _write_parquet(path, kept)


def _read(path: Path) -> pa.Table | None:
    # ParquetFile, not pq.read_table: no hive `year` column inferred from the folder name.
    return pq.ParquetFile(path).read() if path.exists() else None


def _write_parquet(target: Path, table: pa.Table, *, sync_folder: bool = True) -> None:
    """Atomic (see load/files.py); `sync_folder=False`: the caller fsyncs the folder later."""
    write_atomically(target, lambda handle: pq.write_table(table, handle, compression="zstd"),
                     sync_folder=sync_folder)
