"""Agenda items, their kind and clauses, and the reviewed documents of 审议 items."""

from __future__ import annotations

import pytest

from tests.transform.grammar.builders import Parse, minutes_text, paragraphs
from transform.grammar import parse_minutes
from transform.grammar.items import item_kind
from transform.normalize import normalize_text
from transform.record import DocHints
from transform.vocabulary import FALLBACK_KIND, ITEM_KINDS, KIND_VERBS

PLAIN_OPENING = "2024年3月5日上午，张明市长主持召开市政府第57次常务会议。"


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("审议《某某办法》", "审议"),
        ("审议废止《某某办法》", "审议废止"),
        ("听取全市经济运行情况的汇报", "听取"),
        ("传达学习和贯彻落实全省会议精神", "传达学习"),
        ("学习贯彻全省会议精神", "学习贯彻"),
        ("布置安全生产工作", "布置"),
        ("部署安全生产工作", "布置"),
        ("研究城市更新工作", "研究"),
        ("学法：《中华人民共和国行政复议法》", "学法"),
        ("会前学法", "学法"),
        ("其他事项", "其他"),
        ("通报专项督查情况", "其他"),
        ("会议听取了经济运行情况的汇报", "听取"),
        # headings starting 关于 carry the verb later
        ("关于2019年度审计工作报告查出问题整改布置", "布置"),
        ("关于全省会议精神的传达学习", "传达学习"),
        ("关于城市更新工作", "其他"),
    ],
)
def test_kind_is_the_leading_verb_phrase(heading: str, kind: str) -> None:
    assert item_kind(heading) == kind


def test_heading_verbs_give_exactly_the_contract_kinds() -> None:
    """Every kind a heading can get is one of docs/INTERFACE.md §5's, and every one of those is reachable."""
    assert set(KIND_VERBS.values()) == set(ITEM_KINDS)
    assert FALLBACK_KIND in ITEM_KINDS


def test_half_width_punctuation_after_normalization(parse: Parse) -> None:
    raw_lines = [
        "2024年3月5日上午,张明市长主持召开市政府第57次常务会议。",
        "会议议定以下意见:",
        "一、审议《某某办法》",
        "(一)原则同意《某某办法》。由市司法局根据会议意见修改完善后按程序印发。",
        "(二)各地各部门要抓好落实。",
    ]
    record = parse("\n".join(normalize_text(line) for line in raw_lines))

    item = record.agenda_items[0]
    assert [c.text[:3] for c in item.clauses] == ["（一）", "（二）"]
    assert record.meeting.chair_name == "张明"
    assert "no_transition" not in record.warnings


def test_items_past_ten(parse: Parse) -> None:
    labels = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
    items = "\n".join(f"{label}、研究事项{n}\n（一）会议同意。" for n, label in enumerate(labels, 1))
    record = parse(minutes_text(items=items))

    assert [i.item_no for i in record.agenda_items] == list(range(1, 13))
    assert record.agenda_items[11].heading == "研究事项12"
    assert "items_out_of_order" not in record.warnings


def test_items_out_of_order_are_kept_in_reading_order(parse: Parse) -> None:
    items = "一、研究甲\n（一）同意。\n三、研究丙\n（一）同意。\n二、研究乙\n（一）同意。"
    record = parse(minutes_text(items=items))

    headings = [(i.item_no, i.heading) for i in record.agenda_items]
    assert headings == [(1, "研究甲"), (2, "研究丙"), (3, "研究乙")]
    assert "items_out_of_order" in record.warnings


def test_clauses_keep_their_label_and_pages() -> None:
    text = minutes_text()
    paras = paragraphs(text)
    for para in paras:
        para.page_start = para.page_end = para.seq  # one page per paragraph, to see provenance
    paras[3].page_end = 5  # the first clause runs over a page break

    record = parse_minutes(paras, DocHints(), "doc")

    first, second = record.agenda_items[0].clauses
    assert first.text.startswith("（一）原则同意")
    assert (first.clause_no, first.page_start, first.page_end) == (1, 4, 5)
    assert (second.clause_no, second.page_start, second.page_end) == (2, 5, 5)


def test_item_without_clauses_keeps_its_body_and_warns(parse: Parse) -> None:
    items = ("一、听取经济运行情况的汇报\n会议原则同意市发改委的汇报。\n要抓好下一步工作。\n"
             "二、研究其他事项\n（一）同意。")
    record = parse(minutes_text(opening=PLAIN_OPENING, items=items))

    first = record.agenda_items[0]
    assert [c.text for c in first.clauses] == ["会议原则同意市发改委的汇报。", "要抓好下一步工作。"]
    assert record.warnings == ["item_without_clauses"]


def test_heading_without_any_body(parse: Parse) -> None:
    record = parse(minutes_text(items="一、研究甲\n（一）同意。\n二、其他事项"))

    assert record.agenda_items[1].clauses == []
    assert "item_without_clauses" in record.warnings


def test_unlabelled_paragraph_continues_the_clause(parse: Parse) -> None:
    items = "一、研究甲\n（一）同意。\n具体要求如下：按期完成。\n（二）抓好落实。"
    clauses = parse(minutes_text(items=items)).agenda_items[0].clauses

    assert [c.text for c in clauses] == ["（一）同意。\n具体要求如下：按期完成。", "（二）抓好落实。"]


def test_several_documents_in_one_heading(parse: Parse) -> None:
    opening = ("2024年3月5日上午，张明市长主持召开市政府第57次常务会议，"
               "审议《甲办法》《乙规划（2021～2025年）》和《丙方案》。")
    items = (
        "一、审议《甲办法》《乙规划（2021～2025年）》和《丙方案》\n"
        "（一）原则同意《甲办法》《乙规划（2021～2025年）》和《丙方案》。由市发改委根据会议意见修改后印发。\n"
        "（二）抓好落实。"
    )
    record = parse(minutes_text(opening=opening, items=items))

    rows = [(d.item_no, d.title, d.action, d.outcome, d.lead_agency) for d in record.reviewed_documents]
    assert rows == [
        (1, "甲办法", "审议", "原则同意", "市发改委"),
        (1, "乙规划（2021～2025年）", "审议", "原则同意", "市发改委"),
        (1, "丙方案", "审议", "原则同意", "市发改委"),
    ]
    assert record.warnings == []


def test_each_document_takes_its_own_decision_and_agency(parse: Parse) -> None:
    items = (
        "一、审议《甲办法》，审议废止《关于同意设立某某的批复》\n"
        "（一）同意《甲办法》，由区司法局负责解释；原则同意废止《关于同意设立某某的批复》。\n"
    )
    rows = parse(minutes_text(items=items)).reviewed_documents

    assert [(d.title, d.action, d.outcome, d.lead_agency) for d in rows] == [
        ("甲办法", "审议", "同意", "区司法局"),
        # 同意 inside the title is not the decision; no agency follows this document
        ("关于同意设立某某的批复", "审议废止", "原则同意", "区司法局"),
    ]


def test_document_named_only_in_a_later_clause_and_generic_decision(parse: Parse) -> None:
    items = "一、审议《甲办法》\n（一）会议原则通过该办法。\n（二）抓好落实。"
    (row,) = parse(minutes_text(items=items)).reviewed_documents

    assert (row.title, row.outcome, row.lead_agency) == ("甲办法", "原则通过", None)


def test_documents_of_other_kinds_are_not_reviewed(parse: Parse) -> None:
    items = "一、学法：《中华人民共和国行政复议法》\n（一）会议学习了《中华人民共和国行政复议法》。"
    assert parse(minutes_text(items=items)).reviewed_documents == []


def test_opening_announcing_other_documents_warns(parse: Parse) -> None:
    opening = "2024年3月5日上午，张明市长主持召开市政府第57次常务会议，审议《某某办法》《另一办法》。"
    record = parse(minutes_text(opening=opening))

    assert record.warnings == ["opening_documents_mismatch"]


def test_opening_counting_other_items_warns(parse: Parse) -> None:
    opening = "2024年3月5日上午，张明市长主持召开市政府第57次常务会议，研究了3个议题。"
    assert parse(minutes_text(opening=opening)).warnings == ["item_count_mismatch"]
    opening = "2024年3月5日上午，张明市长主持召开市政府第57次常务会议，研究了一个议题。"
    assert parse(minutes_text(opening=opening)).warnings == []


def test_district_minutes_with_unlabelled_bodies_and_a_closing_remark(parse: Parse) -> None:
    text = """\
2024年9月13日下午，副区长林志远在区政府二楼会议室主持召开五届104次区政府常务会议。纪要如下：
一、审议《东湖区生态环境保护工作责任清单（送审稿）》
会议听取了区生态环境分局关于《东湖区生态环境保护工作责任清单（送审稿）》的汇报。会议原则同意该《责任清单》，按会议精神修改完善后印发。
二、听取航展服务保障情况汇报，研究相关工作
会议听取了区城管执法局关于航展服务保障工作的汇报。
会议还研究了其他事项。"""
    record = parse(text, published_at=None)

    assert record.meeting.session_no == 104
    assert [(i.kind, len(i.clauses)) for i in record.agenda_items] == [("审议", 1), ("听取", 1)]
    (row,) = record.reviewed_documents
    assert row.title == "东湖区生态环境保护工作责任清单（送审稿）"
    assert (row.outcome, row.lead_agency) == ("原则同意", None)
    assert record.warnings == ["item_without_clauses", "no_attendance", "no_colophon"]


@pytest.mark.parametrize(
    ("clause", "lead_agency"),
    [
        ("（一）原则同意《甲办法》。由市工信局根据会议意见修改完善后提请市委深改委审议。", "市工信局"),
        ("（一）原则同意《甲办法》。请市发改委会同市财政局抓紧修改后印发。", "市发改委"),
        ("（一）原则同意《甲办法》，修改完善后提请市委深改委审议。", None),
        ("（一）原则同意《甲办法》。由各地各部门抓好落实。", None),
    ],
)
def test_lead_agency(parse: Parse, clause: str, lead_agency: str | None) -> None:
    (row,) = parse(minutes_text(items=f"一、审议《甲办法》\n{clause}")).reviewed_documents

    assert row.lead_agency == lead_agency
