"""The two real seeds: parsing their normalized lines gives exactly their JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import SEEDS_DIR, only_expected_keys
from transform.grammar import parse_minutes
from transform.record import DocHints, Paragraph

SEEDS = sorted(SEEDS_DIR.glob("*.normalized.txt"))


def test_both_seeds_are_present() -> None:
    assert len(SEEDS) == 2


@pytest.mark.parametrize("normalized", SEEDS, ids=lambda path: path.name[:3])
def test_seed_parses_to_its_json(normalized: Path) -> None:
    lines = normalized.read_text(encoding="utf-8").splitlines()
    paras = [Paragraph(seq=i, text=line) for i, line in enumerate(lines, 1)]
    expected = json.loads(normalized.with_name(normalized.name.replace(".normalized.txt", ".json"))
                          .read_text(encoding="utf-8"))

    record = parse_minutes(paras, DocHints(), "seed").to_json_dict()

    assert only_expected_keys(record, expected) == expected
    assert record["status"] == "parsed"
    assert record["paragraphs"] == [{"seq": p.seq, "text": p.text, "page_start": None, "page_end": None}
                                    for p in paras]
    assert record["warnings"] == []
