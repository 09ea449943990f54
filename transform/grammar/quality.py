"""Quality warnings: stable snake_case codes for what did not stop a parse (users filter on them)."""

from __future__ import annotations

NO_COLOPHON = "no_colophon"  # none of 记录 / …整理 / …印发 / 分送 was found
NO_ATTENDANCE = "no_attendance"
NO_AGENDA_ITEMS = "no_agenda_items"
NO_TRANSITION = "no_transition"  # no 会议议定以下意见 (or variant) between opening and items
TEXT_BEFORE_ITEMS = "text_before_items"  # a paragraph between the opening and the first item
ITEMS_OUT_OF_ORDER = "items_out_of_order"  # labels are not 一、二、三… in sequence
CLAUSES_OUT_OF_ORDER = "clauses_out_of_order"
ITEM_WITHOUT_CLAUSES = "item_without_clauses"  # a heading with no （一） under it
UNLABELED_CLAUSE = "unlabeled_clause"  # an item mixes labelled and unlabelled paragraphs
ITEM_COUNT_MISMATCH = "item_count_mismatch"  # "研究了N个议题" disagrees with the items
OPENING_DOCUMENTS_MISMATCH = "opening_documents_mismatch"  # 审议《…》 in the opening vs the items
TRUNCATED = "truncated"  # the text ends inside the items (no attendance, no colophon)
UNRECOGNIZED_TAIL = "unrecognized_tail_paragraph"  # a line after the items that fits no colophon rule
UNSPLIT_ATTENDANCE = "attendance_entry_unsplit"  # neither a name nor agency + name
MEETING_YEAR_INFERRED = "meeting_year_inferred"  # the opening printed no year


def dedupe(warnings: list[str]) -> list[str]:
    """Each code once, in order of discovery."""
    return list(dict.fromkeys(warnings))

# issue 14: a field the document does not give is null, named by one of these; the record keeps
# everything else (only a text that is not minutes at all is quarantined `not_minutes`).
MEETING_YEAR_UNKNOWN = "meeting_year_unknown"  # the opening's M月D日 has no year, nor has anything else
NO_MEETING_DATE = "no_meeting_date"
NO_SESSION_NO = "no_session_no"
NO_CHAIR = "no_chair"
NO_CHAIR_TITLE = "no_chair_title"  # a chair named without an office (a news headline)

# The header fields `meetings.completeness` is the found share of: what every minutes' opening
# states (when, which session, who chaired in which office). The colophon's fields are left out
# on purpose: web-published minutes have none, and their absence says nothing about the style.
# day_period is left out too: many minutes print none (docs/INTERFACE.md: "if printed").
HEADER_FIELDS = ("meeting_date", "session_no", "chair_name", "chair_title")


def completeness(values: dict[str, object]) -> float:
    """Share of HEADER_FIELDS found (not None) in `values` (a meeting's fields by name), 0–1."""
    return round(sum(values.get(name) is not None for name in HEADER_FIELDS) / len(HEADER_FIELDS), 4)
