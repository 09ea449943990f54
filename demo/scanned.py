"""The demo's scanned documents: short excerpts of synthetic minutes, scanned, with their answer keys.

OCR costs seconds a page, so the scans are short (1-3 pages): a document's opening, its first agenda
item cut to a few clauses, then the attendance and colophon it printed. The answer key is the
excerpt's own normalized text and record, cut the same way, so it stays exact.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import json

from demo.corpus import DemoDoc, synthetic_docs
from demo.render import render_scan_pdf
from demo.scan import ScanStyle

# A few scans, each rough in its own way; the first is the one the demo site publishes.
SCAN_STYLES: dict[str, ScanStyle] = {
    "office": ScanStyle(dpi=150, skew_degrees=0.6, grain=10.0, jpeg_quality=55, seal=True, seed=1),
    "rough": ScanStyle(dpi=150, skew_degrees=-1.1, grain=16.0, specks=900, jpeg_quality=40, seal=True,
                       seed=2),
    "fine": ScanStyle(dpi=200, skew_degrees=0.3, grain=6.0, jpeg_quality=70, seal=True, seed=3),
}
# A scan too poor to read (50 dpi, heavy grain, JPEG 12): OCR finds a few lines, at a mean
# confidence of 0.55 (measured), far below extract.ocr.MIN_MEAN_CONFIDENCE.
ILLEGIBLE = ScanStyle(dpi=50, skew_degrees=2.0, grain=30.0, specks=1500, jpeg_quality=12, seal=False, seed=4)


def excerpt(doc: DemoDoc, clauses: int = 2) -> DemoDoc:
    """The document cut to its opening, the first agenda item's first `clauses` clauses, and the
    closing paragraphs (attendance, colophon); its answer key cut to match."""
    assert doc.expected is not None, "only documents with an answer key can be excerpted"
    first_item = doc.expected["agenda_items"][0]
    kept_clauses = first_item["clauses"][:clauses]
    head = doc.paragraphs[:3]  # opening, 会议议定以下意见：, the first item's heading
    closing_from = next(i for i, text in enumerate(doc.paragraphs) if text.startswith("出席："))
    paragraphs = head + [clause["text"] for clause in kept_clauses] + doc.paragraphs[closing_from:]
    expected = copy.deepcopy(doc.expected)
    expected["agenda_items"] = [{**first_item, "clauses": copy.deepcopy(kept_clauses)}]
    expected["reviewed_documents"] = [row for row in expected["reviewed_documents"] if row["item_no"] == 1]
    return dataclasses.replace(doc, paragraphs=paragraphs, expected=expected)


def scanned_docs(n_synthetic: int = 24, seed: int = 2024) -> list[tuple[DemoDoc, ScanStyle]]:
    """One excerpt per scan style, from different synthetic documents (and layout families)."""
    docs = synthetic_docs(n_synthetic, seed)
    # (document, clauses kept): word_embedded with its red masthead, wps_cid, and kai_running_head
    # with enough clauses for three pages, so its running head repeats and is known as one.
    picks = ((9, 2), (13, 2), (20, 4))
    return [(excerpt(docs[index], clauses), style)
            for (index, clauses), style in zip(picks, SCAN_STYLES.values(), strict=True)]


def scan_bytes(doc: DemoDoc, style: ScanStyle) -> bytes:
    return render_scan_pdf(doc, doc.family, style)


def illegible_scan() -> bytes:
    """The first page of a document scanned too poorly to read (ILLEGIBLE)."""
    doc, _ = scanned_docs()[1]
    return render_scan_pdf(doc, doc.family, ILLEGIBLE, first_pages=1)


def field_accuracy(got: dict, expected: dict) -> tuple[int, int, list[str]]:
    """How many fields of a record (its JSON form, docs/INTERFACE.md §5) match the answer key:
    every meeting field, each agenda item's kind and heading, each clause, and each row of
    reviewed documents, attendance and distribution (with all its fields). Rows are aligned as
    sequences, so one missing row costs one row, not every row after it. Returns (right, total,
    what is wrong)."""
    wrong: list[str] = []
    total = 0
    for name, value in expected["meeting"].items():
        total += 1
        if got["meeting"].get(name) != value:
            wrong.append(f"meeting.{name}")

    def aligned(label: str, want: list, have: list) -> None:
        nonlocal total
        want_keys, have_keys = [_row_key(row) for row in want], [_row_key(row) for row in have]
        matcher = difflib.SequenceMatcher(None, want_keys, have_keys, autojunk=False)
        found = {i + k for i, _, size in matcher.get_matching_blocks() for k in range(size)}
        total += len(want)
        wrong.extend(f"{label}: {want[i]}" for i in range(len(want)) if i not in found)

    def items(record: dict) -> list[dict]:
        return [{"item_no": item["item_no"], "kind": item["kind"], "heading": item["heading"]}
                for item in record.get("agenda_items") or []]

    def clauses(record: dict) -> list[str]:
        return [clause["text"] for item in record.get("agenda_items") or [] for clause in item["clauses"]]

    aligned("agenda_items", items(expected), items(got))
    aligned("clauses", clauses(expected), clauses(got))
    for key in ("reviewed_documents", "attendance", "distribution"):
        aligned(key, expected[key], got.get(key) or [])
    return total - len(wrong), total, wrong


def _row_key(row: object) -> str:
    """A row as comparable text, without its `seq`: a position, which alignment already checks."""
    if isinstance(row, dict):
        row = {key: value for key, value in row.items() if key != "seq"}
    return json.dumps(row, ensure_ascii=False, sort_keys=True)
