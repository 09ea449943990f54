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

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from demo.corpus import FAMILIES, DemoDoc
from demo.layout import LATIN_FONT, PAGE_H, PAGE_W, Page, Rule, Style, Text, layout

SONG_TTF = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
KAI_TTF = "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"
CID_SONG = "STSong-Light"
SCAN_DPI = 100

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


@functools.cache
def _pil_font(path: str, pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, pixels)


def render_scan_pdf(doc: DemoDoc, family: str = "word_embedded", dpi: int = SCAN_DPI) -> bytes:
    """The document as a scanner makes it: one grey JPEG per page, no text layer at all."""
    pages, _ = _layout(doc, family)
    scale = dpi / 72
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    canvas.setCreator("Scanner")
    for page in pages:
        image = Image.new("L", (round(PAGE_W * scale), round(PAGE_H * scale)), 246)
        draw = ImageDraw.Draw(image)
        for op in page.ops:
            if isinstance(op, Rule):
                ends = [(op.x1 * scale, (PAGE_H - op.y1) * scale), (op.x2 * scale, (PAGE_H - op.y2) * scale)]
                draw.line(ends, fill=40, width=max(1, round(op.width * scale)))
                continue
            _scan_text(draw, op, scale)
        jpeg = io.BytesIO()
        image.save(jpeg, "JPEG", quality=60)
        jpeg.seek(0)
        canvas.drawImage(ImageReader(jpeg), 0, 0, PAGE_W, PAGE_H)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _scan_text(draw: ImageDraw.ImageDraw, op: Text, scale: float) -> None:
    font = _pil_font(SONG_TTF, max(6, round(op.size * scale)))
    shade = 30 if op.color == (0.0, 0.0, 0.0) else 110
    top = (PAGE_H - op.y - op.size * 0.86) * scale
    if op.font == "latin":
        draw.text((op.x * scale, top), op.text, font=font, fill=shade)
        return
    advance = (op.size + op.char_space) * scale
    for k, ch in enumerate(op.text):
        draw.text((op.x * scale + k * advance, top), ch, font=font, fill=shade)
