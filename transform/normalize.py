"""Normalized text (docs/INTERFACE.md §4 rules 2-5): spacing, character width, attendance entries,
issuing line.

PDF extraction leaves spaces wherever glyphs of different fonts meet (`2020 年 8 月`), prints
full-width digits in some documents and half-width in others, and mixes `(一)` with `（一）`.
These functions make every document read the same way, whatever produced it.
"""

from __future__ import annotations

import re

from transform.vocabulary import AGENCY_SUFFIXES, ATTENDANCE_LABEL_FORMS, ATTENDANCE_ROLES

# Full-width digits and Latin letters (U+FF10-FF19, FF21-FF3A, FF41-FF5A) → ASCII.
_FULLWIDTH_ALNUM = {
    code: code - 0xFEE0
    for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
}
# Invisible characters some producers put between glyphs: never text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_FOLD = {**_FULLWIDTH_ALNUM, **_INVISIBLE}

# ASCII punctuation that takes its full-width form when it touches CJK text.
_TO_FULLWIDTH = {"(": "（", ")": "）", ":": "：", ";": "；", ",": "，"}

# Punctuation outside the CJK blocks that Chinese typesetting uses as CJK punctuation.
_CJK_PUNCT_EXTRA = frozenset("“”‘’…—–·•")


def is_cjk(char: str) -> bool:
    """A character that sits in CJK text without spaces: ideographs, kana, hangul, CJK punctuation."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF  # radicals, CJK symbols & punctuation (U+3000-303F), kana, ideographs
        or 0xAC00 <= code <= 0xD7AF  # hangul syllables
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= code <= 0xFE4F  # CJK compatibility forms
        or 0xFF00 <= code <= 0xFFEF  # full-width and half-width forms
        or 0x20000 <= code <= 0x3FFFF  # supplementary ideographs
        or char in _CJK_PUNCT_EXTRA
    )


def is_ideograph(char: str) -> bool:
    """A Han character proper (what a name or a word is made of), not punctuation."""
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF


_WHITESPACE_RUN = re.compile(r"\s+")  # \s covers U+3000 (ideographic space) and U+00A0


def normalize_text(text: str) -> str:
    """One paragraph (or line) → its normalized form. Idempotent.

    - full-width digits/letters become ASCII;
    - ASCII `( ) : ; ,` next to CJK become `（ ） ： ； ，`;
    - whitespace next to a CJK character disappears; between two non-CJK characters it is one space.
    """
    text = text.translate(_FOLD)
    text = _widen_punctuation(text)
    return _WHITESPACE_RUN.sub(_space_or_nothing, text).strip()


def _space_or_nothing(match: re.Match[str]) -> str:
    text, start, end = match.string, match.start(), match.end()
    if start == 0 or end == len(text):
        return ""  # stripped anyway; keeps the decision local
    return "" if is_cjk(text[start - 1]) or is_cjk(text[end]) else " "


def _widen_punctuation(text: str) -> str:
    """Replace ASCII punctuation touching CJK (ignoring spaces) by its full-width form.

    Repeated until nothing changes: `(,一` widens `,` first, which then makes `(` touch CJK.
    Each round widens at least one character or stops, so this ends.
    """
    if not any(mark in text for mark in _TO_FULLWIDTH):
        return text
    chars = list(text)
    changed = True
    while changed:
        changed = False
        for i, char in enumerate(chars):
            if char in _TO_FULLWIDTH and _touches_cjk(chars, i):
                chars[i] = _TO_FULLWIDTH[char]
                changed = True
    return "".join(chars)


def _touches_cjk(chars: list[str], i: int) -> bool:
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(chars) and chars[j].isspace():
            j += step
        if 0 <= j < len(chars) and is_cjk(chars[j]):
            return True
    return False


# --- attendance blocks (rule 4) ----------------------------------------------------------------

def spaced(word: str) -> str:
    """A regex for the word with any whitespace between its characters: extraction spaces out
    labels set in a wider font or letter-spaced (`出  席：`)."""
    return r"\s*".join(map(re.escape, word))


# The roles' labels and their longer forms (列席情况：, 出席人员：), longest first.
_ATTENDANCE_LABELS = sorted({*ATTENDANCE_ROLES, *ATTENDANCE_LABEL_FORMS}, key=len, reverse=True)
_ATTENDANCE_START = re.compile(rf"^\s*({'|'.join(map(spaced, _ATTENDANCE_LABELS))})\s*[:：]\s*")


def attendance_label(text: str) -> str | None:
    """`出席`/`列席`/`请假` when the text opens an attendance block (in any label form), else None."""
    match = _ATTENDANCE_START.match(text)
    if match is None:
        return None
    label = "".join(match.group(1).split())
    return ATTENDANCE_LABEL_FORMS.get(label, label)


def normalize_attendance(text: str, *, wide_separators: bool = False) -> str:
    """An attendance block whose entries are separated by whitespace → `出席：A B C`.

    The block must already have its line breaks resolved: an entry broken across lines is
    joined without a space, distinct entries have whitespace between them. A padded
    two-character name (`王  翔`, `王　翔`) shows up as two one-character tokens and is joined:
    no person's name or organisation is a single character.

    `wide_separators`: text read off a page, where only a wide gap (two spaces or more, or an
    ideographic space) separates entries and a single space is a typesetting gap inside one
    entry (`市“ 331 ”专班`).
    """
    match = _ATTENDANCE_START.match(text)
    if match is None:
        return normalize_text(text)
    label = "".join(match.group(1).split())
    body = text[match.end() :]
    tokens = _WIDE_SEPARATOR.split(body.strip()) if wide_separators else body.split()
    entries = join_padded_names([token for token in tokens if token.strip()])
    return f"{label}：" + " ".join(normalize_text(entry) for entry in entries)


_WIDE_SEPARATOR = re.compile(r"\s*(?:\u3000|\t|\s{2,})\s*")

# An `organization+person` entry: an organisation ending in an agency suffix (the list the
# grammar splits entries by), then a 2-4 character name (4 for compound surnames: 欧阳春国).
_ENTRY = re.compile(
    rf"^\S{{2,}}?(?:{'|'.join(map(re.escape, AGENCY_SUFFIXES))})[\u3400-\u9fff]{{2,4}}$"
)


# A "name" ending like a place is the start of an organisation (`国家统计局苏州` / `调查队金建国`).
_PLACE_END = frozenset("州市区县省镇乡村")


def looks_like_entry(text: str) -> bool:
    """Whether text reads as a whole `organization+person` entry (`市工信局蔡剑峰`).

    Used where the layout cannot tell whether a line ending at the margin also ends an entry.
    """
    return _ENTRY.match(text) is not None and text[-1] not in _PLACE_END


def join_padded_names(tokens: list[str]) -> list[str]:
    """Join runs of one-ideograph tokens pairwise: `王 翔 江 海` → `王翔 江海`."""
    entries: list[str] = []
    pending: str | None = None
    for token in tokens:
        single = len(token) == 1 and is_ideograph(token)
        if pending is not None:
            if single:
                entries.append(pending + token)
                pending = None
                continue
            entries.append(pending)  # a lone character: keep it rather than guess
            pending = None
        if single:
            pending = token
        else:
            entries.append(token)
    if pending is not None:
        entries.append(pending)
    return entries


# --- issuing line (rule 5) ---------------------------------------------------------------------

_ISSUING_LINE = re.compile(
    r"^(?P<office>[^\d\s，。；：、]{2,40}?)\s*(?P<date>\d{4}年\d{1,2}月\d{1,2}日)\s*印发$"
)


def normalize_issuing_line(text: str) -> str:
    """`苏州市人民政府办公室   2020年 9月 1日印发` → `苏州市人民政府办公室 2020年9月1日印发`.

    Any other text is returned normalized but otherwise unchanged.
    """
    normal = normalize_text(text)
    match = _ISSUING_LINE.match(normal)
    if match is None:
        return normal
    return f"{match['office']} {match['date']}印发"
