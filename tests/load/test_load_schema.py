"""The warehouse schema: docs/INTERFACE.md §6 exactly, the lake's Arrow schemas, the data dictionary,
migrations."""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow.parquet as pq
import pytest

from extract.datadir import DataDir
from load.lake import lake_files, write_documents, write_run
from load.publish import migrate, publish
from load.query import connect_readonly, describe, dictionary_rows, named_queries, report_queries, run_query
from load.rows import RunRow
from load.sql_files import SQL_DIR, WarehouseError
from load.tables import ALL_TABLES, KEYS, SCHEMAS
from tests.load.load_corpus import corpus

# docs/INTERFACE.md §6, table by table: key columns, then the other columns it names, with their types.
INTERFACE_TABLES: dict[str, dict[str, str]] = {
    "documents": {"doc_id": "VARCHAR", "source": "VARCHAR", "url": "VARCHAR", "title": "VARCHAR",
                  "published_at": "TIMESTAMP", "fetched_at": "TIMESTAMP", "byte_size": "INTEGER",
                  "page_count": "INTEGER", "status": "VARCHAR", "quarantine_reason": "VARCHAR",
                  "parser_version": "VARCHAR"},
    "meetings": {"doc_id": "VARCHAR", "title": "VARCHAR", "minutes_no": "VARCHAR", "session_no": "INTEGER",
                 "meeting_date": "DATE", "day_period": "VARCHAR", "chair_name": "VARCHAR",
                 "chair_title": "VARCHAR", "recorder": "VARCHAR", "compiled_by": "VARCHAR",
                 "compiled_date": "DATE", "issued_by": "VARCHAR", "issued_date": "DATE",
                 "disclosure": "VARCHAR"},
    "agenda_items": {"doc_id": "VARCHAR", "item_no": "INTEGER", "kind": "VARCHAR", "heading": "VARCHAR"},
    "decisions": {"doc_id": "VARCHAR", "item_no": "INTEGER", "clause_no": "INTEGER", "text": "VARCHAR",
                  "page_start": "INTEGER", "page_end": "INTEGER"},
    "reviewed_documents": {"doc_id": "VARCHAR", "item_no": "INTEGER", "title": "VARCHAR",
                           "action": "VARCHAR", "outcome": "VARCHAR", "lead_agency": "VARCHAR"},
    "attendance": {"doc_id": "VARCHAR", "role": "VARCHAR", "seq": "INTEGER", "organization": "VARCHAR",
                   "person_name": "VARCHAR", "raw": "VARCHAR"},
    "distribution": {"doc_id": "VARCHAR", "seq": "INTEGER", "recipient": "VARCHAR"},
    "paragraphs": {"doc_id": "VARCHAR", "seq": "INTEGER", "text": "VARCHAR", "page_start": "INTEGER",
                   "page_end": "INTEGER"},
    "runs": {"run_id": "VARCHAR", "flow": "VARCHAR", "started_at": "TIMESTAMP", "finished_at": "TIMESTAMP",
             "status": "VARCHAR", "docs_discovered": "INTEGER", "docs_fetched": "INTEGER",
             "docs_parsed": "INTEGER", "docs_quarantined": "INTEGER"},
}
INTERFACE_KEYS = {
    "documents": ["doc_id"], "meetings": ["doc_id"], "agenda_items": ["doc_id", "item_no"],
    "decisions": ["doc_id", "item_no", "clause_no"], "reviewed_documents": ["doc_id", "item_no", "title"],
    "attendance": ["doc_id", "role", "seq"], "distribution": ["doc_id", "seq"],
    "paragraphs": ["doc_id", "seq"],
    "runs": ["run_id"],
}


def _published(data_dir: DataDir, count: int = 12) -> DataDir:
    write_documents(data_dir.lake, corpus(count))
    publish(data_dir)
    return data_dir


def _columns(connection: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    return dict(connection.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall())


def test_every_contract_table_column_and_type_is_in_the_warehouse(data_dir: DataDir) -> None:
    with connect_readonly(_published(data_dir)) as connection:
        for table, contract_columns in INTERFACE_TABLES.items():
            actual = _columns(connection, table)
            for column, data_type in contract_columns.items():
                assert actual.get(column) == data_type, f"{table}.{column} is {actual.get(column)}"


def test_every_contract_key_is_an_enforced_primary_key(data_dir: DataDir) -> None:
    with connect_readonly(_published(data_dir)) as connection:
        keys = {
            table: columns for table, columns in connection.execute(
                "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
                "WHERE constraint_type = 'PRIMARY KEY'").fetchall()
        }
    assert {table: keys.get(table) for table in INTERFACE_KEYS} == INTERFACE_KEYS
    assert {table: list(KEYS[table]) for table in INTERFACE_KEYS} == INTERFACE_KEYS


def test_a_duplicate_key_is_refused_by_the_warehouse(tmp_path) -> None:
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(connection)
    connection.execute("INSERT INTO paragraphs (doc_id, seq, text) VALUES ('d', 1, 'a')")
    with pytest.raises(duckdb.ConstraintException):
        connection.execute("INSERT INTO paragraphs (doc_id, seq, text) VALUES ('d', 1, 'b')")


def test_lake_files_carry_the_arrow_schemas_that_match_the_warehouse(data_dir: DataDir) -> None:
    _published(data_dir)
    with connect_readonly(data_dir) as connection:
        for table in ALL_TABLES:
            warehouse_columns = _columns(connection, table)
            lake_columns = SCHEMAS[table].names
            extra = set(warehouse_columns) - set(lake_columns)
            assert extra <= {"lake_batch"}, f"{table}: warehouse-only columns {extra}"
            assert set(lake_columns) <= set(warehouse_columns)
            probe = connection.sql(f"SELECT {', '.join(lake_columns)} FROM {table} LIMIT 0").to_arrow_table()
            assert probe.schema.equals(SCHEMAS[table]), table
    for table in ("documents", "paragraphs", "meetings"):
        files = lake_files(data_dir.lake, table)
        assert files and all(f.parent.name.startswith("year=") for f in files)
        for path in files:
            metadata = pq.ParquetFile(path)
            assert metadata.schema_arrow.equals(SCHEMAS[table])
            assert metadata.metadata.row_group(0).column(0).compression == "ZSTD"


def test_the_dictionary_describes_every_column_of_every_table_and_view(data_dir: DataDir) -> None:
    with connect_readonly(_published(data_dir)) as connection:
        relations = [row[0] for row in connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()]
        documented = {entry.name: entry for entry in describe()}
        for relation in relations:
            assert relation in documented, f"{relation} is not in warehouse/dictionary.yaml"
            actual = _columns(connection, relation)
            described = {column.name: column.type for column in documented[relation].columns}
            assert described == actual, relation
            assert all(column.meaning and column.example is not None
                       for column in documented[relation].columns if column.name != "notes")
        search = documented["search_paragraphs"]
        result = connection.execute("SELECT * FROM search_paragraphs('安全生产') LIMIT 1")
        assert [column[0] for column in result.description] == [column.name for column in search.columns]
    assert [entry.name for entry in describe("meetings")] == ["meetings"]
    header, rows = dictionary_rows("meetings")
    assert header[:4] == ["table", "kind", "column", "type"]
    assert ("meetings", "table", "meeting_date", "DATE") in [row[:4] for row in rows]
    with pytest.raises(WarehouseError, match="unknown table 'nope'"):
        describe("nope")


def test_a_version_1_warehouse_is_migrated_when_published(data_dir: DataDir) -> None:
    data_dir.root.mkdir(parents=True)
    old = duckdb.connect(str(data_dir.warehouse))
    old.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
    publish_sql = named_queries("publish.sql")  # the real DDL and insert of the migration log
    old.execute(publish_sql["schema_migrations"])
    old.execute(publish_sql["record_migration"], {"version": 1, "name": "schema"})
    old.close()
    write_documents(data_dir.lake, corpus(3))
    report = publish(data_dir)
    migrations = sorted(path.stem for path in (SQL_DIR / "migrations").glob("*.sql"))
    assert report.migrations_applied == migrations
    _, rows = run_query(data_dir, "SELECT version FROM schema_migrations ORDER BY version")
    assert rows == [(1,), *[(int(name[:4]),) for name in migrations]]
    assert "0005_meetings_completeness" in migrations
    _, measured = run_query(data_dir, "SELECT count(*) FROM meetings WHERE completeness IS NOT NULL")
    assert measured[0][0] > 0
    assert "0006_ocr" in migrations
    _, flags = run_query(data_dir, "SELECT DISTINCT ocr, ocr_confidence FROM paragraphs")
    assert flags == [(False, None)]  # the corpus is text-layer PDFs
    _, furniture = run_query(data_dir, "SELECT count(*) FROM page_furniture")
    _, boxed = run_query(data_dir, "SELECT count(*) FROM paragraphs WHERE x0 IS NOT NULL")
    assert furniture[0][0] > 0 and boxed[0][0] > 0
    assert publish(data_dir).migrations_applied == []


def test_every_report_query_runs_and_returns_rows(data_dir: DataDir) -> None:
    started = dt.datetime(2026, 11, 23, 2, 0)
    write_run(data_dir.lake, RunRow("run-1", "nightly", started, None, "running", 30, 30, 27, 3))
    _published(data_dir, count=30)
    queries = report_queries()
    assert {"reviewed_by_year", "agency_followups", "attendance_by_organization", "meetings_per_month",
            "search_paragraphs", "quarantined_documents", "last_runs", "documents_by_status"} <= set(queries)
    for name, sql in queries.items():
        columns, rows = run_query(data_dir, sql)
        assert columns and rows, name
    _, agencies = run_query(data_dir, queries["agency_followups"])
    assert agencies[0][0] == "市工信局"
    _, hits = run_query(data_dir, "SELECT DISTINCT doc_id FROM search_paragraphs('养殖水域滩涂')")
    _, direct = run_query(data_dir, "SELECT DISTINCT doc_id FROM paragraphs WHERE text LIKE '%养殖水域滩涂%'")
    assert sorted(hits) == sorted(direct) and hits


def test_the_dictionary_agrees_with_the_schema_its_keys_and_its_own_examples(data_dir: DataDir) -> None:
    """load/tables.py is the schema; the dictionary's keys are its keys, and every example the
    dictionary gives is a value of the column's type (an example that drifted from the type fails)."""
    documented = {entry.name: entry for entry in describe()}
    for table, key in KEYS.items():
        assert tuple(documented[table].key) == key, table
    with connect_readonly(_published(data_dir)) as connection:
        for entry in documented.values():
            for column in entry.columns:
                if column.example is None or column.type.endswith("[]") or column.type.startswith("STRUCT"):
                    continue
                cast = connection.execute(f"SELECT TRY_CAST(? AS {column.type})", [column.example]).fetchone()
                assert cast is not None and cast[0] is not None, (
                    f"{entry.name}.{column.name}: example {column.example!r} is not a {column.type}")


def test_the_dictionary_names_every_quarantine_code() -> None:
    from extract import errors
    from extract.errors import QUARANTINE_CODES
    from pipeline.document import PARSER_ERROR

    defined = {value for name, value in vars(errors).items() if name.isupper() and isinstance(value, str)}
    assert set(QUARANTINE_CODES) == defined

    (documents,) = describe("documents")
    meaning = next(column.meaning for column in documents.columns if column.name == "quarantine_reason")
    assert [code for code in (*QUARANTINE_CODES, PARSER_ERROR) if code not in meaning] == []
