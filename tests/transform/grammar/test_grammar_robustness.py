"""Whatever lines come in, the grammar returns a record or raises Quarantine, never anything else."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.errors import NOT_MINUTES, Quarantine
from tests.helpers import SEEDS_DIR
from transform.grammar import parse_minutes
from transform.record import DocHints, Paragraph

SEED_LINES = (SEEDS_DIR / "000_6c86f736b66dfdcd.normalized.txt").read_text(encoding="utf-8").splitlines()
FRAGMENTS = ["一、", "（一）", "十一、", "出席：", "列席：", "请假：", "记录：", "整理", "印发", "分送：",
             "《", "》", "审议", "由", "局", "〔2024〕", "号", "主持召开", "会议", "月", "日", "、", "的代表"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(SEED_LINES),
                          st.lists(st.sampled_from(FRAGMENTS)).map("".join),
                          st.text(max_size=30)), max_size=25))
def test_any_lines_give_a_record_or_quarantine(lines: list[str]) -> None:
    paras = [Paragraph(seq=i, text=text) for i, text in enumerate(lines, 1)]
    try:
        record = parse_minutes(paras, DocHints(), "fuzz")
    except Quarantine as bad:
        assert bad.code == NOT_MINUTES
        return
    meeting = record.meeting
    # a parsed record names its meeting somehow; what it lacks is warned about, not invented
    assert meeting.chair_name or meeting.meeting_date or meeting.session_no is not None
    assert meeting.meeting_date or {"no_meeting_date", "meeting_year_unknown"} & set(record.warnings)
    assert meeting.chair_name or "no_chair" in record.warnings
    assert meeting.completeness is not None and 0 <= meeting.completeness <= 1
    assert [i.item_no for i in record.agenda_items] == list(range(1, len(record.agenda_items) + 1))
    record.to_json_dict()
