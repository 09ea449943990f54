"""One entry point from a document's bytes to its text layer, whatever its type.

Content wins over the name where they disagree: `%PDF` bytes are read as a PDF, and a `.pdf` whose
bytes are an HTML page is `not_pdf`. Raises Quarantine for what cannot be read.
"""

from __future__ import annotations

from extract.errors import EMPTY_FILE, UNSUPPORTED_TYPE, Quarantine
from extract.furniture import strip_text_furniture
from extract.sniff import HTML_SUFFIXES, PDF_SUFFIXES, TEXT_SUFFIXES, is_pdf
from extract.textlayer import PageHints, TextLayer

DEFAULT_TIME_LIMIT = 60.0  # seconds for one document's text extraction


def read_document(data: bytes, suffix: str, *, time_limit: float | None = DEFAULT_TIME_LIMIT,
                  ocr: bool = True) -> TextLayer:
    """Bytes of a `.pdf`, `.txt` or `.html/.htm/.shtml` document → its text layer.

    A PDF's pages that are only images are read by OCR (extract.ocr), in this process and within
    the document's limits, each such page adding its own time budget; with `ocr` off a scan stays
    quarantined `no_text_layer`."""
    kind = suffix.lower().lstrip(".")
    if kind not in PDF_SUFFIXES | TEXT_SUFFIXES | HTML_SUFFIXES:
        raise Quarantine(UNSUPPORTED_TYPE, f"cannot read {suffix or 'files without a suffix'!r} documents")
    if kind in PDF_SUFFIXES or is_pdf(data):
        from extract.pdf import read_pdf  # pdfplumber is a heavy import: only where PDFs are read

        return read_pdf(data, time_limit=time_limit, ocr=ocr)
    if not data.strip():
        raise Quarantine(EMPTY_FILE, "the file is empty")
    if kind in TEXT_SUFFIXES:
        text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
        return TextLayer(kind="text", plain_lines=strip_text_furniture(text.split("\n")))
    return _read_html(data)


def _read_html(data: bytes) -> TextLayer:
    # Imported here: the detail-page parser (selectolax) is only needed for HTML input.
    from extract.detail_page import parse_detail_page

    page = parse_detail_page(data)
    hints = PageHints(title=page.title, document_number=page.minutes_no, published_at=page.published_at)
    return TextLayer(kind="html", blocks=page.article_paragraphs, hints=hints)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, the other encoding Chinese text files come in."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")
