"""The warehouse tables as the lake stores them: names, keys and explicit Arrow schemas.

One place for the shape of every Parquet dataset. `warehouse/schema.sql` declares the same
tables for DuckDB; tests/load checks that the two agree column by column.
"""

from __future__ import annotations

import pyarrow as pa

_TIMESTAMP = pa.timestamp("us")  # DuckDB TIMESTAMP: naive, microseconds

# Tables filled from documents, in load order. `documents` is written last to the lake: a batch
# whose `documents` file exists is committed (see load/lake.py).
DOCUMENT_TABLES: tuple[str, ...] = (
    "meetings",
    "agenda_items",
    "decisions",
    "reviewed_documents",
    "attendance",
    "distribution",
    "paragraphs",
    "page_furniture",
    "documents",
)
RUNS = "runs"
# A snapshot of the fetch state, replaced whole by every run (not per document, not per year).
FETCH_FAILURES = "fetch_failures"
ALL_TABLES: tuple[str, ...] = (*DOCUMENT_TABLES, RUNS, FETCH_FAILURES)

KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id",),
    "meetings": ("doc_id",),
    "agenda_items": ("doc_id", "item_no"),
    "decisions": ("doc_id", "item_no", "clause_no"),
    "reviewed_documents": ("doc_id", "item_no", "title"),
    "attendance": ("doc_id", "role", "seq"),
    "distribution": ("doc_id", "seq"),
    "paragraphs": ("doc_id", "seq"),
    "page_furniture": ("doc_id", "seq"),
    "runs": ("run_id",),
    "fetch_failures": ("source", "url"),
}

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        ("doc_id", pa.string()),
        ("source", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("published_at", _TIMESTAMP),
        ("fetched_at", _TIMESTAMP),
        ("byte_size", pa.int32()),
        ("page_count", pa.int32()),
        ("status", pa.string()),
        ("quarantine_reason", pa.string()),
        ("parser_version", pa.string()),
        ("warnings", pa.list_(pa.string())),
    ]),
    "meetings": pa.schema([
        ("doc_id", pa.string()),
        ("title", pa.string()),
        ("minutes_no", pa.string()),
        ("session_no", pa.int32()),
        ("meeting_date", pa.date32()),
        ("day_period", pa.string()),
        ("chair_name", pa.string()),
        ("chair_title", pa.string()),
        ("recorder", pa.string()),
        ("compiled_by", pa.string()),
        ("compiled_date", pa.date32()),
        ("issued_by", pa.string()),
        ("issued_date", pa.date32()),
        ("disclosure", pa.string()),
        # Share of the header fields the parser found, 0–1 (transform.grammar.quality.HEADER_FIELDS).
        ("completeness", pa.float64()),
    ]),
    "agenda_items": pa.schema([
        ("doc_id", pa.string()),
        ("item_no", pa.int32()),
        ("kind", pa.string()),
        ("heading", pa.string()),
    ]),
    "decisions": pa.schema([
        ("doc_id", pa.string()),
        ("item_no", pa.int32()),
        ("clause_no", pa.int32()),
        ("text", pa.string()),
        ("page_start", pa.int32()),
        ("page_end", pa.int32()),
    ]),
    "reviewed_documents": pa.schema([
        ("doc_id", pa.string()),
        ("item_no", pa.int32()),
        ("title", pa.string()),
        ("action", pa.string()),
        ("outcome", pa.string()),
        ("lead_agency", pa.string()),
    ]),
    "attendance": pa.schema([
        ("doc_id", pa.string()),
        ("role", pa.string()),
        ("seq", pa.int32()),
        ("organization", pa.string()),
        ("person_name", pa.string()),
        ("raw", pa.string()),
    ]),
    "distribution": pa.schema([
        ("doc_id", pa.string()),
        ("seq", pa.int32()),
        ("recipient", pa.string()),
    ]),
    "paragraphs": pa.schema([
        ("doc_id", pa.string()),
        ("seq", pa.int32()),
        ("text", pa.string()),
        ("page_start", pa.int32()),
        ("page_end", pa.int32()),
        # The paragraph's box on page_start, PDF points from the top-left; null for TXT/HTML.
        ("x0", pa.float64()),
        ("top", pa.float64()),
        ("x1", pa.float64()),
        ("bottom", pa.float64()),
        # Read by OCR from a page image, with the engine's mean confidence (null for text layers).
        ("ocr", pa.bool_()),
        ("ocr_confidence", pa.float64()),
    ]),
    "page_furniture": pa.schema([
        ("doc_id", pa.string()),
        ("seq", pa.int32()),
        ("page", pa.int32()),
        ("kind", pa.string()),
        ("text", pa.string()),
    ]),
    "runs": pa.schema([
        ("run_id", pa.string()),
        ("flow", pa.string()),
        ("started_at", _TIMESTAMP),
        ("finished_at", _TIMESTAMP),
        ("status", pa.string()),
        ("docs_discovered", pa.int32()),
        ("docs_fetched", pa.int32()),
        ("docs_parsed", pa.int32()),
        ("docs_quarantined", pa.int32()),
        ("source", pa.string()),
        ("notes", pa.string()),
    ]),
    "fetch_failures": pa.schema([
        ("source", pa.string()),
        ("url", pa.string()),
        ("listing_url", pa.string()),
        ("detail_url", pa.string()),
        ("attachment_url", pa.string()),
        ("title", pa.string()),
        ("published_at", _TIMESTAMP),
        ("reason_code", pa.string()),
        ("message", pa.string()),
        ("attempts", pa.int32()),
        ("runs", pa.int32()),
        ("given_up", pa.bool_()),
        ("first_seen", _TIMESTAMP),
        ("last_seen", _TIMESTAMP),
    ]),
}
