"""Attendance name grids read from their geometry: where each entry starts and ends.

The names under `出席：`/`列席：` are set on a grid: each name fills a cell of (at least) three
characters, a two-character name padded to that width (`王　翔`, or spread by distributed
alignment), the next name one gap further. Text alone cannot tell, at a line break, whether
`…陆春云` + `江　海…` are two entries or one, nor whether `…蒋` + `华　顾建明` is a padded name
broken at its pad. The glyph positions can:
- a run of glyphs with no gap wider than `RUN_GAP` ems is one piece of an entry;
- a one-character piece followed, within the same cell, by another one-character piece is a
  padded two-character name (the second piece starts before the next cell would);
- at a line break, the line's last entry continues on the next line when it is narrower than
  every complete entry of the grid (a cell never holds less than a full name): the word
  processor broke the line inside it.
Pure functions over glyph boxes, so PDF characters and OCR boxes feed them the same way.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

# A gap this many ems wide or wider separates pieces; narrower gaps are letter spacing
# (justified lines stretch every gap a little).
RUN_GAP = 0.4
# A grid entry holds no more characters than a name (compound surname + two: 欧阳春国).
MAX_NAME = 4
# An entry this much narrower than the narrowest complete one is a fragment.
_FRAGMENT_SLACK = 0.5
# A line whose last glyph ends this close to the grid's right edge is full.
_FULL_SLACK = 1.0
_LABEL_END = "：:"


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    x1: float


@dataclass(frozen=True)
class Piece:
    """Glyphs with no separating gap between them."""

    text: str
    x0: float
    x1: float


@dataclass
class Entry:
    pieces: list[Piece]

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)

    @property
    def width(self) -> float:
        return self.pieces[-1].x1 - self.pieces[0].x0


@dataclass(frozen=True)
class GridLine:
    """One line of a name grid as read: its entries and whether the last one ends with the line."""

    entries: tuple[str, ...]
    ends_entry: bool
    # The last entry is as wide as the grid's whole entries (a cell never holds less than a
    # name); False when it is narrower, or when the grid has too few entries to tell.
    last_is_whole: bool = False


def pieces(glyphs: Sequence[Glyph], em: float) -> list[Piece]:
    """Split a line's visible glyphs (left to right) at gaps of `RUN_GAP` ems or more."""
    out: list[Piece] = []
    for glyph in glyphs:
        if glyph.text.isspace():
            continue
        if out and glyph.x0 - out[-1].x1 < RUN_GAP * em:
            last = out[-1]
            out[-1] = Piece(last.text + glyph.text, last.x0, max(last.x1, glyph.x1))
        else:
            out.append(Piece(glyph.text, glyph.x0, glyph.x1))
    return out


def without_label(glyphs: Sequence[Glyph]) -> list[Glyph]:
    """The glyphs after an attendance label (`出席：`), or all of them when there is none."""
    for index, glyph in enumerate(glyphs[:6]):
        if glyph.text in _LABEL_END:
            return list(glyphs[index + 1 :])
    return list(glyphs)


def is_name_line(line_pieces: Sequence[Piece]) -> bool:
    """Every piece is short enough to be (part of) a name: a grid line, not flowing entries."""
    return bool(line_pieces) and all(len(piece.text) <= MAX_NAME for piece in line_pieces)


def _cell_entries(line_pieces: Sequence[Piece], em: float) -> list[Entry]:
    """A line's pieces as entries: a one-character piece joins a one-character entry before it
    when it starts inside that entry's cell (less than a cell pitch from its start)."""
    entries: list[Entry] = []
    pitch = _pitch(line_pieces, em)
    for piece in line_pieces:
        last = entries[-1] if entries else None
        if (
            last is not None
            and len(piece.text) == 1
            and len(last.pieces) == 1
            and len(last.pieces[0].text) == 1
            and piece.x0 - last.pieces[0].x0 < pitch - 0.5 * em
        ):
            last.pieces.append(piece)
        else:
            entries.append(Entry([piece]))
    return entries


def _pitch(line_pieces: Sequence[Piece], em: float) -> float:
    """The cell pitch: the smallest distance between starts of multi-character pieces on the
    line, else four ems (a three-character cell and its gap)."""
    starts = [piece.x0 for piece in line_pieces if len(piece.text) > 1]
    steps = [b - a for a, b in itertools.pairwise(starts) if b - a > 2.5 * em]
    return min(steps) if steps else 4.0 * em


def read_grid(lines: Sequence[Sequence[Glyph]], em: float) -> list[GridLine]:
    """The entries of a name grid's lines (labels already removed), and for each line whether
    its last entry is complete. A line's first piece that continues the previous line's
    fragment is glued to it (and not repeated on its own line)."""
    per_line = [_cell_entries(pieces(glyphs, em), em) for glyphs in lines]
    # Entries known to be whole: neither a line's last (it may go on) nor, after the first line,
    # a line's first (it may be the rest of the one above); a lone character is never a name.
    interior = [
        entry.width
        for n, entries in enumerate(per_line)
        for entry in entries[(1 if n else 0) : -1]
        if len(entry.text) > 1
    ]
    # Too few complete entries to know a cell's width: trust the line ends.
    narrowest = min(interior) if len(interior) >= 3 else None
    right_edge = max((entries[-1].pieces[-1].x1 for entries in per_line if entries), default=0.0)
    out: list[GridLine] = []
    for index, entries in enumerate(per_line):
        following = per_line[index + 1] if index + 1 < len(per_line) else []
        fragment = (
            narrowest is not None
            and bool(entries)
            and bool(following)
            and entries[-1].width < narrowest - _FRAGMENT_SLACK * em
            and right_edge - entries[-1].pieces[-1].x1 < _FULL_SLACK * em
        )
        if fragment and len(following[0].pieces[0].text) + len(entries[-1].text) <= MAX_NAME:
            # The next line's first piece completes this entry; what remains there pairs again
            # from its new start (`云　江　海` → `江海` once `云` has gone up to `陆春`).
            rest = [piece for entry in following for piece in entry.pieces][1:]
            entries[-1].pieces.append(following[0].pieces[0])
            per_line[index + 1] = _cell_entries(rest, em)
            fragment = False
        whole = narrowest is not None and bool(entries) and (
            entries[-1].width >= narrowest - _FRAGMENT_SLACK * em)
        out.append(GridLine(tuple(entry.text for entry in entries), ends_entry=not fragment,
                            last_is_whole=whole))
    return out
