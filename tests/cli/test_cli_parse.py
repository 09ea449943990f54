"""`minutes parse`: the seed documents print as docs/INTERFACE.md §4/§5 say, without Prefect;
errors are one line."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

# Not `from conftest import MINUTES`: which conftest module that names depends on what else is
# collected in the run (tests/transform/grammar has one too).
from tests.cli.documents import seed_minutes_pdf
from tests.helpers import MINUTES, SEEDS_DIR, only_expected_keys

SEED_TEXTS = sorted(p for p in SEEDS_DIR.glob("*.txt") if not p.name.endswith(".normalized.txt"))


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
    assert only_expected_keys(record, expected) == expected
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
    assert "pipeline.document" in imported  # the trace is real
    assert not [name for name in imported if re.match(r"prefect(\.|$)", name)]


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr and "Usage:" not in done.stderr, done.stderr
    return lines[0]


def test_parse_bad_input_text_exits_1_with_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"<html>not a pdf at all</html>")
    done = minutes("parse", str(broken), "--format", "text")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "not_pdf" in one_line_error(done)


def test_parse_bad_input_json_prints_the_quarantined_record(tmp_path: Path) -> None:
    """docs/INTERFACE.md §5 defines the quarantined record: it is printed, and the error still says why."""
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"<html>not a pdf at all</html>")
    done = minutes("parse", str(broken), "--format", "json")
    assert done.returncode == 1
    record = json.loads(done.stdout)
    assert record["status"] == "quarantined"
    assert record["quarantine_reason"].startswith("not_pdf: ")
    assert record["doc_id"] == hashlib.sha256(broken.read_bytes()).hexdigest()
    assert record["paragraphs"] == [] and record["meeting"]["meeting_date"] is None
    error = one_line_error(done)
    assert error.startswith("minutes: error: ") and str(broken) in error and "not_pdf" in error


def test_parse_an_unknown_type_is_quarantined_unsupported_type(tmp_path: Path) -> None:
    document = tmp_path / "minutes.docx"
    document.write_bytes(b"PK\x03\x04 a Word file")
    done = minutes("parse", str(document))
    assert done.returncode == 1
    assert json.loads(done.stdout)["quarantine_reason"].startswith("unsupported_type: ")
    assert "unsupported_type" in one_line_error(done)


def test_parse_knows_a_pdf_without_a_suffix_by_its_bytes(tmp_path: Path) -> None:
    scan = tmp_path / "scan-0001"
    scan.write_bytes(seed_minutes_pdf())
    done = minutes("parse", str(scan))
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["status"] == "parsed"
    assert (record["meeting"]["session_no"], record["meeting"]["chair_name"]) == (107, "李亚平")


@pytest.mark.parametrize("what", ["missing", "folder"])
def test_parse_a_missing_file_or_a_folder_exits_1_with_one_line(what: str, tmp_path: Path) -> None:
    """Bad input to parse is a failure (exit 1), not a usage error with a usage block (exit 2)."""
    path = tmp_path / "nowhere.pdf" if what == "missing" else tmp_path
    done = minutes("parse", str(path))
    assert done.returncode == 1
    assert done.stdout == ""
    error = one_line_error(done)
    assert str(path) in error
    assert ("no such file" if what == "missing" else "is a folder") in error


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


def test_parse_no_ocr_leaves_a_scan_quarantined_no_text_layer(tmp_path: Path) -> None:
    from demo.scanned import SCAN_STYLES, scan_bytes, scanned_docs

    doc, _ = scanned_docs()[0]
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(scan_bytes(doc, SCAN_STYLES["office"]))
    done = minutes("parse", str(scan), "--no-ocr")
    assert done.returncode == 1
    assert json.loads(done.stdout)["quarantine_reason"] == (
        "no_text_layer: no text layer (3 image(s), no text: a scan); OCR is turned off (--no-ocr)")
    assert "no_text_layer" in one_line_error(done)


@pytest.mark.integration
def test_parse_a_scan_too_poor_to_read_is_quarantined_ocr_low_confidence(tmp_path: Path) -> None:
    """The documented path for a bad scan: the figure in the reason, no record built from guesses."""
    from demo.scanned import illegible_scan

    scan = tmp_path / "illegible.pdf"
    scan.write_bytes(illegible_scan())
    done = minutes("parse", str(scan))
    assert done.returncode == 1
    record = json.loads(done.stdout)
    reason = record["quarantine_reason"]
    assert re.fullmatch(r"ocr_low_confidence: mean confidence 0\.[0-7]\d below 0\.85", reason), reason
    assert record["paragraphs"] == [] and record["meeting"]["chair_name"] is None
    assert "ocr_low_confidence" in one_line_error(done)
