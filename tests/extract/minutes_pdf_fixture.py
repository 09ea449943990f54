"""A small, realistic minutes PDF made with reportlab, for the PDF reader's tests.

Laid out the way Chinese government documents are (GB/T 9704): A4, 16 pt Song body, 28 characters
× 22 lines, first lines indented two characters, digits and Latin in Times-Roman, a page number
`— N —` at the foot, attendance entries in a grid padded with U+3000 (ideographic space), and
paragraphs and attendance entries broken wherever the line or the page ends.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

SONG_TTF = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
KAI_TTF = "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"

PAGE_W, PAGE_H = 595.28, 841.89
SIZE = 16.0
CHARS_PER_LINE = 28
LINES_PER_PAGE = 22
LEFT = (PAGE_W - CHARS_PER_LINE * SIZE) / 2
RIGHT = LEFT + CHARS_PER_LINE * SIZE
TOP_BASELINE = PAGE_H - 105.0
PITCH = 28.9
LATIN = "Times-Roman"

PAGE_NUMBER_STYLES = {"dash": "— {n} —", "fullwidth": "－{n}－", "hyphen": "- {n} -"}


def register_fonts() -> dict[str, str]:
    """Register the CJK fonts once; returns a name for each style."""
    if "FixtureSong" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("FixtureSong", SONG_TTF))
        pdfmetrics.registerFont(TTFont("FixtureKai", KAI_TTF))
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return {"song": "FixtureSong", "kai": "FixtureKai", "cid": "STSong-Light"}


def _is_latin(char: str) -> bool:
    return ord(char) < 0x2000


def _width(char: str) -> float:
    return pdfmetrics.stringWidth(char, LATIN, SIZE) if _is_latin(char) else SIZE


def pad_attendance(paragraph: str) -> str:
    """`出席：李亚平 王翔` → the printed grid: two-character names padded with U+3000, entries
    separated by two U+3000."""
    label, _, rest = paragraph.partition("：")
    entries = [f"{e[0]}\u3000{e[1]}" if len(e) == 2 else e for e in rest.split(" ")]
    return f"{label}：" + "\u3000\u3000".join(entries)


def _wrap(text: str, first_indent: float) -> list[tuple[float, str]]:
    """Greedy line breaking on character width (CJK text breaks anywhere). As word processors
    do, padding that does not fit hangs past the margin at the end of the line."""
    lines: list[tuple[float, str]] = []
    indent, current, used = first_indent, "", first_indent
    for char in text:
        width = _width(char)
        if current and used + width > CHARS_PER_LINE * SIZE + 0.01:
            if char == "\u3000":
                current += char
                continue
            lines.append((indent, current))
            indent, current, used = 0.0, "", 0.0
        current += char
        used += width
    if current:
        lines.append((indent, current))
    return lines


def _font_for(char: str, cjk_font: str) -> str:
    """Times-Roman for Latin; the CJK font, or STSong-Light for a glyph the TTF lacks (飏)."""
    if _is_latin(char):
        return LATIN
    font = pdfmetrics.getFont(cjk_font)
    if isinstance(font, TTFont) and ord(char) not in font.face.charToGlyph:
        return "STSong-Light"
    return cjk_font


def _draw_line(pdf: canvas.Canvas, x: float, y: float, text: str, cjk_font: str) -> None:
    """Draw runs of CJK (CJK font) and Latin (Times-Roman) text, as word processors do."""
    run, run_font = "", ""
    for char in [*text, None]:
        font = _font_for(char, cjk_font) if char is not None else ""
        if run and (char is None or font != run_font):
            pdf.setFont(run_font, SIZE)
            pdf.drawString(x, y, run)
            x += pdfmetrics.stringWidth(run, run_font, SIZE)
            run = ""
        if char is not None:
            run += char
            run_font = font


def render_minutes(
    paragraphs: Iterable[str],
    *,
    font: str = "song",
    page_numbers: str = "dash",
    running_head: str | None = None,
    compress: bool = True,
    first_line_indent: int = 2,
    **canvas_options: object,
) -> bytes:
    """Render normalized paragraphs (one per item) as a minutes PDF; returns its bytes."""
    fonts = register_fonts()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(PAGE_W, PAGE_H), pageCompression=int(compress), **canvas_options)
    layout: list[tuple[float, str]] = []
    for paragraph in paragraphs:
        if paragraph.startswith(("出席：", "列席：", "请假：")):
            layout.extend(_wrap(pad_attendance(paragraph), 0.0))
        else:
            layout.extend(_wrap(paragraph, first_line_indent * SIZE))
    pages = [layout[i : i + LINES_PER_PAGE] for i in range(0, len(layout), LINES_PER_PAGE)]
    for number, page_lines in enumerate(pages, start=1):
        if running_head:
            pdf.setFont(fonts[font], 10.5)
            pdf.drawCentredString(PAGE_W / 2, PAGE_H - 50, running_head)
            pdf.line(LEFT, PAGE_H - 56, RIGHT, PAGE_H - 56)
        for row, (indent, text) in enumerate(page_lines):
            _draw_line(pdf, LEFT + indent, TOP_BASELINE - row * PITCH, text, fonts[font])
        pdf.setFont(fonts[font] if page_numbers != "hyphen" else LATIN, 14)
        pdf.drawCentredString(PAGE_W / 2, 60, PAGE_NUMBER_STYLES[page_numbers].format(n=number))
        pdf.showPage()
    pdf.save()
    return out.getvalue()
