"""The one publication-date rule, shared by the detail-page reader and the grammar's page header."""

from __future__ import annotations

from datetime import datetime

import pytest

from extract.detail_page import parse_detail_page
from extract.publication_date import find_published_at
from transform.grammar.page_header import is_page_header, publication_date


@pytest.mark.parametrize(("text", "expected"), [
    ("发布时间：2024-03-05 10:20:30", datetime(2024, 3, 5, 10, 20, 30)),
    ("来源：某区政府网站 日期：2023/5/6", datetime(2023, 5, 6)),
    ("生成日期：2024年3月5日", datetime(2024, 3, 5)),
    ("成文日期 ： 2022年12月30日", datetime(2022, 12, 30)),
    ("发文日期：2021.7.1", datetime(2021, 7, 1)),
    ("时间：2024-03-05 09:00", datetime(2024, 3, 5, 9, 0)),
])
def test_a_labelled_date_is_the_publication(text: str, expected: datetime) -> None:
    assert find_published_at(text) == expected
    assert publication_date(text) == expected.date() and is_page_header(text)


@pytest.mark.parametrize("text", [
    "时间：2024年3月5日上午9:00",  # a header block's meeting time, not the page's
    "发布时间：2024-13-45",  # not a date
    "会议于2024年3月5日召开",  # no label
])
def test_what_is_not_a_publication_date(text: str) -> None:
    assert find_published_at(text) is None and publication_date(text) is None


def test_the_detail_page_and_the_page_header_read_the_same_date() -> None:
    line = "成文日期：2022年12月30日 发布机构：某市人民政府办公室"
    page = parse_detail_page(f"<html><body><div class='article'><p>{line}</p><p>正文</p></div></body></html>",
                             "http://127.0.0.1/a.html")
    assert page.published_at == datetime(2022, 12, 30)
    assert publication_date(line) == page.published_at.date()
