"""The demo corpus: minutes documents as content (normalized paragraphs) plus their expected record.

Two kinds of documents:
- the two seeds, rebuilt from `seeds/*.normalized.txt` (content) and `seeds/*.json` (expected record);
- synthetic minutes generated from phrase banks with a seeded RNG: same seed, same documents.

`DemoDoc.expected` is the docs/INTERFACE.md §5 record of the document's own text (no page hints), in the exact
shape of `seeds/*.json`: keys meeting, agenda_items, reviewed_documents, attendance, distribution.
Like the seeds, `meeting.title` and `meeting.minutes_no` are null there (the minutes body does not
print them); `expected_with_hints()` fills them from what the publication page shows.
Nothing generated is committed: PDFs and the site are built on demand (`render.py`, `site.py`).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

from demo import phrases as P

SEEDS_DIR = Path(__file__).resolve().parent / "seeds"
# Bump when the generator or renderer changes output: cached demo sites are keyed on it.
CORPUS_VERSION = "1"
FAMILIES: tuple[str, ...] = ("word_embedded", "wps_cid", "kai_running_head")
KINDS: tuple[str, ...] = ("审议", "审议废止", "听取", "传达学习", "学习贯彻", "布置", "研究", "学法", "其他")
# Order in which a meeting takes its items up: study first, reports, decisions, then the rest.
_KIND_ORDER = {"学法": 0, "传达学习": 1, "学习贯彻": 2, "听取": 3, "审议": 4, "审议废止": 5, "研究": 6,
               "布置": 7, "其他": 8}
_KIND_WEIGHTS = {"审议": 34, "听取": 20, "研究": 8, "布置": 7, "传达学习": 8, "学习贯彻": 7, "审议废止": 6,
                 "学法": 5, "其他": 5}
CN_DIGITS = "零一二三四五六七八九"


@dataclass
class DemoDoc:
    slug: str
    title: str                    # 市政府第57次常务会议纪要
    minutes_no: str | None        # 〔2024〕7号
    meeting_date: dt.date
    published_at: dt.datetime
    family: str                   # one of FAMILIES: how render_pdf lays it out
    synthetic: bool
    paragraphs: list[str]         # the docs/INTERFACE.md §4 normalized text, one paragraph each
    expected: dict | None         # the §5 record (docs/INTERFACE.md) minus doc_id/status/paragraphs

    @property
    def normalized_text(self) -> str:
        """The exact expected `parse --format text` output."""
        return "\n".join(self.paragraphs) + "\n"


def expected_with_hints(doc: DemoDoc) -> dict | None:
    """The expected record when the publication page's title and number are used as hints."""
    if doc.expected is None:
        return None
    record = copy.deepcopy(doc.expected)
    record["meeting"]["title"] = doc.title
    record["meeting"]["minutes_no"] = doc.minutes_no
    return record


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (item numbers in headings)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def cn_date(day: dt.date, with_year: bool = True) -> str:
    text = f"{day.month}月{day.day}日"
    return f"{day.year}年{text}" if with_year else text


# ---------------------------------------------------------------------------------------------- seeds


def seed_docs() -> list[DemoDoc]:
    """The two real seed minutes: their normalized text as content, their JSON as the expected record."""
    docs = []
    for index, json_path in enumerate(sorted(SEEDS_DIR.glob("*.json"))):
        expected = json.loads(json_path.read_text(encoding="utf-8"))
        text = json_path.with_suffix(".normalized.txt").read_text(encoding="utf-8")
        meeting = expected["meeting"]
        issued = dt.date.fromisoformat(meeting["issued_date"])
        docs.append(DemoDoc(
            slug=json_path.stem,
            title=f"市政府第{meeting['session_no']}次常务会议纪要",
            minutes_no=meeting["minutes_no"],
            meeting_date=dt.date.fromisoformat(meeting["meeting_date"]),
            published_at=dt.datetime.combine(issued + dt.timedelta(days=1), dt.time(10, 0)),
            family=FAMILIES[index % len(FAMILIES)],
            synthetic=False,
            paragraphs=text.splitlines(),
            expected=expected,
        ))
    return docs


# ------------------------------------------------------------------------------------------ synthetic


@dataclass
class _Cast:
    """The people of one year: members (出席), deputy secretaries (列席 by name), agency heads."""

    mayor: str
    executive_vice_mayor: str
    vice_mayors: list[str]
    others: list[str]             # 秘书长 etc.: members who never chair
    deputies: list[str]
    heads: dict[str, str]         # organization → its representative
    recorder: str

    @property
    def members(self) -> list[str]:
        return [self.mayor, self.executive_vice_mayor, *self.vice_mayors, *self.others]


class _Names:
    """Person names unique within one cast."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def new(self, length: int | None = None) -> str:
        while True:
            size = length or self.rng.choices((2, 3, 4), weights=(25, 70, 5))[0]
            if size == 4:
                name = self.rng.choice(P.COMPOUND_SURNAMES) + "".join(self.rng.sample(P.GIVEN_CHARS, 2))
            else:
                name = self.rng.choice(P.SURNAMES) + "".join(self.rng.sample(P.GIVEN_CHARS, size - 1))
            if name not in self.used:
                self.used.add(name)
                return name


def _cast_for_year(year: int, seed: int) -> _Cast:
    rng = random.Random(f"cast:{seed}:{year}")
    names = _Names(rng)
    vice = [names.new(3), names.new(4), names.new(2), names.new(3), names.new(3), names.new(2)]
    organizations = [agency for agency, _ in P.AGENCY_TOPICS] + list(P.OTHER_ORGANIZATIONS)
    return _Cast(
        mayor=names.new(3),
        executive_vice_mayor=names.new(3),
        vice_mayors=vice,
        others=[names.new(3), names.new(2), names.new(3)],
        deputies=[names.new() for _ in range(rng.randint(7, 11))],
        heads={org: names.new() for org in organizations},
        recorder=names.new(rng.choice((2, 3))),
    )


@dataclass
class _Item:
    kind: str
    heading: str
    clauses: list[str]
    reviewed: list[dict]          # reviewed_documents rows without item_no
    summary: str                  # how the opening paragraph names this item


class _DocWriter:
    """Writes one synthetic document from its own RNG."""

    def __init__(self, rng: random.Random, year: int) -> None:
        self.rng = rng
        self.year = year
        self.used_topics: set[str] = set()

    def topic(self) -> tuple[str, str]:
        for _ in range(50):
            agency, topics = self.rng.choice(P.AGENCY_TOPICS)
            topic = self.rng.choice(topics)
            if topic not in self.used_topics:
                break
        self.used_topics.add(topic)
        return agency, topic

    def fill(self, template: str, agency: str, topic: str) -> str:
        # A topic ending in the word the template puts after it reads once: 人防工程管理 +
        # {topic}管理规定 -> 苏州市人防工程管理规定, not …管理管理规定.
        template = template.replace("{topic}" + topic[-2:], "{topic}")
        return template.format(topic=topic, agency=agency, y=self.year, y2=self.year + 2)

    def body_clauses(self, agency: str, topic: str, count: int) -> list[str]:
        pool = list(P.SENTENCES)  # no sentence twice within one item
        self.rng.shuffle(pool)
        clauses = []
        for _ in range(count):
            sentences = [pool.pop() for _ in range(self.rng.randint(3, 6))]
            clauses.append("".join(self.fill(s, agency, topic) for s in sentences))
        return clauses

    def item(self, kind: str) -> _Item:
        agency, topic = self.topic()
        rng = self.rng
        extra = rng.choices((1, 2, 3), weights=(15, 45, 40))[0]
        reviewed: list[dict] = []
        if kind == "审议":
            templates = rng.sample(P.REVIEW_TITLES, rng.choices((1, 2, 3), weights=(78, 17, 5))[0])
            titles = [self.fill(t, agency, topic) for t in templates]
            quoted = "".join(f"《{t}》" for t in titles)
            outcome = rng.choice(P.OUTCOMES)
            if rng.random() < 0.15:
                first, lead = f"{outcome}{quoted}，按程序提请市人大常委会审议。", None
            else:
                other = rng.choice([a for a, _ in P.AGENCY_TOPICS if a != agency])
                first = f"{outcome}{quoted}。" + rng.choice(P.FOLLOW_UPS).format(agency=agency, other=other)
                lead = agency
            heading, summary = f"审议{quoted}", quoted
            reviewed = [{"title": t, "action": "审议", "outcome": outcome, "lead_agency": lead}
                        for t in titles]
        elif kind == "审议废止":
            title = self.fill(rng.choice(P.REPEAL_TITLES), agency, topic)
            outcome = rng.choice(("原则同意", "同意"))
            first, lead = f"{outcome}废止《{title}》。", None
            if rng.random() < 0.4:
                first, lead = first + f"由{agency}按程序向社会公布。", agency
            heading, summary = f"审议废止《{title}》", f"《{title}》"
            reviewed = [{"title": title, "action": "审议废止", "outcome": outcome, "lead_agency": lead}]
        elif kind == "听取":
            subject = rng.choice((f"{rng.choice(P.PERIODS)}全市{topic}工作情况",
                                  f"{topic}工作推进情况和下一步工作打算",
                                  f"{self.year}年全市{topic}工作情况"))
            first = rng.choice(P.REPORT_OPENERS).format(agency=agency, subject=subject)
            heading, summary = f"听取{subject}的汇报", subject
        elif kind in ("传达学习", "学习贯彻"):
            meeting = rng.choice(P.MEETINGS).format(topic=topic)
            heading = f"{kind}{meeting}精神"
            verb = "传达学习" if kind == "传达学习" else "学习"
            first = f"会议{verb}了{meeting}精神。原则同意{agency}关于我市贯彻落实意见的汇报。"
            summary = heading
        elif kind == "布置":
            heading = rng.choice((f"关于{self.year}年度{topic}工作布置", f"布置{topic}工作"))
            first = self.fill(rng.choice(P.SENTENCES), agency, topic)
            summary = f"对{topic}工作进行布置"
        elif kind == "研究":
            heading = rng.choice((f"研究{topic}有关工作", f"研究{topic}重点项目推进工作"))
            first = f"会议研究了{topic}有关工作，原则同意{agency}提出的工作安排。"
            summary = heading
        elif kind == "学法":
            law = rng.choice(P.LAWS)
            heading = f"学法：学习《{law}》"
            first = (f"会议集中学习了《{law}》。各地各部门要把学习贯彻《{law}》"
                     "作为提升依法行政能力的重要内容，切实做到尊法学法守法用法。")
            summary = f"会前学习《{law}》"
            extra = rng.choice((0, 1))
        else:  # 其他
            heading = rng.choice((f"通报{topic}专项督查情况", f"关于{topic}有关事项"))
            first = self.fill(rng.choice(P.SENTENCES), agency, topic)
            summary = heading.removeprefix("关于")
        clauses = [first, *self.body_clauses(agency, topic, extra)]
        labelled = [f"（{chinese_numeral(n)}）{text}" for n, text in enumerate(clauses, start=1)]
        return _Item(kind, heading, labelled, reviewed, summary)


def _opening_summary(items: list[_Item]) -> str:
    """The opening lists the business in order: 审议 documents and 听取 reports are grouped (as seeds do)."""
    phrases: list[str] = []
    grouped: dict[str, int] = {}
    for item in items:
        if item.kind in ("审议", "审议废止", "听取"):
            if item.kind in grouped:
                joiner = "" if item.kind != "听取" else "、"
                phrases[grouped[item.kind]] += joiner + item.summary
                continue
            grouped[item.kind] = len(phrases)
            phrases.append(f"{item.kind}{item.summary}")
        else:
            phrases.append(item.summary)
    if "听取" in grouped:
        phrases[grouped["听取"]] += "的汇报"
    return "，".join(phrases)


def _meeting_dates(n: int, rng: random.Random) -> list[dt.date]:
    """n meeting dates spread over 2021-2024, strictly increasing."""
    start, end = dt.date(2021, 1, 6), dt.date(2024, 12, 20)
    span = (end - start).days
    step = span // max(n, 1)
    dates: list[dt.date] = []
    for i in range(n):
        day = start + dt.timedelta(days=i * step + rng.randint(0, step // 3))
        if dates and day <= dates[-1]:
            day = dates[-1] + dt.timedelta(days=1)
        dates.append(day)
    return dates


def synthetic_docs(n: int = 24, seed: int = 2024) -> list[DemoDoc]:
    """n distinct synthetic minutes, 2021-2024, oldest first. Deterministic in (n, seed)."""
    plan_rng = random.Random(f"plan:{seed}:{n}")
    dates = _meeting_dates(n, plan_rng)
    casts: dict[int, _Cast] = {}
    docs: list[DemoDoc] = []
    session = 114
    number_in_year: dict[int, int] = {}
    for index, meeting_date in enumerate(dates):
        year = meeting_date.year
        if year == 2022 and 2022 not in number_in_year:
            session = 0  # a new government term numbers its sessions from 1
        session += plan_rng.choice((1, 1, 1, 2, 3))
        number_in_year[year] = number_in_year.get(year, 0) + 1
        minutes_no = f"〔{year}〕{number_in_year[year]}号" if year >= 2022 else None
        cast = casts.setdefault(year, _cast_for_year(year, seed))
        rng = random.Random(f"doc:{seed}:{n}:{index}")
        docs.append(_synthetic_doc(index, seed, rng, cast, meeting_date, session, minutes_no))
    return docs


def _synthetic_doc(index: int, seed: int, rng: random.Random, cast: _Cast, meeting_date: dt.date,
                   session: int, minutes_no: str | None) -> DemoDoc:
    writer = _DocWriter(rng, meeting_date.year)
    # Every kind shows up across any 9 consecutive documents; document 3 runs past item 十.
    item_count = 11 if index == 3 else rng.randint(4, 7)
    kinds = [KINDS[index % len(KINDS)]]
    kinds += rng.choices(list(_KIND_WEIGHTS), weights=list(_KIND_WEIGHTS.values()), k=item_count - 1)
    kinds.sort(key=_KIND_ORDER.__getitem__)
    items = [writer.item(kind) for kind in kinds]

    # Chair: usually the mayor; otherwise a vice mayor chairs 受市长委托 and the mayor is on leave.
    roll = rng.random()
    on_leave: list[str] = []
    if roll < 0.75:
        chair, chair_title, delegated = cast.mayor, "市长", False
    elif roll < 0.9:
        chair, chair_title, delegated = cast.executive_vice_mayor, "常务副市长", True
        on_leave.append(cast.mayor)
    else:
        chair, chair_title, delegated = rng.choice(cast.vice_mayors), "副市长", True
        on_leave.append(cast.mayor)
    if rng.random() < 0.3:
        on_leave += rng.sample([m for m in cast.vice_mayors if m != chair], rng.randint(1, 2))
    present = [m for m in cast.members if m not in on_leave]

    deputies = rng.sample(cast.deputies, rng.randint(max(1, len(cast.deputies) - 4), len(cast.deputies)))
    deputies.sort(key=cast.deputies.index)
    orgs = [org for org in cast.heads if rng.random() < 0.7]
    delegation = rng.choice(P.DELEGATIONS) if rng.random() < 0.6 else ()
    orgs = [org for org in orgs if org not in delegation]

    period = rng.choices(("上午", "下午"), weights=(7, 3))[0]
    with_year = not (minutes_no and rng.random() < 0.15)  # the year then comes from minutes_no
    compiled = meeting_date + dt.timedelta(days=rng.randint(5, 18))
    issued = compiled + dt.timedelta(days=rng.choice((0, 0, 1)))
    published = dt.datetime.combine(issued + dt.timedelta(days=rng.randint(1, 6)),
                                    dt.time(rng.randint(9, 17), rng.choice((0, 12, 25, 30, 41, 55))))
    distribution = rng.choice(P.DISTRIBUTIONS)

    chair_part = f"{'受市长委托，' if delegated else ''}{chair}{chair_title}"
    paragraphs = [
        f"{cn_date(meeting_date, with_year)}{period}，{chair_part}主持召开市政府第{session}次常务会议，"
        f"{_opening_summary(items)}。",
        "会议议定以下意见：",
    ]
    for number, item in enumerate(items, start=1):
        paragraphs.append(f"{chinese_numeral(number)}、{item.heading}")
        paragraphs += item.clauses
    attendance: list[dict] = []

    def attend(role: str, organization: str | None, person: str | None, raw: str) -> None:
        seq = sum(1 for row in attendance if row["role"] == role) + 1
        attendance.append({"role": role, "seq": seq, "organization": organization,
                           "person_name": person, "raw": raw})

    for name in present:
        attend("出席", None, name, name)
    if on_leave:
        for name in on_leave:
            attend("请假", None, name, name)
    listed = []
    for name in deputies:
        attend("列席", None, name, name)
        listed.append(name)
    for org in orgs:
        attend("列席", org, cast.heads[org], org + cast.heads[org])
        listed.append(org + cast.heads[org])
    if delegation:
        raw = "、".join(delegation) + "的代表"
        for org in delegation:
            attend("列席", org, None, raw)
        listed.append(raw)
    paragraphs.append("出席：" + " ".join(present))
    if on_leave:
        paragraphs.append("请假：" + " ".join(on_leave))
    paragraphs += [
        "列席：" + " ".join(listed),
        f"记录：{cast.recorder}",
        f"{P.ISSUING_OFFICE}整理",
        cn_date(compiled),
        f"（{P.DISCLOSURE}）",
        "分送：" + "；".join("，".join(group) for group in distribution) + "。",
        f"{P.ISSUING_OFFICE} {cn_date(issued)}印发",
    ]

    agenda = []
    reviewed = []
    for number, item in enumerate(items, start=1):
        agenda.append({"item_no": number, "kind": item.kind, "heading": item.heading,
                       "clauses": [{"clause_no": c, "text": text} for c, text in enumerate(item.clauses, 1)]})
        reviewed += [{"item_no": number, **row} for row in item.reviewed]
    expected = {
        "meeting": {
            "title": None,
            "minutes_no": None,
            "session_no": session,
            "meeting_date": meeting_date.isoformat(),
            "day_period": period,
            "chair_name": chair,
            "chair_title": chair_title,
            "recorder": cast.recorder,
            "compiled_by": P.ISSUING_OFFICE,
            "compiled_date": compiled.isoformat(),
            "issued_by": P.ISSUING_OFFICE,
            "issued_date": issued.isoformat(),
            "disclosure": P.DISCLOSURE,
        },
        "agenda_items": agenda,
        "reviewed_documents": reviewed,
        "attendance": attendance,
        "distribution": [name for group in distribution for name in group],
    }
    return DemoDoc(
        slug=f"syn-{seed}-{index:04d}",
        title=f"市政府第{session}次常务会议纪要",
        minutes_no=minutes_no,
        meeting_date=meeting_date,
        published_at=published,
        family=FAMILIES[index % len(FAMILIES)],
        synthetic=True,
        paragraphs=paragraphs,
        expected=expected,
    )


def demo_docs(n_synthetic: int = 24, seed: int = 2024) -> list[DemoDoc]:
    """The demo corpus: the seeds and n synthetic documents, oldest first."""
    return sorted(seed_docs() + synthetic_docs(n_synthetic, seed), key=lambda d: d.published_at)
