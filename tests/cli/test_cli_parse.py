"""`minutes parse`: the seed documents print as CONTRACT §4/§5 say, without Prefect; errors are one line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINUTES

SEEDS = Path(__file__).resolve().parents[2] / "minutes_etl" / "demo" / "seeds"
SEED_TEXTS = sorted(p for p in SEEDS.glob("*.txt") if not p.name.endswith(".normalized.txt"))


def shaped_like(actual: object, expected: object) -> object:
    """`actual` cut down to the keys `expected` has (the seeds' clauses omit page numbers)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return {key: shaped_like(actual.get(key), value) for key, value in expected.items()}
    if isinstance(expected, list) and isinstance(actual, list) and len(actual) == len(expected):
        return [shaped_like(a, e) for a, e in zip(actual, expected, strict=True)]
    return actual


def minutes(*args: str, python_flags: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *python_flags, str(MINUTES), *args], capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.mark.parametrize("seed", SEED_TEXTS, ids=lambda p: p.stem)
def test_parse_json_is_the_seed_record(seed: Path) -> None:
    done = minutes("parse", str(seed), "--format", "json")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["status"] == "parsed" and record["quarantine_reason"] is None
    expected = json.loads(seed.with_suffix(".json").read_text(encoding="utf-8"))
    assert shaped_like(record, expected) == expected
    assert [p["text"] for p in record["paragraphs"]] == seed.with_name(
        seed.stem + ".normalized.txt").read_text(encoding="utf-8").splitlines()
    assert done.stdout.startswith('{\n "doc_id"')  # indent 1
    assert "\\u" not in done.stdout  # ensure_ascii=False: Chinese printed as is


@pytest.mark.parametrize("seed", SEED_TEXTS, ids=lambda p: p.stem)
def test_parse_text_is_the_seed_normalized_text(seed: Path) -> None:
    done = minutes("parse", str(seed), "--format", "text")
    assert done.returncode == 0, done.stderr
    expected = seed.with_name(seed.stem + ".normalized.txt").read_text(encoding="utf-8")
    assert done.stdout == expected


def test_parse_never_imports_prefect() -> None:
    done = minutes("parse", str(SEED_TEXTS[0]), python_flags=("-X", "importtime"))
    assert done.returncode == 0
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:")]
    assert "transform.pipeline" in imported  # the trace is real
    assert not [name for name in imported if re.match(r"prefect(\.|$)", name)]


def test_parse_bad_input_exits_1_with_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"<html>not a pdf at all</html>")
    done = minutes("parse", str(broken))
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "not_pdf" in lines[0] and "Traceback" not in done.stderr


@pytest.mark.parametrize("args", [
    ("parse",),                                            # missing PATH
    ("parse", str(SEED_TEXTS[0]), "--format", "xml"),      # unknown format
    ("backfill", "--since", "notadate"),                   # a date that is none
    ("no-such-command",),
])
def test_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    done = minutes(*args)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
