"""extract.ocr's pure part: engine boxes → text lines in PDF points, seals off a page image, the
confidence figure. The engine is faked here by the boxes it would return (tests/extract/
test_ocr_scans.py runs the real one)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from extract.errors import Quarantine
from extract.furniture import is_page_number
from extract.ocr import (
    MIN_MEAN_CONFIDENCE,
    OCR_DPI,
    OcrBox,
    OcrWord,
    drop_seals,
    lines_from_boxes,
    mean_confidence,
)
from extract.pdf import _check_ocr_confidence, positioned_layer
from extract.textlayer import TextLine
from transform.paragraphs import paragraphs_from_layer

SCALE = OCR_DPI / 72  # pixels per point
PAGE_W, PAGE_H = 595.0, 842.0
SIZE = 16.0  # points


def _rotate(point: tuple[float, float], degrees: float) -> tuple[float, float]:
    """Where a point of the upright page lands on a page scanned `degrees` counter-clockwise."""
    cx, cy = PAGE_W * SCALE / 2, PAGE_H * SCALE / 2
    angle = math.radians(degrees)
    x, y = point[0] - cx, point[1] - cy
    return cx + x * math.cos(angle) + y * math.sin(angle), cy - x * math.sin(angle) + y * math.cos(angle)


def _box(text: str, x: float, baseline_top: float, *, score: float = 0.99, skew: float = 0.0,
         em_gaps: dict[int, float] | None = None, jitter: float = 0.0, tall: float = 1.0) -> OcrBox:
    """A detected box of CJK `text` whose glyphs start at x points, on a line whose glyph top is at
    `baseline_top` points, set solid except for `em_gaps` (index → extra ems before that glyph);
    padded like the detector pads (13 % of the box height each side). Like the recognizer's, glyph
    columns may be off by ±`jitter` em (alternately, so single steps come out bimodal), and the
    detector's box `tall` times the true height."""
    height = SIZE * tall / (1 - 2 * 0.13)
    pad = 0.13 * height
    top, bottom = baseline_top - pad, baseline_top + SIZE * tall + pad
    words, cursor = [], x
    for index, ch in enumerate(text):
        cursor += (em_gaps or {}).get(index, 0.0) * SIZE
        start = cursor + (jitter if index % 2 else -jitter) * SIZE * (index > 0)
        quad = [(start, top), (start + SIZE, top), (start + SIZE, bottom), (start, bottom)]
        words.append(OcrWord(ch, score, [_rotate((px * SCALE, py * SCALE), skew) for px, py in quad]))
        cursor += SIZE
    outer = [(x - pad, top), (cursor + pad, top), (cursor + pad, bottom), (x - pad, bottom)]
    return OcrBox(text, score, [_rotate((px * SCALE, py * SCALE), skew) for px, py in outer], words)


def _lines(boxes: list[OcrBox]) -> list[TextLine]:
    return lines_from_boxes(boxes, 1, SCALE, PAGE_W * SCALE, PAGE_H * SCALE)


def test_a_skewed_page_comes_back_upright_in_points() -> None:
    boxes = [_box("会议议定以下意见如下所示", 111.0, 100.0 + 29 * k, skew=1.0) for k in range(20)]
    lines = _lines(boxes)
    assert len(lines) == 20
    # Turned back: every line starts at the same left edge and is level, in points, as printed.
    assert max(line.x0 for line in lines) - min(line.x0 for line in lines) < 1.0
    assert all(abs(line.x0 - 111.0) < 1.0 for line in lines)
    assert all(abs(line.top - (100.0 + 29 * k)) < 1.0 for k, line in enumerate(lines))
    assert all(abs(line.size - SIZE) < 0.5 for line in lines)
    assert [line.page for line in lines] == [1] * 20


def test_boxes_on_one_line_join_with_the_gaps_as_half_em_spaces() -> None:
    # An attendance grid: the detector splits the line at wide gaps; a padded name has an inner gap.
    grid = [_box("出席：郝荣成", 79.0, 200.0), _box("王翔", 79.0 + 7 * SIZE, 200.0, em_gaps={1: 1.0}),
            _box("孔建俊", 79.0 + 11 * SIZE, 200.0)]
    [line] = _lines(grid)
    assert line.text == "出席：郝荣成  王  翔  孔建俊"
    assert line.x0 == pytest.approx(79.0, abs=0.5) and line.x1 == pytest.approx(79.0 + 14 * SIZE, abs=0.5)


def test_gaps_are_counted_in_whole_ems_of_the_line_s_own_pitch() -> None:
    # Columns off by 0.15 em and a box 12 % too tall: a box-height em would read the
    # one-em separators as nothing, and single steps would mislead; the line's fitted grid does not.
    grid = _box("出席：郝荣成孔建俊王翔蒋成琳", 79.0, 200.0, em_gaps={6: 1.0, 9: 1.0, 10: 1.0, 11: 1.0},
                jitter=0.15, tall=1.12)
    [line] = _lines([grid])
    assert line.text == "出席：郝荣成  孔建俊  王  翔  蒋成琳"
    assert line.size == pytest.approx(SIZE, rel=0.03)  # the pitch, not the box height


def test_a_hanging_indent_is_found_where_the_jittered_glyphs_put_it() -> None:
    # `分送：` and its continuation line, which hangs three ems in, under the first recipient.
    first = _box("分送：各市、区人民政府，苏州工业园区、苏州高新区管委会；市", 93.4, 660.0, jitter=0.25)
    second = _box("各有关部门和单位。", 93.4 + 3 * SIZE, 689.0, jitter=0.25)
    lines = _lines([first, second])
    assert [round(line.x0 - 93.4, 0) for line in lines] == [0, 3 * SIZE]
    assert all(line.size == pytest.approx(SIZE, rel=0.03) for line in lines)


def test_ocr_reads_of_a_dressed_page_number_are_page_numbers() -> None:
    # A dash is one stroke, which the recognizer often reads as the ideograph 一.
    assert all(is_page_number(text) for text in ("一2一", "一 3-", "-4一", "— 5 —"))
    assert not any(is_page_number(text) for text in ("一二三", "一、听取", "一2", "2一"))


def test_scanner_dust_read_as_dots_is_dropped_but_decimal_points_stay() -> None:
    box = _box("总投资3.5亿元成效", 90.0, 300.0)
    speck = box.words[8].quad  # a speck between 元 and 成, read as a dot in no space of its own
    box.words.insert(8, OcrWord(".", 0.6, [(x - 3, y) for x, y in speck]))
    [line] = _lines([box])
    assert line.text == "总投资3.5亿元成效"


def test_a_line_keeps_the_character_weighted_confidence_of_its_boxes() -> None:
    [line] = _lines([_box("一二三四五六", 90.0, 300.0, score=0.9), _box("七八", 300.0, 300.0, score=0.6)])
    assert line.confidence == pytest.approx((6 * 0.9 + 2 * 0.6) / 8)
    text_layer = TextLine(1, 0, 1, 0, 1, "文字层", 16, "F")
    assert mean_confidence([line, text_layer]) == pytest.approx(line.confidence)
    assert mean_confidence([TextLine(1, 0, 1, 0, 1, "文字层", 16, "F")]) is None


def test_ocr_lines_get_the_same_page_furniture_rules_as_a_text_layer() -> None:
    body = [_box("会议议定以下意见如下所示内容", 79.0, 120.0 + 29 * k) for k in range(5)]
    page_number = OcrBox("-3-", 0.95, [(p[0] * SCALE, p[1] * SCALE) for p in
                                      [(280, 770), (310, 770), (310, 790), (280, 790)]], [])
    pdf = positioned_layer("ocr", _lines([*body, page_number]), 1, PAGE_W, PAGE_H)
    assert [(f.kind, f.text) for f in pdf.furniture] == [("page_number", "-3-")]
    assert len(pdf.lines) == 5 and pdf.left_margin == pytest.approx(79.0, abs=0.5)


def test_a_scan_read_too_poorly_is_quarantined_with_its_figure() -> None:
    poor = [TextLine(1, 0, 1, 0, 1, "模糊不清", 16, "OCR", confidence=0.61),
            TextLine(1, 0, 1, 0, 1, "难以辨认的", 16, "OCR", confidence=0.70)]
    with pytest.raises(Quarantine) as caught:
        _check_ocr_confidence(poor)
    assert caught.value.reason == f"ocr_low_confidence: mean confidence 0.66 below {MIN_MEAN_CONFIDENCE:.2f}"
    _check_ocr_confidence([TextLine(1, 0, 1, 0, 1, "清楚", 16, "OCR", confidence=0.97)])  # readable: no error


def test_drop_seals_takes_the_seal_off_and_leaves_text_under_it_and_red_text() -> None:
    page = np.full((600, 600, 3), 246, dtype=np.uint8)
    page[300:330, 100:500] = (28, 28, 30)  # a line of black ink
    page[40:90, 100:150] = (219, 0, 0)  # a red masthead character (small)
    seal = np.zeros((600, 600), dtype=bool)
    yy, xx = np.mgrid[:600, :600]
    radius = np.hypot(yy - 310, xx - 300)
    seal |= (radius > 110) & (radius < 118)  # the ring: 8 px wide, 236 px (85 pt at 200 dpi) across
    seal |= radius < 25  # the star
    page[seal] = (page[seal] * np.array([214, 38, 44]) / 255).astype(np.uint8)  # multiplied, like ink
    cleaned = drop_seals(page, SCALE)
    red = (cleaned[:, :, 0].astype(int) - cleaned[:, :, 1:].max(axis=2)) > 60
    assert not red[150:470, 150:450].any()  # the seal is gone
    assert (cleaned[300:330, 190:410] < 80).all()  # the ink under it is still ink
    assert (cleaned[40:90, 100:150] == (219, 0, 0)).all()  # red text stays, read as ink
    assert (cleaned[200:240, 260:340] > 200).all()  # paper inside the ring is paper


def test_an_ocr_name_grid_is_read_from_its_cells_like_a_text_layer_s() -> None:
    # `陆春云` fills the first line to the margin, `江　海` opens the next: the words cannot tell
    # whether the line break ends an entry (`陆春云江 海` is what they guess), the cells can. OCR
    # lines carry glyph boxes on the fitted grid, so the grid reader sees them.
    first = _box("出席：张三丰李四光陈晓明赵钱孙周吴郑陆春云", 79.0, 200.0, jitter=0.15,
                 em_gaps={6: 1.0, 9: 1.0, 12: 1.0, 15: 1.0, 18: 1.0})
    second = _box("江海顾建明刘德华", 127.0, 229.0, jitter=0.15, em_gaps={1: 1.0, 2: 1.0, 5: 1.0})
    lines = _lines([first, second])
    assert all(len(line.glyphs) == len(line.text.replace(" ", "")) for line in lines)
    assert [round(x0) for _, x0, _ in lines[0].glyphs[3:7]] == [127, 143, 159, 191]  # cells, not jitter
    layer = positioned_layer("ocr", lines, 1, PAGE_W, PAGE_H)
    [paragraph] = paragraphs_from_layer(layer)
    assert paragraph.text == "出席：张三丰 李四光 陈晓明 赵钱孙 周吴郑 陆春云 江海 顾建明 刘德华"
    assert paragraph.ocr and paragraph.ocr_confidence == pytest.approx(0.99)
