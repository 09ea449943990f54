"""read_paragraphs: one entry point for .pdf, .txt and .html, deciding by content where names lie."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from reportlab.pdfgen import canvas

from extract.errors import Quarantine
from tests.helpers import read_paragraphs
from transform.paragraphs import paragraphs_from_blocks

DETAIL_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>市政府第57次常务会议纪要</title></head>
<body><h1>市政府第57次常务会议纪要</h1><div class="info">发布日期：2024-03-08</div>
<div id="zoom">
<p>　　2024 年 3 月 5 日上午，张明市长主持召开市政府第 57 次常务会议，审议(修订稿)。</p>
<p>会议议定以下意见：</p>
<p>出席：张明　李华　王　强</p>
<p>列席：市司法局赵刚　市财政局钱伟</p>
<p>某某市人民政府办公室      2024年3月8日印发</p>
</div></body></html>"""


def test_html_detail_page_gives_article_paragraphs_and_hints() -> None:
    read = read_paragraphs(DETAIL_PAGE.encode("utf-8"), ".shtml")
    assert [p.text for p in read.paragraphs] == [
        "2024年3月5日上午，张明市长主持召开市政府第57次常务会议，审议（修订稿）。",
        "会议议定以下意见：",
        "出席：张明 李华 王强",
        "列席：市司法局赵刚 市财政局钱伟",
        "某某市人民政府办公室 2024年3月8日印发",
    ]
    assert read.page_count is None
    assert read.hints.title == "市政府第57次常务会议纪要"
    assert read.hints.published_at is not None
    assert read.hints.published_at.date() == dt.date(2024, 3, 8)


def test_blocks_are_one_paragraph_each_and_empty_ones_vanish() -> None:
    paragraphs = paragraphs_from_blocks(["  第 107\n次常务会议 ", "", "出席：王　翔  江  海", "\u3000"])
    assert [(p.seq, p.text, p.page_start, p.bbox) for p in paragraphs] == [
        (1, "第107次常务会议", None, None),
        (2, "出席：王翔 江海", None, None),
    ]


def test_pdf_named_file_holding_html_is_not_pdf() -> None:
    with pytest.raises(Quarantine) as caught:
        read_paragraphs(DETAIL_PAGE.encode("utf-8"), ".pdf")
    assert caught.value.code == "not_pdf"


def test_unknown_suffix_is_unsupported() -> None:
    with pytest.raises(Quarantine) as caught:
        read_paragraphs(b"PK\x03\x04", ".docx")
    assert caught.value.code == "unsupported_type"


def test_empty_text_file_is_empty() -> None:
    with pytest.raises(Quarantine) as caught:
        read_paragraphs(b"  \n", ".txt")
    assert caught.value.code == "empty_file"


def test_gb18030_text_is_decoded() -> None:
    read = read_paragraphs("会议议定以下意见：\n记录：栗涛\n".encode("gb18030"), ".TXT")
    assert [p.text for p in read.paragraphs] == ["会议议定以下意见：", "记录：栗涛"]


def test_pdf_bytes_under_another_name_are_read_as_pdf() -> None:
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.setFont("Times-Roman", 16)
    pdf.drawString(100, 700, "Minutes 2024")
    pdf.showPage()
    pdf.save()
    read = read_paragraphs(out.getvalue(), ".html")
    assert read.page_count == 1
    assert [p.text for p in read.paragraphs] == ["Minutes 2024"]
