"""Issue 3, end to end: a PDF's page furniture is stored apart from its text, every paragraph
carries its pages and box, and none of it leaks into the docs/INTERFACE.md §5 JSON record."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from demo.corpus import DemoDoc, seed_docs
from demo.render import render_pdf
from load.rows import DocumentMeta, table_rows
from load.tables import SCHEMAS
from pipeline.document import process_document
from tests.helpers import only_expected_keys
from transform.record import PARSER_VERSION, MinutesRecord

PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points, the demo layout's page


def _meta(record: MinutesRecord, data: bytes) -> DocumentMeta:
    return DocumentMeta(doc_id=record.doc_id, source="test", url=None, title=None, published_at=None,
                        fetched_at=dt.datetime(2026, 11, 23, 2, 0), byte_size=len(data),
                        page_count=record.page_count, status=record.status, quarantine_reason=None,
                        parser_version=PARSER_VERSION)


@pytest.fixture(scope="module")
def seed() -> DemoDoc:
    return seed_docs()[0]


@pytest.mark.parametrize("family", ["word_embedded", "kai_running_head"])
def test_a_pdf_stores_its_furniture_apart_and_boxes_every_paragraph(seed: DemoDoc, family: str) -> None:
    data = render_pdf(seed, family)
    record = process_document(data, ".pdf")
    assert record.status == "parsed" and record.page_count and record.page_count >= 2
    rows = table_rows(_meta(record, data), record)

    furniture = rows["page_furniture"]
    assert [row["seq"] for row in furniture] == list(range(1, len(furniture) + 1))
    numbers = {row["page"]: row["text"] for row in furniture if row["kind"] == "page_number"}
    assert set(numbers) == set(range(1, record.page_count + 1))  # every page's number, on its page
    assert all(str(page) in text for page, text in numbers.items())
    if family == "kai_running_head":
        assert {row["page"] for row in furniture if row["kind"] == "running_head"} >= {2}
    body = {row["text"] for row in rows["paragraphs"]}
    assert not body & {row["text"] for row in furniture}  # never mixed into the text
    assert set(furniture[0]) == set(SCHEMAS["page_furniture"].names)

    paragraphs = rows["paragraphs"]
    assert [row["text"] for row in paragraphs] == seed.paragraphs
    for row in paragraphs:
        assert 1 <= row["page_start"] <= row["page_end"] <= record.page_count
        assert 0 <= row["x0"] < row["x1"] <= PAGE_W and 0 <= row["top"] < row["bottom"] <= PAGE_H, row
    assert any(row["page_end"] > row["page_start"] for row in paragraphs)  # one spans a page break


def test_the_masthead_is_furniture_of_page_1(seed: DemoDoc) -> None:
    numbered = dataclasses.replace(seed, minutes_no="〔2020〕12号")  # the masthead prints the number
    data = render_pdf(numbered, "word_embedded")
    record = process_document(data, ".pdf")
    masthead = [row for row in table_rows(_meta(record, data), record)["page_furniture"]
                if row["kind"] == "masthead"]
    assert [(row["page"], row["text"]) for row in masthead] == [
        (1, "苏州市人民政府常务会议纪要"), (1, "〔2020〕12号")]
    assert record.meeting.minutes_no == "〔2020〕12号"
    assert [p.text for p in record.paragraphs] == seed.paragraphs


def test_text_input_has_no_furniture_and_null_boxes(seed: DemoDoc) -> None:
    data = seed.normalized_text.encode()
    record = process_document(data, ".txt")
    rows = table_rows(_meta(record, data), record)
    assert rows["page_furniture"] == []
    assert rows["paragraphs"] and all(
        row["x0"] is row["top"] is row["x1"] is row["bottom"] is None for row in rows["paragraphs"])


def test_the_json_record_is_unchanged_by_furniture_and_boxes(seed: DemoDoc) -> None:
    record = process_document(render_pdf(seed, "word_embedded"), ".pdf")
    assert record.furniture and all(p.bbox for p in record.paragraphs)
    got = json.loads(json.dumps(record.to_json_dict(), ensure_ascii=False))
    assert set(got) == {"doc_id", "status", "quarantine_reason", "meeting", "agenda_items",
                        "reviewed_documents", "attendance", "distribution", "paragraphs", "warnings"}
    assert all(set(p) == {"seq", "text", "page_start", "page_end"} for p in got["paragraphs"])
    assert only_expected_keys(got, seed.expected) == seed.expected
