"""When a page says it was published: `发布时间：2024-03-05 10:20`, `生成日期：2024年3月5日`.

One rule for the two places a publication date is read: a detail page's text (extract/detail_page)
and a web page's header copied into a document's own text (transform/grammar/page_header), so both
know the same labels and date forms.
"""

from __future__ import annotations

import re
from datetime import datetime

# The labels a publication date follows. A bare `时间：` counts only before a numeric date: in a
# minutes' header block (时间：2024年3月5日上午) it is the meeting's time, not the page's.
PUBLICATION_DATE_LABELS = ("发布时间", "发布日期", "发文日期", "成文日期", "生成日期", "公开日期",
                           "日期", "时间")

_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_NUMERIC_DATE = r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?![\d年月日])"
_TIME_OF_DAY = r"(?:\s*(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*(\d{2}))?)?"
_LABELS = "|".join(label for label in PUBLICATION_DATE_LABELS if label != "时间")
PUBLISHED = re.compile(rf"(?:{_LABELS})\s*[:：]\s*{_DATE}{_TIME_OF_DAY}"
                       rf"|时间\s*[:：]\s*{_NUMERIC_DATE}{_TIME_OF_DAY}")


def find_published_at(text: str) -> datetime | None:
    """The first publication date (and time, when given) the text states after its label, or None
    (also for an impossible date such as 2024-13-45)."""
    found = PUBLISHED.search(text)
    if found is None:
        return None
    numbers = [int(part) for part in found.groups() if part is not None]
    try:
        return datetime(*numbers[:6]) if len(numbers) >= 3 else None
    except ValueError:
        return None
