"""Builders for grammar tests: small minutes written as normalized paragraphs, one per line.

A plain module (`from tests.transform.grammar.builders import ...`), not the conftest: which
module `from conftest import` names depends on what else a run collects.
"""

from __future__ import annotations

from collections.abc import Callable

from transform.record import MinutesRecord, Paragraph

# The `parse` fixture: parse(text, **hints) → the record of a document given as normalized lines.
Parse = Callable[..., MinutesRecord]

OPENING = "2024年3月5日上午，张明市长主持召开市政府第57次常务会议，审议《某某办法》。"
TRANSITION = "会议议定以下意见："
ITEMS = """\
一、审议《某某办法》
（一）原则同意《某某办法》。由市司法局根据会议意见修改完善后按程序印发。
（二）各地各部门要抓好落实。"""
TAIL = """\
出席：张明 李华 王强
列席：市司法局赵刚 市财政局钱伟
记录：孙丽
某某市人民政府办公室整理
2024年3月12日
（此件公开发布）
分送：各区人民政府，各有关部门。
某某市人民政府办公室 2024年3月13日印发"""


def paragraphs(text: str, page: int | None = 1) -> list[Paragraph]:
    """One Paragraph per non-empty line, all on `page`."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return [Paragraph(seq=i, text=line, page_start=page, page_end=page) for i, line in enumerate(lines, 1)]


def minutes_text(opening: str = OPENING, transition: str = TRANSITION, items: str = ITEMS,
                 tail: str = TAIL, front: str = "") -> str:
    return "\n".join(part for part in (front, opening, transition, items, tail) if part)
