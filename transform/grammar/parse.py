"""parse_minutes: normalized paragraphs -> the docs/INTERFACE.md §5 record.

The document is read in the genre's order: front matter (masthead, number, title), the
opening, the transition line, the agenda items, then the tail (attendance and colophon).
Each part has its own module; this one only cuts the paragraphs into parts and assembles.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from extract.document_number import minutes_no_year
from extract.errors import NOT_MINUTES, Quarantine
from transform.grammar import quality
from transform.grammar.attendance import attendance_role, parse_attendance_block
from transform.grammar.colophon import Colophon, is_colophon_line, parse_colophon
from transform.grammar.dates import year_from_publication
from transform.grammar.header import (
    TITLE_WORD,
    Opening,
    agenda_list_count,
    find_title,
    first_minutes_no,
    is_agenda_list,
    is_transition,
    parse_opening,
    session_in_title,
)
from transform.grammar.header_block import HeaderBlock, parse_header_block
from transform.grammar.items import CLAUSE_LABEL, is_item_heading, is_unnumbered_item, parse_items
from transform.grammar.page_header import is_page_header, publication_date
from transform.grammar.reviewed_documents import bracketed_titles, reviewed_documents
from transform.record import (
    AgendaItem,
    AttendanceEntry,
    DocHints,
    Furniture,
    Meeting,
    MinutesRecord,
    Paragraph,
    ReviewedDocument,
)
from transform.simplify import simplified
from transform.vocabulary import REVIEW_ACTIONS

_SENTENCE_FINAL = "。！？”）》"
PAGE_HEADER = "page_header"  # furniture kind of a web page's header lines (来源：… 日期：…)
_OPENING_ACTION = re.compile("|".join(REVIEW_ACTIONS))


def parse_minutes(paragraphs: list[Paragraph], hints: DocHints, doc_id: str) -> MinutesRecord:
    """Parse one document's normalized paragraphs; raise Quarantine("not_minutes") only when no
    opening names a meeting being held. A field the document does not give is null, with a warning."""
    warnings: list[str] = []
    hints = replace(hints, title=simplified(hints.title))  # a mirror's page title: 區政府…紀要
    paragraphs, page_header = _split_page_header(paragraphs)
    texts = [p.text for p in paragraphs]
    opening, block = _find_opening(texts, hints)
    front = texts[: opening.seq_index]
    head_start = block.end_index if block else opening.seq_index + 1

    body_start, head = _body_start(texts, opening, head_start, block is not None, warnings)
    tail_start = next((i for i in range(body_start, len(texts)) if _is_tail(texts[i])), len(texts))
    items = parse_items(paragraphs[body_start:tail_start], warnings)
    head_attendance = [*(block.attendance if block else []), *(t for t in head if attendance_role(t))]
    attendance, colophon = _read_tail(paragraphs[tail_start:], head_attendance, warnings)
    colophon.recorder = colophon.recorder or (block.recorder if block else None)
    documents = reviewed_documents(items)
    minutes_no = first_minutes_no([*front, hints.minutes_no or ""])
    title = find_title(front, hints.title)
    if opening.session_no is None:  # why: a header block prints the session in the title only
        opening.session_no = session_in_title(title or hints.title or "")
    published = (hints.published_at.date() if hints.published_at else None) or page_header.published

    meeting = Meeting(
        title=title,
        minutes_no=minutes_no,
        session_no=opening.session_no,
        meeting_date=_meeting_date(opening, minutes_no, published, colophon, warnings),
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
    _check_header(meeting, warnings)
    meeting.completeness = quality.completeness(vars(meeting))
    _check_completeness(paragraphs, items, attendance, colophon, tail_start, warnings)
    agenda_list = next((t for t in head if is_agenda_list(t)), (block.agenda if block else None) or "")
    _check_opening_against_items(opening, texts[opening.seq_index], agenda_list, items, documents, warnings)
    return MinutesRecord(
        doc_id=doc_id,
        meeting=meeting,
        agenda_items=items,
        reviewed_documents=documents,
        attendance=attendance,
        distribution=colophon.distribution,
        paragraphs=paragraphs,
        warnings=quality.dedupe(warnings),
        furniture=[Furniture(page=p.page_start, kind=PAGE_HEADER, text=p.text) for p in page_header.lines],
    )


@dataclass
class _PageHeader:
    lines: list[Paragraph]
    published: dt.date | None


def _split_page_header(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], _PageHeader]:
    """The page-header lines before the opening apart from the minutes' paragraphs (renumbered)."""
    header = _PageHeader([], None)
    for para in paragraphs:
        if parse_opening(para.text, 0) or attendance_role(para.text) or is_item_heading(para.text):
            break
        if is_page_header(para.text):
            header.lines.append(para)
            header.published = header.published or publication_date(para.text)
    if not header.lines:
        return list(paragraphs), header
    kept = [p for p in paragraphs if not any(p is line for line in header.lines)]
    return [replace(p, seq=seq) for seq, p in enumerate(kept, start=1)], header


def _find_opening(texts: list[str], hints: DocHints) -> tuple[Opening, HeaderBlock | None]:
    """The opening: the first that gives both date and chair, else the fullest; what it leaves
    out is filled from the others before it (a headline over its lede)."""
    candidates: list[tuple[Opening, HeaderBlock | None]] = []
    index = 0
    while index < len(texts):
        text = texts[index]
        if block := parse_header_block(texts, index):
            candidates.append((block.opening, block))
            index = block.end_index
        elif attendance_role(text) or is_item_heading(text) or is_transition(text):
            break  # why: an opening never follows these; don't read the body or the tail as one
        else:
            if opening := parse_opening(text, index):
                candidates.append((opening, None))
            index += 1
        if candidates and candidates[-1][0].month is not None and candidates[-1][0].chair_name is not None:
            break
    if not candidates:
        first = texts[0][:40] if texts else "(empty)"
        raise Quarantine(NOT_MINUTES, f"no opening names a meeting being held (starts: {first})")
    opening, block = max(candidates, key=lambda c: (c[0].month is not None and c[0].chair_name is not None,
                                                    c[0].found, -c[0].seq_index))
    for other, _ in candidates:
        if other is not opening:
            opening.fill_from(other)
    if opening.month is None and opening.chair_name is None and not _is_minutes_shaped(texts, hints):
        raise Quarantine(NOT_MINUTES, f"a meeting is named but neither its date nor its chair, and the text "
                                      f"is not shaped like minutes (starts: {texts[0][:40]})")
    return opening, block


def _is_minutes_shaped(texts: list[str], hints: DocHints) -> bool:
    """A minutes title, or a transition line or numbered items: what a news item or a notice
    that mentions a meeting lacks."""
    titled = any(TITLE_WORD in t for t in [*texts[:3], hints.title or ""])
    return titled or any(is_transition(t) or is_item_heading(t) for t in texts)


def _body_start(texts: list[str], opening: Opening, head_start: int, has_block: bool,
                warnings: list[str]) -> tuple[int, list[str]]:
    """Where the items begin, and the head between the opening and them (attendance printed
    before the items, a 会议议题 list): after the transition line, which may end the opening."""
    marker = next((i for i in range(head_start, len(texts))
                   if is_transition(texts[i]) or is_item_heading(texts[i]) or CLAUSE_LABEL.match(texts[i])),
                  None)
    if marker is None:  # why only then: a 会议审议… paragraph before a transition is no item
        marker = next((i for i in range(head_start, len(texts)) if is_unnumbered_item(texts[i])), None)
    if marker is None or not _head_is_attendance(texts[head_start:marker]):
        # why: no items at all, or a tail (colophon) before them: the old reading, tail cut first
        tail = next((i for i in range(head_start, len(texts)) if _is_tail(texts[i])), len(texts))
        marker = next((i for i in range(head_start, tail) if is_transition(texts[i])), None)
        if marker is None:
            if not opening.ends_with_transition and not has_block:
                warnings.append(quality.NO_TRANSITION)
            return head_start, []
    head = texts[head_start:marker]
    for text in head:
        if not (attendance_role(text) or is_agenda_list(text)):
            warnings.append(quality.TEXT_BEFORE_ITEMS)
    if is_transition(texts[marker]):
        return marker + 1, head
    if not opening.ends_with_transition and not has_block:
        warnings.append(quality.NO_TRANSITION)
    return marker, head


def _head_is_attendance(head: list[str]) -> bool:
    """Attendance may stand before the items (列席情况：…); a colophon line may not."""
    return not any(is_colophon_line(t) for t in head)


def _is_tail(text: str) -> bool:
    return attendance_role(text) is not None or is_colophon_line(text)


def _read_tail(tail: list[Paragraph], head_attendance: list[str],
               warnings: list[str]) -> tuple[list[AttendanceEntry], Colophon]:
    blocks: list[str] = list(head_attendance)
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


def _meeting_date(opening: Opening, minutes_no: str | None, published: dt.date | None, colophon: Colophon,
                  warnings: list[str]) -> dt.date | None:
    """The opening's date; a year it leaves out comes from the number, then the publication date
    (the page's, else the colophon's). None, with a warning, where nothing gives it."""
    if opening.month is None:
        warnings.append(quality.NO_MEETING_DATE)
        return None
    year = opening.year
    if year is None:
        published = published or colophon.issued_date or colophon.compiled_date
        year = minutes_no_year(minutes_no) if minutes_no else None
        if year is None and published:
            year = year_from_publication(opening.month, published)
        warnings.append(quality.MEETING_YEAR_INFERRED if year else quality.MEETING_YEAR_UNKNOWN)
        if year is None:
            return None
    date = opening.date(year)
    if date is None:  # 2月30日: printed, but no date
        warnings.append(quality.NO_MEETING_DATE)
    return date


def _check_header(meeting: Meeting, warnings: list[str]) -> None:
    if meeting.session_no is None:
        warnings.append(quality.NO_SESSION_NO)
    if meeting.chair_name is None:
        warnings.append(quality.NO_CHAIR)
    elif meeting.chair_title is None:
        warnings.append(quality.NO_CHAIR_TITLE)


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


def _check_opening_against_items(opening: Opening, text: str, agenda_list: str, items: list[AgendaItem],
                                 documents: list[ReviewedDocument], warnings: list[str]) -> None:
    announced_count = agenda_list_count(agenda_list) if agenda_list else opening.item_count
    if announced_count is not None and announced_count != len(items):
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
