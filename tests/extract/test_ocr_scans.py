"""Scanned minutes through the real OCR engine and the one pipeline: the demo's scans (rendered
pages made image-only, skewed, grainy, JPEG, stamped with a red seal) against their answer keys.

OCR costs seconds a page on a shared 2-core machine, so this is 8 pages in all, each read once.
"""

from __future__ import annotations

import pytest

from demo.corpus import expected_with_hints
from demo.scanned import field_accuracy, illegible_scan, scan_bytes, scanned_docs
from pipeline.document import process_document
from transform.record import DocHints, MinutesRecord

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def read_scans() -> list[tuple[object, MinutesRecord]]:
    results = []
    for doc, style in scanned_docs():
        hints = DocHints(title=doc.title, minutes_no=doc.minutes_no, published_at=doc.published_at)
        results.append((doc, process_document(scan_bytes(doc, style), ".pdf", hints)))
    return results


def test_scans_are_parsed_with_at_least_95_percent_of_fields_right(read_scans) -> None:
    right = total = 0
    for doc, record in read_scans:
        assert record.status == "parsed", record.quarantine_reason
        got_right, got_total, wrong = field_accuracy(record.to_json_dict(), expected_with_hints(doc))
        right, total = right + got_right, total + got_total
        assert got_right / got_total >= 0.9, (doc.slug, got_right, got_total, wrong)  # no scan is lost
    assert total > 200 and right / total >= 0.95, (right, total)


def test_the_line_under_the_seal_reads_whole(read_scans) -> None:
    # The seal is stamped over `…整理` and the date under it: both fields come out right.
    for doc, record in read_scans:
        assert record.meeting.compiled_by == doc.expected["meeting"]["compiled_by"], doc.slug
        assert record.meeting.compiled_date.isoformat() == doc.expected["meeting"]["compiled_date"], doc.slug


def test_ocr_paragraphs_carry_the_flag_a_confidence_and_their_pages(read_scans) -> None:
    for _, record in read_scans:
        assert record.paragraphs and all(p.ocr for p in record.paragraphs)
        assert all(0.85 <= p.ocr_confidence <= 1.0 for p in record.paragraphs)
        assert record.paragraphs[-1].page_end == record.page_count
        assert all(p.bbox and 0 <= p.bbox[0] < p.bbox[2] <= 595 for p in record.paragraphs)


def test_page_furniture_is_recognised_on_scans_as_on_text_layers(read_scans) -> None:
    for doc, record in read_scans:
        kinds = [(f.page, f.kind) for f in record.furniture]
        numbered = {page for page, kind in kinds if kind == "page_number"}
        # Every page's number, though the detector finds few of them (extract.ocr.missed_page_numbers).
        assert numbered == set(range(1, record.page_count + 1)), (doc.slug, kinds)
        if doc.family == "kai_running_head":
            heads = {page for page, kind in kinds if kind == "running_head"}
            assert heads == set(range(2, record.page_count + 1))
        if doc.family == "word_embedded":
            assert "苏州市人民政府常务会议纪要" in [f.text for f in record.furniture if f.kind == "masthead"]
        assert not any(f.text in p.text for f in record.furniture if f.kind == "running_head"
                       for p in record.paragraphs)


def test_a_scan_too_poor_to_read_is_quarantined_with_its_confidence() -> None:
    record = process_document(illegible_scan(), ".pdf")
    assert record.status == "quarantined"
    assert record.quarantine_reason.startswith("ocr_low_confidence: mean confidence 0.")
    assert record.quarantine_reason.endswith(" below 0.85")
    assert record.paragraphs == [] and record.page_count is None


def test_without_ocr_a_scan_stays_quarantined_no_text_layer() -> None:
    doc, style = scanned_docs()[0]
    record = process_document(scan_bytes(doc, style), ".pdf", ocr=False)
    assert record.status == "quarantined"
    assert record.quarantine_reason == ("no_text_layer: no text layer (3 image(s), no text: a scan); "
                                        "OCR is turned off (--no-ocr)")
