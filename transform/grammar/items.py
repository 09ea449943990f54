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
    FALLBACK_KIND,
    HEADING_LEAD_INS,
    KIND_VERBS,
    SUBJECT_FIRST_MARKER,
)

ITEM_LABEL = re.compile(rf"^([{CN_NUMERAL_CHARS}]+)、")
CLAUSE_LABEL = re.compile(rf"^（([{CN_NUMERAL_CHARS}]+)）")
_VERBS_LONGEST_FIRST = sorted(KIND_VERBS, key=len, reverse=True)


def is_item_heading(text: str) -> bool:
    return ITEM_LABEL.match(text) is not None


@dataclass
class _Draft:
    label_no: int | None
    heading: str
    blocks: list[tuple[bool, list[Paragraph]]] = field(default_factory=list)  # (labeled, paragraphs)


def parse_items(body: list[Paragraph], warnings: list[str]) -> list[AgendaItem]:
    """Items in reading order; item_no and clause_no count 1, 2, … as printed order goes."""
    drafts: list[_Draft] = []
    for para in body:
        if heading := ITEM_LABEL.match(para.text):
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
    if labels != list(range(1, len(drafts) + 1)):
        warnings.append(ITEMS_OUT_OF_ORDER)
    return [_finish(no, draft, warnings) for no, draft in enumerate(drafts, start=1)]


def _attach(draft: _Draft, para: Paragraph) -> None:
    labeled = CLAUSE_LABEL.match(para.text) is not None
    if labeled or not draft.blocks or not draft.blocks[-1][0]:
        draft.blocks.append((labeled, [para]))
    else:  # why: a paragraph without a label after a clause continues that clause
        draft.blocks[-1][1].append(para)


def _finish(item_no: int, draft: _Draft, warnings: list[str]) -> AgendaItem:
    clauses = [
        Clause(clause_no=no, text="\n".join(p.text for p in paras),
               page_start=paras[0].page_start, page_end=paras[-1].page_end)
        for no, (_, paras) in enumerate(draft.blocks, start=1)
    ]
    labeled = [labeled for labeled, _ in draft.blocks]
    if not any(labeled):
        warnings.append(ITEM_WITHOUT_CLAUSES)
    elif not all(labeled):
        warnings.append(UNLABELED_CLAUSE)
    numbers = [cn_to_int(CLAUSE_LABEL.match(c.text)[1]) for c in clauses if CLAUSE_LABEL.match(c.text)]
    if numbers != list(range(1, len(numbers) + 1)):
        warnings.append(CLAUSES_OUT_OF_ORDER)
    return AgendaItem(item_no=item_no, kind=item_kind(draft.heading), heading=draft.heading, clauses=clauses)


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
