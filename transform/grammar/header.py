"""The head of the minutes: title, minutes number, and the opening paragraph (date, chair, session)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extract.document_number import MINUTES_NO, find_minutes_no
from transform.grammar.dates import safe_date
from transform.grammar.names import is_person_name
from transform.grammar.numerals import cn_to_int
from transform.vocabulary import (
    AGENDA_LIST_LABELS,
    CHAIR_ACTING,
    CHAIR_OFFICES,
    CHAIR_RANKS,
    CN_NUMERAL_CHARS,
    CONVENING_WORDS,
    DAY_PERIODS,
    HONORIFIC,
    MEETING_WORD,
    PARTY_POST_MARKERS,
    TRANSITIONS,
    WEEKDAY_NOTE,
)

# A title names the session: 市政府第57次常务会议纪要; a masthead alone (…常务会议纪要) does not.
SESSION_TITLE = re.compile(rf"[第\d{CN_NUMERAL_CHARS}]次.*会议纪要$")
TITLE_WORD = "会议纪要"

# The meeting date, the year optional (4月24日下午，…).
OPENING_DATE = re.compile(rf"(?:(\d{{4}})\s*年)?(\d{{1,2}})月(\d{{1,2}})日(?:{WEEKDAY_NOTE})?(上午|下午)?")
CHAIRED = re.compile(r"主持(?:召开了?|了)?")
ON_BEHALF = re.compile(r"受[^，,]{1,12}委托[，,]?")  # 受市长委托，副市长X主持
CHAIRED_BY = re.compile(r"^(?:会议)?由")  # 会议由市长X主持
CONVENED_MEETING = re.compile("|".join(CONVENING_WORDS))
# A news headline or lede naming the chair alone before 主持: 张三主持召开区政府第12次常务会议.
BARE_NAME_CHAIR = re.compile(rf"^([\u4e00-\u9fff]{{2,4}}?)(?:{HONORIFIC})?主持")
LOCATION = re.compile(r"在[^，,]*[，,]?")  # 在区政府817会议室，
# The meeting's own name: the phrase naming the 常务会议 wherever it stands (…主持召开市政府第107次
# 常务会议 / 区政府第45次常务会议召开，…区长X主持会议), else what 主持召开 names.
EXECUTIVE_MEETING = re.compile(rf"[^，。；]*?{MEETING_WORD}")
CONVENED = re.compile(r"主持召开了?|召开了?")
MEETING_PHRASE = re.compile(r"(?:主持召开了?|召开了?|主持)(.*?会议)")
SESSION_NO = re.compile(rf"(\d+|[{CN_NUMERAL_CHARS}]+)次")
# "研究了5个事项" in an opening: a count to check the items against.
ITEM_COUNT = re.compile(rf"(\d+|[{CN_NUMERAL_CHARS}]+)(?:个|项)(?:议题|事项)")

_OFFICE = "(?:{acting})?(?:{rank})?(?:{office})".format(
    acting="|".join(CHAIR_ACTING), rank="|".join(CHAIR_RANKS), office="|".join(CHAIR_OFFICES))
# Title before the name (区长王某某) or after it (王某某区长); the name is matched lazily so the
# longest office wins (张三代区长 is 张三 + 代区长).
CHAIR_TITLE_FIRST = re.compile(rf"({_OFFICE})([\u4e00-\u9fff]{{2,4}})$")
CHAIR_NAME_FIRST = re.compile(rf"([\u4e00-\u9fff]{{2,4}}?)({_OFFICE})")


@dataclass
class Opening:
    """What an opening (or a header block) says; any field may be missing (None)."""

    seq_index: int  # position of the opening in the paragraph list
    year: int | None
    month: int | None
    day: int | None
    day_period: str | None
    chair_name: str | None
    chair_title: str | None
    session_no: int | None
    meeting_phrase: str
    item_count: int | None  # "N个议题" when the opening states it
    ends_with_transition: bool

    def date(self, year: int) -> dt.date | None:
        if self.month is None or self.day is None:
            return None
        return safe_date(year, self.month, self.day)

    @property
    def found(self) -> int:
        """How many of date, chair and session it gives: the fullest opening is the document's."""
        return sum(x is not None for x in (self.month, self.chair_name, self.session_no))

    def fill_from(self, other: Opening) -> None:
        """Fields this opening leaves out, from another (a headline gives the session, the lede
        under it the date)."""
        if self.month is None and other.month is not None:
            self.year, self.month, self.day = other.year, other.month, other.day
            self.day_period = self.day_period or other.day_period
        if self.chair_name is None and other.chair_name is not None:
            self.chair_name, self.chair_title = other.chair_name, other.chair_title
        elif self.chair_title is None and other.chair_name == self.chair_name:
            self.chair_title = other.chair_title
        if self.session_no is None:
            self.session_no = other.session_no
        if self.item_count is None:
            self.item_count = other.item_count


def first_minutes_no(texts: list[str]) -> str | None:
    """The canonical `〔YYYY〕N号` from the first text that carries one."""
    return next((number for text in texts if text and (number := find_minutes_no(text))), None)


def find_title(front_matter: list[str], hinted: str | None) -> str | None:
    """The document's own title line (with a session), else the publisher's title if it is one."""
    for text in front_matter:
        candidate = MINUTES_NO.sub("", text).strip()
        if SESSION_TITLE.search(candidate):
            return candidate
    if hinted and TITLE_WORD in hinted:
        return hinted.strip()
    return None


def parse_opening(text: str, seq_index: int) -> Opening | None:
    """Date, chair and meeting from an opening paragraph, each None where it prints none; None
    when the paragraph names no meeting being held (召开/主持/举行 and a …会议)."""
    chaired = CHAIRED.search(text)
    executive = EXECUTIVE_MEETING.search(text)
    meeting = executive or (MEETING_PHRASE.search(text, chaired.start()) if chaired else None)
    if not meeting or not CONVENED_MEETING.search(text):
        return None
    masked = _mask_titles(text)
    # why before 主持 first: a date after it is usually another event's (传达4月28日…会议精神)
    before_chair = OPENING_DATE.search(masked, 0, chaired.start()) if chaired else None
    date = before_chair or OPENING_DATE.search(masked)
    chair = _chair(text, chaired, date)
    meeting_name = CONVENED.split(meeting[0])[-1]  # why: the chair's words before it hold no session
    sessions = SESSION_NO.findall(meeting_name)
    counted = ITEM_COUNT.search(text)
    if not (date or chair or sessions):
        return None  # why: a meeting named by no date, chair or number is not this one's opening
    return Opening(
        seq_index=seq_index,
        year=int(date[1]) if date and date[1] else None,
        month=int(date[2]) if date else None,
        day=int(date[3]) if date else None,
        day_period=date[4] if date and date[4] in DAY_PERIODS else None,
        chair_name=chair[0] if chair else None,
        chair_title=chair[1] if chair else None,
        session_no=cn_to_int(sessions[-1]) if sessions else None,
        meeting_phrase=meeting_name,
        item_count=cn_to_int(counted[1]) if counted else None,
        ends_with_transition=_ends_with_transition(text),
    )


def _chair(text: str, chaired: re.Match[str] | None,
           date: re.Match[str] | None) -> tuple[str, str | None] | None:
    if chaired is None:
        return None
    before = text[: chaired.start()]
    if date is not None and date.end() <= chaired.start():
        before = before[: date.start()] + before[date.end():]
    if chair := _parse_chair(before):
        return chair
    # why: a headline names the person alone (张三主持召开…); the office stays unknown
    bare = BARE_NAME_CHAIR.match(text)
    if bare and is_person_name(bare[1]):
        return bare[1], None
    return None


def parse_chair_label(value: str) -> tuple[str, str | None] | None:
    """`主持人：` of a header block: 区长张三, 张三区长, 张三（区长）, or a name alone."""
    value = value.strip().rstrip("。；;，,")
    note = re.search(r"[（(]([^）)]+)[）)]$", value)
    if note:  # 张三（区长）
        value = f"{value[: note.start()]}{note[1]}"
    if chair := _parse_chair(value):
        return chair
    name = value.removesuffix(HONORIFIC)
    return (name, None) if is_person_name(name) else None


def _mask_titles(text: str) -> str:
    # why: a date inside a title (《…2024年3月5日…》) is not the meeting's; offsets are kept
    return re.sub(r"《[^》]*》", lambda m: "□" * len(m[0]), text)


def _parse_chair(words: str) -> tuple[str, str] | None:
    """(name, office) from what precedes 主持, minus the date: 受…委托, 在…会议室, party posts, 同志."""
    words = ON_BEHALF.sub("", words)
    words = LOCATION.sub("", words)
    parts = [p for p in re.split(r"[，,。\s]", words.removeprefix("于")) if p]
    for part in reversed(parts):  # why reversed: the chair stands next to 主持
        part = CHAIRED_BY.sub("", part.removesuffix(HONORIFIC).removesuffix("于"))
        office_and_name = part.rsplit("、", 1)[-1]  # 市委副书记、市长王某 -> 市长王某
        for marker in PARTY_POST_MARKERS:  # 区委副书记区长X (posts without a 、)
            if marker in office_and_name:
                office_and_name = office_and_name.rsplit(marker, 1)[-1]
        # why search: a place may stand before the office (某某市市长X); the office is kept alone
        if found := CHAIR_TITLE_FIRST.search(office_and_name):
            return found[2], found[1]
        if found := CHAIR_NAME_FIRST.fullmatch(office_and_name):
            return found[1], found[2]
    return None


def session_in_title(title: str) -> int | None:
    """第57次 of a title naming its session (市政府第57次常务会议纪要)."""
    if not SESSION_TITLE.search(title):
        return None
    sessions = SESSION_NO.findall(title)
    return cn_to_int(sessions[-1]) if sessions else None


AGENDA_LIST = re.compile(rf"^(?:{'|'.join(AGENDA_LIST_LABELS)})[：:]")
_AGENDA_ENTRY = re.compile(rf"(?:^|(?<=[：:；;。\s]))[{CN_NUMERAL_CHARS}]+、")


def is_agenda_list(text: str) -> bool:
    """`会议议题：一、…；二、…`: the agenda announced before the decisions."""
    return AGENDA_LIST.match(text) is not None


def agenda_list_count(text: str) -> int | None:
    """How many entries (一、二、…) an agenda list names; None when it numbers none."""
    return len(_AGENDA_ENTRY.findall(text)) or None


def is_transition(text: str) -> bool:
    """`会议议定以下意见：` and its variants, with or without the closing colon."""
    return _bare(text) in TRANSITIONS


def _ends_with_transition(text: str) -> bool:
    # why: some openings run on into the transition (…常务会议。现将…纪要如下：)
    return _bare(text).endswith(TRANSITIONS)


def _bare(text: str) -> str:
    return text.strip().rstrip("：:。.，, ")
