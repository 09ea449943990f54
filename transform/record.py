"""The structured minutes record (docs/INTERFACE.md §5) as plain dataclasses."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

# Bump when parsing or normalization changes output: documents parsed by an older
# version are re-extracted by `minutes backfill --reprocess`, and caches are keyed on it.
# 1.1.0: furniture keeps page and kind, paragraphs their box (issue 3)
# 1.2.0: other places' styles; a missing field is null with a warning, not a quarantine;
#        meeting.completeness; traditional characters read as simplified (issue 14)
# 1.2.1: page furniture in reading order (issue 16)
# 1.3.0: scans read by OCR; paragraphs carry ocr and ocr_confidence (issue 18)
PARSER_VERSION = "1.3.0"


@dataclass
class Paragraph:
    seq: int
    text: str
    page_start: int | None = None
    page_end: int | None = None
    # (x0, top, x1, bottom) on page_start, in PDF points; None for TXT/HTML input.
    bbox: tuple[float, float, float, float] | None = None
    ocr: bool = False  # read from a page image by OCR (extract.ocr), not from a text layer
    ocr_confidence: float | None = None  # the OCR engine's mean confidence, 0-1; None for text layers


@dataclass
class Furniture:
    """A page number, running head or masthead line: stored with the document, never body text."""

    page: int | None  # None for TXT/HTML input, which has no pages
    # "page_number" | "running_head" | "masthead", as extract.pdf names it; "page_header" for a web
    # page's header lines copied with the text (来源：… 日期：…)
    kind: str
    text: str


@dataclass
class DocHints:
    """What the publisher's page says about a document, used where the document is silent."""

    title: str | None = None
    minutes_no: str | None = None
    published_at: dt.datetime | None = None
    url: str | None = None


@dataclass
class Meeting:
    title: str | None = None
    minutes_no: str | None = None
    session_no: int | None = None
    meeting_date: dt.date | None = None
    day_period: str | None = None
    chair_name: str | None = None
    chair_title: str | None = None
    recorder: str | None = None
    compiled_by: str | None = None
    compiled_date: dt.date | None = None
    issued_by: str | None = None
    issued_date: dt.date | None = None
    disclosure: str | None = None
    # Share of the header fields found, 0–1 (transform.grammar.quality.HEADER_FIELDS); None
    # for a document that was not parsed.
    completeness: float | None = None


@dataclass
class Clause:
    clause_no: int
    text: str
    page_start: int | None = None
    page_end: int | None = None


@dataclass
class AgendaItem:
    item_no: int
    kind: str
    heading: str
    clauses: list[Clause] = field(default_factory=list)


@dataclass
class ReviewedDocument:
    item_no: int
    title: str
    action: str
    outcome: str | None = None
    lead_agency: str | None = None


@dataclass
class AttendanceEntry:
    role: str
    seq: int
    organization: str | None
    person_name: str | None
    raw: str


@dataclass
class MinutesRecord:
    doc_id: str
    status: str = "parsed"  # "parsed" | "quarantined"
    quarantine_reason: str | None = None
    meeting: Meeting = field(default_factory=Meeting)
    agenda_items: list[AgendaItem] = field(default_factory=list)
    reviewed_documents: list[ReviewedDocument] = field(default_factory=list)
    attendance: list[AttendanceEntry] = field(default_factory=list)
    distribution: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Not part of the JSON record; carried for the `documents` table.
    page_count: int | None = None
    furniture: list[Furniture] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        """The docs/INTERFACE.md §5 JSON shape: dates as ISO strings, no internal fields."""
        data = asdict(self)
        data.pop("page_count")
        data.pop("furniture")
        for para in data["paragraphs"]:
            for internal in ("bbox", "ocr", "ocr_confidence"):  # warehouse columns, not the JSON record
                para.pop(internal)
        return _iso_dates(data)


def _iso_dates(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _iso_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_iso_dates(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
