"""End to end over the whole demo corpus: every published file, through the one pipeline,
gives exactly the record and normalized text the corpus generator wrote down as its answer key.

This is the accuracy figure the parser and the extractor answer to together (all three PDF
layouts, the HTML-only page, and the scan, read by OCR: there at least 95 % of fields right, as OCR
may misread a character; extract/ocr.py).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from demo.corpus import synthetic_docs
from demo.render import render_pdf
from demo.scanned import field_accuracy
from demo.site import build_site
from pipeline.document import process_document
from tests.helpers import only_expected_keys
from transform.record import DocHints


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("demo-site"))


def _entries(site: Path) -> list[dict]:
    return json.loads((site / "corpus.json").read_text(encoding="utf-8"))["documents"]


def test_every_demo_document_parses_to_its_answer_key(demo_site: Path) -> None:
    mismatches = []
    scan_fields = [0, 0]
    entries = _entries(demo_site)
    for entry in entries:
        path = entry["pdf_path"] or entry["detail_path"]
        data = (demo_site / path.lstrip("/")).read_bytes()
        hints = DocHints(
            title=entry["title"],
            minutes_no=entry["minutes_no"],
            published_at=dt.datetime.fromisoformat(entry["published_at"]),
        )
        record = process_document(data, Path(path).suffix, hints)
        if entry["expected_status"] == "quarantined":
            assert record.status == "quarantined", entry["slug"]
            assert record.quarantine_reason.startswith(entry["expected_quarantine_code"] + ":")
            continue
        got = record.to_json_dict()
        assert record.status == "parsed", (entry["slug"], record.quarantine_reason)
        if entry["kind"] == "scan":
            right, total, _ = field_accuracy(got, entry["expected_with_hints"])
            scan_fields[0] += right
            scan_fields[1] += total
            assert all(p.ocr and p.ocr_confidence and p.page_start for p in record.paragraphs)
            continue
        assert not any(p.ocr for p in record.paragraphs)
        text = "\n".join(p["text"] for p in got["paragraphs"])
        if text != entry["normalized_text"].rstrip("\n"):
            mismatches.append((entry["slug"], "normalized text"))
        if only_expected_keys(got, entry["expected_with_hints"]) != entry["expected_with_hints"]:
            mismatches.append((entry["slug"], "record"))
        if entry["kind"] == "pdf":
            assert record.page_count and all(p["page_start"] for p in got["paragraphs"])
    assert len(entries) >= 25
    assert mismatches == []
    assert scan_fields[1] > 50 and scan_fields[0] / scan_fields[1] >= 0.95, scan_fields


def test_full_attendance_line_followed_by_a_delegation_keeps_them_apart() -> None:
    # Regression: a 列席 line ending at the margin, then `A、B、C的代表` on the next line, were glued.
    doc = next(d for d in synthetic_docs(200) if d.slug == "syn-2024-0036")
    hints = DocHints(title=doc.title, minutes_no=doc.minutes_no, published_at=doc.published_at)
    record = process_document(render_pdf(doc, doc.family), ".pdf", hints)
    assert [p.text for p in record.paragraphs] == doc.paragraphs
