"""Evidence for the report: the original file copied into the site, its PDF pages as images.

A page is rendered once (pypdfium2, the PDF engine pdfplumber ships with); the paragraphs' boxes are
drawn over it by the evidence page itself (positioned boxes in percent of the page), so one image
serves every paragraph on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2

from extract.rawstore import RawStore
from extract.sniff import SNIFF_BYTES, is_pdf

RENDER_SCALE = 1.5  # 72 dpi × 1.5: an A4 page at 893 × 1263 px, body text readable
# Grey pages: a third of the size and time of colour PNGs (measured on the demo corpus: 114 vs 323 KB,
# 0.07 vs 0.23 s a page), lossless for the text, and the coloured boxes drawn over them stand out.
GREYSCALE = True
# zlib level 1: measured 0.044 vs 0.074 s a page (level 6, Pillow's default) for 124 vs 114 KB.
PNG_COMPRESS_LEVEL = 1


@dataclass(frozen=True)
class PageImage:
    number: int          # 1-based, as paragraphs.page_start
    file: Path           # the PNG, inside the site
    width_points: float  # the page's size in PDF points, for the boxes
    height_points: float


@dataclass(frozen=True)
class Evidence:
    original: Path | None                 # the copy of the original bytes in the site
    pages: dict[int, PageImage]           # empty for HTML/TXT documents or an unreadable PDF
    problem: str | None = None            # why there is no original or no page image


def copy_original(raw: RawStore, doc_id: str, target_dir: Path) -> Path | None:
    """The raw file of doc_id copied to target_dir/<doc_id>.<ext>; None when the store lacks it."""
    try:
        name = raw.file_name(doc_id)
    except FileNotFoundError:
        return None
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / name
    target.write_bytes(raw.get(doc_id))  # a copy (local or S3 store): the raw store is never exposed
    return target


def render_pages(pdf_file: Path, target_dir: Path, pages: set[int] | None = None) -> dict[int, PageImage]:
    """Render the given pages (all when None) of a PDF to target_dir/page-N.png."""
    target_dir.mkdir(parents=True, exist_ok=True)
    rendered: dict[int, PageImage] = {}
    document = pypdfium2.PdfDocument(str(pdf_file))
    try:
        for index in range(len(document)):
            number = index + 1
            if pages is not None and number not in pages:
                continue
            page = document[index]
            try:
                width, height = page.get_size()
                image = page.render(scale=RENDER_SCALE, grayscale=GREYSCALE).to_pil()
                target = target_dir / f"page-{number}.png"
                image.save(target, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
            finally:
                page.close()
            rendered[number] = PageImage(number, target, width, height)
    finally:
        document.close()
    return rendered


def gather(raw: RawStore, doc_id: str, site: Path, *, pages: set[int] | None = None) -> Evidence:
    """The original and, for a PDF, its page images, under site/originals and site/evidence/<doc_id>."""
    original = copy_original(raw, doc_id, site / "originals")
    if original is None:
        return Evidence(None, {}, "the original file is not in the raw store")
    with original.open("rb") as head:
        if not is_pdf(head.read(SNIFF_BYTES)):  # an HTML or TXT document: no pages to show
            return Evidence(original, {})
    try:
        return Evidence(original, render_pages(original, site / "evidence" / doc_id, pages))
    except pypdfium2.PdfiumError as error:
        return Evidence(original, {}, f"the PDF could not be rendered: {error}")
