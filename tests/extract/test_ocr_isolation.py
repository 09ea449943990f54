"""OCR inside the capped extraction worker (extract/isolation.py): each page read by OCR extends the
worker's deadline by its own budget, and the engine (whose need is one page image's, ~1.9 GiB of
address space) may go past the document's memory cap, after which the worker is replaced."""

from __future__ import annotations

import pytest

from demo.render import render_scan_pdf
from demo.scanned import SCAN_STYLES, scanned_docs
from extract.isolation import ExtractionTimeout, ExtractionTooLarge, IsolatedWorker, Limits
from pipeline.document import WORKER_PRELOAD, process_document_within_limits
from tests.extract import ocr_worker_functions as functions

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def worker() -> IsolatedWorker:
    worker = IsolatedWorker(Limits(seconds=1.0, memory_mb=300))
    yield worker
    worker.close()


def test_a_call_that_asks_for_more_time_is_given_it(worker: IsolatedWorker) -> None:
    assert worker.call(functions.sleep, 2.5, extend_by=3.0) == "woke"  # past 1 s + grace, within 4 s
    with pytest.raises(ExtractionTimeout) as caught:
        worker.call(functions.sleep, 6.0, extend_by=1.0)  # killed at 1 + 1 s (+ grace)
    assert "2 s limit" in caught.value.message  # the limit it had, extension included


def test_extra_memory_is_given_for_one_call_then_the_worker_is_replaced(worker: IsolatedWorker) -> None:
    with pytest.raises(ExtractionTooLarge):
        worker.call(functions.allocate, 500)  # over the 300 MiB cap
    assert worker.call(functions.allocate, 500, extra=True) == 500 * 1024 * 1024
    starts = worker.starts
    with pytest.raises(ExtractionTooLarge):
        worker.call(functions.allocate, 500)  # the next call has the cap again, in a new worker
    assert worker.starts == starts + 1


@pytest.mark.integration
def test_a_scan_is_read_by_ocr_inside_the_worker_s_limits() -> None:
    # A base limit shorter than one page's OCR and the default memory cap: the page's own budget
    # and the engine's allowance are what let it through.
    doc, _ = scanned_docs()[0]
    scan = render_scan_pdf(doc, doc.family, SCAN_STYLES["office"], first_pages=1)
    worker = IsolatedWorker(Limits(seconds=1.0), preload=WORKER_PRELOAD)
    try:
        record = process_document_within_limits(scan, ".pdf", worker=worker)
        assert record.status == "parsed", record.quarantine_reason
        assert record.paragraphs and all(p.ocr for p in record.paragraphs)
        assert record.meeting.chair_name == doc.expected["meeting"]["chair_name"]
        starts = worker.starts
        process_document_within_limits(scan, ".pdf", worker=worker, ocr=False)
        assert worker.starts == starts + 1  # the worker that ran the engine was replaced
    finally:
        worker.close()
