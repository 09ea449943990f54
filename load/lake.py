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

On object storage (MINUTES_STORE_URL, extract/datadir.py) the same rules hold without a rename:
an S3 object is visible whole or not at all, so each file is written in place, the data files
first and the `documents` file last, and every reader lists only batches with a `documents` file.
The lock then lives on the loading machine (`LOCAL_LOCKS`): one process loads a lake at a time,
the flow process, as the flows already arrange.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path, PurePath, PurePosixPath

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from extract.datadir import Storage
from load.files import fsync_path, write_stored
from load.locks import file_lock
from load.rows import DocumentMeta, RunRow, partition_year, run_row, table_rows
from load.tables import DOCUMENT_TABLES, FETCH_FAILURES, RUNS, SCHEMAS
from transform.record import MinutesRecord

FETCH_FAILURES_FILE = "snapshot.parquet"

DEFAULT_BATCH_DOCS = 200
LOCK_NAME = ".lock"
# Lock files of lakes on object storage: per machine, named after the lake's URL.
LOCAL_LOCKS = Path(tempfile.gettempdir()) / "minutes-lake-locks"
_RUN_ID = re.compile(r"^[A-Za-z0-9._-]{1,200}$")

DocRows = dict[str, list[dict]]
LakeRoot = Path | Storage  # a local folder, or a folder on object storage


def lake_storage_of(lake_root: LakeRoot) -> Storage:
    return lake_root if isinstance(lake_root, Storage) else Storage.local(lake_root)


def write_documents(
    lake_root: LakeRoot,
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
            written += _flush(lake_storage_of(lake_root), pending)
            pending = {}
    return written + _flush(lake_storage_of(lake_root), pending)


def write_run(lake_root: LakeRoot, run: RunRow) -> None:
    """Record a run (again: a later call for the same run_id replaces the row)."""
    if not _RUN_ID.match(run.run_id):
        raise ValueError(f"run_id {run.run_id!r} must be letters, digits, '.', '_' or '-'")
    table = pa.Table.from_pylist([run_row(run)], schema=SCHEMAS[RUNS])
    storage = lake_storage_of(lake_root)
    target = storage.path(RUNS, f"year={run.started_at.year}", f"{run.run_id}.parquet")
    with file_lock(lake_lock_path(storage), what="the lake"):  # a sweep clears temp files
        _write_parquet(storage, target, table)


def write_fetch_failures(lake_root: LakeRoot, rows: list[dict]) -> None:
    """Replace the snapshot of URLs that failed and have not succeeded since (one file, atomic)."""
    storage = lake_storage_of(lake_root)
    table = pa.Table.from_pylist(rows, schema=SCHEMAS[FETCH_FAILURES])
    with file_lock(lake_lock_path(storage), what="the lake"):
        _write_parquet(storage, storage.path(FETCH_FAILURES, FETCH_FAILURES_FILE), table)


def fetch_failures_files(lake_root: LakeRoot) -> list[PurePath]:
    """The fetch-failures snapshot, once one was written (as lake_files gives paths)."""
    storage = lake_storage_of(lake_root)
    if not storage.exists(FETCH_FAILURES, FETCH_FAILURES_FILE):
        return []
    path = storage.path(FETCH_FAILURES, FETCH_FAILURES_FILE)
    return [Path(path) if storage.is_local else PurePosixPath(path)]


def lake_files(lake_root: LakeRoot, table: str) -> list[PurePath]:
    """The Parquet files of one dataset, committed or not, in batch order: local paths, or the
    object storage's own paths (`bucket/prefix/lake/…`) as PurePosixPath."""
    storage = lake_storage_of(lake_root)
    found = [path for path in storage.files(table)
             if _is_batch_file(path) and PurePosixPath(path).parent.name.startswith("year=")]
    as_path = Path if storage.is_local else PurePosixPath
    return sorted((as_path(path) for path in found), key=lambda path: path.name)


def batch_of(path: PurePath) -> str:
    return path.stem


def lake_lock_path(lake_root: LakeRoot) -> Path:
    storage = lake_storage_of(lake_root)
    if storage.is_local:
        return Path(storage.base) / LOCK_NAME
    return LOCAL_LOCKS / f"{hashlib.sha256(storage.url_prefix.encode()).hexdigest()[:16]}.lock"


def _is_batch_file(path: str) -> bool:
    name = PurePosixPath(path).name
    return name.endswith(".parquet") and not name.startswith(".")


def _is_temp_file(path: str) -> bool:
    name = PurePosixPath(path).name
    return name.startswith(".") and name.endswith(".tmp")


DAMAGED_FOLDER = "_damaged"  # damaged files are moved here, never deleted


def damaged_files(lake_root: LakeRoot) -> list[tuple[PurePath, str]]:
    """Lake files whose Parquet footer cannot be read (zero bytes, cut short, overwritten), with why.
    Reads each file's footer only: cheap enough to check every file at the start of every run."""
    storage = lake_storage_of(lake_root)
    damaged = []
    for table in (*DOCUMENT_TABLES, RUNS):
        for path in lake_files(storage, table):
            try:
                with storage.fs.open_input_file(str(path)) as handle:
                    pq.read_metadata(handle)
            except Exception as error:  # pyarrow's types vary with the damage; the message says which
                damaged.append((path, " ".join(str(error).split())[:200] or type(error).__name__))
    return damaged


def set_aside_damaged(lake_root: LakeRoot) -> list[tuple[PurePath, str]]:
    """Move every damaged file, with the rest of its batch, to `<lake>/_damaged/`; returns the damaged
    files. Their documents are then missing from the lake: the caller reloads them from the raw store
    (a run does so on its own; by hand: `minutes backfill --reprocess --source all`)."""
    storage = lake_storage_of(lake_root)
    damaged = damaged_files(storage)
    if not damaged:
        return []
    with file_lock(lake_lock_path(storage), what="the lake"):
        for path, _ in damaged:
            for table in (*DOCUMENT_TABLES, RUNS):
                if storage.exists(table, path.parent.name, path.name):
                    target = storage.path(DAMAGED_FOLDER, table, path.parent.name, path.name)
                    storage.fs.create_dir(posixpath.dirname(target), recursive=True)
                    storage.fs.move(storage.path(table, path.parent.name, path.name), target)
    return damaged


def document_index(lake_root: LakeRoot) -> dict[str, dict]:
    """doc_id → its `documents` row (newest batch wins), from the readable lake files: what a
    rebuilt manifest knows of each stored document beyond its bytes."""
    storage = lake_storage_of(lake_root)
    index: dict[str, dict] = {}
    for path in lake_files(storage, "documents"):
        try:
            rows = read_lake_file(storage, str(path)).to_pylist()
        except Exception:  # damaged: set aside by the next run; its documents stay unnamed here
            continue
        index.update((row["doc_id"], row) for row in rows)
    return index


def compact(lake_root: LakeRoot) -> int:
    """Maintenance: merge every year partition made of several batches into one batch.

    Returns the number of partitions merged. Not part of a run: many small runs (one batch each)
    leave many small files, and every publish opens them all; call this now and then (e.g. from
    a maintenance job) to bring the file count back to one per table per year. The merged batch
    is newer than its parts, so the ordinary sweep removes them. Documents of a merged partition
    get a new batch id: the next publish reloads them once — which is why a run does not compact
    on its own.
    """
    storage = lake_storage_of(lake_root)
    merged = 0
    with file_lock(lake_lock_path(storage), what="the lake"):
        _sweep(storage)
        by_year: dict[str, list[PurePath]] = defaultdict(list)
        for path in lake_files(storage, "documents"):
            by_year[path.parent.name].append(path)
        for year_dir, documents_files in sorted(by_year.items()):
            if len(documents_files) < 2:
                continue
            batch = _next_batch_id(storage)
            for table in DOCUMENT_TABLES:  # `documents` last: it commits the merged batch
                parts = [_read(storage, storage.path(table, year_dir, path.name)) for path in documents_files]
                parts = [part for part in parts if part is not None]
                if parts:
                    combined = pa.concat_tables(parts, promote_options="default")
                    _write_parquet(storage, storage.path(table, year_dir, f"{batch}.parquet"), combined)
            merged += 1
        _sweep(storage)
    return merged


def _flush(storage: Storage, pending: dict[str, tuple[int, DocRows]]) -> int:
    by_year: dict[int, list[DocRows]] = defaultdict(list)
    for year, rows in pending.values():
        by_year[year].append(rows)
    with file_lock(lake_lock_path(storage), what="the lake"):
        for year, documents in sorted(by_year.items()):
            _write_batch(storage, year, documents)
        _sweep(storage)
    return len(pending)


def _write_batch(storage: Storage, year: int, documents: list[DocRows]) -> None:
    batch = _next_batch_id(storage)
    folders = []
    for table in DOCUMENT_TABLES:
        if table == "documents" and storage.is_local:  # the other tables' files are durable first
            for folder in folders:
                fsync_path(Path(folder))
        rows = [row for document in documents for row in document[table]]
        if rows:
            target = storage.path(table, f"year={year}", f"{batch}.parquet")
            _write_parquet(storage, target, pa.Table.from_pylist(rows, schema=SCHEMAS[table]),
                           sync_folder=table == "documents")
            folders.append(str(PurePosixPath(target).parent))


def _next_batch_id(lake_root: LakeRoot) -> str:
    """Nanosecond clock, zero-padded so names sort as numbers; never behind an existing batch."""
    newest = max((int(batch_of(p)) for p in lake_files(lake_root, "documents")), default=0)
    return f"{max(time.time_ns(), newest + 1):020d}"


def _sweep(storage: Storage) -> None:
    """Drop superseded documents from older batches, uncommitted batches and temp files.

    Caller holds the exclusive lake lock.
    """
    documents_files = lake_files(storage, "documents")
    doc_ids = {
        batch_of(path): read_lake_file(storage, str(path), ["doc_id"]).column("doc_id").to_pylist()
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
                _drop_documents(storage, storage.path(table, path.parent.name, path.name), stale)
    committed = set(doc_ids)
    for table in DOCUMENT_TABLES:
        for path in lake_files(storage, table):
            if batch_of(path) not in committed:
                storage.delete(str(path))
    for table in (*DOCUMENT_TABLES, RUNS):
        for leftover in filter(_is_temp_file, storage.files(table)):
            storage.delete(leftover)


def _drop_documents(storage: Storage, path: str, doc_ids: list[str]) -> None:
    table = _read(storage, path)
    if table is None:
        return
    kept = table.filter(pc.invert(pc.is_in(table.column("doc_id"), value_set=pa.array(doc_ids))))
    if kept.num_rows == 0:
        storage.delete(path)
    elif kept.num_rows < table.num_rows:
        _write_parquet(storage, path, kept)


def read_lake_file(storage: Storage, path: str, columns: list[str] | None = None) -> pa.Table:
    """One batch file as written (ParquetFile, not pq.read_table: no hive `year` column inferred
    from the folder name)."""
    with storage.fs.open_input_file(path) as handle:
        return pq.ParquetFile(handle).read(columns=columns)


def _read(storage: Storage, path: str, columns: list[str] | None = None) -> pa.Table | None:
    try:
        return read_lake_file(storage, path, columns)
    except FileNotFoundError:
        return None


def _write_parquet(storage: Storage, target: str, table: pa.Table, *, sync_folder: bool = True) -> None:
    """Atomic (see load/files.py); `sync_folder=False`: the caller fsyncs the folder later."""
    write_stored(storage, target, lambda handle: pq.write_table(table, handle, compression="zstd"),
                 sync_folder=sync_folder)
