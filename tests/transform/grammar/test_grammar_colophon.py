"""The colophon and the quality warnings of incomplete documents."""

from __future__ import annotations

import datetime as dt

from tests.transform.grammar.builders import ITEMS, TAIL, Parse, minutes_text


def test_colophon_fields(parse: Parse) -> None:
    meeting = parse(minutes_text()).meeting

    assert meeting.recorder == "孙丽"
    assert (meeting.compiled_by, meeting.compiled_date) == ("某某市人民政府办公室", dt.date(2024, 3, 12))
    assert (meeting.issued_by, meeting.issued_date) == ("某某市人民政府办公室", dt.date(2024, 3, 13))
    assert meeting.disclosure == "此件公开发布"


def test_distribution_splits_on_commas_and_semicolons_not_on_enumeration_commas(parse: Parse) -> None:
    tail = "分送：各市、区人民政府，某某工业园区、某某高新区管委会；市各有关部门和单位。\n抄送：市委办公室。"
    record = parse(minutes_text(tail=tail))

    assert record.distribution == ["各市、区人民政府", "某某工业园区、某某高新区管委会", "市各有关部门和单位",
                                   "市委办公室"]


def test_complete_document_has_no_warnings(parse: Parse) -> None:
    assert parse(minutes_text()).warnings == []


def test_no_colophon(parse: Parse) -> None:
    record = parse(minutes_text(tail="出席：张明 李华"))

    assert record.warnings == ["no_colophon"]
    assert record.meeting.recorder is None and record.distribution == []


def test_truncated_document_is_parsed_with_warnings(parse: Parse) -> None:
    items = ITEMS + "\n二、研究城市更新工作\n（一）会议原则同意市住建局关于城市更新"
    record = parse(minutes_text(items=items, tail=""))

    assert record.status == "parsed"
    assert [i.heading for i in record.agenda_items] == ["审议《某某办法》", "研究城市更新工作"]
    assert record.warnings == ["no_attendance", "no_colophon", "truncated"]


def test_text_cut_mid_sentence_before_a_surviving_tail(parse: Parse) -> None:
    items = ITEMS + "\n二、研究城市更新工作\n（一）会议原则同意市住建局关于"
    record = parse(minutes_text(items=items, tail=TAIL.split("\n", 2)[2]))  # attendance lost

    assert record.warnings == ["no_attendance", "truncated"]


def test_unrecognized_line_in_the_tail_warns(parse: Parse) -> None:
    record = parse(minutes_text(tail=TAIL + "\n附件：某某清单。"))

    assert record.warnings == ["unrecognized_tail_paragraph"]
    assert record.meeting.issued_by == "某某市人民政府办公室"


def test_document_ending_on_a_bare_heading_is_truncated(parse: Parse) -> None:
    record = parse(minutes_text(items=ITEMS + "\n二、研究城市更新工作", tail=""))

    assert record.warnings == ["item_without_clauses", "no_attendance", "no_colophon", "truncated"]
