"""Render a demo document as a PDF in one of the layout families (reportlab), or as a scan.

Families (all A4, GB/T 9704 grid, digits and Latin text in Times-Roman):
- `word_embedded`:     AR PL SungtiL embedded as a TrueType subset; red masthead, number and red rule
                       on page 1 when the document has a number; page numbers `— N —`, centred.
- `wps_cid`:           the non-embedded CID font STSong-Light; page numbers `－N－`, centred.
- `kai_running_head`:  AR PL KaitiM embedded; running head (the title) on pages 2+; page numbers
                       `- N -` on the outside edge (odd right, even left).
`render_scan_pdf` draws the same layout into page images with no text layer (a scanned document).
Output bytes are deterministic (reportlab `invariant=1`, no clocks, no randomness).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from demo.corpus import FAMILIES, DemoDoc
from demo.layout import LATIN_FONT, PAGE_H, PAGE_W, Page, Rule, Style, layout
from demo.scan import ScanStyle, image_only_pdf, scan_pages

SONG_TTF = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
KAI_TTF = "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"
CID_SONG = "STSong-Light"
SEAL_TEXT = "苏州市人民政府办公室"

STYLES: dict[str, Style] = {
    "word_embedded": Style(page_number=lambda n: f"— {n} —", masthead=True),
    "wps_cid": Style(page_number=lambda n: f"－{n}－"),
    "kai_running_head": Style(page_number=lambda n: f"- {n} -", page_number_align="outside",
                              running_head=True),
}
assert set(STYLES) == set(FAMILIES)


@functools.cache
def _registered_fonts() -> dict[str, str]:
    """Register the CJK fonts once per process (parsing a TTF takes a while); family → font name."""
    pdfmetrics.registerFont(TTFont("DemoSong", SONG_TTF))
    pdfmetrics.registerFont(TTFont("DemoKai", KAI_TTF))
    pdfmetrics.registerFont(UnicodeCIDFont(CID_SONG))
    return {"word_embedded": "DemoSong", "wps_cid": CID_SONG, "kai_running_head": "DemoKai"}


@functools.cache
def _glyph_test(font_name: str) -> Callable[[str], bool]:
    """Whether the family font draws a character; the rest falls back to STSong-Light, as Word
    substitutes a font for characters the chosen one lacks (e.g. 飏 is not in AR PL SungtiL)."""
    font = pdfmetrics.getFont(font_name)
    if isinstance(font, TTFont):
        covered = font.face.charToGlyph
        return lambda ch: ord(ch) in covered
    return lambda ch: True


def _layout(doc: DemoDoc, family: str) -> tuple[list[Page], dict[str, str]]:
    if family not in STYLES:
        raise ValueError(f"unknown family {family!r}; expected one of {', '.join(FAMILIES)}")
    cjk = _registered_fonts()[family]
    pages = layout(doc.paragraphs, STYLES[family], _glyph_test(cjk), doc.title, doc.minutes_no)
    return pages, {"cjk": cjk, "fallback": CID_SONG, "latin": LATIN_FONT}


def render_pdf(doc: DemoDoc, family: str) -> bytes:
    """The document as a text-layer PDF in the given family's layout."""
    pages, fonts = _layout(doc, family)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    canvas.setTitle(doc.title)
    canvas.setAuthor("苏州市人民政府办公室")
    canvas.setCreator("WPS 文字" if family == "wps_cid" else "Microsoft® Word 2016")
    for page in pages:
        for op in page.ops:
            if isinstance(op, Rule):
                canvas.setStrokeColorRGB(*op.color)
                canvas.setLineWidth(op.width)
                canvas.line(op.x1, op.y1, op.x2, op.y2)
            else:
                canvas.setFillColorRGB(*op.color)
                canvas.setFont(fonts[op.font], op.size)
                canvas.drawString(op.x, op.y, op.text, charSpace=op.char_space)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_scan_pdf(doc: DemoDoc, family: str = "word_embedded", style: ScanStyle | None = None,
                    first_pages: int | None = None) -> bytes:
    """The document as a scanner makes it from a stamped paper copy: one JPEG per page (skewed,
    grainy, the office's red seal over the last page's date), no text layer at all (scan.py)."""
    pages, _ = _layout(doc, family)
    pages = pages[:first_pages] if first_pages else pages
    return image_only_pdf(scan_pages(pages, style or ScanStyle(), SONG_TTF, SEAL_TEXT))
