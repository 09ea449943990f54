"""Rendered PDFs: deterministic, GB/T 9704 grid, the families' fonts and page furniture."""

from __future__ import annotations

import io
import re
import statistics
from dataclasses import dataclass

import pdfplumber
import pytest

from demo.corpus import FAMILIES, seed_docs, synthetic_docs
from demo.layout import LEFT, LINE_PITCH, PAGE_H, PITCH, TEXT_H, TEXT_W, TOP
from demo.render import render_pdf, render_scan_pdf

DOCS = synthetic_docs(24)
# A long numbered document (items past 十), and a seed with a delegation and a glyph (飏) the TTFs lack.
NUMBERED = DOCS[6]
LONG = DOCS[3]
SEED = seed_docs()[1]
SUBSET = re.compile(r"^[A-Z]{6}\+")
PAGE_NUMBER = {"word_embedded": "—{n}—", "wps_cid": "－{n}－", "kai_running_head": "-{n}-"}


@dataclass
class Extracted:
    """What pdfplumber reads from one rendered PDF (read once per module: extraction is the slow part)."""

    data: bytes
    pages: list[dict]   # per page: chars, width, text, body (text inside the text block), lines


def _extract(data: bytes, masthead: bool) -> Extracted:
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            top = TOP + (4 * LINE_PITCH - 2 if masthead and number == 1 else 0)
            body = page.crop((0, top, page.width, TOP + TEXT_H))
            pages.append({"chars": page.chars, "width": page.width, "text": page.extract_text(),
                          "body": body.extract_text(), "lines": body.extract_text_lines(return_chars=True)})
    return Extracted(data, pages)


# (family, the rendered documents by slug)
Rendered = tuple[str, dict[str, Extracted]]


@pytest.fixture(scope="module", params=FAMILIES)
def rendered(request: pytest.FixtureRequest) -> Rendered:
    family = request.param
    docs = (NUMBERED, LONG, SEED)
    masthead = {doc.slug: family == "word_embedded" and bool(doc.minutes_no) for doc in docs}
    return family, {doc.slug: _extract(render_pdf(doc, family), masthead[doc.slug]) for doc in docs}


def _open(data: bytes) -> pdfplumber.PDF:
    return pdfplumber.open(io.BytesIO(data))


def test_same_document_same_bytes(rendered: Rendered) -> None:
    family, pdfs = rendered
    assert render_pdf(NUMBERED, family) == pdfs[NUMBERED.slug].data
    assert pdfs[NUMBERED.slug].data.startswith(b"%PDF-")


def test_text_layer_holds_the_paragraphs_in_order(rendered: Rendered) -> None:
    _, pdfs = rendered
    for doc in (NUMBERED, LONG, SEED):
        body = re.sub(r"[\s\u3000]", "", "".join(page["body"] for page in pdfs[doc.slug].pages))
        assert body == "".join(doc.paragraphs).replace(" ", "")


def test_fonts_embedded_subset_or_cid_and_digits_in_times(rendered: Rendered) -> None:
    family, pdfs = rendered
    chars = [c for page in pdfs[SEED.slug].pages for c in page["chars"]]
    cjk_fonts = {c["fontname"] for c in chars if not c["text"].isascii() and c["text"] != "飏"}
    if family == "wps_cid":
        assert cjk_fonts == {"STSongStd-Light"}
    else:
        assert cjk_fonts and all(SUBSET.match(name) for name in cjk_fonts)
    assert {c["fontname"] for c in chars if c["text"].isdigit() and c["text"].isascii()} == {"Times-Roman"}
    # 飏 is not in AR PL SungtiL/KaitiM: it falls back to STSong-Light, as Word substitutes fonts.
    assert {c["fontname"] for c in chars if c["text"] == "飏"} == {"STSongStd-Light"}


def test_naive_extraction_shows_latin_spacing(rendered: Rendered) -> None:
    _, pdfs = rendered
    first = pdfs[SEED.slug].pages[0]["text"].splitlines()[0]
    assert first.startswith("2020 年 9 月 14 日上午")


def test_page_numbers_at_the_foot_in_the_family_style(rendered: Rendered) -> None:
    family, pdfs = rendered
    pages = pdfs[LONG.slug].pages
    assert len(pages) >= 8
    for number, page in enumerate(pages, start=1):
        foot = [c for c in page["chars"] if c["top"] > TOP + TEXT_H]
        assert "".join(c["text"] for c in foot).replace(" ", "") == PAGE_NUMBER[family].format(n=number)
        assert {c["fontname"] for c in foot if c["text"].isdigit()} == {"Times-Roman"}
        left, right = min(c["x0"] for c in foot), max(c["x1"] for c in foot)
        if family == "kai_running_head":  # GB/T 9704: odd pages right, even pages left
            assert (right > LEFT + TEXT_W - 2 * PITCH) if number % 2 else (left < LEFT + 2 * PITCH)
        else:
            assert abs((left + right) / 2 - page["width"] / 2) < 2


def test_running_head_and_masthead(rendered: Rendered) -> None:
    family, pdfs = rendered
    pages = pdfs[NUMBERED.slug].pages
    heads = ["".join(c["text"] for c in page["chars"] if c["bottom"] < TOP) for page in pages]
    first_page_top = "".join(c["text"] for c in pages[0]["chars"] if c["top"] < TOP + 3 * LINE_PITCH)
    red = {c["text"] for c in pages[0]["chars"] if c["non_stroking_color"] not in (None, (0,), (0, 0, 0), 0)}
    if family == "kai_running_head":
        assert heads[0] == "" and all(head == NUMBERED.title for head in heads[1:])
    else:
        assert set(heads) == {""}
    if family == "word_embedded":
        assert first_page_top.replace(" ", "") == "苏州市人民政府常务会议纪要" + NUMBERED.minutes_no
        assert set("苏州市人民政府常务会议纪要") <= red
    else:
        assert first_page_top.startswith(f"{NUMBERED.meeting_date.year}")


def test_about_28_characters_per_full_line(rendered: Rendered) -> None:
    _, pdfs = rendered
    counts, cjk_only = [], []
    for page in pdfs[LONG.slug].pages:
        for line in page["lines"]:
            chars = [c for c in line["chars"] if c["text"].strip()]
            text = "".join(c["text"] for c in chars)
            full = line["x0"] < LEFT + 1 and line["x1"] > LEFT + TEXT_W - 1.5 * PITCH
            if not full or "\u3000" in text or text[:3] in ("出席：", "列席：", "请假："):
                continue
            counts.append(len(chars))
            if not any(c["text"].isascii() for c in chars):
                cjk_only.append(len(chars))
    assert len(cjk_only) > 50
    assert set(cjk_only) <= {27, 28}
    assert all(26 <= n <= 32 for n in counts) and statistics.median(counts) == 28


def test_no_closing_punctuation_starts_a_line(rendered: Rendered) -> None:
    _, pdfs = rendered
    lines = [line for page in pdfs[LONG.slug].pages for line in page["text"].splitlines()]
    assert not [line for line in lines if line[:1] in "，。、；：）》”"]


def test_attendance_grid_pads_two_character_names() -> None:
    with _open(render_pdf(SEED, "wps_cid")) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "王\u3000翔" in text or "王 翔" in text
    chars = "".join(c["text"] for page in pdf.pages for c in page.chars)
    assert "王\u3000翔" in chars


def test_scan_has_pages_but_no_text_layer() -> None:
    data = render_scan_pdf(DOCS[0])
    assert data == render_scan_pdf(DOCS[0])
    with _open(data) as pdf:
        assert len(pdf.pages) >= 3
        assert all(not page.chars and page.images for page in pdf.pages)
        assert pdf.pages[0].width == pytest.approx(595.3, abs=0.1)
        assert pdf.pages[0].height == pytest.approx(PAGE_H)


def test_unknown_family_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown family"):
        render_pdf(DOCS[0], "typewriter")
