"""`minutes export` on the demo warehouse: xlsx read back with openpyxl, CSV with its BOM, Parquet."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest

from extract.datadir import DataDir
from tests.helpers import MINUTES

pytestmark = pytest.mark.integration


def export(data_dir: DataDir, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(MINUTES), "export", "--data-dir", str(data_dir.root), *args],
                          capture_output=True, text=True, timeout=180, check=False)


def warehouse_counts(data_dir: DataDir) -> dict[str, int]:
    with duckdb.connect(str(data_dir.warehouse), read_only=True) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT table_name FROM duckdb_tables() WHERE table_name <> 'schema_migrations'").fetchall()]
        return {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                for table in tables}


def test_xlsx_has_one_sheet_per_table_with_every_row(demo_data_dir: DataDir) -> None:
    done = export(demo_data_dir)  # xlsx is the default, into DATA_DIR/export/
    assert done.returncode == 0, done.stderr
    path = demo_data_dir.root / "export" / "warehouse.xlsx"
    expected = warehouse_counts(demo_data_dir)
    assert expected["paragraphs"] > 500 and "page_furniture" in expected
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        assert set(workbook.sheetnames) == set(expected)
        for table, rows in expected.items():
            sheet = workbook[table]
            values = list(sheet.iter_rows(values_only=True))
            assert len(values) - 1 == rows, table  # less the header
        meetings = list(workbook["meetings"].iter_rows(values_only=True))
        header = meetings[0]
        first = dict(zip(header, meetings[1], strict=True))
        assert isinstance(first["session_no"], int | float) and first["chair_name"]
        assert first["meeting_date"].year >= 2020  # an Excel date, not text
    finally:
        workbook.close()


def test_csv_files_start_with_a_bom_and_read_back_in_full(demo_data_dir: DataDir, tmp_path: Path) -> None:
    done = export(demo_data_dir, "--format", "csv", "--out", str(tmp_path), "meetings", "attendance")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["attendance.csv", "meetings.csv"]
    counts = warehouse_counts(demo_data_dir)
    for table in ("meetings", "attendance"):
        data = (tmp_path / f"{table}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        with (tmp_path / f"{table}.csv").open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert len(rows) - 1 == counts[table]
    assert "李亚平" in (tmp_path / "meetings.csv").read_text(encoding="utf-8-sig")


def test_parquet_keeps_the_column_types(demo_data_dir: DataDir, tmp_path: Path) -> None:
    done = export(demo_data_dir, "--format", "parquet", "--out", str(tmp_path), "meetings", "paragraphs")
    assert done.returncode == 0, done.stderr
    meetings = pq.read_table(tmp_path / "meetings.parquet")
    assert meetings.num_rows == warehouse_counts(demo_data_dir)["meetings"]
    assert str(meetings.schema.field("meeting_date").type) == "date32[day]"
    assert str(pq.read_table(tmp_path / "paragraphs.parquet").schema.field("x0").type) == "double"


def test_an_unknown_table_is_a_usage_error(demo_data_dir: DataDir, tmp_path: Path) -> None:
    done = export(demo_data_dir, "--out", str(tmp_path), "meetings", "nope")
    assert done.returncode == 2
    assert "no table 'nope' in the warehouse" in done.stderr
    assert list(tmp_path.iterdir()) == []
