"""A text layer's lines → paragraphs of normalized text, with the pages they come from.

Three inputs, one assembler:
- positioned lines (a PDF's text or OCR): a paragraph starts at a first-line indent or a marker and ends at a
  line that stops short of the right margin;
- plain extracted text (`seeds/*.txt`): no geometry, so line ends and fullness stand in for it;
- HTML article blocks: already one paragraph each.

Attendance blocks (`出席：` …) are assembled differently: their line ends separate entries,
not paragraphs, and an entry broken by a line or page break is rejoined.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import statistics
from dataclasses import dataclass

from extract.textlayer import TextLayer, TextLine
from transform.attendance_grid import RUN_GAP, Glyph, is_name_line, pieces, read_grid, without_label
from transform.normalize import (
    attendance_label,
    is_cjk,
    looks_like_entry,
    normalize_attendance,
    normalize_issuing_line,
    spaced,
)
from transform.record import Paragraph
from transform.simplify import to_simplified
from transform.vocabulary import ATTENDANCE_ROLES, CN_DATE, COLOPHON_LABELS, COMPILED_SUFFIX, ISSUED_SUFFIX

# A line opening with one of these starts a paragraph wherever it sits on the page.
_MARKER = re.compile(
    r"^\s*(?:"
    r"[一二三四五六七八九十百]+\s*[、.．]"  # 一、
    r"|[（(]\s*[一二三四五六七八九十百]+\s*[）)]"  # （一）
    rf"|(?:{'|'.join(map(spaced, (*ATTENDANCE_ROLES, *COLOPHON_LABELS)))})\s*[:：]"
    r"|[（(]\s*此件"  # （此件公开发布）
    r")"
)

# Lines that are a paragraph by themselves wherever they sit: the colophon's date, `…整理`, the
# issuing line, the disclosure note.
_STANDALONE = re.compile(
    rf"^\s*(?:{CN_DATE}"
    rf"|\S{{2,18}}{COMPILED_SUFFIX}"  # short: a full body line may end in 整理 too
    rf"|\S.{{0,40}}{CN_DATE}\s*{ISSUED_SUFFIX}"
    r"|[（(]\s*此件.{2,10}[）)])\s*$"
)

# PDF geometry, in ems of the line's font size.
_INDENT = 0.5  # starting this far right of the body's left edge is an indent
# In a flush-left document, ending this far short of the right margin ends a paragraph.
_SHORT_PARAGRAPH = 2.5
_SHORT_ENTRY = 0.9  # in an attendance block, a line this short did not run full: its entry ended
_GAP = 1.6  # a baseline distance this many times the usual one leaves a blank line
_LABEL = re.compile(r"^([\u4e00-\u9fff]{2,4}[:：])")  # `分送：` whose continuation lines hang under the text


@dataclass
class _Line:
    """A printed line reduced to what paragraph assembly needs."""

    text: str  # stripped
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    starts_paragraph: bool = False  # indented
    ends_paragraph: bool = False  # short, or closed by a trailing space after CJK
    ends_entry: bool = True  # in an attendance block: the last entry is complete at the line end
    blank_before: bool = False  # a blank line (or extra space) separates it from the line above
    confidence: float | None = None  # OCR's, for a line read from a page image


@dataclass
class _Block:
    lines: list[_Line]
    attendance: bool
    raw: str


# --- PDF ---------------------------------------------------------------------------------------


def paragraphs_from_layer(layer: TextLayer) -> list[Paragraph]:
    """The paragraphs of any text layer, by its kind."""
    if layer.kind == "html":
        return paragraphs_from_blocks(layer.blocks)
    if layer.kind == "text":
        return paragraphs_from_text(layer.plain_lines)
    return paragraphs_from_lines(layer)


def paragraphs_from_lines(pdf: TextLayer) -> list[Paragraph]:
    """Paragraphs of positioned body lines (furniture is already apart), from their geometry."""
    # why here: markers (記錄：, 請假：) must be read in simplified form to assemble paragraphs
    lines = [dataclasses.replace(line, text=text)
             for line, text in zip(pdf.lines, to_simplified([line.text for line in pdf.lines]), strict=True)]
    left, right = pdf.left_margin, pdf.right_margin
    pitch = _usual_pitch(lines)
    layout: list[_Line] = []
    hanging_at: float | None = None  # x of a hanging indent under a label (`分送：`), while it lasts
    # Documents that indent first lines (GB/T 9704 does) start paragraphs at indents; there a
    # short line is no paragraph end, as line breaking keeps `（2021` or `年）》` together and
    # pushes them down. Flush-left documents have only short lines to go by.
    indented_style = _uses_first_line_indent(lines, left)
    for i, line in enumerate(lines):
        size = line.size or pdf.body_size or 1.0
        text = line.text.strip()
        previous = lines[i - 1] if i else None
        following = lines[i + 1] if i + 1 < len(lines) else None
        shortfall = (right - line.x1) / size
        trailing = line.text != line.text.rstrip()
        hanging = hanging_at is not None and abs(line.x0 - hanging_at) < _INDENT * size
        label = _LABEL.match(text)
        hanging_at = (
            line.x0 + len(label.group(1)) * size if label else line.x0 if hanging else None
        )
        layout.append(
            _Line(
                text=text,
                page=line.page,
                bbox=(line.x0, line.top, line.x1, line.bottom),
                confidence=line.confidence,
                starts_paragraph=line.x0 - left > _INDENT * size and not hanging,
                ends_paragraph=(trailing and _ends_in_cjk(text))
                or (not indented_style and shortfall > _SHORT_PARAGRAPH),
                ends_entry=trailing or shortfall > _SHORT_ENTRY or _entry_ends_at_margin(line, following),
                blank_before=(
                    previous is not None
                    and previous.page == line.page
                    and pitch > 0
                    and line.baseline - previous.baseline > _GAP * pitch
                ),
            )
        )
    return _paragraphs(_with_name_grids(lines, layout, right), wide_separators=True)


def _with_name_grids(lines: list[TextLine], layout: list[_Line], right: float) -> list[_Line]:
    """Attendance name grids re-read from their glyph geometry (transform/attendance_grid.py):
    each grid line's text becomes its entries, wide-separated, and its `ends_entry` says whether
    the word processor broke the line inside an entry. Lines without glyph positions keep the
    reading from their text."""
    out = list(layout)
    dropped: set[int] = set()
    for start, line in enumerate(lines):
        label = attendance_label(line.text)
        if label is None or not line.glyphs:
            continue
        grid = [start]
        for j in range(start + 1, len(lines)):
            text = layout[j].text
            if (attendance_label(text) or _MARKER.match(text) or _STANDALONE.match(text)
                    or layout[j].blank_before or not lines[j].glyphs):
                break
            grid.append(j)
        em = line.size or 1.0
        glyphs = [[Glyph(*g) for g in lines[j].glyphs] for j in grid]
        glyphs[0] = without_label(glyphs[0])
        count = 0
        for found in glyphs:
            if not is_name_line(pieces(found, em)):
                break
            count += 1
        names = grid[:count]
        if not names:
            continue
        reading = read_grid(glyphs[:count], em)
        last_is_whole = reading[-1].last_is_whole
        for j, read in zip(names, reading, strict=True):
            if not read.entries and j != start:
                dropped.add(j)  # its only piece completed the entry the line above broke
                continue
            text = "  ".join(read.entries)
            out[j].text = f"{label}：{text}" if j == start else text
            if j != names[-1]:
                out[j].ends_entry = read.ends_entry
        # Past its last line the grid sees one more thing: entries set on lines of another indent
        # (a paragraph or table of their own) begin afresh. Else flowing entries may go on.
        if count < len(grid) and glyphs[count - 1]:
            # Where the grid's entries start: its last line's left edge (after the label on the first).
            grid_x = glyphs[count - 1][0].x0
            new_indent = abs(lines[grid[count]].x0 - grid_x) > _INDENT * em
            # A whole last entry on a line that stopped short of the margin: nothing was broken.
            stopped_short = right - lines[names[-1]].x1 > RUN_GAP * em and last_is_whole
            if new_indent or stopped_short:
                out[names[-1]].ends_entry = True
    return [line for j, line in enumerate(out) if j not in dropped]


def _uses_first_line_indent(lines: list[TextLine], left: float) -> bool:
    """At least a few lines start two characters in from the body's left edge."""
    indented = sum(1 for line in lines if abs(line.x0 - left - 2 * line.size) < _INDENT * line.size)
    return indented >= 3


_DELEGATION = "的代表"  # `A、B的代表` is always a whole entry of its own


def _entry_ends_at_margin(line: TextLine, following: TextLine | None) -> bool:
    """A full attendance line: does its last entry end with it? The layout cannot say (the
    separator falls at the line break), so read the words: it does when the line's last piece
    and the next line's first piece each read as a whole `organization+person` entry."""
    if following is None:
        return True
    tail = re.split(r"\s{2,}|[:：]", line.text.strip())[-1]
    head = re.split(r"\s{2,}", following.text.strip())[0]
    head_is_whole = looks_like_entry(head) or head.endswith(_DELEGATION)
    return _MARKER.match(head) is not None or (looks_like_entry(tail) and head_is_whole)


def _usual_pitch(lines: list[TextLine]) -> float:
    steps = [
        b.baseline - a.baseline
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and b.baseline > a.baseline
    ]
    return statistics.median(steps) if steps else 0.0


# --- plain text --------------------------------------------------------------------------------


def paragraphs_from_text(raw: list[str]) -> list[Paragraph]:
    """Paragraphs of plain extracted text.

    Two shapes are understood. Naive PDF extraction (the seeds) prints every line followed by
    a blank line, shows a page break as a line starting with a space, and keeps the trailing
    space a paragraph's last line (or an attendance entry's) ends with. Anything else is read as
    one paragraph per line. `raw` are the file's lines, page furniture already removed.
    """
    raw = to_simplified(raw)
    if not _is_layout_text(raw):
        return _paragraphs([_Line(text=line.strip(), ends_paragraph=True, blank_before=True) for line in raw])
    content = [line for line in raw if line != ""]
    full = _full_width(content)
    layout: list[_Line] = []
    blank = False
    for line in content:
        stripped = line.strip()
        if not stripped:  # a line of nothing but a space: an empty line of the document
            blank = True
            continue
        trailing = line != line.rstrip()
        # Without geometry a paragraph's first line (indented, digits of unknown width) looks
        # shorter than it is: only a line under three quarters of a full one counts as short.
        short = _display_width(stripped) < 0.75 * full
        layout.append(
            _Line(
                text=stripped,
                ends_paragraph=(trailing and _ends_in_cjk(stripped)) or short,
                ends_entry=trailing,
                blank_before=blank,
            )
        )
        blank = False
    return _paragraphs(layout, wide_separators=True)


def _is_layout_text(raw: list[str]) -> bool:
    """True when most lines are followed by an empty line: the naive-extraction shape."""
    content = [i for i, line in enumerate(raw) if line.strip()]
    if len(content) < 4:
        return False
    spaced = sum(1 for i in content if i + 1 < len(raw) and raw[i + 1] == "")
    return spaced >= 0.6 * len(content)


def _display_width(text: str) -> float:
    """Width in ems: CJK one, anything else half; spaces are extraction artifacts and count nothing."""
    return sum(1.0 if is_cjk(char) else 0.5 for char in text if not char.isspace())


def _full_width(lines: list[str]) -> float:
    """How wide a full line is: a high percentile of line widths (a rare overlong line aside)."""
    widths = sorted(_display_width(line.strip()) for line in lines if line.strip())
    return widths[int(0.9 * (len(widths) - 1))] if widths else 0.0


# --- HTML blocks -------------------------------------------------------------------------------


def paragraphs_from_blocks(blocks: list[str]) -> list[Paragraph]:
    """HTML article paragraphs, one block each (line breaks inside a block are not paragraph ends)."""
    paragraphs: list[Paragraph] = []
    for block in to_simplified(blocks):
        text = _finish(block, attendance=attendance_label(block) is not None)
        if text:
            paragraphs.append(Paragraph(seq=len(paragraphs) + 1, text=text))
    return paragraphs


# --- assembly ----------------------------------------------------------------------------------


def _paragraphs(lines: list[_Line], *, wide_separators: bool = False) -> list[Paragraph]:
    blocks: list[_Block] = []
    current: _Block | None = None
    for line in lines:
        if not line.text:
            current = None
            continue
        label = attendance_label(line.text)
        standalone = _STANDALONE.match(line.text) is not None
        marker = label is not None or standalone or _MARKER.match(line.text) is not None
        previous = current.lines[-1] if current is not None else None
        if current is None or previous is None:
            starts = True
        elif current.attendance:
            starts = marker or line.blank_before
        else:
            starts = (
                marker
                or line.blank_before
                or line.starts_paragraph
                or previous.ends_paragraph
                or _STANDALONE.match(current.raw) is not None
            )
        if starts:
            current = _Block(lines=[line], attendance=label is not None, raw=line.text)
            blocks.append(current)
        else:
            assert current is not None and previous is not None
            if current.attendance:
                current.raw += "  " if previous.ends_entry else ""
            else:
                current.raw += " "  # normalization removes it again between CJK characters
            current.raw += line.text
            current.lines.append(line)
    paragraphs: list[Paragraph] = []
    for block in blocks:
        text = _finish(block.raw, attendance=block.attendance, wide_separators=wide_separators)
        if not text:
            continue
        first = block.lines[0]
        pages = [line.page for line in block.lines if line.page is not None]
        paragraphs.append(
            Paragraph(
                seq=len(paragraphs) + 1,
                text=text,
                page_start=min(pages) if pages else None,
                page_end=max(pages) if pages else None,
                bbox=_bbox([line for line in block.lines if line.page == first.page]),
                **_ocr_columns(block.lines),
            )
        )
    return paragraphs


def _ocr_columns(lines: list[_Line]) -> dict[str, bool | float | None]:
    """`ocr` and `ocr_confidence` of a paragraph: the character-weighted mean over its OCR lines."""
    read = [(line.confidence, len(line.text)) for line in lines if line.confidence is not None]
    total = sum(n for _, n in read)
    if not read or not total:
        return {"ocr": False, "ocr_confidence": None}
    return {"ocr": True, "ocr_confidence": round(sum(c * n for c, n in read) / total, 4)}


def _finish(raw: str, *, attendance: bool, wide_separators: bool = False) -> str:
    if attendance:
        return normalize_attendance(raw, wide_separators=wide_separators)
    return normalize_issuing_line(raw)


def _bbox(lines: list[_Line]) -> tuple[float, float, float, float] | None:
    boxes = [line.bbox for line in lines if line.bbox is not None]
    if not boxes:
        return None
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def _ends_in_cjk(text: str) -> bool:
    return bool(text) and is_cjk(text[-1])
