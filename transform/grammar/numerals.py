"""Chinese numerals (一, 十一, 二十三, 一百零七) as used in item labels and session numbers."""

from __future__ import annotations

from transform.vocabulary import CN_DIGITS, CN_UNITS


def cn_to_int(text: str) -> int | None:
    """`十七` -> 17, `一百零七` -> 107, `107` -> 107; None when `text` is not a number."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CN_DIGITS and ch not in CN_UNITS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        else:
            # why: a bare unit (十一 = 1×10 + 1) counts as one of it
            total += (1 if digit is None else digit) * CN_UNITS[ch]
            digit = None
    return total + (digit or 0)
