"""PDF lines → paragraphs: geometry, page provenance and page furniture, on reportlab-made minutes."""

from __future__ import annotations

import io
import re

import pytest
from reportlab.pdfgen import canvas

from extract.pdf import read_pdf
from extract.textlayer import TextLayer
from tests.extract.minutes_pdf_fixture import register_fonts, render_minutes
from tests.helpers import SEEDS_DIR
from transform.paragraphs import paragraphs_from_lines

SEED = SEEDS_DIR / "000_6c86f736b66dfdcd.normalized.txt"
RUNNING_HEAD = "苏州市人民政府常务会议纪要"
STYLES = {
    "song_dash": {"font": "song", "page_numbers": "dash"},
    "cid_fullwidth": {"font": "cid", "page_numbers": "fullwidth"},
    "kai_hyphen_running_head": {"font": "kai", "page_numbers": "hyphen", "running_head": RUNNING_HEAD},
}


@pytest.fixture(scope="module", params=sorted(STYLES))
def style(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def rendered(style: str) -> tuple[list[str], TextLayer]:
    paragraphs = SEED.read_text(encoding="utf-8").splitlines()
    return paragraphs, read_pdf(render_minutes(paragraphs, **STYLES[style]))


def test_lines_carry_geometry_fonts_and_gaps_as_spaces(rendered: tuple[list[str], TextLayer]) -> None:
    _, pdf = rendered
    first = pdf.lines[0]
    assert (first.page, first.size) == (1, 16.0)
    assert first.x0 == pytest.approx(pdf.left_margin + 32, abs=1.5)  # two-character indent
    assert first.text.startswith("2020年8月10日上午")
    assert pdf.right_margin == pytest.approx(522, abs=2)
    attendance = next(line for line in pdf.lines if line.text.startswith("出席："))
    # U+3000 padding inside a name is narrower than the separator between entries.
    assert "王  翔" in attendance.text
    assert "李亚平    王" in attendance.text
    tops = [line.top for line in pdf.lines if line.page == 1]
    assert tops == sorted(tops)  # reading order


def test_paragraphs_read_as_the_document(rendered: tuple[list[str], TextLayer]) -> None:
    paragraphs, pdf = rendered
    assert [p.text for p in paragraphs_from_lines(pdf)] == paragraphs


def test_page_numbers_and_running_heads_are_furniture_never_body(
    style: str, rendered: tuple[list[str], TextLayer]
) -> None:
    _, pdf = rendered
    numbers = [f for f in pdf.furniture if f.kind == "page_number"]
    assert [f.page for f in numbers] == list(range(1, pdf.page_count + 1))
    assert all(re.fullmatch(r"[—－-]\s*\d+\s*[—－-]", f.text) for f in numbers)
    body = "\n".join(p.text for p in paragraphs_from_lines(pdf))
    assert not re.search(r"[—－-]\s*\d\s*[—－-]", body)
    heads = [f for f in pdf.furniture if f.kind == "running_head"]
    if "running_head" in STYLES[style]:  # the fixture prints it at the top of every page
        assert [f.page for f in heads] == list(range(1, pdf.page_count + 1))
        assert {f.text for f in heads} == {RUNNING_HEAD}
        assert RUNNING_HEAD not in body
    else:
        assert heads == []


def test_paragraph_broken_by_a_page_break_spans_both_pages(rendered: tuple[list[str], TextLayer]) -> None:
    _, pdf = rendered
    paragraphs = paragraphs_from_lines(pdf)
    spanning = [p for p in paragraphs if p.page_start != p.page_end]
    assert spanning, "the seed runs over six pages: some paragraph must cross a page break"
    for paragraph in spanning:
        assert paragraph.page_start is not None and paragraph.page_end is not None
        assert paragraph.page_start < paragraph.page_end
    assert [p.seq for p in paragraphs] == list(range(1, len(paragraphs) + 1))
    assert all(p.bbox is not None and p.bbox[0] < p.bbox[2] and p.bbox[1] < p.bbox[3] for p in paragraphs)


def test_attendance_entry_broken_by_a_page_break_is_rejoined() -> None:
    paragraphs = SEED.read_text(encoding="utf-8").splitlines()
    pdf = read_pdf(render_minutes(paragraphs))
    # Where this layout breaks the page inside the 列席 block: `市国资委盛红` / page break / `明`.
    last_on_page = max((line for line in pdf.lines if line.page == 5), key=lambda line: line.top)
    assert last_on_page.text.endswith("市国资委盛红")
    attendance = next(p for p in paragraphs_from_lines(pdf) if p.text.startswith("列席："))
    assert (attendance.page_start, attendance.page_end) == (5, 6)
    assert " 市国资委盛红明 " in attendance.text


def test_masthead_is_kept_out_of_the_body() -> None:
    """A big title at the top of page 1 and the number under it are the masthead (版头)."""
    song = register_fonts()["song"]
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(595.28, 841.89))
    pdf.setFont(song, 26)
    pdf.drawCentredString(297.6, 760, RUNNING_HEAD)
    pdf.setFont(song, 16)
    pdf.drawCentredString(297.6, 716, "〔2024〕7号")
    for row, text in enumerate(["会议议定以下意见：", "一、审议《某某办法》", "（一）原则同意。"]):
        pdf.drawString(79.4 + 32, 660 - row * 28.9, text)
    pdf.drawString(79.4, 660 - 3 * 28.9, "记录：孙丽")
    pdf.showPage()
    pdf.save()
    text = read_pdf(out.getvalue())
    assert [f.text for f in text.furniture if f.kind == "masthead"] == [RUNNING_HEAD, "〔2024〕7号"]
    assert [p.text for p in paragraphs_from_lines(text)] == [
        "会议议定以下意见：", "一、审议《某某办法》", "（一）原则同意。", "记录：孙丽"
    ]


def test_flush_left_document_splits_paragraphs_at_short_lines() -> None:
    """No indents, no markers: only a line ending short of the margin ends a paragraph."""
    paragraphs = [
        "苏州传统工艺美术历史悠久、门类丰富。进一步完善传统工艺美术人才培养与选拔机制，有利于促进振兴发展。",
        "各相关部门要加强沟通协作，加快技艺人才选拔与培养。",
        "市工业企业资源集约利用工作领导小组办公室要加强统筹协调和指导督促，抓紧部署实施前的各项准备工作。",
    ]
    pdf = read_pdf(render_minutes(paragraphs, first_line_indent=0))
    assert all(line.x0 == pytest.approx(pdf.left_margin, abs=1) for line in pdf.lines)
    assert [p.text for p in paragraphs_from_lines(pdf)] == paragraphs
