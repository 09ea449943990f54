"""Loading again, reprocessing, runs, quarantine and bad rows: the lake and warehouse keep one copy."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from extract.datadir import DataDir
from load.lake import compact, lake_files, write_documents, write_run
from load.locks import file_lock
from load.publish import WarehouseLocked, publish
from load.query import QueryError, ReadOnlyViolation, WarehouseMissing, run_query
from load.rows import DocumentMeta, RunRow, table_rows
from load.sql_files import SQL_DIR, WarehouseError
from load.tables import ALL_TABLES, DOCUMENT_TABLES, SCHEMAS
from tests.load.load_corpus import corpus, doc_id_for, document, expected_rows
from transform.record import MinutesRecord, Paragraph


def _counts(data_dir: DataDir) -> dict[str, int]:
    return {table: run_query(data_dir, f"SELECT count(*) FROM {table}")[1][0][0] for table in DOCUMENT_TABLES}


def _lake_doc_ids(data_dir: DataDir) -> list[str]:
    return [doc_id for path in lake_files(data_dir.lake, "documents")
            for doc_id in pq.ParquetFile(path).read(columns=["doc_id"]).column("doc_id").to_pylist()]


def test_loading_the_same_documents_twice_changes_no_row_count(data_dir: DataDir) -> None:
    assert write_documents(data_dir.lake, corpus(40)) == 40
    publish(data_dir)
    first = _counts(data_dir)
    assert first == {table: expected_rows(40)[table] for table in DOCUMENT_TABLES}

    write_documents(data_dir.lake, corpus(40), batch_docs=9)
    publish(data_dir)
    assert _counts(data_dir) == first
    assert sorted(_lake_doc_ids(data_dir)) == sorted(doc_id_for(i) for i in range(40))
    assert publish(data_dir).documents_reloaded == 0  # nothing new in the lake: nothing reloaded


def test_reprocessing_replaces_the_rows_of_the_reprocessed_documents(data_dir: DataDir) -> None:
    write_documents(data_dir.lake, corpus(20))
    publish(data_dir)
    write_documents(data_dir.lake, corpus(5, version="1.1.0"))
    report = publish(data_dir)

    assert report.documents_reloaded == 5
    expected = expected_rows(5, version="1.1.0") + expected_rows(15, start=5)
    assert _counts(data_dir) == {table: expected[table] for table in DOCUMENT_TABLES}
    _, versions = run_query(data_dir, "SELECT parser_version, count(*) FROM documents GROUP BY 1 ORDER BY 1")
    assert versions == [("1.0.0", 15), ("1.1.0", 5)]
    doc = doc_id_for(0)
    _, texts = run_query(data_dir, f"SELECT text FROM paragraphs WHERE doc_id = '{doc}' ORDER BY seq")
    assert texts[-1] == ("重新解析 1.1.0",)
    assert all(text.endswith("（1.1.0）") for (text,) in texts[:-1])
    assert len(_lake_doc_ids(data_dir)) == 20


def test_a_reprocessed_document_whose_year_changed_leaves_no_copy_in_the_old_year(data_dir: DataDir) -> None:
    meta, record = document(2)
    old_year = record.meeting.meeting_date.year
    write_documents(data_dir.lake, [(meta, record)])
    publish(data_dir)
    write_documents(data_dir.lake, [document(2, version="1.1.0", year_shift=2)])
    publish(data_dir)

    for table in DOCUMENT_TABLES:
        years = {path.parent.name for path in lake_files(data_dir.lake, table)}
        assert years <= {f"year={old_year + 2}"}, table
    _, rows = run_query(data_dir, "SELECT year(meeting_date) FROM meetings")
    assert rows == [(old_year + 2,)]
    assert _counts(data_dir)["documents"] == 1


def test_a_document_given_twice_in_one_call_is_written_once_the_later_winning(data_dir: DataDir) -> None:
    assert write_documents(data_dir.lake, [document(1), document(1, version="1.1.0")]) == 1
    publish(data_dir)
    assert run_query(data_dir, "SELECT parser_version FROM documents")[1] == [("1.1.0",)]


def test_every_run_is_recorded_and_a_rewritten_run_replaces_its_row(data_dir: DataDir) -> None:
    started = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    write_run(data_dir.lake, RunRow("run-1", "nightly", started, None, "running", 5, 0, 0, 0, source="demo"))
    publish(data_dir)
    assert run_query(data_dir, "SELECT status, finished_at FROM runs")[1] == [("running", None)]

    write_run(data_dir.lake, RunRow("run-1", "nightly", started, started + dt.timedelta(minutes=3),
                                    "completed", 5, 5, 4, 1, source="demo"))
    write_run(data_dir.lake, RunRow("run-2", "backfill", started, None, "running", 0, 0, 0, 0))
    publish(data_dir)
    _, rows = run_query(data_dir, "SELECT run_id, status, started_at, finished_at, docs_quarantined "
                                  "FROM runs ORDER BY run_id")
    assert rows == [
        ("run-1", "completed", dt.datetime(2026, 11, 23, 2, 0), dt.datetime(2026, 11, 23, 2, 3), 1),
        ("run-2", "running", dt.datetime(2026, 11, 23, 2, 0), None, 0),
    ]
    with pytest.raises(ValueError, match="run_id"):
        write_run(data_dir.lake, RunRow("../escape", "nightly", started, None, "running", 0, 0, 0, 0))


def test_a_quarantined_document_without_any_date_is_filed_under_year_0(data_dir: DataDir) -> None:
    meta = DocumentMeta("bad" * 8, "local", None, "x.pdf", None, None, 10, None, "parsed", None, "1.0.0")
    record = MinutesRecord(doc_id=meta.doc_id, status="quarantined",
                           quarantine_reason="encrypted: needs a password")
    write_documents(data_dir.lake, [(meta, record)])
    publish(data_dir)
    assert [path.parent.name for path in lake_files(data_dir.lake, "documents")] == ["year=0"]
    _, rows = run_query(data_dir, "SELECT reason_code, quarantine_reason FROM quarantined_documents")
    assert rows == [("encrypted", "encrypted: needs a password")]
    assert _counts(data_dir)["meetings"] == 0


def test_rows_breaking_a_table_key_are_dropped_and_named_in_warnings(data_dir: DataDir) -> None:
    meta, record = document(0)
    record.paragraphs.append(Paragraph(1, "与第一段同号的段落"))
    rows = table_rows(meta, record)
    assert [row["seq"] for row in rows["paragraphs"]] == list(range(1, len(record.paragraphs)))
    warning = "dropped_rows: 1 paragraphs row(s) with a duplicate or empty key"
    assert rows["documents"][0]["warnings"] == [warning]
    write_documents(data_dir.lake, [(meta, record)])
    publish(data_dir)
    assert run_query(data_dir, "SELECT warnings FROM documents")[1] == [(rows["documents"][0]["warnings"],)]


def test_an_uncommitted_batch_is_never_loaded_and_is_swept_by_the_next_write(data_dir: DataDir) -> None:
    write_documents(data_dir.lake, corpus(3))
    # What a writer killed before its `documents` file leaves behind: other tables' files only.
    orphan_rows = table_rows(*document(50))
    (data_dir.lake / "paragraphs" / "year=2020").mkdir(parents=True, exist_ok=True)
    orphan = data_dir.lake / "paragraphs" / "year=2020" / "99999999999999999999.parquet"
    pq.write_table(pa.Table.from_pylist(orphan_rows["paragraphs"], schema=SCHEMAS["paragraphs"]), orphan)
    leftover = data_dir.lake / "paragraphs" / "year=2020" / ".half-written.parquet.1234.tmp"
    leftover.write_bytes(b"PAR1")

    publish(data_dir)
    assert _counts(data_dir) == {table: expected_rows(3)[table] for table in DOCUMENT_TABLES}
    write_documents(data_dir.lake, corpus(1, start=3))
    assert not orphan.exists() and not leftover.exists()


def test_compact_merges_small_batches_without_changing_the_warehouse(data_dir: DataDir) -> None:
    for start in range(0, 30, 5):
        write_documents(data_dir.lake, corpus(5, start=start))
    publish(data_dir)
    before = _counts(data_dir)
    assert compact(data_dir.lake) > 0
    for table in DOCUMENT_TABLES:
        years = [path.parent.name for path in lake_files(data_dir.lake, table)]
        assert len(years) == len(set(years)), f"{table}: more than one file in a year"
    publish(data_dir)
    assert _counts(data_dir) == before


def test_run_query_refuses_writes_and_reports_errors_in_one_line(data_dir: DataDir) -> None:
    with pytest.raises(WarehouseMissing, match="no warehouse"):
        run_query(data_dir, "SELECT 1")
    write_documents(data_dir.lake, corpus(2))
    publish(data_dir)
    for statement in ("DELETE FROM documents", "CREATE TABLE x (a INTEGER)", "COPY documents TO 'x.csv'",
                      "ATTACH 'other.duckdb'", "SELECT 1; DROP TABLE documents"):
        with pytest.raises(ReadOnlyViolation, match="read-only"):
            run_query(data_dir, statement)
    with pytest.raises(QueryError) as bad:
        run_query(data_dir, "SELEC nonsense")
    assert "\n" not in str(bad.value)
    with pytest.raises(QueryError, match="no_such_table"):
        run_query(data_dir, "SELECT * FROM no_such_table")
    assert run_query(data_dir, "SELECT 1 AS a; SELECT count(*) AS n FROM documents") == (["n"], [(2,)])
    assert _counts(data_dir)["documents"] == 2


def test_a_second_publisher_waits_then_gives_up_with_a_clear_error(data_dir: DataDir) -> None:
    write_documents(data_dir.lake, corpus(2))
    publish(data_dir)
    with file_lock(data_dir.warehouse.with_name("warehouse.duckdb.lock"), what="test"), \
            pytest.raises(WarehouseLocked, match="another load is publishing"):
        publish(data_dir, lock_timeout=0.2)
    assert set(publish(data_dir).table_rows) == set(ALL_TABLES)


def test_publishing_an_empty_lake_gives_an_empty_warehouse_with_every_table(data_dir: DataDir) -> None:
    report = publish(data_dir)
    assert report.table_rows == dict.fromkeys(ALL_TABLES, 0)
    assert run_query(data_dir, "SELECT count(*) FROM search_paragraphs('会议')")[1] == [(0,)]
    rebuilt = publish(data_dir, rebuild=True)
    migrations = sorted(path.stem for path in (SQL_DIR / "migrations").glob("*.sql"))
    assert rebuilt.migrations_applied == ["0001_schema", *migrations]


def test_a_publish_that_fails_leaves_the_live_warehouse_as_it_was(data_dir: DataDir) -> None:
    write_documents(data_dir.lake, corpus(3))
    publish(data_dir)
    write_documents(data_dir.lake, corpus(2, start=3))
    newest = lake_files(data_dir.lake, "paragraphs")[-1]
    newest.write_bytes(b"not parquet at all")
    with pytest.raises(WarehouseError, match="publish failed, warehouse unchanged") as failed:
        publish(data_dir)
    assert "\n" not in str(failed.value)
    assert _counts(data_dir)["documents"] == 3
    assert not data_dir.warehouse.with_name("warehouse.duckdb.staging").exists()


def test_a_damaged_live_warehouse_is_rebuilt_from_the_lake(data_dir: DataDir) -> None:
    write_documents(data_dir.lake, corpus(5))
    publish(data_dir)
    before = _counts(data_dir)
    data_dir.warehouse.write_bytes(b"not a duckdb file" * 100)  # a disk fault, a bad copy
    report = publish(data_dir)
    assert report.documents_reloaded == 5
    assert _counts(data_dir) == before
