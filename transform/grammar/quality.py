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
