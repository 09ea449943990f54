"""The minutes number (发文字号) `〔2024〕7号`: how it is recognized and how it is written.

GB/T 9704 prints 〔〕; extraction and web pages often give look-alikes: `[2013]4号`,
`（2013）4号`, `【2013】第4号`. The detail page, the PDF masthead and the grammar all read the
number with this one pattern, so they agree on what a number is and store it the same way.
"""

from __future__ import annotations

import re

# The year is 19xx/20xx: a bracketed other number before 号 (（1500）…号) is not a minutes number.
MINUTES_NO = re.compile(r"[〔\[［(（【]\s*((?:19|20)\d\d)\s*[〕\]］)）】]\s*第?\s*(\d{1,4})\s*号")


def find_minutes_no(text: str) -> str | None:
    """The first minutes number in the text, written canonically: `〔2024〕7号`."""
    found = MINUTES_NO.search(text)
    return f"〔{found[1]}〕{int(found[2])}号" if found else None


def is_minutes_no(text: str) -> bool:
    """Whether the text is a minutes number and nothing else (a masthead's number line)."""
    return MINUTES_NO.fullmatch(text.strip()) is not None


def minutes_no_year(text: str) -> int | None:
    """The year a minutes number carries: `〔2024〕7号` → 2024."""
    found = MINUTES_NO.search(text)
    return int(found[1]) if found else None
