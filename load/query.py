"""Reading the published warehouse: read-only connections, ad hoc SQL, the data dictionary.

Readers open the live file read-only and never wait for a publish (see load/publish.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

import duckdb
import pyarrow as pa
import yaml

from extract.datadir import DataDir
from load.sql_files import SQL_DIR, WarehouseError, named_blocks, one_line

T = TypeVar("T")
READ_ONLY_STATEMENTS = frozenset({"SELECT", "EXPLAIN", "PRAGMA", "CALL"})


class WarehouseMissing(WarehouseError):
    pass


class ReadOnlyViolation(WarehouseError):
    pass


class QueryError(WarehouseError):
    pass


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


# Extensions are never fetched or loaded behind the user's back (a `read_csv('http://…')` would
# otherwise try to download httpfs): set when the connection is made, before any statement runs.
SANDBOX_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def connect_readonly(data_dir: DataDir, *, sandbox: bool = True) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse; never waits for a running load.

    `sandbox` (the default, and always for `minutes sql`): the warehouse is the only thing the
    connection can reach, and its configuration is locked (warehouse/connect.sql `sandbox`).
    The warehouse's views and macros read its own tables only, so they keep working.
    """
    if not data_dir.warehouse.exists():
        raise WarehouseMissing(
            f"no warehouse at {data_dir.warehouse} yet: run `minutes run` or `minutes ingest`")
    # ATTACH into a fresh in-memory database rather than duckdb.connect(path): connect() reuses
    # a database instance already open in this process, which would still be the old file
    # after a publish renamed a new one into place.
    connection = duckdb.connect(config=SANDBOX_CONFIG)
    try:
        connection.execute(_connect_sql("attach_readonly"), {"path": str(data_dir.warehouse)})
        connection.execute(_connect_sql("use_warehouse"))
        if sandbox:
            connection.execute(_connect_sql("sandbox"))
    except duckdb.Error as error:
        connection.close()
        raise WarehouseError(f"cannot open {data_dir.warehouse}: {one_line(error)}") from None
    return connection


def run_query(data_dir: DataDir, sql: str) -> tuple[list[str], list[tuple]]:
    """Run read-only SQL; returns the column names and rows of the last statement."""
    def fetch(connection: duckdb.DuckDBPyConnection, last: duckdb.Statement) -> tuple[list[str], list[tuple]]:
        result = connection.execute(last)
        columns = [column[0] for column in result.description or []]
        return columns, result.fetchall() if result.description else []

    return _run_read_only(data_dir, sql, fetch)


def run_query_arrow(data_dir: DataDir, sql: str) -> pa.Table:
    """Like run_query, the last statement's result as an Arrow table: column types kept (exports)."""
    return _run_read_only(data_dir, sql, lambda connection, last: connection.sql(last.query).to_arrow_table())


def _run_read_only(data_dir: DataDir, sql: str,
                   fetch: Callable[[duckdb.DuckDBPyConnection, duckdb.Statement], T]) -> T:
    """Check every statement is read-only, run all but the last, and fetch the last one's result."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        raise QueryError(one_line(error)) from None
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
    except duckdb.PermissionException as refused:
        raise ReadOnlyViolation("refused: minutes sql reads the warehouse only (no files, network, "
                                f"extensions or settings): {one_line(refused)}") from None
    except duckdb.InvalidInputException as refused:
        if "configuration has been locked" not in str(refused):
            raise QueryError(one_line(refused)) from None
        raise ReadOnlyViolation(
            f"refused: the settings of minutes sql are locked: {one_line(refused)}") from None
    except duckdb.Error as error:
        raise QueryError(one_line(error)) from None
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
    return named_blocks(file_name)


@cache
def _dictionary() -> dict[str, TableDoc]:
    raw = yaml.safe_load((SQL_DIR / "dictionary.yaml").read_text(encoding="utf-8"))
    entries = {}
    for name, spec in raw.items():
        # `columns_of: <table>`: a view with the very columns of a table is described by that table.
        described = raw[spec["columns_of"]]["columns"] if "columns_of" in spec else spec["columns"]
        columns = tuple(
            ColumnDoc(column, str(info["type"]), str(info["meaning"]).strip(),
                      None if info.get("example") is None else str(info["example"]))
            for column, info in described.items()
        )
        entries[name] = TableDoc(name, spec.get("kind", "table"), str(spec["description"]).strip(),
                                 tuple(spec.get("key", ())), columns)
    return entries


def _connect_sql(name: str) -> str:
    return named_blocks("connect.sql")[name]
