"""The DuckDB warehouse: publish it from the lake, read it without ever waiting for a load.

Publishing never touches the live file `data/warehouse.duckdb`. It copies it to a staging file,
migrates the copy, brings it up to date with the lake in one transaction (new and reprocessed
documents' rows deleted and inserted, documents gone from the lake removed), checkpoints, and
renames the copy over the live file. Readers open the live file read-only: one that opened it
before the rename keeps reading the old version (the old inode), the next one sees the new.
A publish killed at any point leaves the live file as it was; the next publish starts over
from a fresh copy. One publisher at a time (a lock file); readers take no lock.
"""

from __future__ import annotations

import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import duckdb
import pyarrow as pa

from extract.datadir import DataDir, Storage
from load.files import replace_durably
from load.lake import (
    batch_of,
    damaged_files,
    fetch_failures_files,
    lake_files,
    lake_lock_path,
    read_lake_file,
)
from load.locks import LockTimeout, file_lock
from load.sql_files import SQL_DIR, WarehouseError, named_blocks, one_line, read_sql
from load.tables import ALL_TABLES, DOCUMENT_TABLES, RUNS

# Lake files fetched from object storage at once: S3 round trips, not CPU, bound a publish.
LAKE_READ_THREADS = 8
_MIGRATION_FILE = re.compile(r"^(\d+)_(\w+)\.sql$")


class WarehouseLocked(WarehouseError):
    pass


@dataclass
class PublishReport:
    warehouse: Path
    documents_reloaded: int      # new, reprocessed or removed documents whose rows were replaced
    table_rows: dict[str, int]   # rows per table after the publish
    migrations_applied: list[str] = field(default_factory=list)
    seconds: float = 0.0


def publish(data_dir: DataDir, *, lock_timeout: float = 600.0, rebuild: bool = False) -> PublishReport:
    """Bring the warehouse up to date with the lake and publish it atomically.

    `rebuild` starts from an empty database instead of a copy of the live one (every document
    reloaded), e.g. after a damaged file or a schema change no migration covers.
    """
    started = time.monotonic()
    live = data_dir.warehouse
    try:
        with file_lock(live.with_name(live.name + ".lock"), what="the warehouse", timeout=lock_timeout):
            report = _build_and_swap(data_dir, rebuild=rebuild)
    except LockTimeout as locked:
        raise WarehouseLocked(f"{locked}; another load is publishing, try again later") from None
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _build_and_swap(data_dir: DataDir, *, rebuild: bool) -> PublishReport:
    """Staging copy → migrate → load → rename over the live file. Caller holds the publish lock."""
    live = data_dir.warehouse
    staging = live.with_name(live.name + ".staging")
    _remove(staging, staging.with_name(staging.name + ".wal"))  # a killed publish's leftovers
    try:
        if live.exists() and not rebuild and _opens(live):
            shutil.copyfile(live, staging)
        # else: a fresh database; the lake is the source of truth, so every document is reloaded
        connection = duckdb.connect(str(staging))
        try:
            applied = migrate(connection)
            connection.execute(read_sql("views.sql"))
            lake = data_dir.lake_store
            with file_lock(lake_lock_path(lake), what="the lake", shared=True):
                reloaded = _load_from_lake(connection, lake)
            counts = {t: _one(connection, _sql("count_rows", table=t)) for t in ALL_TABLES}
            connection.execute("CHECKPOINT")
        finally:
            connection.close()
    except duckdb.Error as error:  # the live warehouse is untouched; say why in one line
        _remove(staging, staging.with_name(staging.name + ".wal"))
        damaged = damaged_files(data_dir.lake_store)
        if damaged:  # name the file, not the Thrift error it causes
            path, why = damaged[0]
            raise WarehouseError(
                f"publish failed, warehouse unchanged: damaged lake file {path} ({why})"
                + (f" and {len(damaged) - 1} more" if len(damaged) > 1 else "")
                + "; the next run sets it aside and reloads its documents from the raw store "
                  "(or: minutes repair, then minutes backfill --reprocess --source all)") from None
        raise WarehouseError(f"publish failed, warehouse unchanged: {one_line(error)}") from None
    replace_durably(staging, live)
    return PublishReport(live, reloaded, counts, applied)


def _opens(database: Path) -> bool:
    """Whether the live file is a DuckDB database at all: a damaged one (a disk fault, a bad copy)
    is rebuilt from the lake rather than blocking every later run."""
    try:
        duckdb.connect(str(database), read_only=True).close()
    except duckdb.Error:
        return False
    return True


def migrate(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply schema.sql (version 1) and migrations/NNNN_name.sql not yet in schema_migrations."""
    connection.execute(_sql("schema_migrations"))
    done = {row[0] for row in connection.execute(_sql("applied_versions")).fetchall()}
    applied = []
    for version, name, path in _migrations():
        if version in done:
            continue
        connection.execute("BEGIN TRANSACTION")
        try:
            connection.execute(path.read_text(encoding="utf-8"))
            connection.execute(_sql("record_migration"), {"version": version, "name": name})
            connection.execute("COMMIT")
        except Exception:
            connection.execute("ROLLBACK")
            raise
        applied.append(f"{version:04d}_{name}")
    return applied


def _load_from_lake(connection: duckdb.DuckDBPyConnection, lake: Storage) -> int:
    """One transaction: replace the rows of every stale document, then the runs."""
    connection.execute("BEGIN TRANSACTION")
    try:
        if _set_lake_files(connection, lake, lake_files(lake, "documents")):
            connection.execute(_sql("lake_current"))
        else:
            connection.execute(_sql("lake_current_empty"))
        connection.execute(_sql("stale_documents"))
        reloaded = _one(connection, _sql("count_stale"))
        # Only the batches holding a stale document's current rows are read again.
        batches = {row[0] for row in connection.execute(_sql("stale_batches")).fetchall()}
        for table in DOCUMENT_TABLES:
            connection.execute(_sql("delete_stale", table=table))
            current = [path for path in lake_files(lake, table) if batch_of(path) in batches]
            if _set_lake_files(connection, lake, current):
                block = "insert_current_documents" if table == "documents" else "insert_current"
                connection.execute(_sql(block, table=table))
        connection.execute(_sql("delete_runs"))
        if _set_lake_files(connection, lake, lake_files(lake, RUNS)):
            connection.execute(_sql("insert_runs"))
        connection.execute(_sql("delete_fetch_failures"))
        if _set_lake_files(connection, lake, fetch_failures_files(lake)):
            connection.execute(_sql("insert_fetch_failures"))
        connection.execute("COMMIT")
    except Exception:
        connection.execute("ROLLBACK")
        raise
    return reloaded


def _set_lake_files(connection: duckdb.DuckDBPyConnection, lake: Storage, files: list[PurePath]) -> bool:
    """Hand the files to the next statement as `lake_input`; False when there are none.

    A local lake is read by DuckDB itself (read_parquet). A lake on object storage is read through
    pyarrow.fs into an Arrow table that DuckDB scans in place: DuckDB 2.0.0 has no httpfs offline,
    and reading S3 with duckdb 1.5.5 + httpfs measured as fast as this, within ±10%
    (`benchmarks.lake_on_s3`): no reason to pin DuckDB back a major version (docs/SCALING.md).
    """
    if not files:
        return False
    if lake.is_local:
        connection.execute(_sql("set_lake_files"), {"files": [str(path) for path in files]})
        connection.execute(_sql("lake_input_files"))
        return True
    connection.execute(_sql("drop_lake_input")).fetchall()  # register() wants no unfinished result
    with ThreadPoolExecutor(max_workers=LAKE_READ_THREADS) as pool:
        tables = list(pool.map(lambda path: _with_filename(read_lake_file(lake, str(path)), path), files))
    connection.register("lake_input", pa.concat_tables(tables, promote_options="default"))
    return True


def _with_filename(table: pa.Table, path: PurePath) -> pa.Table:
    """The `filename` column read_parquet(filename = true) adds: the batch id is its stem."""
    return table.append_column("filename", pa.array([str(path)] * table.num_rows, pa.string()))


def _one(connection: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = connection.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _migrations() -> list[tuple[int, str, Path]]:
    found = [(1, "schema", SQL_DIR / "schema.sql")]
    for path in sorted((SQL_DIR / "migrations").glob("*.sql")):
        match = _MIGRATION_FILE.match(path.name)
        if not match:
            raise WarehouseError(f"migration {path.name} must be named NNNN_name.sql")
        found.append((int(match.group(1)), match.group(2), path))
    return sorted(found)


def _sql(name: str, *, table: str | None = None) -> str:
    """A `-- name: x` block of publish.sql, with `{table}` filled from our own table list."""
    text = named_blocks("publish.sql")[name]
    if table is not None:
        if table not in ALL_TABLES:  # identifiers come from our own list, never from input
            raise ValueError(f"unknown table {table}")
        text = text.replace("{table}", table)
    return text


def _remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
