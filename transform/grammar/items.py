"""Agenda items (一、…) with their kind, and their clauses (（一）…) with page provenance."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from transform.grammar.numerals import cn_to_int
from transform.grammar.quality import (
    CLAUSES_OUT_OF_ORDER,
    ITEM_WITHOUT_CLAUSES,
    ITEMS_OUT_OF_ORDER,
    TEXT_BEFORE_ITEMS,
    UNLABELED_CLAUSE,
)
from transform.record import AgendaItem, Clause, Paragraph
from transform.vocabulary import (
    CLOSING_REMARKS,
    CN_NUMERAL_CHARS,
    DECISION_LEADS,
    FALLBACK_KIND,
    HEADING_LEAD_INS,
    INLINE_ENUMERATION_SUFFIXES,
    KIND_VERBS,
    SUBJECT_FIRST_MARKER,
    UNNUMBERED_ITEM_VERBS,
)

ITEM_LABEL = re.compile(rf"^([{CN_NUMERAL_CHARS}]+)、")
CLAUSE_LABEL = re.compile(rf"^（([{CN_NUMERAL_CHARS}]+)）")
# A per-item decision under its heading (会议议定：原则同意，…): a clause in its own right.
DECISION_LEAD = re.compile(rf"^(?:{'|'.join(DECISION_LEADS)})[：:]")
# An item printed without a number: a paragraph `会议审议通过《…》。`, `会议还听取了…`.
UNNUMBERED_ITEM = re.compile(rf"^会议(?:还)?(?:{'|'.join(UNNUMBERED_ITEM_VERBS)})")
# Clauses run together: 一是…二是…, 一要…二要… after a sentence break; （1）…（2）… anywhere.
INLINE_CLAUSE = re.compile(
    rf"(?:^|(?<=[。；，：！\n]))([{CN_NUMERAL_CHARS}]+)({'|'.join(INLINE_ENUMERATION_SUFFIXES)})|（(\d+)）")
_VERBS_LONGEST_FIRST = sorted(KIND_VERBS, key=len, reverse=True)

NUMBERED, PARENTHESIZED, UNNUMBERED = "numbered", "parenthesized", "unnumbered"  # how items are marked


def is_item_heading(text: str) -> bool:
    return ITEM_LABEL.match(text) is not None


def is_unnumbered_item(text: str) -> bool:
    return UNNUMBERED_ITEM.match(text) is not None and text.rstrip("。") not in CLOSING_REMARKS


def item_style(body: list[str]) -> str:
    """一、 headings; else （一） labels number the items themselves; else items are paragraphs
    opening `会议审议…`; else (nothing matches) the numbered style, with no items."""
    if any(is_item_heading(t) for t in body):
        return NUMBERED
    if any(CLAUSE_LABEL.match(t) for t in body):
        return PARENTHESIZED
    if any(is_unnumbered_item(t) for t in body):
        return UNNUMBERED
    return NUMBERED


@dataclass
class _Draft:
    label_no: int | None
    heading: str
    blocks: list[tuple[bool, list[Paragraph]]] = field(default_factory=list)  # (labeled, paragraphs)


def parse_items(body: list[Paragraph], warnings: list[str]) -> list[AgendaItem]:
    """Items in reading order; item_no and clause_no count 1, 2, … as printed order goes."""
    body = _join_bare_labels(body)
    style = item_style([p.text for p in body])
    drafts: list[_Draft] = []
    for para in body:
        if style == UNNUMBERED and is_unnumbered_item(para.text):
            # why the whole paragraph as the clause: it is the decision as printed (会议审议通过《…》)
            head = re.split("[。；]", para.text, maxsplit=1)[0].removeprefix("会议").removeprefix("还")
            drafts.append(_Draft(None, head))
            drafts[-1].blocks.append((True, [para]))
        elif heading := (ITEM_LABEL if style == NUMBERED else CLAUSE_LABEL).match(para.text):
            head, _, inline_body = para.text[heading.end():].partition("。")
            drafts.append(_Draft(cn_to_int(heading[1]), head.rstrip("：:")))
            if inline_body.strip():  # why: some minutes run the first decision on after the heading
                _attach(drafts[-1], Paragraph(para.seq, inline_body.strip(), para.page_start, para.page_end))
        elif para.text.rstrip("。") in CLOSING_REMARKS:
            continue  # why: it closes the list of items; it is not a clause of the last one
        elif not drafts:
            warnings.append(TEXT_BEFORE_ITEMS)
        else:
            _attach(drafts[-1], para)
    labels = [d.label_no for d in drafts]
    if style != UNNUMBERED and labels != list(range(1, len(drafts) + 1)):
        warnings.append(ITEMS_OUT_OF_ORDER)
    return [_finish(no, draft, warnings) for no, draft in enumerate(drafts, start=1)]


def _join_bare_labels(body: list[Paragraph]) -> list[Paragraph]:
    """A label printed alone on its line (`（一）` / `一、`) joined with the paragraph after it."""
    joined: list[Paragraph] = []
    pending: Paragraph | None = None
    for para in body:
        if pending is not None:
            para = Paragraph(pending.seq, pending.text + para.text, pending.page_start, para.page_end)
            pending = None
        label = ITEM_LABEL.match(para.text) or CLAUSE_LABEL.match(para.text)
        if label and label.end() == len(para.text.rstrip()):
            pending = para
        else:
            joined.append(para)
    if pending is not None:
        joined.append(pending)
    return joined


def _attach(draft: _Draft, para: Paragraph) -> None:
    labeled = CLAUSE_LABEL.match(para.text) is not None or DECISION_LEAD.match(para.text) is not None
    if labeled or not draft.blocks or not draft.blocks[-1][0]:
        draft.blocks.append((labeled, [para]))
    else:  # why: a paragraph without a label after a clause continues that clause
        draft.blocks[-1][1].append(para)


def _finish(item_no: int, draft: _Draft, warnings: list[str]) -> AgendaItem:
    clauses: list[Clause] = []
    labeled: list[bool] = []
    numbered = any(CLAUSE_LABEL.match(paras[0].text) for _, paras in draft.blocks)
    for is_labeled, paras in draft.blocks:
        text = "\n".join(p.text for p in paras)
        # why only without （一） labels: there the inline 一是… are points inside a clause
        pieces = [text] if numbered else split_inline_clauses(text)
        for piece in pieces:
            clauses.append(Clause(clause_no=len(clauses) + 1, text=piece,
                                  page_start=paras[0].page_start, page_end=paras[-1].page_end))
            labeled.append(is_labeled or len(pieces) > 1)
    if not any(labeled):
        warnings.append(ITEM_WITHOUT_CLAUSES)
    elif not all(labeled):
        warnings.append(UNLABELED_CLAUSE)
    numbers = [cn_to_int(CLAUSE_LABEL.match(c.text)[1]) for c in clauses if CLAUSE_LABEL.match(c.text)]
    if numbers != list(range(1, len(numbers) + 1)):
        warnings.append(CLAUSES_OUT_OF_ORDER)
    return AgendaItem(item_no=item_no, kind=item_kind(draft.heading), heading=draft.heading, clauses=clauses)


def split_inline_clauses(text: str) -> list[str]:
    """`会议要求，一是A；二是B。` -> [`会议要求，`, `一是A；`, `二是B。`]: the points of a paragraph
    numbered inline, each a clause keeping its label; the text whole when it numbers none."""
    runs: dict[str, list[re.Match[str]]] = {}
    for found in INLINE_CLAUSE.finditer(text):
        style = found[2] or "（）"
        number = cn_to_int(found[1]) if found[1] else int(found[3])
        run = runs.setdefault(style, [])
        if number == len(run) + 1:  # why: only 1, 2, 3… in order make an enumeration
            run.append(found)
    run = max(runs.values(), key=len, default=[])
    if len(run) < 2:
        return [text]
    starts = [m.start() for m in run]
    pieces = [text[:starts[0]]] + [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    return [piece.strip() for piece in pieces if piece.strip()]


def item_kind(heading: str) -> str:
    """The heading's leading verb phrase as an agenda-item kind (docs/INTERFACE.md §5); `关于…`
    headings carry it later."""
    text = heading
    for lead_in in HEADING_LEAD_INS:
        text = text.removeprefix(lead_in)
    if text.startswith(SUBJECT_FIRST_MARKER):
        verbs = _verbs_in(text)
        return KIND_VERBS[verbs[-1]] if verbs else FALLBACK_KIND
    for verb in _VERBS_LONGEST_FIRST:
        if text.startswith(verb):
            return KIND_VERBS[verb]
    return FALLBACK_KIND


def _verbs_in(text: str) -> list[str]:
    """Kind verbs in order of appearance, the longest at each position (传达学习, not 学习)."""
    found: list[str] = []
    pos = 0
    while pos < len(text):
        verb = next((v for v in _VERBS_LONGEST_FIRST if text.startswith(v, pos)), None)
        if verb:
            found.append(verb)
            pos += len(verb)
        else:
            pos += 1
    return found
