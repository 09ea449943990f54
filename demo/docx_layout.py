"""The second rendering toolchain, part 1: a demo document written as a word processor's DOCX.

Independent of `layout.py`/`render.py` (reportlab): python-docx writes the document with the word
processor's own features and LibreOffice (`office.py`) lays it out, breaks its lines and embeds
its fonts. What it exercises, as GB/T 9704 documents typed in Word or WPS look:
- A4, text block 156 mm × 225 mm, 22 lines of 三号 (16 pt) on a line grid, first-line indent of
  two characters, paragraphs justified (两端对齐): the word processor stretches the character
  spacing of every full line, and applies its own rule for punctuation at line starts and ends;
- CJK text in WenQuanYi Zen Hei, digits and Latin letters in DejaVu Serif (not the AR PL fonts
  and Times-Roman of the first toolchain);
- a red masthead with letter-spaced title and the document number on page 1 when there is one;
- attendance as a name grid: either a borderless table whose two-character names sit in
  distributed alignment (分散对齐), or (`attendance_style="flowing"`) a justified paragraph of
  names padded with U+3000 and separated by U+3000, as typists set it; organization+person
  entries follow as a paragraph with a hanging indent;
- the colophon: 整理 and its date right-aligned, 分送 with a hanging indent between rules, the
  issuing line with a right tab stop (印发 date flush right);
- page numbers `— N —` in the footer, odd pages right, even pages left (a PAGE field).
The DOCX bytes are deterministic: fixed core properties, no clocks.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from demo.corpus import DemoDoc

CJK_FONT = "WenQuanYi Zen Hei"
LATIN_FONT = "DejaVu Serif"
BODY_PT = 16.0
COLOPHON_PT = 14.0
LINE_PITCH_PT = 28.95  # 225 mm / 22 lines
TEXT_W_MM = 156.0
EM_MM = BODY_PT * 25.4 / 72
ATTENDANCE_LABELS = ("出席：", "列席：", "请假：")
ATTENDANCE_STYLES = ("table", "flowing")
NAME_COLUMN_EMS = 4.5  # a table cell: a name of up to 4 characters and the gap to the next
LABEL_EMS = 3
RED = RGBColor(0xDC, 0x00, 0x00)
MASTHEAD = "苏州市人民政府常务会议纪要"
_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def attendance_style_for(doc: DemoDoc) -> str:
    """Half the documents set the names as a table, half as padded flowing text (by slug, stable)."""
    return ATTENDANCE_STYLES[sum(map(ord, doc.slug)) % len(ATTENDANCE_STYLES)]


def render_docx(doc: DemoDoc, attendance_style: str | None = None) -> bytes:
    """The document as DOCX bytes."""
    style = attendance_style or attendance_style_for(doc)
    if style not in ATTENDANCE_STYLES:
        raise ValueError(f"unknown attendance style {style!r}; expected one of "
                         f"{', '.join(ATTENDANCE_STYLES)}")
    document = Document()
    _page_setup(document)
    _base_style(document)
    if doc.minutes_no:
        _masthead(document, doc.minutes_no)
    previous = ""
    colophon: list[str] = []
    for text in doc.paragraphs:
        if text.startswith(ATTENDANCE_LABELS):
            _attendance(document, text, style)
        elif text.startswith("记录："):
            _blank(document)
            _body(document, text)
        elif text.endswith("整理") and len(text) < 30:
            _blank(document)
            _signature(document, text)
        elif previous.endswith("整理") and _DATE.fullmatch(text):
            _signature(document, text)
        elif text.startswith("分送：") or (text.endswith("印发") and " " in text):
            colophon.append(text)
        else:
            _body(document, text)
        previous = text
    if colophon:
        _colophon(document, colophon)
    _footers(document)
    core = document.core_properties
    core.author, core.title, core.last_modified_by = "苏州市人民政府办公室", doc.title, ""
    core.created = core.modified = dt.datetime(2020, 1, 1)
    core.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _deterministic_zip(buffer.getvalue())


# --- page and styles ---------------------------------------------------------------------------


def _page_setup(document: Document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28 - 7)  # the number sits 7 mm under the text block
    # The word processor's line grid: 22 lines a page, every line snapped to it.
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    document.settings.odd_and_even_pages_header_footer = True


def _base_style(document: Document) -> None:
    normal = document.styles["Normal"]
    _fonts(normal.element.get_or_add_rPr(), BODY_PT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False
    # Punctuation at a line end: without this setting LibreOffice 7.4 lets a closing `。` hang in
    # the margin and then neither paints it nor puts it in the text layer; with it, the line
    # breaks before the character the punctuation follows (kinsoku), as Word does.
    overflow = OxmlElement("w:overflowPunct")
    overflow.set(qn("w:val"), "1")
    normal.element.get_or_add_pPr().insert_element_before(overflow, "w:spacing", "w:ind", "w:jc")


def _fonts(rpr: OxmlElement, size: float) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), CJK_FONT)
    for tag in ("w:sz", "w:szCs"):
        element = rpr.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
            rpr.append(element)
        element.set(qn("w:val"), str(round(size * 2)))
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)


def _indent(paragraph: Paragraph, *, first_chars: float = 0, left_chars: float = 0,
            hanging_chars: float = 0, right_chars: float = 0, size: float = BODY_PT) -> None:
    """Indents in characters, as Word writes them (`firstLineChars="200"`) with the points beside."""
    ppr = paragraph._p.get_or_add_pPr()
    ind = OxmlElement("w:ind")
    pairs = (("left", left_chars), ("right", right_chars), ("firstLine", first_chars),
             ("hanging", hanging_chars))
    for name, chars in pairs:
        if chars:
            ind.set(qn(f"w:{name}Chars"), str(round(chars * 100)))
            ind.set(qn(f"w:{name}"), str(round(chars * size * 20)))
    ppr.append(ind)


def _run(paragraph: Paragraph, text: str, *, size: float | None = None, color: RGBColor | None = None,
         spacing_pt: float | None = None) -> None:
    run = paragraph.add_run(text)
    if size is not None:
        _fonts(run._r.get_or_add_rPr(), size)
    if color is not None:
        run.font.color.rgb = color
    if spacing_pt is not None:  # expanded character spacing (字符间距 加宽)
        element = OxmlElement("w:spacing")
        element.set(qn("w:val"), str(round(spacing_pt * 20)))
        run._r.get_or_add_rPr().append(element)


# --- blocks ------------------------------------------------------------------------------------


def _body(document: Document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _indent(paragraph, first_chars=2)
    _run(paragraph, text)


def _blank(document: Document) -> None:
    document.add_paragraph()


def _signature(document: Document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _indent(paragraph, right_chars=4)
    _run(paragraph, text)


def _masthead(document: Document, minutes_no: str) -> None:
    """版头: the red title, letter-spaced, then the number and a red rule under it."""
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(48)
    _run(title, MASTHEAD, size=26, color=RED, spacing_pt=2)
    _blank(document)
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(number, minutes_no)
    _border(number, "bottom", RED, 12)
    _blank(document)


def _border(paragraph: Paragraph, side: str, color: RGBColor, eighths: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(eighths))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), str(color))
    borders.append(line)


def _attendance(document: Document, text: str, style: str) -> None:
    label, entries = text[:3], text[3:].split(" ")
    names = list(itertools.takewhile(lambda e: len(e) <= 4 and "、" not in e, entries))
    rest = entries[len(names):]
    flowing = [e for e in rest if not e.endswith("的代表")]
    delegations = [e for e in rest if e.endswith("的代表")]
    if style == "table":
        _name_table(document, label, names)
    else:
        _name_paragraph(document, label, names)
        label = ""
    for group in (flowing, delegations):
        if group:
            _entries_paragraph(document, "\u3000".join(group))


def _name_paragraph(document: Document, label: str, names: list[str]) -> None:
    """Names as a typist sets them: two-character names padded with U+3000, one U+3000 between."""
    padded = [name[0] + "\u3000" + name[1] if len(name) == 2 else name for name in names]
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _run(paragraph, label + "\u3000".join(padded))


def _name_table(document: Document, label: str, names: list[str]) -> None:
    """A borderless table: the label in the first column, names in cells of 4.5 characters, a
    two- or three-character name spread over three (分散对齐), a four-character one left aligned."""
    columns = int((TEXT_W_MM / EM_MM - LABEL_EMS) // NAME_COLUMN_EMS)
    rows = max(1, -(-len(names) // columns))
    table = document.add_table(rows=rows, cols=columns + 1)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _no_cell_margins(table)
    widths = [Mm(LABEL_EMS * EM_MM)] + [Mm(NAME_COLUMN_EMS * EM_MM)] * columns
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    table.rows[0].cells[0].paragraphs[0].add_run(label)
    for index, name in enumerate(names):
        paragraph = table.rows[index // columns].cells[1 + index % columns].paragraphs[0]
        if len(name) <= 3:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
            _indent(paragraph, right_chars=NAME_COLUMN_EMS - 3)
        _run(paragraph, name)


def _no_cell_margins(table: object) -> None:
    tbl_pr = table._tbl.tblPr  # type: ignore[attr-defined]
    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)


def _entries_paragraph(document: Document, text: str) -> None:
    """organization+person entries flowing under the names (hanging indent of the label's width)."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _indent(paragraph, left_chars=LABEL_EMS)
    _run(paragraph, text)


def _colophon(document: Document, texts: list[str]) -> None:
    """版记: 分送 with a hanging indent between two rules, then the issuing line on a tab stop."""
    _blank(document)
    for text in texts:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.line_spacing = Pt(LINE_PITCH_PT)
        if text.startswith("分送："):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            _indent(paragraph, left_chars=4, hanging_chars=3, right_chars=1, size=COLOPHON_PT)
            _border(paragraph, "top", RGBColor(0, 0, 0), 8)
            _run(paragraph, text, size=COLOPHON_PT)
        else:
            office, _, date = text.partition(" ")
            _indent(paragraph, left_chars=1, size=COLOPHON_PT)
            right = Mm(TEXT_W_MM) - Pt(COLOPHON_PT)
            paragraph.paragraph_format.tab_stops.add_tab_stop(right, WD_TAB_ALIGNMENT.RIGHT)
            _border(paragraph, "top", RGBColor(0, 0, 0), 4)
            _border(paragraph, "bottom", RGBColor(0, 0, 0), 8)
            _run(paragraph, f"{office}\t{date}", size=COLOPHON_PT)


def _footers(document: Document) -> None:
    """`— N —` in 4号, odd pages on the right, even pages on the left (GB/T 9704)."""
    section = document.sections[0]
    for footer, alignment in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                              (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = alignment
        _indent(paragraph, left_chars=1 if alignment == WD_ALIGN_PARAGRAPH.LEFT else 0,
                right_chars=1 if alignment == WD_ALIGN_PARAGRAPH.RIGHT else 0, size=COLOPHON_PT)
        _run(paragraph, "— ", size=COLOPHON_PT)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), " PAGE ")
        run = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        _fonts(rpr, COLOPHON_PT)
        run.append(rpr)
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)
        _run(paragraph, " —", size=COLOPHON_PT)


def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member dates, so equal documents give equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
