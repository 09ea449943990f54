"""`minutes export`: warehouse tables to files people open — xlsx (one sheet per table), CSV, Parquet.

- xlsx: XlsxWriter, row by row (constant memory); strings stay strings (a document's text starting
  with `=` never becomes a formula, `0512` never a number); dates are Excel dates.
- CSV: one file per table, UTF-8 with a byte-order mark, so Excel shows Chinese; cells as
  `minutes sql --format csv` writes them (lists as JSON). `minutes sql` on stdout writes no BOM: a
  pipe's reader (another program) would take it for part of the first column's name.
- Parquet: one file per table, the warehouse's column types kept.

Files are written under a temporary name and renamed: an interrupted export leaves no half file.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

from extract.datadir import DataDir
from load import query
from load.result_values import cell_text, json_value
from load.tables import ALL_TABLES

XLSX_MAX_ROWS = 1_048_576 - 1  # Excel's rows a sheet, less the header
XLSX_NAME = "warehouse.xlsx"


class ExportFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"
    parquet = "parquet"


class ExportError(RuntimeError):
    """The export could not be done; one line for the user."""


class UnknownTable(ExportError):
    pass


@dataclass(frozen=True)
class Exported:
    table: str
    rows: int
    path: Path


def warehouse_tables(data_dir: DataDir) -> dict[str, bool]:
    """Table (or view) name → is a view, the pipeline's tables first in load order, then the others."""
    _, rows = query.run_query(data_dir, _sql("tables"))
    found = dict(rows)
    order = [name for name in ALL_TABLES if name in found] + sorted(set(found) - set(ALL_TABLES))
    return {name: found[name] for name in order}


def export(data_dir: DataDir, fmt: ExportFormat, out: Path | None,
           tables: Sequence[str] = ()) -> list[Exported]:
    """Write the named tables (or every table, views left out) and return what was written."""
    available = warehouse_tables(data_dir)
    unknown = [name for name in tables if name not in available]
    if unknown:
        raise UnknownTable(f"no table {', '.join(map(repr, unknown))} in the warehouse; "
                           f"tables: {', '.join(name for name, view in available.items() if not view)}")
    chosen = list(dict.fromkeys(tables)) or [name for name, is_view in available.items() if not is_view]
    target = (out or data_dir.root / "export").resolve()
    if fmt is ExportFormat.xlsx:
        if target.is_dir() or out is None:
            target = target / XLSX_NAME
        return _xlsx(data_dir, chosen, target)
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} is a file: --out takes a folder for --format {fmt.value}")
    target.mkdir(parents=True, exist_ok=True)
    done = []
    for table in chosen:
        data = _read(data_dir, table)
        path = target / f"{table}.{fmt.value}"
        if fmt is ExportFormat.csv:
            _atomic(path, lambda temp, data=data: _csv(data, temp))
        else:
            _atomic(path, lambda temp, data=data: pq.write_table(data, temp, compression="zstd"))
        done.append(Exported(table, data.num_rows, path))
    return done


def _read(data_dir: DataDir, table: str) -> pa.Table:
    return query.run_query_arrow(data_dir, _sql("table_rows").replace("{table}", table))


def _csv(data: pa.Table, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # utf-8-sig: the BOM
        writer = csv.writer(handle)
        writer.writerow(data.column_names)
        for batch in data.to_batches():
            writer.writerows([cell_text(value) for value in row.values()] for row in batch.to_pylist())


def _xlsx(data_dir: DataDir, tables: list[str], path: Path) -> list[Exported]:
    path.parent.mkdir(parents=True, exist_ok=True)
    done: list[Exported] = []

    def write(temp: Path) -> None:
        workbook = xlsxwriter.Workbook(str(temp), {
            "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False, "default_date_format": "yyyy-mm-dd"})
        header = workbook.add_format({"bold": True, "bg_color": "#e8eef6"})
        formats = {dt.datetime: workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
                   dt.date: workbook.add_format({"num_format": "yyyy-mm-dd"})}
        try:
            for table in tables:
                data = _read(data_dir, table)
                if data.num_rows > XLSX_MAX_ROWS:
                    raise ExportError(f"table {table} has {data.num_rows} rows, more than an xlsx sheet "
                                      f"holds ({XLSX_MAX_ROWS}): use --format csv or parquet")
                sheet = workbook.add_worksheet(table[:31])  # Excel's limit on sheet names
                sheet.freeze_panes(1, 0)
                for column, name in enumerate(data.column_names):
                    sheet.write_string(0, column, name, header)
                    sheet.set_column(column, column, min(max(len(name) + 2, 12), 60))
                row_number = 0
                for batch in data.to_batches():
                    for row in batch.to_pylist():
                        row_number += 1
                        for column, value in enumerate(row.values()):
                            _cell(sheet, row_number, column, value, formats)
                sheet.autofilter(0, 0, row_number, max(len(data.column_names) - 1, 0))
                done.append(Exported(table, data.num_rows, path))
        finally:
            workbook.close()

    _atomic(path, write)
    return done


def _cell(sheet: Any, row: int, column: int, value: Any, formats: dict[type, Any]) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, column, float(value))
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, column, value.replace(tzinfo=None), formats[dt.datetime])
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, column, value, formats[dt.date])
    elif isinstance(value, str):
        sheet.write_string(row, column, value)
    else:  # lists, structs, intervals: as `minutes sql` shows them
        sheet.write_string(row, column, json.dumps(json_value(value), ensure_ascii=False)
                           if isinstance(value, list | dict) else cell_text(value))


def _atomic(path: Path, write: Any) -> None:
    temp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        write(temp)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _sql(name: str) -> str:
    return query.named_queries("export.sql")[name]
