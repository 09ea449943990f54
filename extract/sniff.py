"""What a document's bytes are, decided once for every caller (crawler, ingest, reader).

Content wins over names: publishers serve PDFs as `application/octet-stream` behind `downfile.jsp`,
users save them as `scan` or `minutes.bin`, and error pages arrive named `.pdf`.
"""

from __future__ import annotations

import re

PDF_MAGIC = b"%PDF-"
# How far into the file the PDF header may sit: readers accept junk before it (up to 1 KiB).
SNIFF_BYTES = 1024
PDF_SUFFIXES = frozenset({"pdf"})
TEXT_SUFFIXES = frozenset({"txt"})
HTML_SUFFIXES = frozenset({"html", "htm", "shtml"})
READABLE_SUFFIXES = frozenset(f".{kind}" for kind in PDF_SUFFIXES | TEXT_SUFFIXES | HTML_SUFFIXES)
_HTML_START = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<body|<\?xml|<!--)", re.IGNORECASE)


def is_pdf(data: bytes) -> bool:
    """The PDF header within the first SNIFF_BYTES bytes."""
    return PDF_MAGIC in data[:SNIFF_BYTES]


def is_html(data: bytes) -> bool:
    head = data[:SNIFF_BYTES]
    return _HTML_START.match(head) is not None or b"<html" in head.lower()


def readable_suffix(data: bytes, suffix: str) -> str:
    """The suffix to read `data` as: a PDF saved without `.pdf` (or as `.bin`, `.dat`…) is a PDF;
    anything else keeps its own suffix, so the reader can say what it cannot read."""
    if suffix.lower() not in READABLE_SUFFIXES and is_pdf(data):
        return ".pdf"
    return suffix
