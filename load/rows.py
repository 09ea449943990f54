"""Record + document metadata → plain rows per warehouse table (docs/INTERFACE.md §6).

Pure functions: no files, no DuckDB. Rows are dicts keyed by the column names of
load/tables.py, ready for `pyarrow.Table.from_pylist`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields

from load.tables import DOCUMENT_TABLES, FETCH_FAILURES, KEYS, SCHEMAS
from transform.record import MinutesRecord

# Filed under this partition when a document has no meeting date, publication or fetch time.
UNKNOWN_YEAR = 0


@dataclass
class DocumentMeta:
    """The `documents` row: what the fetch stage knows about a document."""

    doc_id: str
    source: str
    url: str | None
    title: str | None
    published_at: dt.datetime | None
    fetched_at: dt.datetime | None
    byte_size: int
    page_count: int | None
    status: str
    quarantine_reason: str | None
    parser_version: str


@dataclass
class RunRow:
    """The `runs` row: one execution of a flow and what it counted."""

    run_id: str
    flow: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    docs_discovered: int
    docs_fetched: int
    docs_parsed: int
    docs_quarantined: int
    source: str | None = None
    notes: str | None = None


def table_rows(meta: DocumentMeta, record: MinutesRecord) -> dict[str, list[dict]]:
    """Rows of one document for every document table (empty lists included).

    Rows breaking a table key (a duplicate or a missing key value) are dropped, first one
    kept, and named in `documents.warnings`: one odd parse must not block a whole publish.
    """
    if record.doc_id and record.doc_id != meta.doc_id:
        raise ValueError(f"record {record.doc_id} does not belong to document {meta.doc_id}")
    doc_id = meta.doc_id
    meeting = record.meeting
    rows: dict[str, list[dict]] = {table: [] for table in DOCUMENT_TABLES}

    if any(getattr(meeting, f.name) is not None for f in fields(meeting)):
        meeting_row = {f.name: getattr(meeting, f.name) for f in fields(meeting)}
        rows["meetings"].append({"doc_id": doc_id, **meeting_row})
    for item in record.agenda_items:
        rows["agenda_items"].append(
            {"doc_id": doc_id, "item_no": item.item_no, "kind": item.kind, "heading": item.heading})
        for clause in item.clauses:
            rows["decisions"].append({
                "doc_id": doc_id, "item_no": item.item_no, "clause_no": clause.clause_no,
                "text": clause.text, "page_start": clause.page_start, "page_end": clause.page_end,
            })
    rows["reviewed_documents"] = [
        {"doc_id": doc_id, "item_no": r.item_no, "title": r.title, "action": r.action,
         "outcome": r.outcome, "lead_agency": r.lead_agency}
        for r in record.reviewed_documents
    ]
    rows["attendance"] = [
        {"doc_id": doc_id, "role": a.role, "seq": a.seq, "organization": a.organization,
         "person_name": a.person_name, "raw": a.raw}
        for a in record.attendance
    ]
    rows["distribution"] = [
        {"doc_id": doc_id, "seq": seq, "recipient": recipient}
        for seq, recipient in enumerate(record.distribution, start=1)
    ]
    rows["paragraphs"] = [
        {"doc_id": doc_id, "seq": p.seq, "text": p.text, "page_start": p.page_start, "page_end": p.page_end,
         **_bbox_columns(p.bbox), "ocr": p.ocr, "ocr_confidence": p.ocr_confidence}
        for p in record.paragraphs
    ]
    rows["page_furniture"] = [
        {"doc_id": doc_id, "seq": seq, "page": f.page, "kind": f.kind, "text": f.text}
        for seq, f in enumerate(record.furniture, start=1)
    ]

    warnings = list(record.warnings)
    for table in DOCUMENT_TABLES:
        rows[table], dropped = _enforce_key(rows[table], KEYS[table])
        if dropped:
            warnings.append(f"dropped_rows: {dropped} {table} row(s) with a duplicate or empty key")

    quarantined = "quarantined" in (meta.status, record.status)
    rows["documents"] = [{
        "doc_id": doc_id,
        "source": meta.source,
        "url": meta.url,
        "title": meta.title,
        "published_at": _naive_utc(meta.published_at),
        "fetched_at": _naive_utc(meta.fetched_at),
        "byte_size": meta.byte_size,
        "page_count": meta.page_count if meta.page_count is not None else record.page_count,
        "status": "quarantined" if quarantined else meta.status,
        "quarantine_reason": (meta.quarantine_reason or record.quarantine_reason) if quarantined else None,
        "parser_version": meta.parser_version,
        "warnings": warnings,
    }]
    return rows


def run_row(run: RunRow) -> dict:
    """The `runs` row as a dict, times in naive UTC like every TIMESTAMP of the warehouse."""
    row = {f.name: getattr(run, f.name) for f in fields(run)}
    row["started_at"] = _naive_utc(run.started_at)
    row["finished_at"] = _naive_utc(run.finished_at)
    return row


def partition_year(meta: DocumentMeta, record: MinutesRecord) -> int:
    """The lake partition of a document: the year of its meeting.

    A document without a meeting date (a quarantined one) is filed under the year it was
    published, else fetched, else `year=0`; the year is read before any UTC conversion, as
    the publisher dated it.
    """
    for moment in (record.meeting.meeting_date, meta.published_at, meta.fetched_at):
        if moment is not None:
            return moment.year
    return UNKNOWN_YEAR


def _bbox_columns(bbox: tuple[float, float, float, float] | None) -> dict[str, float | None]:
    """A paragraph's (x0, top, x1, bottom) as four columns, all null when it has no geometry."""
    x0, top, x1, bottom = bbox if bbox is not None else (None, None, None, None)
    return {"x0": x0, "top": top, "x1": x1, "bottom": bottom}


def _naive_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """TIMESTAMP columns are naive: aware times are stored in UTC, naive ones as given."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _enforce_key(rows: Iterable[dict], key: tuple[str, ...]) -> tuple[list[dict], int]:
    kept: list[dict] = []
    seen: set[tuple] = set()
    dropped = 0
    for row in rows:
        value = tuple(row[column] for column in key)
        if None in value or "" in value or value in seen:
            dropped += 1
            continue
        seen.add(value)
        kept.append(row)
    return kept, dropped


FETCH_FAILURE_TIMES = ("published_at", "first_seen", "last_seen")


def fetch_failure_row(failure: dict) -> dict:
    """A fetch failure as the manifest keeps it (ISO text times) → its `fetch_failures` row."""
    row = {name: failure.get(name) for name in SCHEMAS[FETCH_FAILURES].names}
    for name in FETCH_FAILURE_TIMES:
        row[name] = dt.datetime.fromisoformat(row[name]) if row[name] else None
    row["given_up"] = bool(row["given_up"])
    return row
