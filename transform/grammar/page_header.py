"""A web page's header copied along with the minutes (`来源：某某区人民政府网站 日期：2023-05-06 10:20:30`,
`索引号：… 发布机构：… 生成日期：…`): not the minutes' text, but it dates the publication."""

from __future__ import annotations

import datetime as dt
import re

from extract.publication_date import PUBLISHED, find_published_at
from transform.vocabulary import PAGE_HEADER_LABELS

_OTHER_LABEL = re.compile(rf"(?:^|\s)(?:{'|'.join(PAGE_HEADER_LABELS)})[：:]")


def is_page_header(text: str) -> bool:
    return PUBLISHED.search(text) is not None or _OTHER_LABEL.search(text) is not None


def publication_date(text: str) -> dt.date | None:
    """The date a page-header line gives for the publication, or None."""
    found = find_published_at(text)
    return found.date() if found else None
