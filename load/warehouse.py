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
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TypeVar

import duckdb
import pyarrow as pa
import yaml

from load.files import replace_durably
from load.lake import batch_of, lake_files, lake_lock_path
from load.locks import LockTimeout, file_lock
from load.tables import ALL_TABLES, DOCUMENT_TABLES, RUNS
from minutes_etl.settings import DataDir

T = TypeVar("T")
SQL_DIR = Path(__file__).resolve().parents[1] / "warehouse"
READ_ONLY_STATEMENTS = frozenset({"SELECT", "EXPLAIN", "PRAGMA", "CALL"})
_MIGRATION_FILE = re.compile(r"^(\d+)_(\w+)\.sql$")


class WarehouseError(RuntimeError):
    """A warehouse operation that could not be done; the message is one line for the user."""


class WarehouseMissing(WarehouseError):
    pass


class WarehouseLocked(WarehouseError):
    pass


class ReadOnlyViolation(WarehouseError):
    pass


class QueryError(WarehouseError):
    pass


@dataclass
class PublishReport:
    warehouse: Path
    documents_reloaded: int      # new, reprocessed or removed documents whose rows were replaced
    table_rows: dict[str, int]   # rows per table after the publish
    migrations_applied: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class ColumnDoc:
    name: str
    type: str
    meaning: str
    example: str | None


@dataclass(frozen=True)
class TableDoc:
    name: str
    kind: str                    # "table" | "view" | "macro"
    description: str
    key: tuple[str, ...]
    columns: tuple[ColumnDoc, ...]


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
            connection.execute(_read_sql("views.sql"))
            with file_lock(lake_lock_path(data_dir.lake), what="the lake", shared=True):
                reloaded = _load_from_lake(connection, data_dir.lake)
            counts = {t: _one(connection, _sql("count_rows", table=t)) for t in ALL_TABLES}
            connection.execute("CHECKPOINT")
        finally:
            connection.close()
    except duckdb.Error as error:  # the live warehouse is untouched; say why in one line
        _remove(staging, staging.with_name(staging.name + ".wal"))
        raise WarehouseError(f"publish failed, warehouse unchanged: {_one_line(error)}") from None
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


def connect_readonly(data_dir: DataDir) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse; never waits for a running load."""
    if not data_dir.warehouse.exists():
        raise WarehouseMissing(
            f"no warehouse at {data_dir.warehouse} yet: run `minutes run` or `minutes ingest`")
    # ATTACH into a fresh in-memory database rather than duckdb.connect(path): connect() reuses
    # a database instance already open in this process, which would still be the old file
    # after a publish renamed a new one into place.
    connection = duckdb.connect()
    try:
        connection.execute(_connect_sql("attach_readonly"), {"path": str(data_dir.warehouse)})
        connection.execute(_connect_sql("use_warehouse"))
    except duckdb.Error as error:
        connection.close()
        raise WarehouseError(f"cannot open {data_dir.warehouse}: {_one_line(error)}") from None
    return connection


def run_query(data_dir: DataDir, sql: str) -> tuple[list[str], list[tuple]]:
    """Run read-only SQL; returns the column names and rows of the last statement."""
    def fetch(connection: duckdb.DuckDBPyConnection, last: Statement) -> tuple[list[str], list[tuple]]:
        result = connection.execute(last)
        columns = [column[0] for column in result.description or []]
        return columns, result.fetchall() if result.description else []

    return _run_read_only(data_dir, sql, fetch)


def run_query_arrow(data_dir: DataDir, sql: str) -> pa.Table:
    """Like run_query, the last statement's result as an Arrow table: column types kept (exports)."""
    return _run_read_only(data_dir, sql, lambda connection, last: connection.sql(last.query).to_arrow_table())


Statement = duckdb.Statement


def _run_read_only(data_dir: DataDir, sql: str,
                   fetch: Callable[[duckdb.DuckDBPyConnection, Statement], T]) -> T:
    """Check every statement is read-only, run all but the last, and fetch the last one's result."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        raise QueryError(_one_line(error)) from None
    if not statements:
        raise QueryError("no SQL statement given")
    for statement in statements:
        kind = statement.type.name
        if kind not in READ_ONLY_STATEMENTS:
            raise ReadOnlyViolation(
                f"the warehouse is read-only here: {kind} statements are not allowed "
                f"(allowed: {', '.join(sorted(READ_ONLY_STATEMENTS))})")
    connection = connect_readonly(data_dir)
    try:
        for statement in statements[:-1]:
            connection.execute(statement)
        return fetch(connection, statements[-1])
    except duckdb.Error as error:
        raise QueryError(_one_line(error)) from None
    finally:
        connection.close()


def describe(table: str | None = None) -> list[TableDoc]:
    """The data dictionary: every table, view and macro, or the one named."""
    entries = _dictionary()
    if table is None:
        return list(entries.values())
    if table not in entries:
        raise WarehouseError(f"unknown table {table!r}; known: {', '.join(entries)}")
    return [entries[table]]


def dictionary_rows(table: str | None = None) -> tuple[list[str], list[tuple]]:
    """The data dictionary as a result set (like run_query), one row per column."""
    header = ["table", "kind", "column", "type", "meaning", "example"]
    rows = [(entry.name, entry.kind, column.name, column.type, column.meaning, column.example)
            for entry in describe(table) for column in entry.columns]
    return header, rows


def report_queries() -> dict[str, str]:
    """Copy-paste report queries: file name (without .sql) → SQL, from warehouse/reports/."""
    return {path.stem: path.read_text(encoding="utf-8").strip()
            for path in sorted((SQL_DIR / "reports").glob("*.sql"))}


def named_queries(file_name: str) -> dict[str, str]:
    """The `-- name: x` blocks of warehouse/<file_name> (e.g. status.sql), name → SQL, in file order."""
    return _named_blocks(file_name)


def _load_from_lake(connection: duckdb.DuckDBPyConnection, lake: Path) -> int:
    """One transaction: replace the rows of every stale document, then the runs."""
    connection.execute("BEGIN TRANSACTION")
    try:
        if _set_lake_files(connection, lake_files(lake, "documents")):
            connection.execute(_sql("lake_current"))
        else:
            connection.execute(_sql("lake_current_empty"))
        connection.execute(_sql("stale_documents"))
        reloaded = _one(connection, _sql("count_stale"))
        # Only the batches holding a stale document's current rows are read again.
        batches = {row[0] for row in connection.execute(_sql("stale_batches")).fetchall()}
        for table in DOCUMENT_TABLES:
            connection.execute(_sql("delete_stale", table=table))
            if _set_lake_files(connection, [p for p in lake_files(lake, table) if batch_of(p) in batches]):
                block = "insert_current_documents" if table == "documents" else "insert_current"
                connection.execute(_sql(block, table=table))
        connection.execute(_sql("delete_runs"))
        if _set_lake_files(connection, lake_files(lake, RUNS)):
            connection.execute(_sql("insert_runs"))
        connection.execute("COMMIT")
    except Exception:
        connection.execute("ROLLBACK")
        raise
    return reloaded


def _set_lake_files(connection: duckdb.DuckDBPyConnection, files: list[Path]) -> bool:
    """Hand the file list to the next statement (variable `lake_files`); False when empty."""
    connection.execute(_sql("set_lake_files"), {"files": [str(path) for path in files]})
    return bool(files)


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


@cache
def _read_sql(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def _publish_blocks() -> dict[str, str]:
    """`-- name: x` blocks of publish.sql."""
    return _named_blocks("publish.sql")


@cache
def _named_blocks(file_name: str) -> dict[str, str]:
    """`-- name: x` blocks of a warehouse/*.sql file: name → SQL up to the next `-- name:`."""
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in _read_sql(file_name).splitlines():
        if line.startswith("-- name:"):
            current = blocks.setdefault(line.removeprefix("-- name:").strip(), [])
        elif current is not None:
            current.append(line)
    return {name: "\n".join(lines).strip() for name, lines in blocks.items()}


def _connect_sql(name: str) -> str:
    return _named_blocks("connect.sql")[name]


def _sql(name: str, *, table: str | None = None) -> str:
    text = _publish_blocks()[name]
    if table is not None:
        if table not in ALL_TABLES:  # identifiers come from our own list, never from input
            raise ValueError(f"unknown table {table}")
        text = text.replace("{table}", table)
    return text


@cache
def _dictionary() -> dict[str, TableDoc]:
    raw = yaml.safe_load((SQL_DIR / "dictionary.yaml").read_text(encoding="utf-8"))
    entries = {}
    for name, spec in raw.items():
        columns = tuple(
            ColumnDoc(column, str(info["type"]), str(info["meaning"]).strip(),
                      None if info.get("example") is None else str(info["example"]))
            for column, info in spec["columns"].items()
        )
        entries[name] = TableDoc(name, spec.get("kind", "table"), str(spec["description"]).strip(),
                                 tuple(spec.get("key", ())), columns)
    return entries


def _remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())
