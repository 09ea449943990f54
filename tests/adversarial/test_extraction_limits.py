"""Extraction in the capped worker: whatever a PDF does to pdfminer, the document is quarantined
`timeout` or `too_large` within its limit (+ 5 s), and the next document is read as usual."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from extract.isolation import ExtractionTimeout, ExtractionTooLarge, IsolatedWorker, Limits
from pipeline.document import WORKER_PRELOAD, process_document, process_document_within_limits
from tests.adversarial import worker_functions
from tests.adversarial.hostile_pdfs import compressed_bomb, many_pages, self_referencing
from tests.fetch.fetch_site import minutes_pdf
from tests.helpers import MINUTES

pytestmark = pytest.mark.timeout(180)
LIMIT = 3.0
SLACK = 5.0  # the bound: quarantined within the limit + 5 s


@pytest.fixture
def worker() -> IsolatedWorker:
    worker = IsolatedWorker(Limits(seconds=LIMIT, memory_mb=400), preload=WORKER_PRELOAD)
    yield worker
    worker.close()


def _timed(worker: IsolatedWorker, data: bytes) -> tuple[str | None, float]:
    started = time.monotonic()
    record = process_document_within_limits(data, ".pdf", worker=worker)
    return record.quarantine_reason, time.monotonic() - started


def test_the_self_referencing_pdf_is_stopped_and_the_next_document_is_read(worker: IsolatedWorker) -> None:
    good = minutes_pdf(57)
    assert process_document_within_limits(good, ".pdf", worker=worker).status == "parsed"
    data = self_referencing()
    assert len(data) < 500
    reason, seconds = _timed(worker, data)
    assert reason is not None and reason.startswith("timeout: ")
    assert seconds < LIMIT + SLACK
    again = process_document_within_limits(good, ".pdf", worker=worker)  # a fresh worker, same answer
    assert again.to_json_dict() == process_document(good, ".pdf").to_json_dict()
    assert worker.restarts == 1


def test_a_compressed_content_stream_bomb_is_too_large(worker: IsolatedWorker) -> None:
    data = compressed_bomb(600)  # ~1 MB on disk, 600 MiB inflated: over the 400 MiB cap
    assert len(data) < 2_000_000
    reason, seconds = _timed(worker, data)
    assert reason is not None and reason.startswith("too_large: "), reason
    assert "400 MiB" in reason
    assert seconds < LIMIT + SLACK


def test_a_pdf_of_tens_of_thousands_of_pages_stops_at_the_limit(worker: IsolatedWorker) -> None:
    reason, seconds = _timed(worker, many_pages(30_000))
    assert reason is not None and reason.startswith("timeout: ")
    assert seconds < LIMIT + SLACK


def test_the_worker_is_reused_and_runs_any_picklable_function(tmp_path: Path) -> None:
    worker = IsolatedWorker(Limits(seconds=1.0, memory_mb=300))
    try:
        first = worker.call(worker_functions.pid)
        assert worker.call(worker_functions.pid) == first != os.getpid()
        with pytest.raises(ValueError, match="bad input"):  # the function's own error comes back
            worker.call(worker_functions.fail, "bad input")
        assert worker.call(worker_functions.pid) == first
        started = time.monotonic()
        with pytest.raises(ExtractionTimeout):  # C-level sleep: only the kill stops it
            worker.call(worker_functions.sleep_forever)
        assert time.monotonic() - started < 1.0 + SLACK
        with pytest.raises(ExtractionTooLarge):
            worker.call(worker_functions.allocate, 1024)
        assert worker.call(worker_functions.allocate, 10) == 10 * 1024 * 1024
        assert worker.call(worker_functions.pid) != first
    finally:
        worker.close()


@pytest.mark.integration
def test_minutes_parse_quarantines_the_self_referencing_pdf_within_the_limit(tmp_path: Path) -> None:
    pdf = tmp_path / "selfref.pdf"
    pdf.write_bytes(self_referencing())
    env = {**os.environ, "MINUTES_EXTRACT_TIME_LIMIT": str(LIMIT)}
    started = time.monotonic()
    done = subprocess.run([str(MINUTES), "parse", str(pdf)], env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    seconds = time.monotonic() - started
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"minutes: error: {pdf}: timeout: extraction exceeded the {LIMIT:g} s limit and was stopped"]
    assert '"quarantine_reason": "timeout: ' in done.stdout
    assert seconds < LIMIT + SLACK + 2  # + the command's own start-up (no Prefect in parse)


@pytest.mark.integration
def test_minutes_parse_quarantines_a_bomb_too_large(tmp_path: Path) -> None:
    pdf = tmp_path / "bomb.pdf"
    pdf.write_bytes(compressed_bomb(600))
    env = {**os.environ, "MINUTES_EXTRACT_MEMORY_MB": "400"}
    done = subprocess.run([str(MINUTES), "parse", str(pdf)], env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 1
    assert "too_large: extraction needed more than the 400 MiB memory limit" in done.stderr
