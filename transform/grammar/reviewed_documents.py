"""Reviewed documents: each 《…》 of a 审议/审议废止 heading, with its outcome and lead agency."""

from __future__ import annotations

import re

from transform.grammar.names import is_agency
from transform.record import AgendaItem, ReviewedDocument
from transform.vocabulary import LEAD_AGENCY_MARKERS, LEAD_AGENCY_STOPS, OUTCOMES, REVIEW_ACTIONS

_OUTCOME = re.compile("|".join(OUTCOMES))  # alternation order = longest first
_ACTION = re.compile("|".join(REVIEW_ACTIONS))
_LEAD_AGENCY = re.compile(
    rf"(?:{'|'.join(LEAD_AGENCY_MARKERS)})([^，。；：、由请]{{2,30}}?)(?:{'|'.join(LEAD_AGENCY_STOPS)})")
_SENTENCE_END = "。；"


def reviewed_documents(items: list[AgendaItem]) -> list[ReviewedDocument]:
    rows: list[ReviewedDocument] = []
    for item in items:
        if item.kind not in REVIEW_ACTIONS:
            continue
        for start, title in bracketed_titles(item.heading):
            actions = _ACTION.findall(item.heading[:start])
            # why: in 审议《A》，审议废止《B》 each document takes the verb nearest before it
            action = actions[-1] if actions else item.kind
            clause = _clause_naming(item, title)
            rows.append(ReviewedDocument(
                item_no=item.item_no, title=title, action=action,
                # why the heading too: 审议通过《…》 states the outcome where no clause does
                outcome=_outcome(clause, title) or _outcome(item.heading, title),
                lead_agency=_lead_agency(clause, title)))
    return rows


def bracketed_titles(text: str) -> list[tuple[int, str]]:
    """(position, title) of each top-level 《…》; nested 《〈〉》 or 《《》》 stay inside the title."""
    titles: list[tuple[int, str]] = []
    depth, start = 0, 0
    for pos, ch in enumerate(text):
        if ch == "《":
            if depth == 0:
                start = pos
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                titles.append((start, text[start + 1: pos]))
    return titles


def _clause_naming(item: AgendaItem, title: str) -> str:
    """The first clause, unless the document is only named in a later one."""
    texts = [c.text for c in item.clauses]
    if not texts:
        return ""
    return next((t for t in texts if f"《{title}》" in t), texts[0])


def _mask_titles(text: str) -> str:
    # why: a title may itself contain 同意/通过 (《关于同意…的批复》); keep offsets, hide words
    masked = list(text)
    for start, title in bracketed_titles(text):
        masked[start + 1: start + 1 + len(title)] = "□" * len(title)
    return "".join(masked)


def _outcome(clause: str, title: str) -> str | None:
    """The last decision phrase before the document in its sentence (原则同意《A》《B》和《C》
    governs all three; 原则同意废止《X》 is 原则同意); else the clause's first decision phrase."""
    masked = _mask_titles(clause)
    pos = clause.find(f"《{title}》")
    if pos >= 0:
        sentence_start = max(masked.rfind(ch, 0, pos) for ch in _SENTENCE_END) + 1
        before = _OUTCOME.findall(masked, sentence_start, pos)
        if before:
            return before[-1]
    found = _OUTCOME.search(masked)
    return found[0] if found else None


def _lead_agency(clause: str, title: str) -> str | None:
    """The agency in `由<agency>根据/负责/…` or `请<agency>…`, the first one after the document."""
    pos = max(clause.find(f"《{title}》"), 0)
    masked = _mask_titles(clause)
    candidates = [m for m in _LEAD_AGENCY.finditer(masked) if is_agency(m[1])]
    after = [m for m in candidates if m.start() >= pos]
    chosen = (after or candidates or [None])[0]
    return clause[chosen.start(1): chosen.end(1)] if chosen else None
