"""Other places' house styles (issue 14), each from a sample written for the test: the fields the
grammar must read, and the null-with-a-warning it must give where a style leaves a field out."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.transform.grammar.builders import ITEMS, TAIL, Parse, minutes_text
from transform.grammar.items import split_inline_clauses

MARCH_5 = dt.date(2024, 3, 5)
LEDE = "2024年3月5日上午，区委副书记、区长张明主持召开区政府第12次常务会议。"


@pytest.mark.parametrize(
    ("text", "date", "chair", "session"),
    [
        # a news headline over its lede: the lede dates it, both name the chair
        (f"张明主持召开区政府第12次常务会议\n{LEDE}", MARCH_5, ("张明", "区长"), 12),
        # a headline with no chair, the lede under it with no session number
        ("市政府召开第8次常务会议\n3月5日上午，市长李华主持召开市政府常务会议。",
         MARCH_5, ("李华", "市长"), 8),  # the year from the colophon (March 2024)
        # the meeting and the place first, the date inside, the chair after
        ("区政府第12次常务会议于2024年3月5日上午在区行政中心召开，区长张明主持会议。",
         MARCH_5, ("张明", "区长"), 12),
        ("在区政府第一会议室，2024年3月5日（星期二）上午，副区长王强主持召开区政府第12次常务会议。",
         MARCH_5, ("王强", "副区长"), 12),
        # session forms
        ("2024年3月5日上午，区长张明主持召开五届104次区政府常务会议。", MARCH_5, ("张明", "区长"), 104),
        ("2024年3月5日上午，区长张明主持召开区第十七届人民政府第1次常务会议。", MARCH_5, ("张明", "区长"), 1),
        ("2025年3月5日上午，市长李华主持召开市政府2025年度第9次常务会议。",
         dt.date(2025, 3, 5), ("李华", "市长"), 9),
        ("2024年3月5日上午，区长张明主持召开第6次区政府常务会议。", MARCH_5, ("张明", "区长"), 6),
        # chairs: acting, a vice head without 受…委托, 同志, party posts before the office
        ("2024年3月5日上午，代区长刘洋主持召开区政府第3次常务会议。", MARCH_5, ("刘洋", "代区长"), 3),
        ("2024年3月5日上午，刘洋代理区长主持召开区政府第3次常务会议。", MARCH_5, ("刘洋", "代理区长"), 3),
        ("2024年3月5日下午，副县长周平主持召开县政府第3次常务会议。", MARCH_5, ("周平", "副县长"), 3),
        ("2024年3月5日上午，县长周平同志主持召开县政府第3次常务会议。", MARCH_5, ("周平", "县长"), 3),
        ("2024年3月5日上午，市委副书记、市政府党组书记、市长李华同志主持召开市政府第3次常务会议。",
         MARCH_5, ("李华", "市长"), 3),
        # ASCII punctuation where full-width belongs, as normalization leaves it (widened)
        ("2024年3月5日（星期二）上午，区长张明主持召开区政府第12次常务会议。", MARCH_5, ("张明", "区长"), 12),
    ],
)
def test_opening_forms(parse: Parse, text: str, date: dt.date, chair: tuple[str, str],
                      session: int) -> None:
    record = parse(minutes_text(opening=text))
    meeting = record.meeting

    assert meeting.meeting_date == date
    assert (meeting.chair_name, meeting.chair_title) == chair
    assert meeting.session_no == session
    assert meeting.completeness == 1.0
    assert [i.heading for i in record.agenda_items] == ["审议《某某办法》"]


def test_headline_alone_names_the_chair_without_office(parse: Parse) -> None:
    text = minutes_text(opening="张明主持召开区政府第12次常务会议\n会议于3月5日上午召开。", tail=TAIL)
    meeting = parse(text).meeting

    assert (meeting.chair_name, meeting.chair_title, meeting.session_no) == ("张明", None, 12)
    assert meeting.completeness == 0.5  # no date in a sentence naming the meeting; no office


AGENDA_FORM = """\
2024年3月5日上午，区长张明主持召开区政府第12次常务会议。
会议议题：一、审议《某某办法》；二、听取关于防汛工作的汇报。
列席情况：区发改委赵刚、区财政局钱伟
会议议定事项：
一、审议《某某办法》
会议议定：原则同意，由区司法局根据会议意见修改完善后按程序印发。
二、听取关于防汛工作的汇报
会议议定：原则同意区水务局的汇报。"""


def test_agenda_list_attendance_before_items_and_per_item_decisions(parse: Parse) -> None:
    record = parse(AGENDA_FORM + "\n记录：孙丽")

    assert [(i.kind, i.heading) for i in record.agenda_items] == [
        ("审议", "审议《某某办法》"), ("听取", "听取关于防汛工作的汇报")]
    assert [c.text for c in record.agenda_items[0].clauses] == [
        "会议议定：原则同意，由区司法局根据会议意见修改完善后按程序印发。"]
    (row,) = record.reviewed_documents
    assert (row.title, row.outcome, row.lead_agency) == ("某某办法", "原则同意", "区司法局")
    assert [(a.role, a.organization, a.person_name) for a in record.attendance] == [
        ("列席", "区发改委", "赵刚"), ("列席", "区财政局", "钱伟")]
    assert record.meeting.recorder == "孙丽"
    assert record.warnings == ["no_colophon"] or set(record.warnings) <= {"no_colophon"}


def test_agenda_list_counting_other_items_warns(parse: Parse) -> None:
    text = AGENDA_FORM.replace("二、听取关于防汛工作的汇报。", "二、听取甲；三、听取乙。")
    assert "item_count_mismatch" in parse(text).warnings


@pytest.mark.parametrize(
    "block",
    [
        # one label a line
        "时间：2024年3月5日上午\n地点：区政府第一会议室\n主持人：张明（区长）\n出席：张明 李华 王强\n"
        "列席：区司法局赵刚 区财政局钱伟\n记录：孙丽",
        # all on one line, as a web page prints it; ASCII colons widened by normalization
        "时间：2024年3月5日（星期二）上午 地点：区政府第一会议室 主持人：区长张明 出席：张明、李华、王强 "
        "列席：区司法局赵刚、区财政局钱伟 记录：孙丽",
    ],
)
def test_header_block_instead_of_an_opening(parse: Parse, block: str) -> None:
    text = f"区政府第12次常务会议纪要\n{block}\n{ITEMS}"
    record = parse(text)
    meeting = record.meeting

    assert record.status == "parsed"
    assert (meeting.meeting_date, meeting.day_period) == (MARCH_5, "上午")
    assert (meeting.chair_name, meeting.chair_title) == ("张明", "区长")
    assert meeting.session_no == 12  # from the title
    assert meeting.title == "区政府第12次常务会议纪要"
    assert meeting.recorder == "孙丽"
    assert [(a.role, a.organization, a.person_name) for a in record.attendance] == [
        ("出席", None, "张明"), ("出席", None, "李华"), ("出席", None, "王强"),
        ("列席", "区司法局", "赵刚"), ("列席", "区财政局", "钱伟")]
    assert [i.heading for i in record.agenda_items] == ["审议《某某办法》"]
    assert "no_transition" not in record.warnings


def test_unnumbered_items_one_paragraph_each(parse: Parse) -> None:
    items = ("会议审议通过《某某办法》。\n会议听取了区应急局关于安全生产工作的汇报，要求各部门压实责任。\n"
             "各街道要做好排查。\n会议还研究了其他事项。")
    record = parse(minutes_text(transition="", items=items, tail=""))

    assert [(i.kind, i.heading) for i in record.agenda_items] == [
        ("审议", "审议通过《某某办法》"),
        ("听取", "听取了区应急局关于安全生产工作的汇报，要求各部门压实责任")]
    # an unlabelled paragraph after it continues the item's paragraph, as under numbered items
    assert [c.text for c in record.agenda_items[1].clauses] == [
        "会议听取了区应急局关于安全生产工作的汇报，要求各部门压实责任。\n各街道要做好排查。"]
    (row,) = record.reviewed_documents
    assert (row.title, row.action, row.outcome) == ("某某办法", "审议", "通过")
    assert "item_without_clauses" not in record.warnings


def test_items_numbered_only_in_parentheses_on_their_own_lines(parse: Parse) -> None:
    items = "（一）\n审议《某某办法》\n会议原则同意该办法。\n（二）\n听取防汛工作汇报\n会议要求抓好落实。"
    record = parse(minutes_text(items=items))

    assert [(i.item_no, i.kind, i.heading) for i in record.agenda_items] == [
        (1, "审议", "审议《某某办法》"), (2, "听取", "听取防汛工作汇报")]
    assert [c.text for c in record.agenda_items[1].clauses] == ["会议要求抓好落实。"]
    assert record.reviewed_documents[0].outcome == "原则同意"


def test_parenthesized_item_headings_with_the_heading_inline(parse: Parse) -> None:
    items = "（一）审议《某某办法》。会议原则同意。\n（二）听取防汛工作汇报。"
    record = parse(minutes_text(items=items))

    assert [i.heading for i in record.agenda_items] == ["审议《某某办法》", "听取防汛工作汇报"]
    assert [c.text for c in record.agenda_items[0].clauses] == ["会议原则同意。"]


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("会议要求，一是加强领导；二是压实责任；三是抓好落实。",
         ["会议要求，", "一是加强领导；", "二是压实责任；", "三是抓好落实。"]),
        ("一要提高站位，二要细化措施。", ["一要提高站位，", "二要细化措施。"]),
        ("会议要求：（1）加强领导；（2）抓好落实。", ["会议要求：", "（1）加强领导；", "（2）抓好落实。"]),
        # one point alone, or 一是 inside a word, is no enumeration
        ("会议要求，一是加强领导。", ["会议要求，一是加强领导。"]),
        ("要坚持统一是基础，二是保障。", ["要坚持统一是基础，二是保障。"]),
    ],
)
def test_inline_clauses(text: str, pieces: list[str]) -> None:
    assert split_inline_clauses(text) == pieces


def test_inline_clauses_become_the_items_clauses(parse: Parse) -> None:
    items = "一、审议《某某办法》\n会议原则同意《某某办法》。会议要求，一是加强领导；二是抓好落实。"
    record = parse(minutes_text(items=items))

    assert [c.text for c in record.agenda_items[0].clauses] == [
        "会议原则同意《某某办法》。会议要求，", "一是加强领导；", "二是抓好落实。"]
    assert record.reviewed_documents[0].outcome == "原则同意"
    assert "item_without_clauses" not in record.warnings


def test_inline_points_inside_a_numbered_clause_stay_in_it(parse: Parse) -> None:
    items = "一、研究甲\n（一）会议要求，一是加强领导；二是抓好落实。"
    clauses = parse(minutes_text(items=items)).agenda_items[0].clauses

    assert [c.text for c in clauses] == ["（一）会议要求，一是加强领导；二是抓好落实。"]


# --- degrade, never discard ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "missing", "warning", "completeness"),
    [
        ("张明市长主持召开市政府第57次常务会议，审议《某某办法》。", "meeting_date", "no_meeting_date",
         0.75),
        # no chair: neither name nor office
        ("2024年3月5日上午，召开市政府第57次常务会议。", "chair_name", "no_chair", 0.5),
        ("2024年3月5日上午，张明市长主持召开市政府常务会议。", "session_no", "no_session_no", 0.75),
        ("2024年2月30日上午，张明市长主持召开市政府第57次常务会议。", "meeting_date", "no_meeting_date",
         0.75),
        ("4月24日下午，张明市长主持召开市政府第57次常务会议。", "meeting_date", "meeting_year_unknown", 0.75),
    ],
)
def test_a_missing_field_is_null_with_a_warning(parse: Parse, opening: str, missing: str, warning: str,
                                                completeness: float) -> None:
    record = parse(minutes_text(opening=opening, tail=TAIL.split("\n记录")[0]))

    assert record.status == "parsed"
    assert getattr(record.meeting, missing) is None
    assert warning in record.warnings
    assert record.meeting.completeness == completeness
    assert [i.heading for i in record.agenda_items] == ["审议《某某办法》"]
    assert record.reviewed_documents[0].outcome == "原则同意"
    assert len(record.attendance) == 5
    record.to_json_dict()  # nulls serialize


# --- the page's header ----------------------------------------------------------------------------

YEARLESS_OPENING = "12月28日上午，张明市长主持召开市政府第70次常务会议。"


@pytest.mark.parametrize(
    ("header", "date"),
    [
        ("来源：某某区人民政府网站 日期：2024-01-06 10:20:30", dt.date(2023, 12, 28)),
        ("发布时间：2024年01月06日", dt.date(2023, 12, 28)),
        ("索引号：000-2024-0001 发布机构：某某区人民政府办公室 生成日期：2024/12/30", dt.date(2024, 12, 28)),
        ("公开日期：2024.12.30 浏览次数：15", dt.date(2024, 12, 28)),
        ("时间：2024-01-08 09:00", dt.date(2023, 12, 28)),
        ("发布日期：2024-01-06\n字号：大 中 小", dt.date(2023, 12, 28)),
    ],
)
def test_publication_date_from_the_page_header(parse: Parse, header: str, date: dt.date) -> None:
    record = parse(minutes_text(front=header, opening=YEARLESS_OPENING, tail=""))

    assert record.meeting.meeting_date == date
    assert "meeting_year_inferred" in record.warnings
    # the header is not the minutes' text; it is kept apart as furniture
    assert record.paragraphs[0].text == YEARLESS_OPENING
    assert [p.seq for p in record.paragraphs] == list(range(1, len(record.paragraphs) + 1))
    assert [f.text for f in record.furniture] == header.split("\n")
    assert {f.kind for f in record.furniture} == {"page_header"}


def test_the_publishers_hint_wins_over_the_page_text(parse: Parse) -> None:
    text = minutes_text(front="日期：2025-01-06 10:20:30", opening=YEARLESS_OPENING, tail="")
    assert parse(text, published_at=dt.datetime(2022, 1, 3)).meeting.meeting_date == dt.date(2021, 12, 28)


def test_meeting_time_label_is_not_a_publication_date(parse: Parse) -> None:
    text = "时间：2024年3月5日上午\n主持人：区长张明\n" + ITEMS
    record = parse(text)
    assert record.furniture == []
    assert record.meeting.meeting_date == MARCH_5
