"""Dates as the minutes print them (2020年9月1日), and the year an opening leaves out."""

from __future__ import annotations

import datetime as dt
import re

from transform.vocabulary import CN_DATE_PARTS

FULL_DATE = re.compile(CN_DATE_PARTS)


def parse_full_date(text: str) -> dt.date | None:
    """The first `YYYY年M月D日` in `text`, or None (also for impossible dates like 2月30日)."""
    found = FULL_DATE.search(text)
    if not found:
        return None
    return safe_date(int(found[1]), int(found[2]), int(found[3]))


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def year_from_publication(month: int, published: dt.date) -> int:
    """Why: minutes are published after the meeting, so a month later than the publication
    month (a December meeting published in January) belongs to the year before."""
    return published.year - 1 if month > published.month else published.year
