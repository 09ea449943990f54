"""The key test: both seeds read exactly as their `*.normalized.txt`, from the naive-extraction
text and from the PDF of every layout family the demo renderer makes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from demo.corpus import FAMILIES, DemoDoc, seed_docs
from demo.render import render_pdf, render_scan_pdf
from extract.errors import Quarantine
from tests.helpers import SEEDS_DIR, paragraphs_of_text, read_paragraphs

SEED_TEXTS = sorted(SEEDS_DIR.glob("*.normalized.txt"))


def _expected(seed: Path) -> str:
    return seed.read_text(encoding="utf-8")


def test_both_seeds_are_present() -> None:
    assert len(SEED_TEXTS) == 2


@pytest.mark.parametrize("seed", SEED_TEXTS, ids=lambda path: path.name.split(".")[0])
def test_naive_extraction_text_reads_as_the_normalized_text(seed: Path) -> None:
    raw = seed.with_name(seed.name.replace(".normalized.txt", ".txt")).read_text(encoding="utf-8")
    paragraphs = paragraphs_of_text(raw)
    assert "\n".join(p.text for p in paragraphs) + "\n" == _expected(seed)
    assert [p.seq for p in paragraphs] == list(range(1, len(paragraphs) + 1))


RUNNING_HEAD = "苏州市人民政府常务会议纪要"
# The three ways docs/INTERFACE.md §4 rule 1 names page numbers, taken in turn.
PAGE_NUMBER_STYLES = ("— {} —", "－{}－", "- {} -")


def _with_page_furniture(naive: str) -> tuple[str, int]:
    """The naive extraction as a viewer saves it with footers and headers: at every page break
    the page's number, then the next page's running head; the last page's number at the end.
    A page starts where a line starts with a space (the seeds' shape), the first page aside."""
    lines: list[str] = []
    page = 1
    for i, line in enumerate(naive.split("\n")):
        if i > 0 and line.startswith(" ") and line.strip():
            lines += [PAGE_NUMBER_STYLES[(page - 1) % 3].format(page), "", RUNNING_HEAD, ""]
            page += 1
        lines.append(line)
    lines += [PAGE_NUMBER_STYLES[(page - 1) % 3].format(page), ""]
    return "\n".join(lines), page


@pytest.mark.parametrize("seed", SEED_TEXTS, ids=lambda path: path.name.split(".")[0])
def test_page_numbers_and_running_heads_in_saved_text_are_not_text(seed: Path) -> None:
    naive = seed.with_name(seed.name.replace(".normalized.txt", ".txt")).read_text(encoding="utf-8")
    saved, pages = _with_page_furniture(naive)
    assert pages >= 5 and saved.count(RUNNING_HEAD) == pages - 1  # the seeds run over 5-6 pages
    paragraphs = paragraphs_of_text(saved)
    assert "\n".join(p.text for p in paragraphs) + "\n" == _expected(seed)


@pytest.mark.parametrize("seed", SEED_TEXTS, ids=lambda path: path.name.split(".")[0])
def test_page_numbers_between_paragraph_lines_are_not_text(seed: Path) -> None:
    """One paragraph per line (the normalized shape) with page numbers and heads between lines."""
    lines = _expected(seed).splitlines()
    saved = []
    for i, line in enumerate(lines, 1):
        saved.append(line)
        if i % 7 == 0:
            saved += [PAGE_NUMBER_STYLES[i % 3].format(i // 7), RUNNING_HEAD]
    read = read_paragraphs("\n".join(saved).encode(), ".txt")
    assert "\n".join(p.text for p in read.paragraphs) + "\n" == _expected(seed)


@pytest.mark.parametrize("seed", SEED_TEXTS, ids=lambda path: path.name.split(".")[0])
def test_normalized_text_reads_back_unchanged(seed: Path) -> None:
    """`minutes parse x.normalized.txt` (one paragraph per line) is a fixed point."""
    read = read_paragraphs(seed.read_bytes(), ".txt")
    assert "\n".join(p.text for p in read.paragraphs) + "\n" == _expected(seed)
    assert read.page_count is None


@pytest.fixture(scope="module")
def seeds() -> dict[str, DemoDoc]:
    return {doc.slug: doc for doc in seed_docs()}


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("slug", [path.name.split(".")[0] for path in SEED_TEXTS])
def test_rendered_pdf_of_every_family_reads_as_the_normalized_text(
    seeds: dict[str, DemoDoc], slug: str, family: str
) -> None:
    read = read_paragraphs(render_pdf(seeds[slug], family), ".pdf")
    body = "\n".join(p.text for p in read.paragraphs) + "\n"
    assert body == _expected(SEEDS_DIR / f"{slug}.normalized.txt")
    # Provenance: paragraphs crossing a page break say so, furniture stays out of the body.
    assert read.page_count is not None and read.page_count > 1
    assert any(p.page_start is not None and p.page_end is not None and p.page_start < p.page_end
               for p in read.paragraphs)
    assert all(p.page_start is not None and p.page_end is not None and p.page_start <= p.page_end
               for p in read.paragraphs)
    page_numbers = [f.text for f in read.furniture if re.fullmatch(r"[—－-]\s*\d+\s*[—－-]", f.text)]
    assert len(page_numbers) == read.page_count
    for item in read.furniture:
        assert item.text not in body


def test_attendance_entry_across_a_page_break_keeps_its_pages(seeds: dict[str, DemoDoc]) -> None:
    read = read_paragraphs(render_pdf(seeds["001_876cf44e94b17b16"], "word_embedded"), ".pdf")
    attendance = next(p for p in read.paragraphs if p.text.startswith("列席："))
    assert attendance.page_start is not None and attendance.page_end is not None
    assert attendance.page_start < attendance.page_end
    assert " 太仓市许超震 " in attendance.text


def test_scanned_seed_has_no_text_layer(seeds: dict[str, DemoDoc]) -> None:
    # OCR off: the scan is only images (tests/extract/test_ocr_scans.py reads scans with OCR on).
    with pytest.raises(Quarantine) as caught:
        read_paragraphs(render_scan_pdf(seeds["000_6c86f736b66dfdcd"]), ".pdf", ocr=False)
    assert caught.value.code == "no_text_layer" and "--no-ocr" in caught.value.message
