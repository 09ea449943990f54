"""Realistic documents for load tests: the seed records, varied into a corpus of any size.

Also used by the subprocess tests (tests/load/loader_proc.py) and benchmarks/publish_timings.py, so it
imports nothing from pytest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from load.rows import DocumentMeta, table_rows
from transform.grammar.quality import completeness
from transform.record import (
    AgendaItem,
    AttendanceEntry,
    Clause,
    Furniture,
    Meeting,
    MinutesRecord,
    Paragraph,
    ReviewedDocument,
)

SEEDS_DIR = Path(__file__).resolve().parents[2] / "demo" / "seeds"
QUARANTINE_EVERY = 10  # every 10th document of a corpus is quarantined


def seed_record(stem: str, doc_id: str) -> MinutesRecord:
    """A seed's expected record, with paragraphs from its normalized text."""
    data = json.loads((SEEDS_DIR / f"{stem}.json").read_text(encoding="utf-8"))
    meeting = Meeting(**{
        key: dt.date.fromisoformat(value) if key.endswith("_date") and value else value
        for key, value in data["meeting"].items()
    })
    meeting.completeness = completeness(vars(meeting))
    items = [
        AgendaItem(item["item_no"], item["kind"], item["heading"],
                   [Clause(**clause) for clause in item["clauses"]])
        for item in data["agenda_items"]
    ]
    lines = (SEEDS_DIR / f"{stem}.normalized.txt").read_text(encoding="utf-8").splitlines()
    return MinutesRecord(
        doc_id=doc_id,
        meeting=meeting,
        agenda_items=items,
        reviewed_documents=[ReviewedDocument(**row) for row in data["reviewed_documents"]],
        attendance=[AttendanceEntry(**row) for row in data["attendance"]],
        distribution=list(data["distribution"]),
        paragraphs=[Paragraph(seq, text, 1 + seq // 20, 1 + seq // 20, _bbox(seq))
                    for seq, text in enumerate(lines, start=1)],
        page_count=5,
        furniture=[Furniture(1, "masthead", "苏州市人民政府常务会议纪要"),
                   *(Furniture(page, "page_number", f"— {page} —") for page in range(1, 6))],
    )


def _bbox(seq: int) -> tuple[float, float, float, float]:
    """A plausible box on an A4 page (points): 20 paragraphs a page, one below the other."""
    top = 80.0 + (seq % 20) * 36.0
    return (90.0, top, 505.25, top + 30.5)


def seed_stems() -> list[str]:
    return sorted(path.name.removesuffix(".json") for path in SEEDS_DIR.glob("*.json"))


def doc_id_for(index: int) -> str:
    return hashlib.sha256(f"document-{index}".encode()).hexdigest()


Item = tuple[DocumentMeta, MinutesRecord]


def document(index: int, *, version: str = "1.0.0", year_shift: int = 0) -> Item:
    """Document number `index` of the corpus; another `version` changes its text, as a reparse would."""
    doc_id = doc_id_for(index)
    published = dt.datetime(2018 + index % 6, 1 + index % 12, 1, 9, 0)
    meta = DocumentMeta(
        doc_id=doc_id, source="test", url=f"http://127.0.0.1/minutes/{index}.pdf",
        title=f"市政府第{index}次常务会议纪要", published_at=published,
        fetched_at=dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC), byte_size=100_000 + index,
        page_count=None, status="parsed", quarantine_reason=None, parser_version=version,
    )
    if index % QUARANTINE_EVERY == QUARANTINE_EVERY - 1:
        meta.status, meta.quarantine_reason = "quarantined", "not_minutes: no meeting opening"
        return meta, MinutesRecord(doc_id=doc_id, status="quarantined",
                                   quarantine_reason=meta.quarantine_reason)
    stems = seed_stems()
    record = seed_record(stems[index % len(stems)], doc_id)
    date = record.meeting.meeting_date
    assert date is not None
    record.meeting.meeting_date = date.replace(year=published.year + year_shift, month=published.month)
    record.meeting.session_no = index
    if version != "1.0.0":
        for paragraph in record.paragraphs:
            paragraph.text += f"（{version}）"
        record.paragraphs.append(Paragraph(len(record.paragraphs) + 1, f"重新解析 {version}"))
    return meta, record


def corpus(count: int, *, start: int = 0, version: str = "1.0.0") -> Iterator[Item]:
    for index in range(start, start + count):
        yield document(index, version=version)


def expected_rows(count: int, *, start: int = 0, version: str = "1.0.0") -> Counter[str]:
    """Rows per table the documents [start, start+count) should load."""
    totals: Counter[str] = Counter()
    for meta, record in corpus(count, start=start, version=version):
        for table, rows in table_rows(meta, record).items():
            totals[table] += len(rows)
    return totals
