"""`minutes sql` is a sandbox: the warehouse and nothing else, whatever the SQL.

Each route a hostile query could take to a file, the network, an extension or a setting is tried
against a real published warehouse; each is refused with one line, and nothing appears on disk.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
import pytest

from extract.datadir import DataDir
from load.lake import write_documents
from load.publish import publish
from load.query import ReadOnlyViolation, connect_readonly, run_query
from tests.helpers import MINUTES
from tests.load.load_corpus import corpus

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def warehouse(tmp_path: Path) -> DataDir:
    data_dir = DataDir(tmp_path / "data")
    write_documents(data_dir.lake, corpus(3))
    publish(data_dir)
    return data_dir


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:the password file\n", encoding="utf-8")
    return secret


def test_reading_any_file_is_refused(warehouse: DataDir, tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    for query in (f"SELECT * FROM read_text('{secret}')", f"SELECT * FROM read_blob('{secret}')",
                  f"SELECT * FROM read_csv('{secret}', sep=':')", f"SELECT * FROM read_parquet('{secret}')",
                  f"SELECT * FROM sniff_csv('{secret}')", f"SELECT * FROM glob('{tmp_path}/*')",
                  "SELECT * FROM read_text('/etc/passwd')"):
        refusal = r"^refused: minutes sql reads the warehouse only"
        with pytest.raises(ReadOnlyViolation, match=refusal) as refused:
            run_query(warehouse, query)
        assert "\n" not in str(refused.value)
        assert "root:x" not in str(refused.value)


def test_writing_files_is_refused_even_through_explain_analyze(warehouse: DataDir, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for query in (f"COPY (SELECT 1) TO '{out}/a.csv'",
                  f"EXPLAIN ANALYZE COPY (SELECT * FROM documents) TO '{out}/b.csv'",
                  f"EXPORT DATABASE '{out}/dump'"):
        with pytest.raises(ReadOnlyViolation):
            run_query(warehouse, query)
    # The second step of the attack: a schema.sql planted earlier, then imported.
    (out / "schema.sql").write_text("CREATE TABLE pwned AS SELECT 1;", encoding="utf-8")
    with pytest.raises(ReadOnlyViolation, match="refused"):
        run_query(warehouse, f"PRAGMA import_database('{out}')")
    assert sorted(p.name for p in out.iterdir()) == ["schema.sql"]


def test_attach_install_load_and_urls_are_refused(warehouse: DataDir, tmp_path: Path) -> None:
    for query in (f"ATTACH '{tmp_path}/other.duckdb' AS other", "INSTALL httpfs", "LOAD httpfs",
                  "SELECT * FROM read_csv('http://127.0.0.1:9/x.csv')",
                  "SELECT * FROM read_parquet('https://example.invalid/x.parquet')"):
        with pytest.raises(ReadOnlyViolation):
            run_query(warehouse, query)
    assert not (tmp_path / "other.duckdb").exists()


def test_the_configuration_cannot_be_unlocked(warehouse: DataDir) -> None:
    # run_query refuses SET outright; the engine itself must hold too (a PRAGMA, or code calling
    # connect_readonly directly).
    with connect_readonly(warehouse) as connection:
        for statement in ("SET enable_external_access = true", "RESET enable_external_access",
                          "SET lock_configuration = false", "RESET lock_configuration",
                          "SET GLOBAL enable_external_access = true",
                          "SET autoinstall_known_extensions = true", "PRAGMA enable_profiling",
                          "SET temp_directory = '/tmp'"):
            with pytest.raises(duckdb.Error, match="locked"):
                connection.execute(statement)
        assert connection.execute("SELECT current_setting('enable_external_access')").fetchone() == (False,)
    for query in ("SET enable_external_access = true", "RESET lock_configuration"):
        with pytest.raises(ReadOnlyViolation):
            run_query(warehouse, query)


def test_the_warehouse_views_and_macros_still_answer(warehouse: DataDir) -> None:
    assert run_query(warehouse, "SELECT count(*) FROM documents")[1] == [(3,)]
    for view in ("reviewed_by_year", "agency_followups", "attendance_by_organization", "meetings_per_month",
                 "quarantined_documents"):
        run_query(warehouse, f"SELECT * FROM {view}")
    _, rows = run_query(warehouse, "SELECT count(*) FROM search_paragraphs('会议')")
    _, direct = run_query(warehouse, "SELECT count(*) FROM paragraphs WHERE text LIKE '%会议%'")
    assert rows == direct


@pytest.mark.integration
def test_the_command_refuses_in_one_line_and_exits_1(warehouse: DataDir, tmp_path: Path) -> None:
    secret = _secret(tmp_path)
    done = subprocess.run([str(MINUTES), "--data-dir", str(warehouse.root), "sql",
                           f"SELECT * FROM read_text('{secret}')"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("minutes: error: refused: minutes sql reads the warehouse only")
