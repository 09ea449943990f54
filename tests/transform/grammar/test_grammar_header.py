"""The head of the minutes: number, title, opening (date, chair, session), transition, year rules."""

from __future__ import annotations

import datetime as dt

import pytest

from extract.errors import NOT_MINUTES, Quarantine
from tests.transform.grammar.builders import TAIL, Parse, minutes_text

MARCH_5 = dt.date(2024, 3, 5)


@pytest.mark.parametrize(
    ("opening", "chair_name", "chair_title", "session_no", "meeting_date"),
    [
        # title after the name, as the seeds print it
        ("2024年3月5日上午，张明市长主持召开市政府第57次常务会议。", "张明", "市长", 57, MARCH_5),
        # title before the name
        ("2024年3月5日上午，区长戴士福主持召开区政府第3次常务会议。", "戴士福", "区长", 3, MARCH_5),
        ("2024年3月5日上午，胡永光区长主持召开区政府第3次常务会议。", "胡永光", "区长", 3, MARCH_5),
        # party posts before the office, a trailing 同志
        ("2024年3月5日上午，市委副书记、市长钱会同志主持召开市政府第8次常务会议。",
         "钱会", "市长", 8, MARCH_5),
        ("2024年3月5日上午，区委副书记、代区长刘洋主持召开区政府第8次常务会议。",
         "刘洋", "代区长", 8, MARCH_5),
        # acting chairs
        ("2024年3月5日上午，代理区长王晓东主持召开区政府第2次常务会议。", "王晓东", "代理区长", 2, MARCH_5),
        ("2024年3月5日上午，王晓东代区长主持召开区政府第2次常务会议。", "王晓东", "代区长", 2, MARCH_5),
        ("2024年3月5日上午，常务副市长周平主持召开市政府第9次常务会议。", "周平", "常务副市长", 9, MARCH_5),
        # a vice mayor chairing on the mayor's behalf
        ("2024年3月5日下午，受市长委托，副市长陈静主持召开市政府第60次常务会议。",
         "陈静", "副市长", 60, MARCH_5),
        # a location clause, 主持召开了
        ("2024年3月5日上午，区长戴士福在区政府817会议室，主持召开了区政府第4次常务会议。",
         "戴士福", "区长", 4, MARCH_5),
        ("2024年3月5日上午，在县政府第一会议室，县长马骏主持召开县政府第4次常务会议。",
         "马骏", "县长", 4, MARCH_5),
        # session numbers: N次 without 第, 年度, a 届 with Chinese numerals, none at all
        ("2024年3月5日上午，张明市长主持召开市政府12次常务会议。", "张明", "市长", 12, MARCH_5),
        ("2025年3月5日上午，张明市长主持召开市政府2025年度第9次常务会议。",
         "张明", "市长", 9, dt.date(2025, 3, 5)),
        ("2024年3月5日上午，区长戴士福主持召开区第十七届人民政府第1次常务会议。",
         "戴士福", "区长", 1, MARCH_5),
        ("2024年3月5日上午，区长戴士福主持召开区第十七届人民政府第十一次常务会议。",
         "戴士福", "区长", 11, MARCH_5),
        ("2024年3月5日上午，县长马骏主持召开县政府常务会议。", "马骏", "县长", None, MARCH_5),
        # the meeting named first, the chair after it
        ("2024年3月5日上午，市政府召开第12次常务会议，会议由市长张明主持。", "张明", "市长", 12, MARCH_5),
        # the meeting named before the chair, who 主持会议; no year: the October before the
        # colophon's 2024年3月12日
        ("10月20日，区政府第45次常务会议召开，听取安全生产工作汇报。区政府党组书记、区长周建华主持会议。",
         "周建华", "区长", 45, dt.date(2023, 10, 20)),
        # several party posts, 同志, a location without comma, 届 and 次 without 第
        ("2024年9月13日下午，区委常委、区政府党组副书记、副区长林志远同志在区机关大院二楼会议室"
         "主持召开五届104次区政府常务会议。纪要如下：", "林志远", "副区长", 104, dt.date(2024, 9, 13)),
        # a place before the office
        ("2024年3月5日上午，某某市市长张明主持召开市政府第5次常务会议。", "张明", "市长", 5, MARCH_5),
        # compound surname, four characters
        ("2024年3月5日上午，欧阳明华市长主持召开市政府第5次常务会议。", "欧阳明华", "市长", 5, MARCH_5),
    ],
)
def test_opening_variants(parse: Parse, opening: str, chair_name: str, chair_title: str,
                          session_no: int | None, meeting_date: dt.date) -> None:
    meeting = parse(minutes_text(opening=opening)).meeting

    assert (meeting.chair_name, meeting.chair_title) == (chair_name, chair_title)
    assert meeting.session_no == session_no
    assert meeting.meeting_date == meeting_date


@pytest.mark.parametrize(
    "transition",
    ["会议议定以下意见：", "会议议定以下意见", "会议议定以下意见:", "纪要如下：",
     "现将会议讨论研究的有关事项纪要如下。", "会议研究了以下事项："],
)
def test_transition_variants(parse: Parse, transition: str) -> None:
    record = parse(minutes_text(transition=transition))

    assert [item.heading for item in record.agenda_items] == ["审议《某某办法》"]
    assert "no_transition" not in record.warnings
    assert "text_before_items" not in record.warnings


def test_transition_at_the_end_of_the_opening(parse: Parse) -> None:
    opening = "2024年3月5日上午，张明市长主持召开市政府第57次常务会议。现将会议讨论研究的有关事项纪要如下："
    record = parse(minutes_text(opening=opening, transition=""))

    assert len(record.agenda_items) == 1
    assert record.warnings == []


def test_missing_transition_is_a_warning(parse: Parse) -> None:
    record = parse(minutes_text(transition=""))

    assert len(record.agenda_items) == 1
    assert record.warnings == ["no_transition"]


@pytest.mark.parametrize("printed", ["〔2024〕7号", "[2024]7号", "(2024)7号", "（2024）7号", "〔2024〕07号"])
def test_minutes_number_is_canonical(parse: Parse, printed: str) -> None:
    record = parse(minutes_text(front=f"某某市人民政府常务会议纪要\n{printed}"))

    assert record.meeting.minutes_no == "〔2024〕7号"


def test_minutes_number_from_hints(parse: Parse) -> None:
    assert parse(minutes_text(), minutes_no="[2013]4号").meeting.minutes_no == "〔2013〕4号"
    assert parse(minutes_text()).meeting.minutes_no is None


def test_title_from_document_then_hints(parse: Parse) -> None:
    front = "某某市人民政府常务会议纪要\n〔2024〕7号\n市政府第57次常务会议纪要"
    assert parse(minutes_text(front=front)).meeting.title == "市政府第57次常务会议纪要"
    # the masthead alone is not the title
    assert parse(minutes_text(front="某某市人民政府常务会议纪要")).meeting.title is None
    assert parse(minutes_text(), title="市政府第57次常务会议纪要").meeting.title == "市政府第57次常务会议纪要"
    # a page title that is not a minutes title is not used
    assert parse(minutes_text(), title="政府信息公开").meeting.title is None


YEARLESS = "4月24日下午，张明市长主持召开市政府第57次常务会议。"


def test_year_from_the_minutes_number(parse: Parse) -> None:
    record = parse(minutes_text(opening=YEARLESS, front="〔2023〕7号"),
                   published_at=dt.datetime(2024, 5, 1))

    assert record.meeting.meeting_date == dt.date(2023, 4, 24)
    assert record.meeting.day_period == "下午"
    assert "meeting_year_inferred" in record.warnings


def test_year_from_the_publication_date(parse: Parse) -> None:
    record = parse(minutes_text(opening=YEARLESS, tail=""), published_at=dt.datetime(2022, 5, 10, 9, 30))

    assert record.meeting.meeting_date == dt.date(2022, 4, 24)


def test_december_meeting_published_in_january_is_the_year_before(parse: Parse) -> None:
    opening = "12月28日上午，张明市长主持召开市政府第70次常务会议。"
    record = parse(minutes_text(opening=opening, tail=""), published_at=dt.datetime(2024, 1, 8))

    assert record.meeting.meeting_date == dt.date(2023, 12, 28)


def test_year_from_the_colophon_when_nothing_else_gives_it(parse: Parse) -> None:
    # TAIL is compiled and issued in March 2024: an April meeting is the April before
    assert parse(minutes_text(opening=YEARLESS)).meeting.meeting_date == dt.date(2023, 4, 24)
    opening = "3月5日上午，张明市长主持召开市政府第57次常务会议。"
    assert parse(minutes_text(opening=opening)).meeting.meeting_date == dt.date(2024, 3, 5)


def test_no_year_anywhere_leaves_the_date_null_and_keeps_the_rest(parse: Parse) -> None:
    record = parse(minutes_text(opening=YEARLESS, tail=""))

    assert record.status == "parsed"
    assert record.meeting.meeting_date is None
    assert (record.meeting.chair_name, record.meeting.session_no) == ("张明", 57)
    assert [item.heading for item in record.agenda_items] == ["审议《某某办法》"]
    assert "meeting_year_unknown" in record.warnings
    assert "meeting_year_inferred" not in record.warnings


@pytest.mark.parametrize(
    "text",
    [
        "关于做好春节期间安全生产工作的通知\n各区人民政府，市各有关部门：\n现将有关事项通知如下。",
        # a notice citing a meeting that decided it: no meeting is held in this text
        "关于印发某某办法的通知\n《某某办法》已经市政府第5次常务会议审议通过，现印发给你们。",
        # a meeting held, but neither its date nor its chair, and nothing shaped like minutes
        "市政府召开第5次常务会议\n会议强调，要抓好落实。",
        "",
    ],
)
def test_text_that_is_not_minutes_is_quarantined(parse: Parse, text: str) -> None:
    with pytest.raises(Quarantine) as caught:
        parse(text)

    assert caught.value.code == NOT_MINUTES
    assert "\n" not in caught.value.reason


def test_an_opening_is_not_looked_for_in_the_attendance(parse: Parse) -> None:
    with pytest.raises(Quarantine):
        parse(TAIL + "\n2024年3月5日上午，张明市长主持召开市政府第57次常务会议。")


def test_text_between_opening_and_transition_is_not_an_item(parse: Parse) -> None:
    record = parse(minutes_text(transition="会议认为，要抓好落实。\n会议议定以下意见："))

    assert [item.heading for item in record.agenda_items] == ["审议《某某办法》"]
    assert record.warnings == ["text_before_items"]
