"""The text layer: what extract/ hands transform/ for every document, whatever it was read from.

A PDF's text, the OCR of a scan, an HTML article and a plain-text file all become one `TextLayer`:
body lines in reading order (with page numbers and, where there is geometry, positions in PDF
points), the page furniture set apart, and what the publisher's page said about the document.
transform/ reads nothing else, so a new input kind is a new reader here, not a change there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

LayerKind = Literal["pdf", "ocr", "html", "text"]


@dataclass
class TextLine:
    """One printed line of body text: glyphs sharing a baseline, left to right."""

    page: int  # 1-based
    x0: float
    x1: float
    top: float
    bottom: float
    text: str  # gaps between glyphs rendered as spaces, one per half em
    size: float  # median glyph size, points
    fontname: str  # the most frequent font of the line
    baseline: float = 0.0  # distance from the page top; steadier than top/bottom across fonts
    confidence: float | None = None  # OCR's confidence in the line's text, 0-1; None for a text layer
    # The visible glyphs, left to right, as (text, x0, x1): the geometry an attendance grid is read
    # from (transform/attendance_grid.py). OCR fills it from its glyph boxes, each CJK character in
    # its cell of the line's fitted character grid (extract/ocr.py); empty where there is no geometry.
    glyphs: tuple[tuple[str, float, float], ...] = ()


@dataclass
class FurnitureLine:
    """Page furniture: a page number or running head, never body text."""

    page: int
    kind: str  # "page_number" | "running_head" | "masthead" (page 1's big title and its number)
    text: str
    top: float | None = None
    bottom: float | None = None


@dataclass
class PageHints:
    """What the publisher's web page says about the document (an HTML detail page read as the
    document itself); the grammar falls back on it where the minutes are silent."""

    title: str | None = None
    document_number: str | None = None  # as printed, e.g. `[2013]4号`; transform writes it canonically
    published_at: dt.datetime | None = None


@dataclass
class TextLayer:
    kind: LayerKind
    # pdf, ocr: positioned body lines; furniture is already apart.
    lines: list[TextLine] = field(default_factory=list)
    furniture: list[FurnitureLine] = field(default_factory=list)
    page_count: int | None = None  # None for TXT and HTML
    page_width: float = 0.0
    page_height: float = 0.0
    # The body's text block, from body-size lines (most frequent left edge, right edge), and the
    # most frequent line size (the body font).
    left_margin: float = 0.0
    right_margin: float = 0.0
    body_size: float = 0.0
    # html: the article's paragraphs, one block each.
    blocks: list[str] = field(default_factory=list)
    # text: the file's lines as extracted (blank lines and trailing spaces kept: they carry layout),
    # page numbers and running heads removed.
    plain_lines: list[str] = field(default_factory=list)
    hints: PageHints = field(default_factory=PageHints)
