"""Query results on stdout: a rich table on a terminal, plain tab-separated lines when piped,
CSV or JSON on request. Warehouse values (dates, decimals, intervals, lists, structs) are written
so that other tools read them back unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import sys
import uuid
from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

FLOAT_DECIMALS = 4  # in table output


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def print_rows(stdout: Console, columns: Sequence[str], rows: Sequence[Sequence[Any]], output: TableFormat,
               ) -> None:
    if output is TableFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[cell_text(v) for v in row] for row in rows])
    elif output is TableFormat.json:
        records = [dict(zip(columns, map(json_value, row), strict=True)) for row in rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    elif not stdout.is_terminal:  # piped: plain tab-separated lines, nothing cut to fit a width
        sys.stdout.write("\t".join(_escaped(name) for name in columns) + "\n")
        for row in rows:
            sys.stdout.write("\t".join(_escaped(_table_cell(v)) for v in row) + "\n")
    else:
        table = Table(show_lines=False)
        for index, name in enumerate(columns):
            numeric = _is_numeric_column(row[index] for row in rows)
            table.add_column(name, justify="right" if numeric else "left")
        for row in rows:
            table.add_row(*(Text(_table_cell(v)) for v in row))  # Text: a value's "[b]" is no markup
        stdout.print(table)
        stdout.print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def _table_cell(value: Any) -> str:
    """A cell for people to read: floats rounded (a coordinate 111.05440079999994 reads 111.0544);
    CSV and JSON keep every digit."""
    if isinstance(value, float) and math.isfinite(value):
        return _rounded(value)
    return cell_text(value)


def _rounded(value: float) -> str:
    if value != 0 and abs(value) < 10 ** -FLOAT_DECIMALS:
        return f"{value:.{FLOAT_DECIMALS}g}"  # tiny values keep their significant digits: 1.5e-07
    text = f"{value:.{FLOAT_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _is_numeric_column(values: Any) -> bool:
    """Numbers are right-aligned: a column whose values (nulls aside) are all numbers."""
    seen = False
    for value in values:
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return False
        seen = True
    return seen


def json_value(value: Any) -> Any:
    """A warehouse value as JSON: dates and times ISO strings, decimals numbers (doubles: cast to
    VARCHAR in the query for more than ~15 digits), intervals ISO-8601 durations, NaN/inf null."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.timedelta):
        return _iso_duration(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):  # STRUCT, MAP (whose keys may be numbers or dates)
        return {k if isinstance(k, str) else str(json_value(k)): json_value(v) for k, v in value.items()}
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)


def cell_text(value: Any) -> str:
    """A warehouse value in a CSV or table cell: lists and structs as JSON, decimals exact."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # every digit; NaN and infinities as nan, inf (JSON has none: null there)
    if isinstance(value, list | tuple | dict):
        return json.dumps(json_value(value), ensure_ascii=False)
    return str(json_value(value))


def _escaped(cell: str) -> str:
    """One tab-separated cell on one line: backslash, tab, newline and CR written as escapes."""
    return (cell.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def _iso_duration(delta: dt.timedelta) -> str:
    """timedelta(days=1, hours=2) -> P1DT2H; DuckDB gives a month as 30 days."""
    sign, delta = ("-", -delta) if delta < dt.timedelta(0) else ("", delta)
    hours, rest = divmod(delta.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    second_text = f"{seconds}.{delta.microseconds:06d}".rstrip("0") if delta.microseconds else str(seconds)
    clock = "".join(f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M")) if n)
    clock += f"{second_text}S" if seconds or delta.microseconds else ""
    days = f"{delta.days}D" if delta.days else ""
    return f"{sign}P{days}T{clock}" if clock else f"{sign}P{days or '0D'}"
