"""parse_minutes: normalized paragraphs -> the docs/INTERFACE.md §5 record.

The document is read in the genre's order: front matter (masthead, number, title), the
opening, the transition line, the agenda items, then the tail (attendance and colophon).
Each part has its own module; this one only cuts the paragraphs into parts and assembles.
"""

from __future__ import annotations

import datetime as dt
import re

from extract.document_number import minutes_no_year
from extract.errors import NOT_MINUTES, Quarantine
from transform.grammar import quality
from transform.grammar.attendance import attendance_role, parse_attendance_block
from transform.grammar.colophon import Colophon, is_colophon_line, parse_colophon
from transform.grammar.dates import year_from_publication
from transform.grammar.header import (
    Opening,
    find_title,
    first_minutes_no,
    is_transition,
    parse_opening,
)
from transform.grammar.items import is_item_heading, parse_items
from transform.grammar.reviewed_documents import bracketed_titles, reviewed_documents
from transform.record import (
    AgendaItem,
    AttendanceEntry,
    DocHints,
    Meeting,
    MinutesRecord,
    Paragraph,
    ReviewedDocument,
)
from transform.vocabulary import REVIEW_ACTIONS

_SENTENCE_FINAL = "。！？”）》"
_OPENING_ACTION = re.compile("|".join(REVIEW_ACTIONS))


def parse_minutes(paragraphs: list[Paragraph], hints: DocHints, doc_id: str) -> MinutesRecord:
    """Parse one document's normalized paragraphs; raise Quarantine("not_minutes") when no
    opening names a meeting, its date and its chair."""
    warnings: list[str] = []
    opening = _find_opening(paragraphs)
    texts = [p.text for p in paragraphs]
    front = texts[: opening.seq_index]

    tail_start = next((i for i in range(opening.seq_index + 1, len(texts)) if _is_tail(texts[i])),
                      len(texts))
    body_start = _body_start(texts, opening, tail_start, warnings)

    items = parse_items(paragraphs[body_start:tail_start], warnings)
    attendance, colophon = _read_tail(paragraphs[tail_start:], warnings)
    documents = reviewed_documents(items)
    minutes_no = first_minutes_no([*front, hints.minutes_no or ""])

    meeting = Meeting(
        title=find_title(front, hints.title),
        minutes_no=minutes_no,
        session_no=opening.session_no,
        meeting_date=_meeting_date(opening, minutes_no, hints, colophon, warnings),
        day_period=opening.day_period,
        chair_name=opening.chair_name,
        chair_title=opening.chair_title,
        recorder=colophon.recorder,
        compiled_by=colophon.compiled_by,
        compiled_date=colophon.compiled_date,
        issued_by=colophon.issued_by,
        issued_date=colophon.issued_date,
        disclosure=colophon.disclosure,
    )
    _check_completeness(paragraphs, items, attendance, colophon, tail_start, warnings)
    _check_opening_against_items(opening, texts[opening.seq_index], items, documents, warnings)
    return MinutesRecord(
        doc_id=doc_id,
        meeting=meeting,
        agenda_items=items,
        reviewed_documents=documents,
        attendance=attendance,
        distribution=colophon.distribution,
        paragraphs=list(paragraphs),
        warnings=quality.dedupe(warnings),
    )


def _find_opening(paragraphs: list[Paragraph]) -> Opening:
    for index, para in enumerate(paragraphs):
        if attendance_role(para.text):
            break  # why: an opening never follows the attendance; don't read the tail as one
        if opening := parse_opening(para.text, index):
            return opening
    first = paragraphs[0].text[:40] if paragraphs else "(empty)"
    raise Quarantine(NOT_MINUTES, f"no opening names a meeting, its date and its chair (starts: {first})")


def _body_start(texts: list[str], opening: Opening, tail_start: int, warnings: list[str]) -> int:
    """Where the items begin: after the transition line, which may also end the opening."""
    after_opening = opening.seq_index + 1
    first_item = next((i for i in range(after_opening, tail_start) if is_item_heading(texts[i])), tail_start)
    transition = next((i for i in range(after_opening, first_item) if is_transition(texts[i])), None)
    if transition is None:
        if not opening.ends_with_transition:
            warnings.append(quality.NO_TRANSITION)
        return after_opening
    if transition > after_opening:  # why: text between the opening and the transition is not an item
        warnings.append(quality.TEXT_BEFORE_ITEMS)
    return transition + 1


def _is_tail(text: str) -> bool:
    return attendance_role(text) is not None or is_colophon_line(text)


def _read_tail(tail: list[Paragraph], warnings: list[str]) -> tuple[list[AttendanceEntry], Colophon]:
    blocks: list[str] = []
    colophon_lines: list[str] = []
    in_block = False
    for para in tail:
        if attendance_role(para.text):
            blocks.append(para.text)
            in_block = True
        elif in_block and not is_colophon_line(para.text) and not para.text.endswith("。"):
            blocks[-1] = f"{blocks[-1]} {para.text}"  # why: entries that ran onto a paragraph of their own
        else:
            in_block = False
            colophon_lines.append(para.text)
    attendance: list[AttendanceEntry] = []
    for block in blocks:
        for entry in parse_attendance_block(block, warnings):
            # why: a role printed in two blocks (列席 by group) keeps counting where it left off
            entry.seq = sum(1 for a in attendance if a.role == entry.role) + 1
            attendance.append(entry)
    colophon, unread = parse_colophon(colophon_lines)
    if unread:
        warnings.append(quality.UNRECOGNIZED_TAIL)
    return attendance, colophon


def _meeting_date(opening: Opening, minutes_no: str | None, hints: DocHints, colophon: Colophon,
                  warnings: list[str]) -> dt.date:
    """The opening's date; a year it leaves out comes from the number, then the publication date."""
    year = opening.year
    if year is None:
        warnings.append(quality.MEETING_YEAR_INFERRED)
        published = hints.published_at.date() if hints.published_at else None
        published = published or colophon.issued_date or colophon.compiled_date
        year = minutes_no_year(minutes_no) if minutes_no else None
        if year is None and published:
            year = year_from_publication(opening.month, published)
    date = opening.date(year) if year else None
    if date is None:
        printed = f"{opening.month}月{opening.day}日"
        raise Quarantine(NOT_MINUTES, f"the opening's date {printed} has no usable year")
    return date


def _check_completeness(paragraphs: list[Paragraph], items: list[AgendaItem],
                        attendance: list[AttendanceEntry], colophon: Colophon, tail_start: int,
                        warnings: list[str]) -> None:
    if not items:
        warnings.append(quality.NO_AGENDA_ITEMS)
    if not attendance:
        warnings.append(quality.NO_ATTENDANCE)
    if not colophon.found:
        warnings.append(quality.NO_COLOPHON)
    # why: text that stops mid-sentence, or on a heading with nothing under it, lost its end;
    # a text that simply has no tail (minutes published as a web article) is not truncated
    last_body = paragraphs[tail_start - 1].text if tail_start else ""
    ends_on_empty_item = tail_start == len(paragraphs) and bool(items) and not items[-1].clauses
    if ends_on_empty_item or not last_body.endswith(tuple(_SENTENCE_FINAL)):
        warnings.append(quality.TRUNCATED)


def _check_opening_against_items(opening: Opening, text: str, items: list[AgendaItem],
                                 documents: list[ReviewedDocument], warnings: list[str]) -> None:
    if opening.item_count is not None and opening.item_count != len(items):
        warnings.append(quality.ITEM_COUNT_MISMATCH)
    announced = _documents_announced(text)
    if announced and announced != {d.title for d in documents}:
        warnings.append(quality.OPENING_DOCUMENTS_MISMATCH)


def _documents_announced(opening_text: str) -> set[str]:
    """Titles the opening says were reviewed: 《…》 in a phrase that starts 审议 / 审议废止."""
    announced: set[str] = set()
    for start, title in bracketed_titles(opening_text):
        phrase_start = max(opening_text.rfind(ch, 0, start) for ch in "，；。：") + 1
        if _OPENING_ACTION.search(_without_titles(opening_text[phrase_start:start])):
            announced.add(title)
    return announced


def _without_titles(text: str) -> str:
    return re.sub(r"《[^》]*》", "", text)
