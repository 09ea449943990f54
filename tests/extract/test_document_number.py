"""The minutes number: one reading for the detail page, the PDF masthead and the grammar."""

from __future__ import annotations

import pytest

from demo.corpus import synthetic_docs
from demo.render import render_pdf
from extract.document_number import find_minutes_no, is_minutes_no, minutes_no_year
from tests.helpers import read_paragraphs


@pytest.mark.parametrize(
    "printed",
    ["〔2024〕7号", "[2024]7号", "［2024］7号", "(2024)7号", "（2024）7号", "【2024】第7号", "〔2024〕07号",
     "〔 2024 〕 7 号"],
)
def test_every_look_alike_reads_as_the_canonical_number(printed: str) -> None:
    assert find_minutes_no(f"常务会议纪要{printed}（此件公开发布）") == "〔2024〕7号"
    assert is_minutes_no(f" {printed} ")
    assert minutes_no_year(printed) == 2024


def test_what_is_not_a_minutes_number() -> None:
    assert find_minutes_no("会议研究了（2）号议题") is None  # no year
    assert find_minutes_no("（1500）3号") is None  # not a year of these minutes
    assert minutes_no_year("第57次常务会议") is None
    assert not is_minutes_no("〔2024〕7号 苏州市人民政府")  # a line that says more than the number


def test_a_pdf_masthead_gives_the_canonical_number_as_a_hint() -> None:
    doc = next(d for d in synthetic_docs(24) if d.minutes_no and d.family == "word_embedded")
    read = read_paragraphs(render_pdf(doc, "word_embedded"), ".pdf")
    assert read.hints.minutes_no == doc.minutes_no
    assert all(doc.minutes_no not in p.text for p in read.paragraphs)  # the masthead is not body text
