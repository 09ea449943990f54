"""One entry point from a document's bytes to normalized paragraphs, whatever its type."""

from __future__ import annotations

from dataclasses import dataclass, field

from extract.document_number import find_minutes_no
from extract.errors import EMPTY_FILE, UNSUPPORTED_TYPE, Quarantine
from extract.pdf import read_pdf
from transform.paragraphs import paragraphs_from_blocks, paragraphs_from_pdf, paragraphs_from_text
from transform.record import DocHints, Furniture, Paragraph

PDF_SUFFIXES = frozenset({"pdf"})
TEXT_SUFFIXES = frozenset({"txt"})
HTML_SUFFIXES = frozenset({"html", "htm", "shtml"})


@dataclass
class ReadText:
    paragraphs: list[Paragraph]
    page_count: int | None = None  # None for TXT and HTML
    # Page numbers, running heads and the masthead, apart from the text, with their page and kind.
    furniture: list[Furniture] = field(default_factory=list)
    hints: DocHints = field(default_factory=DocHints)  # what an HTML detail page says


def read_paragraphs(data: bytes, suffix: str, *, time_limit: float | None = 60.0,
                    ocr: bool = True) -> ReadText:
    """Bytes of a `.pdf`, `.txt` or `.html/.htm/.shtml` document → its normalized paragraphs.

    Raises Quarantine for what cannot be read (see extract.pdf) or an unsupported suffix.
    Content wins over the name where they disagree: `%PDF` bytes are read as a PDF, and a
    `.pdf` whose bytes are an HTML page is `not_pdf`. With `ocr` off, a scan stays `no_text_layer`.
    """
    kind = suffix.lower().lstrip(".")
    if kind not in PDF_SUFFIXES | TEXT_SUFFIXES | HTML_SUFFIXES:
        raise Quarantine(UNSUPPORTED_TYPE, f"cannot read {suffix or 'files without a suffix'!r} documents")
    if kind in PDF_SUFFIXES or data[:1024].lstrip().startswith(b"%PDF-"):
        pdf = read_pdf(data, time_limit=time_limit, ocr=ocr)
        masthead = [f.text for f in pdf.furniture if f.kind == "masthead"]
        return ReadText(
            paragraphs=paragraphs_from_pdf(pdf),
            page_count=pdf.page_count,
            furniture=[Furniture(line.page, line.kind, line.text) for line in pdf.furniture],
            hints=DocHints(minutes_no=find_minutes_no(" ".join(masthead))),  # the masthead's 〔2024〕7号
        )
    if not data.strip():
        raise Quarantine(EMPTY_FILE, "the file is empty")
    if kind in TEXT_SUFFIXES:
        return ReadText(paragraphs=paragraphs_from_text(_decode_text(data)))
    return _read_html(data)


def _read_html(data: bytes) -> ReadText:
    # Imported here: the detail-page parser (selectolax) is only needed for HTML input.
    from extract.detail_page import parse_detail_page

    page = parse_detail_page(data)
    hints = DocHints(title=page.title, minutes_no=page.minutes_no, published_at=page.published_at)
    return ReadText(paragraphs=paragraphs_from_blocks(page.article_paragraphs), hints=hints)


def _decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, the other encoding Chinese text files come in."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")
