"""Table output for people: floats rounded, numbers right-aligned; CSV and JSON keep every digit."""

from __future__ import annotations

import json
import re

import pytest
from rich.console import Console

from minutes_etl.output import TableFormat, print_rows

COLUMNS = ["name", "x0", "pages"]
ROWS = [("第一段", 111.05440079999994, 3), ("第二段", 0.00000015, 12345), ("第三段", None, None)]


def test_piped_table_rounds_floats(capsys: pytest.CaptureFixture[str]) -> None:
    print_rows(Console(force_terminal=False), COLUMNS, ROWS, TableFormat.table)
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["name\tx0\tpages", "第一段\t111.0544\t3", "第二段\t1.5e-07\t12345", "第三段\t\t"]


@pytest.mark.parametrize(("value", "shown"), [(2.5, "2.5"), (-0.00001, "-1e-05"), (0.0, "0"), (-0.00000, "0"),
                                              (1234567.891234, "1234567.8912"), (float("nan"), "nan"),
                                              (float("-inf"), "-inf")])
def test_float_cells(capsys: pytest.CaptureFixture[str], value: float, shown: str) -> None:
    print_rows(Console(force_terminal=False), ["v"], [(value,)], TableFormat.table)
    assert capsys.readouterr().out.splitlines()[1] == shown


def test_csv_and_json_keep_every_digit(capsys: pytest.CaptureFixture[str]) -> None:
    print_rows(Console(force_terminal=False), COLUMNS, ROWS, TableFormat.csv)
    assert "111.05440079999994" in capsys.readouterr().out
    print_rows(Console(force_terminal=False), COLUMNS, ROWS, TableFormat.json)
    assert json.loads(capsys.readouterr().out)[0]["x0"] == 111.05440079999994


def test_terminal_table_right_aligns_number_columns() -> None:
    console = Console(force_terminal=True, width=100, record=True, color_system=None)
    print_rows(console, COLUMNS, ROWS, TableFormat.table)
    text = console.export_text()
    assert re.search(r"│ 第一段 │ +111\.0544 │ +3 │", text), text   # numbers pushed right
    assert re.search(r"│ 第二段 │ +1\.5e-07 │ 12345 │", text), text
    assert re.search(r"┃ name +┃ +x0 ┃", text), text                    # text stays left
