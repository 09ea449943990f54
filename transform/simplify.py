"""Traditional characters to simplified, and pinyin glosses out: minutes copied through mirror
sites come as `區政府常務會議紀要`, sometimes glossed `區(qū)`. The grammar reads simplified text;
the original bytes stay untouched in the raw store (this works on extracted text only).
"""

from __future__ import annotations

import re
from functools import cache

import opencc

# A document is converted when at least this share of its Han characters is traditional-only.
# Why a threshold at all: t2s also maps a few characters that simplified text uses in names and
# set phrases (乾, 於); a simplified document with one of those must come through unchanged.
_TRADITIONAL_SHARE = 0.01
_MIN_TRADITIONAL = 3

_TONE_MARKED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# `區(qū)` / `區（qū）` / `区(qu1)`: a romanization after a Han character, with a tone mark or digit
# (an acronym such as `（PPP）` has neither and stays).
_GLOSS = re.compile(
    rf"(?<=[\u3400-\u9fff])[ \t]*[（(][ \t]*"
    rf"(?=[a-zü{_TONE_MARKED}]*(?:[{_TONE_MARKED}]|[a-zü]+[1-5]))[a-zü{_TONE_MARKED}]+[1-5]?[ \t]*[）)]")
_HAN = re.compile(r"[\u3400-\u9fff]")


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def strip_pinyin_glosses(text: str) -> str:
    return _GLOSS.sub("", text)


def to_simplified(texts: list[str]) -> list[str]:
    """The document's texts (lines, blocks) in simplified characters without pinyin glosses; a
    document in simplified characters comes back as it was (glosses aside)."""
    texts = [strip_pinyin_glosses(text) for text in texts]
    joined = "\n".join(texts)
    converted = _converter().convert(joined)
    if converted == joined:
        return texts
    changed = sum(a != b for a, b in zip(joined, converted, strict=False))
    han = len(_HAN.findall(joined))
    if changed < _MIN_TRADITIONAL or changed < _TRADITIONAL_SHARE * han:
        return texts
    lines = converted.split("\n")
    return lines if len(lines) == len(texts) else [_converter().convert(text) for text in texts]


def simplified(text: str | None) -> str | None:
    """One text (a page title) on its own, by the same rule."""
    return None if text is None else to_simplified([text])[0]
