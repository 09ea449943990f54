"""A web page's header copied along with the minutes (`来源：某某区人民政府网站 日期：2023-05-06 10:20:30`,
`索引号：… 发布机构：… 生成日期：…`): not the minutes' text, but it dates the publication."""

from __future__ import annotations

import datetime as dt
import re

from transform.grammar.dates import safe_date
from transform.vocabulary import PAGE_HEADER_LABELS, PUBLICATION_DATE_LABELS

_NUMERIC_DATE = r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})"
_CN_DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
_TIME_OF_DAY = r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
_DATE_LABELS = "|".join(label for label in PUBLICATION_DATE_LABELS if label != "时间")
# The publication date after its label. A bare `时间：` is only read with a numeric date: in a
# header block (时间：2024年3月5日上午) it is the meeting's time, not the page's.
PUBLISHED = re.compile(
    rf"(?:(?:{_DATE_LABELS})[：:]\s*(?:{_NUMERIC_DATE}|{_CN_DATE}){_TIME_OF_DAY}"
    rf"|时间[：:]\s*{_NUMERIC_DATE}{_TIME_OF_DAY})")
_OTHER_LABEL = re.compile(rf"(?:^|\s)(?:{'|'.join(PAGE_HEADER_LABELS)})[：:]")


def is_page_header(text: str) -> bool:
    return PUBLISHED.search(text) is not None or _OTHER_LABEL.search(text) is not None


def publication_date(text: str) -> dt.date | None:
    """The date a page-header line gives for the publication, or None."""
    found = PUBLISHED.search(text)
    if found is None:
        return None
    parts = [int(g) for g in found.groups() if g is not None]
    return safe_date(*parts[:3])
