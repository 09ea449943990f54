"""One document, start to finish: bytes → text layer (extract) → minutes record (transform).

The single entry point the flows, `minutes parse`, `minutes ingest` and the benchmark share, so
every input (.pdf, .html, .txt) goes through the same reader, normalizer and grammar.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager

from extract.errors import Quarantine
from extract.isolation import IsolatedWorker, WorkerDied, shared_pool
from extract.read import DEFAULT_TIME_LIMIT, read_document
from extract.sniff import readable_suffix
from transform.interpret import interpret
from transform.record import DocHints, MinutesRecord

log = logging.getLogger(__name__)

PARSER_ERROR = "parser_error"  # a bug of ours, not the document's: kept apart from the document codes
WORKER_PRELOAD = ("pdfplumber", __name__)  # imported once when the extraction worker starts


def document_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def process_document(data: bytes, suffix: str, hints: DocHints | None = None, *,
                     time_limit: float | None = DEFAULT_TIME_LIMIT,
                     timings: MutableMapping[str, float] | None = None, ocr: bool = True) -> MinutesRecord:
    """Parse one document. Never raises for a bad document: it comes back quarantined.

    A PDF stored without a PDF suffix (an ingested file named `scan` or `minutes.bin`) is read as one.
    `timings`, when given, accumulates the seconds spent reading ("extract") and parsing ("parse").
    With `ocr` off, pages that are only images are not read (a scan is quarantined no_text_layer).
    """
    doc_id = document_id(data)
    page_count: int | None = None
    try:
        with _timed(timings, "extract"):
            layer = read_document(data, readable_suffix(data, suffix), time_limit=time_limit, ocr=ocr)
        page_count = layer.page_count
        with _timed(timings, "parse"):
            return interpret(layer, hints, doc_id)
    except Quarantine as bad:
        return MinutesRecord(doc_id=doc_id, status="quarantined", quarantine_reason=bad.reason,
                             page_count=page_count)
    except MemoryError:  # over the extraction worker's memory cap: it answers too_large
        raise
    except Exception as bug:  # one document must never stop a run; the reason says it is ours
        log.exception("unexpected error parsing %s", doc_id)
        reason = f"{PARSER_ERROR}: {type(bug).__name__}: {' '.join(str(bug).split())}"[:500]
        return MinutesRecord(doc_id=doc_id, status="quarantined", quarantine_reason=reason,
                             page_count=page_count)


def process_document_within_limits(data: bytes, suffix: str, hints: DocHints | None = None, *,
                                   worker: IsolatedWorker | None = None, ocr: bool = True) -> MinutesRecord:
    """process_document in an extraction worker (extract/isolation.py; one of this process's pool
    unless one is given): killed at its time limit, capped in memory; safe from several threads at
    once. A document over a limit comes back quarantined `timeout` / `too_large`. Each page read by
    OCR extends the limit by its own budget (extract.isolation.extend_deadline)."""
    if worker is None:
        with shared_pool(preload=WORKER_PRELOAD).worker() as lent:
            return process_document_within_limits(data, suffix, hints, worker=lent, ocr=ocr)
    try:
        return worker.call(process_document, data, suffix, hints, time_limit=worker.limits.seconds, ocr=ocr)
    except Quarantine as over_limit:
        return MinutesRecord(doc_id=document_id(data), status="quarantined",
                             quarantine_reason=over_limit.reason)
    except WorkerDied as died:  # a crash in C code: ours to look at, tried again next run
        return MinutesRecord(doc_id=document_id(data), status="quarantined",
                             quarantine_reason=f"{PARSER_ERROR}: {died}")


@contextmanager
def _timed(timings: MutableMapping[str, float] | None, stage: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        if timings is not None:
            timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started
