"""One document, start to finish: bytes → normalized paragraphs → minutes record.

The single entry point the flows, `minutes parse` and `minutes ingest` share, so every input
(.pdf, .html, .txt) goes through the same normalizer and grammar.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging

from extract.errors import Quarantine
from transform.grammar import parse_minutes
from transform.reader import read_paragraphs
from transform.record import DocHints, MinutesRecord

log = logging.getLogger(__name__)

PARSER_ERROR = "parser_error"  # a bug of ours, not the document's: kept apart from the document codes


def document_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def process_document(data: bytes, suffix: str, hints: DocHints | None = None, *,
                     ocr: bool = True) -> MinutesRecord:
    """Parse one document. Never raises for a bad document: it comes back quarantined.
    With `ocr` off, pages that are only images are not read (a scan is quarantined no_text_layer)."""
    doc_id = document_id(data)
    page_count: int | None = None
    try:
        text = read_paragraphs(data, suffix, ocr=ocr)
        page_count = text.page_count
        record = parse_minutes(text.paragraphs, _merge_hints(text.hints, hints), doc_id)
        record.page_count = page_count
        record.furniture = list(text.furniture)
        return record
    except Quarantine as bad:
        return MinutesRecord(doc_id=doc_id, status="quarantined", quarantine_reason=bad.reason,
                             page_count=page_count)
    except Exception as bug:  # one document must never stop a run; the reason says it is ours
        log.exception("unexpected error parsing %s", doc_id)
        reason = f"{PARSER_ERROR}: {type(bug).__name__}: {' '.join(str(bug).split())}"[:500]
        return MinutesRecord(doc_id=doc_id, status="quarantined", quarantine_reason=reason,
                             page_count=page_count)


def _merge_hints(from_document: DocHints, from_source: DocHints | None) -> DocHints:
    """What the crawler saw on the publisher's page wins over what the file itself carries."""
    if from_source is None:
        return from_document
    merged = {
        field.name: getattr(from_source, field.name) or getattr(from_document, field.name)
        for field in dataclasses.fields(DocHints)
    }
    return DocHints(**merged)
