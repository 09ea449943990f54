"""page_furniture.seq is reading order: page by page, top to bottom — the masthead before page 1's
number, a running head before its page's number (it used to list the masthead after every number)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from demo.corpus import seed_docs
from demo.render import render_pdf
from load.rows import DocumentMeta, table_rows
from pipeline.document import process_document
from transform.record import PARSER_VERSION


@pytest.mark.parametrize("family", ["word_embedded", "kai_running_head"])
def test_furniture_rows_follow_the_pages(family: str) -> None:
    seed = dataclasses.replace(seed_docs()[0], minutes_no="〔2020〕12号")  # the masthead prints it
    data = render_pdf(seed, family)
    record = process_document(data, ".pdf")
    meta = DocumentMeta(doc_id=record.doc_id, source="test", url=None, title=None, published_at=None,
                        fetched_at=dt.datetime(2026, 11, 23), byte_size=len(data),
                        page_count=record.page_count,
                        status=record.status, quarantine_reason=None, parser_version=PARSER_VERSION)
    rows = sorted(table_rows(meta, record)["page_furniture"], key=lambda row: row["seq"])
    pages = [row["page"] for row in rows]
    assert pages == sorted(pages) and len(set(pages)) == record.page_count >= 2
    first_page = [(row["kind"], row["text"]) for row in rows if row["page"] == 1]
    assert first_page[-1][0] == "page_number"  # at the foot
    if family == "word_embedded":  # this layout prints a masthead, at the top of page 1
        assert first_page[:2] == [("masthead", "苏州市人民政府常务会议纪要"), ("masthead", "〔2020〕12号")]
    else:  # this one a running head at the top of every later page
        second_page = [row["kind"] for row in rows if row["page"] == 2]
        assert second_page == ["running_head", "page_number"]
