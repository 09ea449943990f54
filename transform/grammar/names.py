"""Person names and agency names: the rules that tell `市检察院王勇` apart as agency + person."""

from __future__ import annotations

import re

from transform.vocabulary import AGENCY_SUFFIXES, COMPOUND_SURNAMES, NOT_NAME_CHARS

_CJK = re.compile(r"[\u4e00-\u9fff]+")


def is_person_name(text: str) -> bool:
    """2–3 CJK characters, or 4 with a compound surname (欧阳, 司马…); why: Chinese naming."""
    if not _CJK.fullmatch(text) or text[0] in NOT_NAME_CHARS or text[-1] in NOT_NAME_CHARS:
        return False
    if len(text) in (2, 3):
        return True
    return len(text) == 4 and text.startswith(COMPOUND_SURNAMES)


def is_agency(text: str) -> bool:
    """Ends like an agency (局, 委, 公司, 专班…) and is longer than the suffix alone."""
    return any(text.endswith(suffix) and len(text) > len(suffix) for suffix in AGENCY_SUFFIXES)


def split_agency_person(entry: str) -> tuple[str | None, str | None]:
    """`市检察院王勇` -> (`市检察院`, `王勇`); a bare name -> (None, name); an agency -> (agency, None);
    anything else -> (None, None)."""
    for name_length in _name_lengths(entry):
        agency, person = entry[:-name_length], entry[-name_length:]
        if is_agency(agency) and is_person_name(person):
            return agency, person
    if is_person_name(entry):
        return None, entry
    if is_agency(entry):
        return entry, None
    return None, None


def _name_lengths(entry: str) -> list[int]:
    # why this order: a compound surname is the only way to a 4-character name; otherwise a
    # 3-character name first (市教育局朱向峰), NOT_NAME_CHARS stopping it from eating the
    # agency's last character (区委办张三 is 区委办 + 张三).
    lengths = [3, 2]
    if len(entry) > 4 and entry[-4:-2] in COMPOUND_SURNAMES:
        lengths.insert(0, 4)
    return [n for n in lengths if len(entry) - n >= 2]
