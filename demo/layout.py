"""Page layout of one minutes document as GB/T 9704 prints it, independent of the PDF library.

A Word-like character-grid typesetter: A4, body 16 pt, 28 characters × 22 lines per page (text block
156 mm × 225 mm, margins top 37 mm / left 28 mm), two-character first-line indent, CJK characters on a
1-em grid, ASCII digits and Latin letters in Times-Roman at their real widths with a quarter-em gap to
CJK neighbours (Word's "autospace"), no closing punctuation at a line start. Attendance blocks are a
name grid plus flowing `organization+person` entries; the colophon ends with the 版记 (分送/印发) at the
foot of the last page. The output is a list of pages of drawing operations, drawn by `render.py`
(text layer PDF) or rasterized (scanned PDF).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

PAGE_W, PAGE_H = A4
MM = 72 / 25.4
LEFT, TOP = 28 * MM, 37 * MM
TEXT_W, TEXT_H = 156 * MM, 225 * MM
BODY_SIZE = 16.0
CHARS_PER_LINE, LINES_PER_PAGE = 28, 22
PITCH = TEXT_W / CHARS_PER_LINE          # 15.79 pt: Word's document grid squeezes 16 pt glyphs
LINE_PITCH = 28.95
BASELINE_DROP = (LINE_PITCH - BODY_SIZE) / 2 + BODY_SIZE * 0.86
AUTOSPACE = BODY_SIZE / 4
TEXT_BOTTOM = PAGE_H - TOP - TEXT_H
LATIN_FONT = "Times-Roman"
COLOPHON_SIZE = 14.0                     # GB/T 9704: 版记 in 4号
RED = (0.86, 0.0, 0.0)

CLOSING = set("，。、；：？！）》〕」』”’…～%")
OPENING = set("（《〔「『“‘")
ATTENDANCE_LABELS = ("出席：", "列席：", "请假：")
GRID_COLUMN = 4                          # a name cell: 3 characters and a 1-character gap
HANGING = 3                              # attendance continuation lines start under the names
DATE_ANCHOR = "2020年12月31日"            # the signature and its date are centred on a date this wide


@dataclass
class Text:
    x: float
    y: float
    text: str
    font: str            # "cjk", "latin", or "fallback" (a CJK character the family font lacks)
    size: float
    char_space: float = 0.0
    color: tuple[float, float, float] = (0.0, 0.0, 0.0)


@dataclass
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    color: tuple[float, float, float] = (0.0, 0.0, 0.0)


@dataclass
class Page:
    ops: list[Text | Rule] = field(default_factory=list)


@dataclass
class Style:
    """What distinguishes one layout family from another."""

    page_number: Callable[[int], str]        # 3 → "— 3 —"
    page_number_align: str = "center"        # "center" or "outside" (odd right, even left)
    running_head: bool = False
    masthead: bool = False


@dataclass
class Tok:
    text: str
    latin: bool
    width: float
    gap: bool = False     # an empty separator between attendance entries; never drawn
    x: float = 0.0


def tokenize(text: str, size: float = BODY_SIZE, pitch: float = PITCH) -> list[Tok]:
    """Break text into line-breaking units: one CJK character, or one ASCII word/number/symbol."""
    out: list[Tok] = []
    for match in re.finditer(r"[A-Za-z0-9]+(?:[.%][0-9]+)*%?|[\x00-\x7f]|.", text):
        piece = match.group()
        if piece.isascii():
            out.append(Tok(piece, True, stringWidth(piece, LATIN_FONT, size)))
        else:
            out.append(Tok(piece, False, pitch))
    return out


def _spacing(prev: Tok | None, tok: Tok, size: float) -> float:
    if prev is None or prev.gap or tok.gap or prev.latin == tok.latin or " " in (prev.text, tok.text):
        return 0.0
    return size / 4


def break_lines(toks: list[Tok], widths: Callable[[int], float], size: float = BODY_SIZE) -> list[list[Tok]]:
    """Greedy Word-like line breaking; widths(n) is the room on line n. Kinsoku: closing punctuation
    never starts a line and opening punctuation never ends one (the neighbour moves down with it)."""
    lines: list[list[Tok]] = []
    line: list[Tok] = []
    used = 0.0
    i = 0
    while i < len(toks):
        tok = toks[i]
        if not line and tok.gap:
            i += 1
            continue
        need = tok.width + _spacing(line[-1] if line else None, tok, size)
        if line and used + need > widths(len(lines)) + 0.01:
            moved = 0
            if tok.text in CLOSING:
                while len(line) > 1 and line[-1].text in CLOSING:
                    line.pop()
                    moved += 1
                if len(line) > 1:
                    line.pop()
                    moved += 1
            while len(line) > 1 and line[-1].text in OPENING:
                line.pop()
                moved += 1
            while line and line[-1].gap:
                line.pop()
            lines.append(line)
            line, used = [], 0.0
            i -= moved
            continue
        line.append(tok)
        used += need
        i += 1
    while line and line[-1].gap:
        line.pop()
    if line:
        lines.append(line)
    return lines


def place(line: list[Tok], x0: float, size: float = BODY_SIZE) -> float:
    """Give each token its x; returns the line's right edge."""
    x, prev = x0, None
    for tok in line:
        x += _spacing(prev, tok, size)
        tok.x = x
        x += tok.width
        prev = tok
    return x


def line_width(line: list[Tok], size: float = BODY_SIZE) -> float:
    return place(line, 0.0, size)


class Typesetter:
    """Puts lines on the grid of successive pages."""

    def __init__(self, style: Style, has_glyph: Callable[[str], bool], title: str,
                 minutes_no: str | None) -> None:
        self.style = style
        self.has_glyph = has_glyph
        self.title = title
        self.pages: list[Page] = [Page()]
        self.line = 0
        if style.masthead and minutes_no:
            self._masthead(minutes_no)

    # -- grid ------------------------------------------------------------------------------------
    @staticmethod
    def baseline(line: int) -> float:
        return PAGE_H - TOP - BASELINE_DROP - line * LINE_PITCH

    @staticmethod
    def line_top(line: int) -> float:
        return PAGE_H - TOP - line * LINE_PITCH

    def next_line(self) -> float:
        """The baseline of the next free grid line, starting a page when this one is full."""
        if self.line >= LINES_PER_PAGE:
            self.pages.append(Page())
            self.line = 0
        y = self.baseline(self.line)
        self.line += 1
        return y

    def draw(self, line: list[Tok], x0: float, y: float, size: float = BODY_SIZE, pitch: float = PITCH,
             color: tuple[float, float, float] = (0.0, 0.0, 0.0)) -> None:
        place(line, x0, size)
        ops = self.pages[-1].ops
        char_space = pitch - size
        for tok in line:
            if tok.gap:
                continue
            if tok.latin:
                ops.append(Text(tok.x, y, tok.text, "latin", size, 0.0, color))
                continue
            font = "cjk" if self.has_glyph(tok.text) else "fallback"
            last = ops[-1] if ops else None
            # Extend the previous run when this CJK character continues it on the grid.
            if (isinstance(last, Text) and last.font == font and last.y == y and last.size == size
                    and abs(last.x + len(last.text) * pitch - tok.x) < 0.01):
                last.text += tok.text
            else:
                ops.append(Text(tok.x, y, tok.text, font, size, char_space, color))

    # -- blocks ------------------------------------------------------------------------------------
    def paragraph(self, text: str, indent: int = 2) -> None:
        lines = break_lines(tokenize(text), lambda n: TEXT_W - (indent * PITCH if n == 0 else 0))
        for n, line in enumerate(lines):
            self.draw(line, LEFT + (indent * PITCH if n == 0 else 0), self.next_line())

    def attendance(self, text: str) -> None:
        """Label, then plain names in a grid (two-character names padded with U+3000), then
        organization+person entries flowing over the lines like Word breaks them."""
        label, entries = text[:3], text[3:].split(" ")
        # Plain names (2-4 characters) come first; an organization+person entry is 5 or more.
        names = list(itertools.takewhile(lambda e: len(e) <= 4 and "、" not in e, entries))
        rest = entries[len(names):]
        delegations = [e for e in rest if e.endswith("的代表")]
        flowing = [e for e in rest if not e.endswith("的代表")]
        y = self.next_line()
        self.draw(tokenize(label), LEFT, y)
        hang = LEFT + HANGING * PITCH
        columns = (CHARS_PER_LINE - HANGING) // GRID_COLUMN
        column = 0
        line_used = False
        for name in names:
            cell = name[0] + "\u3000" + name[1] if len(name) == 2 else name
            span = -(-(len(cell) + 1) // GRID_COLUMN)
            if column + span > columns:
                y, column = self.next_line(), 0
            self.draw(tokenize(cell), hang + column * GRID_COLUMN * PITCH, y)
            column += span
            line_used = True
        # Flowing entries start on a fresh line; a delegation ("A、B的代表") on a line of its own.
        for group in (flowing, delegations):
            toks: list[Tok] = []
            for entry in group:
                if toks:
                    toks.append(Tok("", False, PITCH, gap=True))
                toks += tokenize(entry)
            for line in break_lines(toks, lambda n: TEXT_W - HANGING * PITCH):
                if line_used:
                    y = self.next_line()
                self.draw(line, hang, y)
                line_used = True

    def right_aligned(self, text: str, right_indent: int = 4, center_over: str | None = None) -> None:
        line = tokenize(text)
        right = LEFT + TEXT_W - right_indent * PITCH
        if center_over is not None:
            anchor = line_width(tokenize(center_over))
            x0 = right - anchor / 2 - line_width(line) / 2
        else:
            x0 = right - line_width(line)
        self.draw(line, x0, self.next_line())

    def blank(self, lines: int = 1) -> None:
        for _ in range(lines):
            if self.line < LINES_PER_PAGE:
                self.line += 1

    def colophon_block(self, distribution: str, issuing: str) -> None:
        """The 版记 at the foot of the last page: rule, 分送 (hanging indent), rule, 印发 line, rule."""
        size, pitch = COLOPHON_SIZE, COLOPHON_SIZE
        inset = pitch
        label = "分送："
        label_w = line_width(tokenize(label, size, pitch), size)
        body = tokenize(distribution[len(label):], size, pitch)
        room = TEXT_W - 2 * inset - label_w
        lines = break_lines(body, lambda n: room, size)
        needed = len(lines) + 1
        if self.line > LINES_PER_PAGE - needed:
            self.pages.append(Page())
        first = LINES_PER_PAGE - needed
        ops = self.pages[-1].ops
        ops.append(Rule(LEFT, self.line_top(first), LEFT + TEXT_W, self.line_top(first), 1.0))
        for n, line in enumerate(lines):
            y = self.baseline(first + n)
            if n == 0:
                self.draw(tokenize(label, size, pitch), LEFT + inset, y, size, pitch)
            self.draw(line, LEFT + inset + label_w, y, size, pitch)
        last = LINES_PER_PAGE - 1
        ops.append(Rule(LEFT, self.line_top(last), LEFT + TEXT_W, self.line_top(last), 0.7))
        office, _, date = issuing.partition(" ")
        y = self.baseline(last)
        self.draw(tokenize(office, size, pitch), LEFT + inset, y, size, pitch)
        date_line = tokenize(date, size, pitch)
        self.draw(date_line, LEFT + TEXT_W - inset - line_width(date_line, size), y, size, pitch)
        bottom = self.line_top(LINES_PER_PAGE)
        ops.append(Rule(LEFT, bottom, LEFT + TEXT_W, bottom, 1.0))
        self.line = LINES_PER_PAGE

    # -- page furniture ----------------------------------------------------------------------------
    def _masthead(self, minutes_no: str) -> None:
        """Red masthead, the document number and a red rule; the body starts on grid line 4."""
        ops = self.pages[0].ops
        head = "苏州市人民政府常务会议纪要"
        size = 26.0
        width = len(head) * size
        ops.append(Text(PAGE_W / 2 - width / 2, PAGE_H - TOP - 30, head, "cjk", size, 0.0, RED))
        number = tokenize(minutes_no)
        y = PAGE_H - TOP - 74
        self.draw(number, PAGE_W / 2 - line_width(number) / 2, y)
        ops.append(Rule(LEFT, y - 14, LEFT + TEXT_W, y - 14, 1.5, RED))
        self.line = 4

    def furniture(self) -> None:
        """Page numbers at the foot (and the running head) on every page."""
        size = 14.0
        for index, page in enumerate(self.pages, start=1):
            y = TEXT_BOTTOM - 7 * MM - 10
            number = tokenize(self.style.page_number(index), size, size)
            for tok in number:
                if tok.text == " ":
                    tok.gap, tok.width = True, size / 2
            width = line_width(number, size)
            if self.style.page_number_align == "outside":
                x0 = LEFT + TEXT_W - size - width if index % 2 else LEFT + size
            else:
                x0 = PAGE_W / 2 - width / 2
            self._draw_on(page, number, x0, y, size)
            if self.style.running_head and index > 1:
                head = tokenize(self.title, 10.5, 10.5)
                self._draw_on(page, head, PAGE_W / 2 - line_width(head, 10.5) / 2, PAGE_H - TOP + 16, 10.5)
                page.ops.append(Rule(LEFT, PAGE_H - TOP + 11, LEFT + TEXT_W, PAGE_H - TOP + 11, 0.5))

    def _draw_on(self, page: Page, line: list[Tok], x0: float, y: float, size: float) -> None:
        saved = self.pages
        self.pages = [page]
        try:
            self.draw(line, x0, y, size, size)
        finally:
            self.pages = saved


def layout(paragraphs: list[str], style: Style, has_glyph: Callable[[str], bool], title: str,
           minutes_no: str | None) -> list[Page]:
    """Typeset a document's normalized paragraphs; returns its pages."""
    setter = Typesetter(style, has_glyph, title, minutes_no)
    colophon: tuple[str, str] | None = None
    previous = ""
    for text in paragraphs:
        if text.startswith(ATTENDANCE_LABELS):
            setter.attendance(text)
        elif text.startswith("记录："):
            setter.blank()
            setter.paragraph(text)
        elif text.endswith("整理") and len(text) < 30:
            setter.blank()
            setter.right_aligned(text, center_over=DATE_ANCHOR)
        elif previous.endswith("整理") and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", text):
            setter.right_aligned(text, center_over=DATE_ANCHOR)
        elif text.startswith("分送："):
            colophon = (text, colophon[1] if colophon else "")
        elif text.endswith("印发") and " " in text:
            colophon = (colophon[0] if colophon else "分送：", text)
        else:
            setter.paragraph(text)
        previous = text
    if colophon:
        setter.colophon_block(*colophon)
    setter.furniture()
    return setter.pages
