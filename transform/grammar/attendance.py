"""Attendance blocks (出席：/列席：/请假：): one row per person, or per organization of a delegation."""

from __future__ import annotations

import re

from transform.grammar.names import split_agency_person
from transform.grammar.quality import UNSPLIT_ATTENDANCE
from transform.normalize import attendance_label
from transform.record import AttendanceEntry
from transform.vocabulary import DELEGATION_ENDINGS, HONORIFIC

_NOTE = re.compile(r"（[^）]*）$")  # 张三（出差）: the reason for absence is not the name


def attendance_role(text: str) -> str | None:
    return attendance_label(text)


def parse_attendance_block(text: str, warnings: list[str]) -> list[AttendanceEntry]:
    """Rows of one block, seq counting from 1 within the block's role."""
    role = attendance_role(text)
    if role is None:
        return []
    rows: list[AttendanceEntry] = []
    for raw in _entries(re.split("[：:]", text, maxsplit=1)[1]):
        for organization, person in _read_entry(role, raw, warnings):
            rows.append(AttendanceEntry(role=role, seq=len(rows) + 1, organization=organization,
                                        person_name=person, raw=raw))
    return rows


def _entries(listing: str) -> list[str]:
    """Entries are separated by spaces (docs/INTERFACE.md §4); web articles use 、 and ， instead. A
    delegation (A、B的代表) keeps its 、 because it is one entry."""
    entries: list[str] = []
    for chunk in re.split(r"[\s，,；;]+", listing.strip().rstrip("。")):
        if not chunk:
            continue
        if chunk.endswith(DELEGATION_ENDINGS):
            entries.append(chunk)
        else:
            entries += [part for part in chunk.split("、") if part]
    return entries


def _read_entry(role: str, raw: str, warnings: list[str]) -> list[tuple[str | None, str | None]]:
    entry = _NOTE.sub("", raw).removesuffix(HONORIFIC)
    for ending in DELEGATION_ENDINGS:
        # why: `A、B的代表` names organizations that sent someone, one row each, no person
        if entry.endswith(ending) and len(entry) > len(ending):
            return [(org, None) for org in entry.removesuffix(ending).split("、") if org]
    if role == "出席":  # why: members of the government attend by name, with no organization
        return [(None, entry)]
    organization, person = split_agency_person(entry)
    if organization is None and person is None:
        warnings.append(UNSPLIT_ATTENDANCE)
    return [(organization, person)]
