"""Query results on stdout: a rich table on a terminal, plain tab-separated lines when piped,
CSV or JSON on request. Warehouse values (dates, decimals, intervals, lists, structs) are written
so that other tools read them back unchanged."""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from load.result_values import cell_text, json_value

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


def _escaped(cell: str) -> str:
    """One tab-separated cell on one line: backslash, tab, newline and CR written as escapes."""
    return (cell.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))
