"""Documents of other places' styles, parsed by the real grammar, through the lake into a real
DuckDB warehouse: a null meeting date is filed under the publication year, completeness is stored,
and parse_quality_by_source shows which source's style is not yet understood."""

from __future__ import annotations

import datetime as dt

from extract.datadir import DataDir
from load.lake import lake_files, write_documents
from load.publish import publish
from load.query import report_queries, run_query
from load.rows import DocumentMeta, partition_year
from pipeline.document import process_document
from transform.record import PARSER_VERSION

FULL = """\
2024年3月5日上午，区长张明主持召开区政府第12次常务会议。
会议议定以下意见：
一、审议《某某办法》
（一）原则同意《某某办法》。由区司法局根据会议意见修改完善后按程序印发。
出席：张明 李华
记录：孙丽
"""
# No year anywhere, no session number: the date stays null, the rest is kept.
GAPPY = """\
4月24日下午，区长张明主持召开区政府常务会议。
会议议定以下意见：
一、审议《另一办法》
（一）原则同意《另一办法》。
出席：张明 李华
"""


def _meta(doc_id: str, source: str, size: int, published: dt.datetime) -> DocumentMeta:
    return DocumentMeta(doc_id=doc_id, source=source, url=None, title=None, published_at=published,
                        fetched_at=dt.datetime(2026, 1, 2), byte_size=size, page_count=None,
                        status="parsed", quarantine_reason=None, parser_version=PARSER_VERSION)


def test_null_dates_and_completeness_reach_the_warehouse(data_dir: DataDir) -> None:
    items = []
    for source, text, published in (("alpha", FULL, dt.datetime(2024, 3, 9)),
                                    ("beta", GAPPY, None), ("beta", FULL.replace("12次", "13次"), None)):
        data = text.encode("utf-8")
        record = process_document(data, ".txt")
        assert record.status == "parsed"
        items.append((_meta(record.doc_id, source, len(data), published), record))
    gappy_meta, gappy = items[1]
    assert gappy.meeting.meeting_date is None and gappy.meeting.completeness == 0.5
    assert partition_year(gappy_meta, gappy) == 2026  # no date, no publication: the fetch year

    write_documents(data_dir.lake, items)
    publish(data_dir)

    assert {path.parent.name for path in lake_files(data_dir.lake, "meetings")} == {"year=2024", "year=2026"}
    _, rows = run_query(data_dir, "SELECT session_no, meeting_date, completeness FROM meetings "
                                  "ORDER BY completeness, session_no")
    assert rows == [(None, None, 0.5), (12, dt.date(2024, 3, 5), 1.0), (13, dt.date(2024, 3, 5), 1.0)]
    columns, quality = run_query(data_dir, report_queries()["parse_quality_by_source"])
    assert columns[:7] == ["source", "documents", "parsed", "quarantined", "mean_completeness",
                           "min_completeness", "incomplete"]
    beta, alpha = quality
    assert beta[:7] == ("beta", 2, 2, 0, 0.75, 0.5, 1)
    assert "meeting_year_unknown 1" in beta[7]
    assert "no_session_no 1" in beta[7]
    assert alpha[:7] == ("alpha", 1, 1, 0, 1.0, 1.0, 0)
