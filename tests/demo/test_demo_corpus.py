"""The demo corpus: deterministic content whose expected records agree with their own paragraphs."""

from __future__ import annotations

import json
import re

import pytest

from demo.corpus import (
    FAMILIES,
    KINDS,
    SEEDS_DIR,
    DemoDoc,
    chinese_numeral,
    demo_docs,
    expected_with_hints,
    seed_docs,
    synthetic_docs,
)

DOCS = synthetic_docs(24)
ALL = demo_docs()


def test_same_seed_same_documents_and_other_seed_other_documents() -> None:
    again = synthetic_docs(24)
    assert [d.normalized_text for d in again] == [d.normalized_text for d in DOCS]
    assert [d.expected for d in again] == [d.expected for d in DOCS]
    other = synthetic_docs(24, seed=7)
    assert {d.normalized_text for d in other}.isdisjoint({d.normalized_text for d in DOCS})


def test_corpus_has_24_synthetic_documents_over_four_years_plus_the_seeds() -> None:
    assert len(ALL) == 26
    assert {d.meeting_date.year for d in ALL} == {2020, 2021, 2022, 2023, 2024}
    assert sum(not d.synthetic for d in ALL) == 2
    assert {d.family for d in ALL} == set(FAMILIES)


def test_any_number_of_documents_are_distinct() -> None:
    many = synthetic_docs(200)
    assert len({d.slug for d in many}) == 200
    assert len({d.normalized_text for d in many}) == 200
    assert [d.meeting_date for d in many] == sorted(d.meeting_date for d in many)


def test_seeds_are_the_seed_files() -> None:
    for doc in seed_docs():
        assert doc.normalized_text == (SEEDS_DIR / f"{doc.slug}.normalized.txt").read_text(encoding="utf-8")
        assert doc.expected == json.loads((SEEDS_DIR / f"{doc.slug}.json").read_text(encoding="utf-8"))
        assert doc.title == f"市政府第{doc.expected['meeting']['session_no']}次常务会议纪要"


def test_synthetic_records_have_the_seed_record_shape() -> None:
    seed = seed_docs()[0].expected
    for doc in DOCS:
        record = doc.expected
        assert list(record) == list(seed)
        assert list(record["meeting"]) == list(seed["meeting"])
        assert list(record["agenda_items"][0]) == list(seed["agenda_items"][0])
        assert list(record["agenda_items"][0]["clauses"][0]) == ["clause_no", "text"]
        assert list(record["attendance"][0]) == list(seed["attendance"][0])


def test_every_kind_and_the_tricky_cases_occur() -> None:
    kinds = {item["kind"] for d in DOCS for item in d.expected["agenda_items"]}
    assert kinds == set(KINDS)
    text = "\n".join(d.normalized_text for d in DOCS)
    assert "受市长委托，" in text and "上午，" in text and "下午，" in text
    assert "\n十一、" in text  # items past 十
    assert "\n请假：" in text
    # Some openings omit the year (4月24日下午，…): it then comes from the document number.
    yearless = [d for d in DOCS if not d.paragraphs[0][:4].isdigit()]
    assert yearless and all(d.minutes_no and d.minutes_no[1:5] == str(d.meeting_date.year) for d in yearless)
    # One 审议 item with several documents.
    assert re.search(r"^[一二三四五六七八九十]+、审议《[^》]+》《", text, re.MULTILINE)
    persons = [row["person_name"] or "" for d in DOCS for row in d.expected["attendance"]]
    assert any(len(p) == 4 and p[:2] in ("欧阳", "司马", "上官", "诸葛", "东方", "令狐") for p in persons)
    assert any(len(p) == 2 for p in persons)
    assert any(row["person_name"] is None for d in DOCS for row in d.expected["attendance"])
    titles = {d.expected["meeting"]["chair_title"] for d in DOCS}
    assert {"市长", "常务副市长"} <= titles


@pytest.mark.parametrize("doc", ALL, ids=lambda d: d.slug)
def test_expected_record_agrees_with_the_paragraphs(doc: DemoDoc) -> None:
    record, paragraphs = doc.expected, doc.paragraphs
    meeting = record["meeting"]
    opening = paragraphs[0]
    assert f"第{meeting['session_no']}次" in opening
    assert f"{meeting['chair_name']}{meeting['chair_title']}主持召开" in opening
    month, day = meeting["meeting_date"][5:7], meeting["meeting_date"][8:10]
    assert opening.split(meeting["day_period"])[0].endswith(f"{int(month)}月{int(day)}日")
    assert paragraphs[1] == "会议议定以下意见："

    # Items: heading then its clauses, in order, numbered 一、二、… and （一）（二）…
    position = 2
    for item in record["agenda_items"]:
        assert paragraphs[position] == f"{chinese_numeral(item['item_no'])}、{item['heading']}"
        assert item["kind"] in KINDS
        position += 1
        for clause in item["clauses"]:
            assert clause["text"] == paragraphs[position]
            assert clause["text"].startswith(f"（{chinese_numeral(clause['clause_no'])}）")
            position += 1

    # Reviewed documents: exactly the 《…》 of 审议 / 审议废止 headings, outcome from the first clause.
    wanted = []
    for item in record["agenda_items"]:
        if item["kind"] in ("审议", "审议废止"):
            titles = re.findall(r"《(.+?)》", item["heading"])
            wanted += [(item["item_no"], title, item["kind"]) for title in titles]
    got = [(r["item_no"], r["title"], r["action"]) for r in record["reviewed_documents"]]
    assert got == wanted
    items = {item["item_no"]: item for item in record["agenda_items"]}
    for row in record["reviewed_documents"]:
        first = items[row["item_no"]]["clauses"][0]["text"]
        assert first.startswith(f"（一）{row['outcome']}")
        assert (row["lead_agency"] is None) == (f"由{row['lead_agency']}" not in first)

    # Attendance: one row per entry (one per organization of a delegation), raw as printed.
    blocks = {p[:2]: p[3:].split(" ") for p in paragraphs if p[:3] in ("出席：", "列席：", "请假：")}
    for role, entries in blocks.items():
        rows = [r for r in record["attendance"] if r["role"] == role]
        assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
        assert list(dict.fromkeys(r["raw"] for r in rows)) == entries
        for row in rows:
            if row["person_name"] is None:
                assert row["raw"].endswith("的代表") and row["organization"] in row["raw"]
            else:
                assert row["raw"] == (row["organization"] or "") + row["person_name"]
            if role == "出席":
                assert row["organization"] is None

    # Colophon and distribution.
    assert f"记录：{meeting['recorder']}" in paragraphs
    assert paragraphs[-1] == f"{meeting['issued_by']} {_cn(meeting['issued_date'])}印发"
    assert f"{meeting['compiled_by']}整理" in paragraphs
    assert f"（{meeting['disclosure']}）" in paragraphs
    distribution = paragraphs[-2]
    recipients = distribution.removeprefix("分送：").removesuffix("。")
    assert re.split("[，；]", recipients) == record["distribution"]


def _cn(iso: str) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日"


def test_hints_fill_title_and_number_only() -> None:
    doc = next(d for d in DOCS if d.minutes_no)
    hinted = expected_with_hints(doc)
    assert hinted["meeting"]["title"] == doc.title and hinted["meeting"]["minutes_no"] == doc.minutes_no
    assert doc.expected["meeting"]["title"] is None
    hinted["meeting"].update(title=None, minutes_no=None)
    assert hinted == doc.expected


def test_normalized_text_has_no_spaces_except_the_documented_ones() -> None:
    for doc in ALL:
        for paragraph in doc.paragraphs:
            if " " in paragraph:
                attendance = paragraph[:3] in ("出席：", "列席：", "请假：")
                assert attendance or paragraph.endswith("印发"), paragraph
            assert "\u3000" not in paragraph
            assert not re.search(r"[０-９Ａ-Ｚａ-ｚ()]", paragraph)
