"""OCR for PDF pages without a text layer: page image → the same `TextLine`s the text-layer path makes.

The engine is RapidOCR 3.10 (PP-OCRv6 small detection + recognition models shipped inside the wheel,
run by onnxruntime; nothing is downloaded at run time), with the angle classifier off. Chosen by
measurement on the demo's scans (7 pages: 150-200 dpi, skewed 0.3-1.1°, grain, specks, JPEG 40-70, a
red seal; load average ≈ 4 on 2 shared cores; a one-off comparison, as tesserocr is no dependency):

    engine                                        char similarity   s/page
    rapidocr 3.10, classifier off                 0.956              7.1
    tesserocr 2.13 + Debian chi_sim, 1 thread     0.808              1.8

Tesseract is faster but misreads a fifth of the characters of a noisy CJK scan, which no grammar
can repair; RapidOCR's errors are rare and mostly under the seal (see `drop_seals`). The classifier
is off because it turned a whole upright line upside down on a skewed page (issue 18's measurement),
and minutes are printed upright.

Geometry: boxes come back in pixels of a page image rendered at OCR_DPI, slightly rotated on a
skewed scan. The page's skew is measured from the boxes themselves, every point is turned back by
it, and pixels become PDF points, so indents, margins, page numbers and attendance grids downstream
are read by the rules the text layer uses. Each line keeps the engine's confidence.

The pure part (`lines_from_boxes`, `drop_seals`, `mean_confidence`) is separate from the engine
call (`read_page`), which is a plain function: it runs in whatever process reads the document.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import statistics
from dataclasses import dataclass
from typing import Any

from extract.furniture import FOOT_ZONE, HEAD_ZONE, is_page_number
from extract.pdf import spaces_for_gap
from extract.textlayer import TextLine

ENGINE = "rapidocr 3.10.0 (PP-OCRv6 small, onnxruntime), angle classifier off"
# Pages are rendered at this resolution. Measured on the demo's scans (tests/extract/test_ocr_scans.py's
# field accuracy; s/page of the engine on one page, load ≈ 2.6): 150 dpi 97.5 % of fields, 5.3-8.1 s;
# 200 dpi 98.7 %, 5.8-6.1 s. More gains nothing: the detector scales a page to 2000 px at most, and
# the recognizer every line to 48 px high.
OCR_DPI = 200
# Time budget of one page's OCR, on top of the document's own limit (5-8 s measured on a busy machine).
PAGE_SECONDS = 60.0
# A scan whose OCR lines average below this confidence is quarantined `ocr_low_confidence`: readable
# scans of the demo measure 0.96-0.99, an illegible one (60 dpi, heavy noise, JPEG 8) 0.7x.
MIN_MEAN_CONFIDENCE = 0.85
# Within a recognized line, glyph positions come from the recognizer's columns and jitter by ~0.2 em:
# only a gap wider than this many ems is a space (the text layer's threshold is 0.15 em; an
# attendance grid's separators are 1 em). A CJK glyph's extent is taken as one em from its start.
_OCR_SPACE_GAP = 0.5
# A detection box is taller than the glyphs: the detector pads each side by about this share of
# the box height. Measured: a 16 pt line gives a 21.6 pt box.
_BOX_PADDING = 0.13
# Only lines this many times wider than tall tell the page's skew reliably.
_SKEW_MIN_ASPECT = 4.0
# Red (seal ink): red channel above this, and this much above green and blue.
_RED_MIN, _RED_MARGIN = 110, 60
# After red dropout, what is lighter than this is paper (the seal's ghost), what is darker ink.
_PAPER_LEVEL = 170
# A red connected shape this many points across one way and half that the other is (part of) a seal,
# not red text (a masthead character is 26 pt square, a red rule 1.5 pt high).
_SEAL_MIN_SIZE = 48.0
# Ink: darker than this in every channel (paper and the seal's ghost are lighter).
_INK_LEVEL = 140
# Page numbers the detector missed (`missed_page_numbers`), in points: a glyph is at least this
# tall or wide (dust is smaller), glyphs of one number stand within this reach, and the number
# is at most this tall; only this many ink runs per zone, the largest, are read.
_GLYPH_MIN = 3.0
_PAGE_NUMBER_SPREAD = 12.0
_PAGE_NUMBER_MAX_HEIGHT = 30.0
_PAGE_NUMBER_TRIES = 3
# Scanner dust reads as a dot; in minutes a dot stands only between digits (3.5亿元).
_DUST = ".·•・．`'"
_DUST_OUTSIDE_NUMBERS = re.compile(rf"(?<!\d)[{_DUST}]+|[{_DUST}]+(?!\d)")
# Full-width punctuation is drawn in one side of its em cell; the other side is no gap.
_CLOSING = frozenset("，。、；：？！）》〕」』”’)")
_OPENING = frozenset("（《〔「『“‘(")
# The recognizer writes full-width brackets as ASCII ones.
_ASCII_BRACKETS = frozenset("()")

Point = tuple[float, float]


@dataclass
class OcrWord:
    text: str
    score: float
    quad: list[Point]  # pixels, clockwise from top-left


@dataclass
class OcrBox:
    """One detected text box as the engine returns it."""

    text: str
    score: float
    quad: list[Point]
    words: list[OcrWord]  # single characters for CJK, words for Latin runs; may be empty


# --- engine --------------------------------------------------------------------------------------


@functools.cache
def _engine() -> Any:
    from rapidocr import RapidOCR  # heavy: onnxruntime and the models load on first use

    return RapidOCR(params={"Global.use_cls": False, "Global.log_level": "error"})


def recognize(image_rgb: Any) -> list[OcrBox]:
    """The bare engine call on an RGB numpy array: boxes with text, confidence and glyph boxes."""
    # Every switch explicit: the engine keeps a call's use_det/use_rec for the calls after it.
    result = _engine()(image_rgb[:, :, ::-1].copy(), use_det=True, use_cls=False, use_rec=True,
                       return_word_box=True)  # BGR
    if not result.txts:
        return []
    words_per_box = result.word_results if len(result.word_results) == len(result.txts) else [()] * len(
        result.txts)
    boxes = []
    for quad, text, score, words in zip(result.boxes, result.txts, result.scores, words_per_box,
                                        strict=True):
        boxes.append(OcrBox(
            text=text, score=float(score), quad=[(float(x), float(y)) for x, y in quad],
            words=[OcrWord(w[0], float(w[1]), [(float(x), float(y)) for x, y in w[2]])
                   for w in words if w and w[2] is not None],
        ))
    return boxes


def render_page(pdf: Any, index: int, dpi: int | None = None) -> Any:
    """Page `index` of an open pypdfium2 document as an RGB numpy array (at OCR_DPI by default)."""
    import numpy as np

    bitmap = pdf[index].render(scale=(dpi or OCR_DPI) / 72)
    return np.asarray(bitmap.to_pil().convert("RGB"))


def recognize_line(image_rgb: Any) -> tuple[str, float]:
    """The recognizer alone on the image of one line (no detection): its text and confidence."""
    result = _engine()(image_rgb[:, :, ::-1].copy(), use_det=False, use_cls=False, use_rec=True)
    if not result.txts:
        return "", 0.0
    return result.txts[0], float(result.scores[0])


def read_page(pdf: Any, index: int, page_height: float) -> list[TextLine]:
    """OCR one page of an open pypdfium2 document: its lines, in PDF points, with confidences."""
    scale = OCR_DPI / 72
    image = drop_seals(render_page(pdf, index), scale)
    boxes = recognize(image)
    boxes += missed_page_numbers(image, boxes, scale)
    return lines_from_boxes(boxes, index + 1, scale, image.shape[1], image.shape[0])


# --- page numbers the detector misses ------------------------------------------------------------


def missed_page_numbers(image: Any, boxes: list[OcrBox], scale: float) -> list[OcrBox]:
    """Page numbers in the head and foot zones that detection left out, read alone.

    A page number (`— 2 —`) is a few small glyphs alone in a margin, two of them thin rules: the
    detector, tuned to lines of text, often finds no box there. Ink in those zones outside every
    detected box is grouped into runs (dust specks are too small to count), each run is read by the
    recognizer alone, and it is kept only when it reads as a page number: anything else there is
    not worth a guess (and a running head, as long as a line of text, is detected)."""
    import cv2
    import numpy as np

    height, width = image.shape[:2]
    ink = (image.min(axis=2) < _INK_LEVEL).astype(np.uint8)
    for box in boxes:  # what the detector read is not looked at again
        xs, ys = [p[0] for p in box.quad], [p[1] for p in box.quad]
        ink[max(0, int(min(ys))):int(max(ys)) + 1, max(0, int(min(xs))):int(max(xs)) + 1] = 0
    found = []
    for top, bottom in ((0, int(height * HEAD_ZONE)), (int(height * (1 - FOOT_ZONE)), height)):
        zone = ink[top:bottom]
        count, labels, stats, _ = cv2.connectedComponentsWithStats(zone, connectivity=8)
        glyphs = np.zeros_like(zone)
        for label in range(1, count):
            if max(stats[label, 2], stats[label, 3]) >= _GLYPH_MIN * scale:  # not a speck
                glyphs[labels == label] = 1
        # Glyphs of one page number stand within an em of each other, on one line.
        reach = max(1, round(_PAGE_NUMBER_SPREAD * scale))
        runs = cv2.dilate(glyphs, np.ones((max(1, round(2 * scale)), reach), np.uint8))
        count, _, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        candidates = sorted(range(1, count), key=lambda label: -stats[label, 4])[:_PAGE_NUMBER_TRIES]
        for label in candidates:
            x, y, w, h = (int(v) for v in stats[label, :4])
            if not (_GLYPH_MIN * scale <= h <= _PAGE_NUMBER_MAX_HEIGHT * scale and w <= width * 0.4):
                continue
            pad = round(4 * scale)
            y0, y1 = max(0, top + y - pad), min(height, top + y + h + pad)
            x0, x1 = max(0, x - pad), min(width, x + w + pad)
            text, score = recognize_line(image[y0:y1, x0:x1])
            text = _DUST_OUTSIDE_NUMBERS.sub("", text)  # a speck next to the number reads as a dot
            if text and is_page_number(text):
                quad = [(float(x0), float(y0)), (float(x1), float(y0)), (float(x1), float(y1)),
                        (float(x0), float(y1))]
                found.append(OcrBox(text=text, score=score, quad=quad, words=[]))
    return found


# --- seals ---------------------------------------------------------------------------------------


def drop_seals(image: Any, scale: float) -> Any:
    """Take the red seals off an RGB page image, so the text under them reads whole.

    Only red shapes as large as a seal both ways are dropped (with what lies inside their box, the
    seal's own lettering): red text such as a masthead stays, read like any other ink. Black text
    under a seal stays too: it is dark in every channel, not red."""
    import cv2
    import numpy as np

    red = image[:, :, 0].astype(np.int16)
    other = np.maximum(image[:, :, 1], image[:, :, 2]).astype(np.int16)
    mask = ((red > _RED_MIN) & (red - other > _RED_MARGIN)).astype(np.uint8)
    if not mask.any():
        return image
    joined = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    least = _SEAL_MIN_SIZE * scale
    cleaned = image.copy()
    for label in range(1, count):
        x, y, w, h = stats[label, :4]
        # A line of text across a seal can cut its ring in two arcs: each is seal-wide one way.
        if max(w, h) >= least and min(w, h) >= least / 2:
            # Red dropout, as scanners do it: in the seal's box every pixel becomes its red channel.
            # Red ink and its pink JPEG fringe turn paper-light; black ink, even where the seal
            # covers it, stays dark, and so do the grey edges of its strokes.
            window = (slice(y, y + h), slice(x, x + w))
            dropped = image[window][:, :, :1].copy()
            dropped[dropped > _PAPER_LEVEL] = 255  # the seal's light ghost goes with the paper
            cleaned[window] = dropped
    return cleaned


# --- boxes → lines -------------------------------------------------------------------------------


def page_skew(boxes: list[OcrBox]) -> float:
    """The page's rotation in radians (positive: text rises to the right), from long boxes' top edges."""
    angles = []
    for box in boxes:
        (x0, y0), (x1, y1) = box.quad[0], box.quad[1]
        width = math.hypot(x1 - x0, y1 - y0)
        height = math.hypot(box.quad[3][0] - x0, box.quad[3][1] - y0)
        if height and width / height >= _SKEW_MIN_ASPECT:
            angles.append(math.atan2(y0 - y1, x1 - x0))
    return statistics.median(angles) if angles else 0.0


@dataclass
class _Glyph:
    text: str
    x0: float
    x1: float


@dataclass
class _Piece:
    """A detection box turned upright and in points."""

    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    score: float
    glyphs: list[_Glyph]

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def lines_from_boxes(boxes: list[OcrBox], page: int, scale: float, width_px: float,
                     height_px: float) -> list[TextLine]:
    """Detection boxes of one page → its text lines, top to bottom, in PDF points (top-left origin).

    Boxes on one line (an attendance grid splits a line into several) are joined left to right,
    with gaps written as spaces by the text layer's rule (one per half em)."""
    angle = page_skew(boxes)
    centre = (width_px / 2, height_px / 2)
    pieces = [_piece(box, angle, centre, scale) for box in boxes if box.text.strip()]
    pieces.sort(key=lambda piece: (piece.middle, piece.x0))
    lines: list[TextLine] = []
    group: list[_Piece] = []
    for piece in pieces:
        if group and abs(piece.middle - statistics.mean(p.middle for p in group)) > 0.5 * piece.size:
            lines.append(_line(group, page))
            group = []
        group.append(piece)
    if group:
        lines.append(_line(group, page))
    return lines


def _upright(point: Point, angle: float, centre: Point) -> Point:
    """Turn a point back by the page's skew around the page centre."""
    x, y = point[0] - centre[0], point[1] - centre[1]
    cos, sin = math.cos(angle), math.sin(angle)
    # Image y points down: undoing a counter-clockwise tilt of `angle` turns points clockwise.
    return centre[0] + x * cos - y * sin, centre[1] + x * sin + y * cos


def _piece(box: OcrBox, angle: float, centre: Point, scale: float) -> _Piece:
    quad = [_upright(point, angle, centre) for point in box.quad]
    xs, ys = [p[0] / scale for p in quad], [p[1] / scale for p in quad]
    top, bottom = min(ys), max(ys)
    pad = _BOX_PADDING * (bottom - top)
    glyphs = []
    for word in box.words:
        wx = [_upright(point, angle, centre)[0] / scale for point in word.quad]
        glyphs.append(_Glyph(word.text, min(wx), max(wx)))
    if not glyphs:  # no glyph boxes: spread the text evenly over the box
        left, right = min(xs) + pad, max(xs) - pad
        step = (right - left) / max(1, len(box.text))
        glyphs = [_Glyph(ch, left + k * step, left + (k + 1) * step) for k, ch in enumerate(box.text)]
    glyphs = _without_dust(sorted(glyphs, key=lambda glyph: glyph.x0))
    size = bottom - top - 2 * pad
    return _Piece(x0=min(xs) + pad, x1=max(xs) - pad, top=top + pad, bottom=bottom - pad, size=size,
                  score=box.score, glyphs=glyphs)


def _without_dust(glyphs: list[_Glyph]) -> list[_Glyph]:
    """Drop dots that are not a decimal point: specks of dust the recognizer read as `.` or `·`."""
    kept = []
    for index, glyph in enumerate(glyphs):
        before = glyphs[index - 1].text[-1:] if index else ""
        after = glyphs[index + 1].text[:1] if index + 1 < len(glyphs) else ""
        text = glyph.text.strip()
        if text and all(ch in _DUST for ch in text) and not (before.isdigit() and after.isdigit()):
            continue
        cleaned = _DUST_OUTSIDE_NUMBERS.sub("", glyph.text) if len(glyph.text) > 1 else glyph.text
        if cleaned:  # a Latin word with a speck inside (`3.`): the speck goes
            kept.append(_Glyph(cleaned, glyph.x0, glyph.x1))
    return kept


def _is_cjk(text: str) -> bool:
    return len(text) == 1 and ("\u4e00" <= text <= "\u9fff" or "\u3000" <= text <= "\u303f"
                               or "\uff00" <= text <= "\uffef")


def _em_cell(glyph: _Glyph, neighbour: _Glyph) -> bool:
    """Whether a glyph fills one em cell of the CJK grid: a CJK character or full-width mark, or a
    bracket the recognizer wrote as ASCII beside one (it prints full-width in Chinese text)."""
    return _is_cjk(glyph.text) or (glyph.text in _ASCII_BRACKETS and _is_cjk(neighbour.text))


@dataclass
class _Grid:
    pitch: float  # the advance from one CJK cell to the next
    start: float | None  # where the line's first cell starts; None when it does not open with CJK
    cells: dict[int, float]  # glyph index → where its cell starts, for the glyphs in CJK runs


def _em_grid(glyphs: list[_Glyph], size: float) -> _Grid:
    """The line's CJK grid, fitted to all its CJK glyphs.

    Set solid, every CJK character advances one em (a justified line a little more). The box height
    (`size`) is the detector's guess, off by up to 10 %; one glyph's start is the recognizer's
    column, off by up to a third of an em, and single steps come out bimodal (the columns are
    quantized). A straight line through all the cells of each run of CJK glyphs (cells counted
    by rounding each step) is steady: its slope is the pitch, each run's intercept where the run
    starts, and every glyph of the run sits in its cell from there."""
    steps = [b.x0 - a.x0 for a, b in itertools.pairwise(glyphs)
             if _is_cjk(a.text) and _is_cjk(b.text) and 0.5 * size < b.x0 - a.x0 < 1.5 * size]
    if len(steps) < 3:
        return _Grid(size, None, {})
    rough = statistics.fmean(steps)  # not the median: single steps are bimodal
    runs: list[list[tuple[int, int, float]]] = []  # (glyph index, cell, start), per run of CJK cells
    previous: _Glyph | None = None
    for index, glyph in enumerate(glyphs):
        neighbour = glyphs[index + 1] if index + 1 < len(glyphs) else previous or glyph
        if not _em_cell(glyph, neighbour):
            previous = None
            continue
        start = glyph.x0 - (0.5 * rough if glyph.text in _OPENING else 0.0)
        if previous is None:
            runs.append([(index, 0, start)])
        else:
            _, cell, before = runs[-1][-1]
            runs[-1].append((index, cell + max(1, round((start - before) / rough)), start))
        previous = glyph
    spread = covariance = 0.0
    for run in runs:
        mean_cell = statistics.fmean(cell for _, cell, _ in run)
        mean_start = statistics.fmean(start for _, _, start in run)
        spread += sum((cell - mean_cell) ** 2 for _, cell, _ in run)
        covariance += sum((cell - mean_cell) * (start - mean_start) for _, cell, start in run)
    pitch = covariance / spread if spread else rough
    if not 0.6 * size < pitch < 1.6 * size:  # a degenerate fit: keep the rough figure
        pitch = rough
    cells: dict[int, float] = {}
    starts: list[float] = []
    for run in runs:
        origin = statistics.median(start - cell * pitch for _, cell, start in run)
        starts.append(origin)
        cells.update((index, origin + cell * pitch) for index, cell, _ in run)
    opens_with_cells = bool(runs) and runs[0][0][0] == 0 and len(runs[0]) >= 2
    return _Grid(pitch, starts[0] if opens_with_cells else None, cells)


def _gap_text(previous: _Glyph, glyph: _Glyph, previous_x1: float, pitch: float, size: float) -> str:
    """The whitespace between two glyphs of a line, by the text layer's measure (one space per half em).

    Between two CJK cells the gap is counted in whole ems from one glyph's start to the next:
    the grid a CJK page is set on (an attendance grid's separator, a padded name `王　翔`, are one em
    or more), which the recognizer's jitter (~0.2 em) cannot blur. Elsewhere (digits, Latin words)
    it is measured edge to edge, as the text layer does, past the jitter."""
    if previous.text in _CLOSING:  # the mark's cell is half empty by design: never a gap
        return ""
    if _em_cell(previous, glyph) and _em_cell(glyph, previous):
        start = glyph.x0 - (0.5 * pitch if glyph.text in _OPENING else 0.0)
        ems = round((start - previous.x0) / pitch) - 1
        return " " * (2 * ems) if ems >= 1 else ""
    gap = glyph.x0 - previous_x1
    return spaces_for_gap(gap, size) if gap > _OCR_SPACE_GAP * size else ""


def _line(pieces: list[_Piece], page: int) -> TextLine:
    pieces.sort(key=lambda piece: piece.x0)
    size = statistics.median(piece.size for piece in pieces)
    glyphs: list[_Glyph] = []
    ends: list[float] = []  # where each glyph's ink ends, for gaps measured edge to edge
    for piece in pieces:
        for index, glyph in enumerate(piece.glyphs):
            last = index == len(piece.glyphs) - 1
            # The recognizer's glyph boxes may run on into a gap; a CJK character is one em wide.
            ends.append(piece.x1 if last else glyph.x0 + size if _is_cjk(glyph.text) else glyph.x1)
            glyphs.append(glyph)
    grid = _em_grid(glyphs, size)
    pitch, grid_start = grid.pitch, grid.start
    parts: list[str] = []
    for index, glyph in enumerate(glyphs):
        if index:
            parts.append(_gap_text(glyphs[index - 1], glyph, ends[index - 1], pitch, size))
        parts.append(glyph.text)
    # Glyph boxes as the text layer gives them (an attendance grid is read from them): a CJK
    # character fills its cell of the fitted grid; anything else keeps the recognizer's extent.
    boxes = tuple((glyph.text, grid.cells[index], grid.cells[index] + pitch) if index in grid.cells
                  else (glyph.text, glyph.x0, max(glyph.x0, ends[index]))
                  for index, glyph in enumerate(glyphs))
    measured = grid_start is not None or pitch != size
    chars = [len(piece.glyphs) or 1 for piece in pieces]
    confidence = sum(piece.score * n for piece, n in zip(pieces, chars, strict=True)) / sum(chars)
    top = min(piece.top for piece in pieces)
    bottom = max(piece.bottom for piece in pieces)
    return TextLine(page=page, x0=pieces[0].x0 if grid_start is None else grid_start,
                    x1=max(piece.x1 for piece in pieces), top=top, bottom=bottom, text="".join(parts),
                    size=pitch if measured else size, fontname="OCR", baseline=bottom - 0.12 * size,
                    confidence=confidence, glyphs=boxes)


def mean_confidence(lines: list[TextLine]) -> float | None:
    """The character-weighted mean confidence of OCR lines; None when no line came from OCR."""
    weighted = [(line.confidence, len(line.text.strip())) for line in lines if line.confidence is not None]
    total = sum(n for _, n in weighted)
    if not total:
        return None
    return sum(c * n for c, n in weighted) / total
