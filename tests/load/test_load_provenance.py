"""Issue 3 in the warehouse: `page_furniture` and the paragraphs' boxes, and lakes written before
them (old batch files without the new columns or table) still publishing."""

from __future__ import annotations

import pyarrow.parquet as pq

from extract.datadir import DataDir
from load.lake import compact, lake_files, write_documents
from load.publish import publish
from load.query import run_query
from tests.load.load_corpus import corpus, document, expected_rows

OLD_PARAGRAPH_COLUMNS = ["doc_id", "seq", "text", "page_start", "page_end"]


def _make_lake_old(data_dir: DataDir) -> None:
    """Rewrite every lake file so far as the loader wrote it before issue 3."""
    for path in lake_files(data_dir.lake, "paragraphs"):
        pq.write_table(pq.ParquetFile(path).read(columns=OLD_PARAGRAPH_COLUMNS), path)
    for path in lake_files(data_dir.lake, "page_furniture"):
        path.unlink()


def _per_document(data_dir: DataDir, sql: str) -> dict[str, int]:
    return dict(run_query(data_dir, sql)[1])


def _boxed(data_dir: DataDir) -> dict[str, int]:
    return _per_document(data_dir, "SELECT doc_id, count(x0) FROM paragraphs GROUP BY doc_id")


def _furniture(data_dir: DataDir) -> dict[str, int]:
    return _per_document(data_dir, "SELECT doc_id, count(*) FROM page_furniture GROUP BY doc_id")


def test_furniture_and_boxes_reach_the_warehouse(data_dir: DataDir) -> None:
    meta, record = document(0)
    write_documents(data_dir.lake, [(meta, record)])
    publish(data_dir)
    where = f"WHERE doc_id = '{meta.doc_id}' ORDER BY seq"
    _, rows = run_query(data_dir, f"SELECT page, kind, text FROM page_furniture {where}")
    assert rows == [(f.page, f.kind, f.text) for f in record.furniture]
    _, boxes = run_query(data_dir, f"SELECT x0, top, x1, bottom FROM paragraphs {where}")
    assert boxes == [p.bbox for p in record.paragraphs]


def test_a_lake_mixing_old_and_new_batch_files_publishes(data_dir: DataDir) -> None:
    old = list(corpus(3))                      # documents 0-2: years 2018-2020, old-format files
    write_documents(data_dir.lake, old)
    _make_lake_old(data_dir)
    new = [document(6), document(7)]           # years 2018 and 2019: same partitions, new format
    write_documents(data_dir.lake, new)
    report = publish(data_dir)
    assert report.table_rows["paragraphs"] == sum(len(r.paragraphs) for _, r in old + new)
    old_ids, new_ids = [m.doc_id for m, _ in old], [m.doc_id for m, _ in new]
    boxed = _boxed(data_dir)
    assert [boxed[i] for i in old_ids] == [0, 0, 0]
    assert [boxed[i] for i in new_ids] == [len(r.paragraphs) for _, r in new]
    assert set(_furniture(data_dir)) == set(new_ids)

    # A reprocessed old document gets its furniture and boxes; the rest stay as they were.
    write_documents(data_dir.lake, [document(0)])
    assert publish(data_dir).documents_reloaded == 1
    assert _boxed(data_dir)[old_ids[0]] == len(old[0][1].paragraphs)
    assert set(_furniture(data_dir)) == {old_ids[0], *new_ids}

    # Compacting merges old- and new-format files of a year; a rebuild from them loads the same.
    before = {table: run_query(data_dir, f"SELECT count(*) FROM {table}")[1][0][0]
              for table in ("paragraphs", "page_furniture")}
    assert compact(data_dir.lake) >= 1
    publish(data_dir, rebuild=True)
    after = {table: run_query(data_dir, f"SELECT count(*) FROM {table}")[1][0][0] for table in before}
    assert after == before
    assert _boxed(data_dir)[old_ids[1]] == 0 and _boxed(data_dir)[new_ids[1]] > 0
    assert before["page_furniture"] == sum(expected_rows(1, start=i)["page_furniture"] for i in (0, 6, 7))


def test_ocr_flag_and_confidence_reach_the_warehouse_and_old_lakes_read_as_unknown(data_dir: DataDir) -> None:
    scanned_meta, scanned = document(0)
    for paragraph in scanned.paragraphs:  # as extract.ocr leaves a scan's paragraphs
        paragraph.ocr, paragraph.ocr_confidence = True, 0.9 + paragraph.seq / 1000
    text_meta, text_layer = document(1)
    write_documents(data_dir.lake, [(scanned_meta, scanned)])
    for path in lake_files(data_dir.lake, "paragraphs"):  # a lake file written before issue 18
        before = pq.ParquetFile(path).read(columns=[*OLD_PARAGRAPH_COLUMNS, "x0", "top", "x1", "bottom"])
        pq.write_table(before, path)
    publish(data_dir)
    _, old = run_query(data_dir, "SELECT DISTINCT ocr, ocr_confidence FROM paragraphs")
    assert old == [(None, None)]  # not known then: null, not a claim either way

    write_documents(data_dir.lake, [(scanned_meta, scanned), (text_meta, text_layer)])
    publish(data_dir)
    _, rows = run_query(data_dir, f"SELECT seq, ocr, ocr_confidence FROM paragraphs "
                                  f"WHERE doc_id = '{scanned_meta.doc_id}' ORDER BY seq")
    assert rows == [(p.seq, True, p.ocr_confidence) for p in scanned.paragraphs]
    _, plain = run_query(data_dir, f"SELECT DISTINCT ocr, ocr_confidence FROM paragraphs "
                                   f"WHERE doc_id = '{text_meta.doc_id}'")
    assert plain == [(False, None)]
