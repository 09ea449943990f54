"""Attendance name grids from glyph geometry: entry boundaries at line breaks, padded names.

Lines are built glyph by glyph on a grid of 16 pt characters, the way a word processor sets
them (names of three characters, two-character names padded to three, one character between
cells), optionally stretched as justified lines are.
"""

from __future__ import annotations

from extract.textlayer import TextLayer, TextLine
from transform.attendance_grid import Glyph, pieces, read_grid, without_label
from transform.paragraphs import paragraphs_from_lines

EM = 16.0
LEFT = 80.0


def _line(text: str, x: float = LEFT, stretch: float = 0.0) -> list[Glyph]:
    """Glyphs of `text` set one em each (U+3000 is an em of nothing), each gap widened by `stretch`."""
    glyphs = []
    for char in text:
        if char != "\u3000":
            glyphs.append(Glyph(char, x, x + EM))
        x += EM + stretch
    return glyphs


def test_a_full_line_ending_with_a_name_before_a_padded_name_keeps_them_apart() -> None:
    # The seed failure: `…陆春云` at the margin, `江　海` starting the next line read `陆春云江 海`.
    lines = [_line("李亚平　王　翔　洪宗明　蒋来清　陆春云"), _line("江　海　吴晓东　杨知评")]
    read = read_grid(lines, EM)
    assert [line.entries for line in read] == [("李亚平", "王翔", "洪宗明", "蒋来清", "陆春云"),
                                             ("江海", "吴晓东", "杨知评")]
    assert read[0].ends_entry


def test_a_padded_name_broken_at_its_pad_is_one_entry() -> None:
    # The other seed failure: `蒋` ending a line, `华　　顾建明` starting the next read `蒋 华顾建明`.
    lines = [_line("张　剑　沈志栋　张　焱　陈春明　蒋"), _line("华　　顾建明　徐业洲")]
    read = read_grid(lines, EM)
    assert [line.entries for line in read] == [("张剑", "沈志栋", "张焱", "陈春明", "蒋华"),
                                             ("顾建明", "徐业洲")]


def test_a_name_broken_between_its_characters_is_rejoined() -> None:
    lines = [_line("李亚平　王　翔　洪宗明　蒋来清　陆春"), _line("云　江　海　吴晓东")]
    read = read_grid(lines, EM)
    assert read[0].entries[-1] == "陆春云"
    assert read[1].entries == ("江海", "吴晓东")


def test_justified_stretching_does_not_split_or_merge_entries() -> None:
    stretched = [_line("李亚平　王　翔　洪宗明　蒋来清　陆春云", stretch=0.9),
                 _line("江　海　吴晓东　杨知评")]
    assert [line.entries for line in read_grid(stretched, EM)] == [
        ("李亚平", "王翔", "洪宗明", "蒋来清", "陆春云"), ("江海", "吴晓东", "杨知评")]


def test_table_cells_a_half_em_apart_are_separate_entries() -> None:
    # A borderless table: cells 4.5 em wide; a four-character name leaves half an em to the next
    # cell, where a two-character name is spread over three ems (分散对齐).
    row = [*_line("令狐博荣", 128.0), *_line("侯　桂", 200.0), *_line("毛达立", 272.0)]
    assert read_grid([row], EM)[0].entries == ("令狐博荣", "侯桂", "毛达立")
    # A text-only reading sees one space there, which is no entry separator.
    assert [p.text for p in pieces(row, EM)] == ["令狐博荣", "侯", "桂", "毛达立"]


def test_a_short_last_name_on_an_unpadded_grid_is_not_taken_for_a_fragment() -> None:
    # Too few whole entries to know the cell width: line ends are trusted.
    lines = [_line("周伟　王翔"), _line("李亚平")]
    read = read_grid(lines, EM)
    assert [line.entries for line in read] == [("周伟", "王翔"), ("李亚平",)]
    assert read[0].ends_entry


def test_the_label_is_left_out() -> None:
    glyphs = _line("出席：李亚平　王　翔")
    assert [g.text for g in without_label(glyphs)] == list("李亚平王翔")


def test_paragraph_assembly_reads_grids_from_pdf_lines() -> None:
    texts = ["出席：李亚平　王　翔　洪宗明　蒋来清　陆春云", "江　海　吴晓东", "记录：栗涛"]
    lines = []
    for n, text in enumerate(texts):
        glyphs = _line(text)
        lines.append(TextLine(page=1, x0=glyphs[0].x0, x1=glyphs[-1].x1, top=100 + 29 * n,
                              bottom=116 + 29 * n, text=_as_text(glyphs), size=EM, fontname="F",
                              baseline=114 + 29 * n, glyphs=tuple((g.text, g.x0, g.x1) for g in glyphs)))
    layer = TextLayer(kind="pdf", page_count=1, page_width=595, page_height=842, lines=lines,
                      left_margin=LEFT, right_margin=lines[0].x1, body_size=EM)
    assert [p.text for p in paragraphs_from_lines(layer)] == [
        "出席：李亚平 王翔 洪宗明 蒋来清 陆春云 江海 吴晓东", "记录：栗涛"]


def _as_text(glyphs: list[Glyph]) -> str:
    """The line's text as extract/pdf.py writes it: one space per half em of gap."""
    out, previous = [], None
    for glyph in glyphs:
        if previous is not None and glyph.x0 - previous > 0.15 * EM:
            out.append(" " * round((glyph.x0 - previous) / (0.5 * EM)))
        out.append(glyph.text)
        previous = glyph.x1
    return "".join(out)
