"""Page furniture: page numbers and running heads, which are never text.

Pure functions over lines, fed the same way by a PDF's glyphs, OCR boxes (positioned lines) or a
plain-text file (no geometry: the lines around page numbers tell).
"""

from __future__ import annotations

import re

from extract.textlayer import FurnitureLine, TextLine

# Page-number zones: the top and bottom share of the page height.
FOOT_ZONE = 0.14
HEAD_ZONE = 0.12

# `— 3 —`, `－3－`, `- 3 -`, `-3-`, `第 3 页`, `3/12`: nothing but a number dressed as a page number.
# OCR reads a dash as the ideograph 一 (one stroke, the same shape): `一3一`, `一3-`.
_DASHES = "—－\\-–‒―~～·•一"
_PAGE_NUMBER = re.compile(
    rf"^\s*(?:[{_DASHES}]+\s*\d{{1,4}}\s*[{_DASHES}]+"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*[/／]\s*\d{1,4})\s*$"
)
_BARE_NUMBER = re.compile(r"^\s*[—－\-–]?\s*\d{1,4}\s*[—－\-–]?\s*$")


def is_page_number(text: str) -> bool:
    """A line that is nothing but a page number dressed as one (`— 3 —`, `第 3 页`, `3/12`),
    wherever it stands: such a line is never body text. (A bare `3` only counts in the
    head and foot zones of a page.)"""
    return _PAGE_NUMBER.match(text) is not None


def split_furniture(lines: list[TextLine], page_height: float) -> tuple[list[TextLine], list[FurnitureLine]]:
    """Positioned lines → (body lines, furniture): page numbers anywhere, bare numbers in the head
    and foot zones, and running heads (the same text in the head zone of two pages or more)."""
    repeated = _repeated_head_texts(lines, page_height)
    body: list[TextLine] = []
    furniture: list[FurnitureLine] = []
    for line in lines:
        kind = _furniture_kind(line, page_height, repeated)
        if kind:
            furniture.append(FurnitureLine(line.page, kind, line.text.strip(), line.top, line.bottom))
        else:
            body.append(line)
    return body, furniture


def strip_text_furniture(raw: list[str]) -> list[str]:
    """Lines of a plain-text file minus page furniture: text saved from a PDF viewer keeps the
    footers and headers. Dropped are page numbers (`— 3 —`, `－3－`) and a running head: the same
    line printed next to a page number at two page breaks or more."""
    numbers = {i for i, line in enumerate(raw) if line.strip() and is_page_number(line)}
    if not numbers:
        return raw
    beside_numbers: dict[str, list[int]] = {}
    for i in numbers:
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(raw) and not raw[j].strip():
                j += step
            if 0 <= j < len(raw) and j not in numbers:
                beside_numbers.setdefault(squeeze(raw[j]), []).append(j)
    heads = {j for found in beside_numbers.values() if len(set(found)) >= 2 for j in found}
    return [line for i, line in enumerate(raw) if i not in numbers and i not in heads]


def squeeze(text: str) -> str:
    """The text without any whitespace: how furniture is compared across pages."""
    return "".join(text.split())


def _furniture_kind(line: TextLine, height: float, repeated: set[str]) -> str | None:
    text = line.text.strip()
    in_foot = line.top > height * (1 - FOOT_ZONE)
    in_head = line.bottom < height * HEAD_ZONE
    if is_page_number(text) or ((in_foot or in_head) and _BARE_NUMBER.match(text)):
        return "page_number"
    if in_head and squeeze(text) in repeated:
        return "running_head"
    return None


def _repeated_head_texts(lines: list[TextLine], height: float) -> set[str]:
    """Texts printed in the header zone of at least two pages: running heads."""
    pages_by_text: dict[str, set[int]] = {}
    for line in lines:
        if line.bottom < height * HEAD_ZONE:
            pages_by_text.setdefault(squeeze(line.text), set()).add(line.page)
    return {text for text, pages in pages_by_text.items() if len(pages) >= 2}
