"""Attendance blocks: members by name, 列席 entries split into organization + person, delegations."""

from __future__ import annotations

import pytest

from tests.transform.grammar.builders import Parse, minutes_text, paragraphs
from transform.grammar import parse_minutes
from transform.grammar.names import is_person_name, split_agency_person
from transform.normalize import looks_like_entry
from transform.record import DocHints, MinutesRecord
from transform.vocabulary import AGENCY_SUFFIXES

COLOPHON = "记录：孙丽\n某某市人民政府办公室 2024年3月13日印发"


def rows(record: MinutesRecord, role: str) -> list[tuple[int, str | None, str | None, str]]:
    return [(a.seq, a.organization, a.person_name, a.raw) for a in record.attendance if a.role == role]


def test_three_blocks_each_counted_from_one(parse: Parse) -> None:
    tail = "出席：张明 李华 王强\n列席：市检察院王勇 赵刚\n请假：周平 市财政局钱伟\n" + COLOPHON
    record = parse(minutes_text(tail=tail))

    assert rows(record, "出席") == [(1, None, "张明", "张明"), (2, None, "李华", "李华"),
                                   (3, None, "王强", "王强")]
    assert rows(record, "列席") == [(1, "市检察院", "王勇", "市检察院王勇"), (2, None, "赵刚", "赵刚")]
    assert rows(record, "请假") == [(1, None, "周平", "周平"), (2, "市财政局", "钱伟", "市财政局钱伟")]
    assert "no_attendance" not in record.warnings


@pytest.mark.parametrize(
    ("entry", "organization", "person"),
    [
        ("市教育局朱向峰", "市教育局", "朱向峰"),
        ("市委组织部胡卫江", "市委组织部", "胡卫江"),
        ("区委办张三", "区委办", "张三"),
        ("市人大常委会预算工委徐才", "市人大常委会预算工委", "徐才"),
        ("市“331”专班李玉琪", "市“331”专班", "李玉琪"),
        ("某某海关刘卫言", "某某海关", "刘卫言"),
        ("某某供电公司蔡云峰", "某某供电公司", "蔡云峰"),
        ("某某轨道交通集团姚振康", "某某轨道交通集团", "姚振康"),
        ("人行某某中支郑文清", "人行某某中支", "郑文清"),
        ("某某银保监分局王矗", "某某银保监分局", "王矗"),
        ("市消防救援支队朱亚明", "市消防救援支队", "朱亚明"),
        ("某某县陈卫兵", "某某县", "陈卫兵"),
        ("东湖区李卫珍", "东湖区", "李卫珍"),
        # compound surnames, three and four characters
        ("市商务局欧阳明", "市商务局", "欧阳明"),
        ("市商务局欧阳明华", "市商务局", "欧阳明华"),
        ("市审计局司马光远", "市审计局", "司马光远"),
        ("上官婉儿", None, "上官婉儿"),
        # bare names stay person-only; an organization alone stays organization-only
        ("张剑", None, "张剑"),
        ("陈春明", None, "陈春明"),
        ("某某工业园区管委会", "某某工业园区管委会", None),
    ],
)
def test_entry_split(entry: str, organization: str | None, person: str | None) -> None:
    assert split_agency_person(entry) == (organization, person)


@pytest.mark.parametrize("suffix", AGENCY_SUFFIXES)
def test_normalization_and_grammar_read_entries_by_the_same_suffixes(suffix: str) -> None:
    """Where normalization sees a whole `organization+person` entry at a line end, the grammar
    splits it there too (one suffix list serves both)."""
    entry = f"某某{suffix}张伟"
    assert looks_like_entry(entry)
    assert split_agency_person(entry) == (f"某某{suffix}", "张伟")


def test_name_rule() -> None:
    assert is_person_name("王勇") and is_person_name("朱向峰") and is_person_name("诸葛明亮")
    assert not is_person_name("张王明亮")  # four characters need a compound surname
    assert not is_person_name("王") and not is_person_name("管委会") and not is_person_name("王1")


def test_compound_surnames_and_four_character_names_in_blocks(parse: Parse) -> None:
    tail = "出席：欧阳明华 司马南 张明\n列席：市审计局司马光远 市商务局欧阳明\n" + COLOPHON
    record = parse(minutes_text(tail=tail))

    assert [a.person_name for a in record.attendance if a.role == "出席"] == ["欧阳明华", "司马南", "张明"]
    assert rows(record, "列席") == [(1, "市审计局", "司马光远", "市审计局司马光远"),
                                   (2, "市商务局", "欧阳明", "市商务局欧阳明")]


def test_delegation_gives_one_row_per_organization(parse: Parse) -> None:
    tail = "列席：市财政局钱伟 市纪委监委、某某工业园区的代表\n" + COLOPHON
    record = parse(minutes_text(tail=tail))

    raw = "市纪委监委、某某工业园区的代表"
    assert rows(record, "列席") == [(1, "市财政局", "钱伟", "市财政局钱伟"),
                                   (2, "市纪委监委", None, raw), (3, "某某工业园区", None, raw)]


def test_attendance_entry_split_across_pages() -> None:
    # the normalizer rejoined 市\n教育局朱向峰 over a page break: one paragraph on pages 3-4
    paras = paragraphs(minutes_text(tail="列席：市财政局钱伟 市教育局朱向峰 张剑\n" + COLOPHON), page=3)
    block = next(p for p in paras if p.text.startswith("列席"))
    block.page_end = 4

    record = parse_minutes(paras, DocHints(), "doc")

    assert rows(record, "列席")[1] == (2, "市教育局", "朱向峰", "市教育局朱向峰")
    assert record.paragraphs[block.seq - 1].page_end == 4


def test_block_broken_into_two_paragraphs_is_rejoined(parse: Parse) -> None:
    tail = "列席：市财政局钱伟 市教育局朱向峰\n张剑 市检察院王勇\n" + COLOPHON
    record = parse(minutes_text(tail=tail))

    assert [a.seq for a in record.attendance] == [1, 2, 3, 4]
    assert record.attendance[3].organization == "市检察院"
    assert "unrecognized_tail_paragraph" not in record.warnings


def test_entry_that_is_neither_name_nor_agency_warns(parse: Parse) -> None:
    record = parse(minutes_text(tail="列席：市财政局钱伟 ？？\n" + COLOPHON))

    assert rows(record, "列席")[1] == (2, None, None, "？？")
    assert "attendance_entry_unsplit" in record.warnings


def test_a_role_printed_in_two_blocks_keeps_counting(parse: Parse) -> None:
    tail = "列席：张剑 沈明\n列席：市财政局钱伟\n" + COLOPHON
    assert rows(parse(minutes_text(tail=tail)), "列席") == [
        (1, None, "张剑", "张剑"), (2, None, "沈明", "沈明"), (3, "市财政局", "钱伟", "市财政局钱伟")]


def test_entries_separated_by_enumeration_commas(parse: Parse) -> None:
    # web articles list entries with 、 or ，; a delegation keeps its 、
    tail = "出席：张明、李华，王强。\n列席：市财政局钱伟、张剑，市纪委监委、某某工业园区的代表\n" + COLOPHON
    record = parse(minutes_text(tail=tail))

    assert [a.person_name for a in record.attendance if a.role == "出席"] == ["张明", "李华", "王强"]
    assert [(a.organization, a.person_name) for a in record.attendance if a.role == "列席"] == [
        ("市财政局", "钱伟"), (None, "张剑"), ("市纪委监委", None), ("某某工业园区", None)]
