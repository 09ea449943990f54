"""Whole documents through the one pipeline (bytes -> record): pages in traditional characters with
pinyin glosses, and the new forms printed with ASCII punctuation where full-width belongs."""

from __future__ import annotations

import datetime as dt

from pipeline.document import document_id, process_document
from transform.simplify import simplified, strip_pinyin_glosses, to_simplified

TRADITIONAL = """\
區(qū)政府第12次常務會議紀要
2024年3月5日上午，區長張明主持召開區政府第12次常務會議。
會議議定以下意見：
一、審議《某某辦法》
（一）原則同意《某某辦法》。由區司法局根據會議意見修改完善後按程序印發。
出席：張明 李華 王強
列席：區司法局趙剛
記錄：孫麗
"""


def test_traditional_page_reads_as_simplified_and_keeps_its_bytes() -> None:
    data = TRADITIONAL.encode("utf-8")
    record = process_document(data, ".txt")

    assert record.status == "parsed"
    assert record.doc_id == document_id(data)  # the id, like the raw store, is of the bytes as fetched
    meeting = record.meeting
    assert (meeting.chair_name, meeting.chair_title, meeting.session_no) == ("张明", "区长", 12)
    assert meeting.title == "区政府第12次常务会议纪要"
    assert meeting.recorder == "孙丽"
    (row,) = record.reviewed_documents
    assert (row.title, row.outcome, row.lead_agency) == ("某某办法", "原则同意", "区司法局")
    sitting_in = [(a.organization, a.person_name) for a in record.attendance if a.role == "列席"]
    assert sitting_in == [("区司法局", "赵刚")]
    assert record.paragraphs[0].text == "区政府第12次常务会议纪要"  # the gloss is gone


def test_traditional_html_page_and_its_title() -> None:
    body = "".join(f"<p>{line}</p>" for line in TRADITIONAL.splitlines()[1:])
    html = (f"<html><head><title>區政府第12次常務會議紀要</title></head>"
            f"<body><div id='zoom'>{body}</div></body></html>")
    record = process_document(html.encode("utf-8"), ".html")

    assert record.meeting.title == "区政府第12次常务会议纪要"
    assert record.meeting.chair_name == "张明"


def test_simplified_text_is_left_as_it_is() -> None:
    # 乾 and 於 are converted by t2s, yet are simplified text here (names, set phrases)
    lines = ["乾县人民政府常务会议纪要", "于是王於明区长主持召开会议。", "某某（PPP）项目"]
    assert to_simplified(lines) == lines
    assert simplified(None) is None


def test_pinyin_glosses() -> None:
    assert strip_pinyin_glosses("區(qū)政（zhèng）府(fu3)") == "區政府"
    assert strip_pinyin_glosses("实施（PPP）项目（app）") == "实施（PPP）项目（app）"


ASCII_PUNCTUATION = """\
2024年3月5日上午,区长张明主持召开区政府第12次常务会议.
会议议题:一、审议《某某办法》;二、听取防汛工作汇报.
列席情况:区发改委赵刚、区财政局钱伟
会议议定事项:
一、审议《某某办法》
会议议定:原则同意,由区司法局根据会议意见修改完善后按程序印发。
二、听取防汛工作汇报
会议议定:原则同意区水务局的汇报(附件略)。
"""


def test_new_forms_with_ascii_punctuation() -> None:
    record = process_document(ASCII_PUNCTUATION.encode("utf-8"), ".txt")

    assert record.meeting.meeting_date == dt.date(2024, 3, 5)
    assert [i.heading for i in record.agenda_items] == ["审议《某某办法》", "听取防汛工作汇报"]
    assert record.agenda_items[1].clauses[0].text == "会议议定：原则同意区水务局的汇报（附件略）。"
    assert record.reviewed_documents[0].lead_agency == "区司法局"
    assert [a.person_name for a in record.attendance] == ["赵刚", "钱伟"]
    assert "item_count_mismatch" not in record.warnings


def test_header_block_with_ascii_colons_and_a_page_header() -> None:
    text = ("来源:某某县人民政府网站 日期:2024-03-08 10:20:30\n"
            "县政府第3次常务会议纪要\n"
            "时间:3月5日上午 地点:县政府第一会议室 主持人:县长马骏 出席:马骏、李华 记录:孙丽\n"
            "一、审议《某某办法》\n（一）原则同意。\n")
    record = process_document(text.encode("utf-8"), ".txt")

    meeting = record.meeting
    assert (meeting.meeting_date, meeting.chair_name, meeting.session_no) == (dt.date(2024, 3, 5), "马骏", 3)
    assert [f.kind for f in record.furniture] == ["page_header"]
    assert record.paragraphs[0].text == "县政府第3次常务会议纪要"
