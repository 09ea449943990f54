"""The colophon (版记): recorder, compiling office and date, disclosure, distribution, issuing line."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from transform.grammar.dates import FULL_DATE, parse_full_date
from transform.vocabulary import (
    COMPILED_SUFFIX,
    DISCLOSURE_PREFIX,
    DISTRIBUTION_LABELS,
    ISSUED_SUFFIX,
    RECORDER_LABEL,
)

RECORDER = re.compile(rf"^{RECORDER_LABEL}[：:]\s*(.+)$")
# `<office>整理`, sometimes with the date on the same line.
COMPILED = re.compile(rf"^(\S+?){COMPILED_SUFFIX}(?:\s*({FULL_DATE.pattern}))?$")
DATE_LINE = re.compile(rf"^{FULL_DATE.pattern}$")
# `（此件公开发布）`: printed in brackets, stored without them.
DISCLOSURE = re.compile(rf"^[（(]?({DISCLOSURE_PREFIX}[^）)]+)[）)]?$")
DISTRIBUTION = re.compile(r"^(?:{})[：:](.*)$".format("|".join(DISTRIBUTION_LABELS)))
# `<office> <date>印发` (docs/INTERFACE.md §4 rule 5: one space).
ISSUED = re.compile(rf"^(\S+?)\s*({FULL_DATE.pattern}){ISSUED_SUFFIX}$")


@dataclass
class Colophon:
    recorder: str | None = None
    compiled_by: str | None = None
    compiled_date: dt.date | None = None
    issued_by: str | None = None
    issued_date: dt.date | None = None
    disclosure: str | None = None
    distribution: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return any((self.recorder, self.compiled_by, self.issued_by, self.distribution))


def is_colophon_line(text: str) -> bool:
    return any(rule.match(text) for rule in (RECORDER, COMPILED, DATE_LINE, DISCLOSURE, DISTRIBUTION, ISSUED))


def parse_colophon(lines: list[str]) -> tuple[Colophon, list[str]]:
    """The colophon fields, and the lines that fit no rule."""
    colophon = Colophon()
    unread: list[str] = []
    awaiting_compiled_date = False
    for text in lines:
        if awaiting_compiled_date and DATE_LINE.match(text):
            # why: the compiled date is printed on the line under `…整理`
            colophon.compiled_date = parse_full_date(text)
        elif found := RECORDER.match(text):
            colophon.recorder = found[1].strip()
        elif found := ISSUED.match(text):
            colophon.issued_by, colophon.issued_date = found[1], parse_full_date(found[2])
        elif found := COMPILED.match(text):
            colophon.compiled_by = found[1]
            colophon.compiled_date = parse_full_date(found[2]) if found[2] else None
        elif found := DISCLOSURE.match(text):
            colophon.disclosure = found[1]
        elif found := DISTRIBUTION.match(text):
            colophon.distribution.extend(split_distribution(found[1]))
        else:
            unread.append(text)
        awaiting_compiled_date = bool(COMPILED.match(text)) and colophon.compiled_date is None
    return colophon, unread


def split_distribution(text: str) -> list[str]:
    """Recipients split on `，` and `；` — never on `、`, which joins parts of one recipient."""
    return [part.strip() for part in re.split(r"[，；,;]", text.strip().rstrip("。.")) if part.strip()]
