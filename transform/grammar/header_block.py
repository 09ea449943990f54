"""A header block in place of an opening sentence: `时间：… 地点：… 主持人：… 出席：… 列席：… 记录：…`,
one label a line or all on one line, as some places print their minutes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from transform.grammar.header import OPENING_DATE, Opening, parse_chair_label
from transform.vocabulary import DAY_PERIODS, HEADER_BLOCK_LABELS

_LABELS = sorted(HEADER_BLOCK_LABELS, key=len, reverse=True)  # why: 主持人 before 主持
# A label where a segment starts; anywhere, as normalization joins `上午 地点：` into `上午地点：`.
_LABEL = re.compile(rf"({'|'.join(_LABELS)})[：:]")
_TIME_LABELS = [label for label, meaning in HEADER_BLOCK_LABELS.items() if meaning == "time"]
_TIME_FIRST = re.compile(rf"^(?:{'|'.join(_TIME_LABELS)})[：:]")


@dataclass
class HeaderBlock:
    opening: Opening
    end_index: int  # the first paragraph after the block
    attendance: list[str] = field(default_factory=list)  # `出席：…` blocks, labels made canonical
    recorder: str | None = None
    agenda: str | None = None


def parse_header_block(texts: list[str], start: int) -> HeaderBlock | None:
    """The block starting at `texts[start]` (which opens with `时间：`), or None when there is none
    or its time has no date."""
    if not _TIME_FIRST.match(texts[start]):
        return None
    end = start + 1
    while end < len(texts) and _LABEL.match(texts[end]):
        end += 1
    segments = _segments(" ".join(texts[start:end]))
    time = next((value for label, value in segments if HEADER_BLOCK_LABELS[label] == "time"), "")
    date = OPENING_DATE.search(time)
    if date is None:
        return None
    chair_value = next((value for label, value in segments if HEADER_BLOCK_LABELS[label] == "chair"), "")
    chair = parse_chair_label(chair_value) if chair_value else None
    block = HeaderBlock(
        opening=Opening(
            seq_index=start,
            year=int(date[1]) if date[1] else None,
            month=int(date[2]),
            day=int(date[3]),
            day_period=date[4] if date[4] in DAY_PERIODS else None,
            chair_name=chair[0] if chair else None,
            chair_title=chair[1] if chair else None,
            session_no=None,
            meeting_phrase="",
            item_count=None,
            ends_with_transition=False,
        ),
        end_index=end,
    )
    for label, value in segments:
        role = HEADER_BLOCK_LABELS[label]
        if role in ("出席", "列席", "请假"):
            block.attendance.append(f"{role}：{value}")
        elif role == "recorder":
            block.recorder = value.rstrip("。") or None
        elif role == "agenda":
            block.agenda = value
    return block


def _segments(text: str) -> list[tuple[str, str]]:
    """(label, value) pairs in order."""
    found = list(_LABEL.finditer(text))
    return [(m[1], text[m.end(): found[i + 1].start() if i + 1 < len(found) else len(text)].strip())
            for i, m in enumerate(found)]
