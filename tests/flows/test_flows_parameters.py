"""Flow parameters as a deployment run passes them: checked at the start of the run, clear errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extract import crawl
from extract.sniff import readable_suffix
from flows.backfill import backfill
from pipeline.local_paths import SkippedFile, expand_paths
from pipeline.params import (
    ALL_SOURCES,
    LOCAL_SOURCE,
    check_fetchable,
    iso_date,
    source_name,
    stored_source_name,
)


def test_source_falls_back_to_the_environment_then_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MINUTES_SOURCE", raising=False)
    assert source_name(None) == "demo"
    monkeypatch.setenv("MINUTES_SOURCE", "suzhou")
    assert source_name(None) == "suzhou"
    assert source_name("https://example.org/zfhy/index.shtml") == "https://example.org/zfhy/index.shtml"


def test_dates_are_iso_or_a_clear_error() -> None:
    assert iso_date("2024-03-01", "since") == dt.date(2024, 3, 1)
    assert iso_date(None, "since") is None and iso_date("", "until") is None
    with pytest.raises(ValueError, match=r"since must be an ISO date \(YYYY-MM-DD\), got 'notadate'"):
        iso_date("notadate", "since")


@pytest.mark.parametrize(("since", "until", "message"), [
    ("notadate", None, "since must be an ISO date"),
    (None, "2024-13-01", "until must be an ISO date"),
    ("2024-06-01", "2024-01-01", "is after until"),
])
def test_backfill_rejects_bad_windows_before_doing_anything(
        since: str | None, until: str | None, message: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINUTES_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(ValueError, match=message):
        backfill.fn(source="demo", since=since, until=until)  # the flow's body, as the engine calls it
    assert not (tmp_path / "data").exists()  # nothing fetched, nothing written


def test_ingest_walks_folders_for_documents_and_lists_what_it_skips(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("a/one.pdf", "a/two.txt", "a/notes.md", "three.html", "named.docx"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "a" / "scan").write_bytes(b"\n%PDF-1.7 ...")  # a PDF by its bytes
    found = expand_paths([str(tmp_path / "a"), str(tmp_path / "three.html"), str(tmp_path / "named.docx")])
    # Named files are taken whatever their type; in a folder, documents only, the rest listed.
    assert [p.name for p in found.files] == ["one.pdf", "scan", "two.txt", "three.html", "named.docx"]
    assert found.skipped == [SkippedFile(tmp_path / "a" / "notes.md", "not a document type (.md)")]
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        expand_paths([str(tmp_path / "missing.pdf")])


def test_a_pdf_is_read_as_one_whatever_its_suffix() -> None:
    pdf = b"%PDF-1.4\n..."
    assert readable_suffix(pdf, "") == ".pdf"
    assert readable_suffix(pdf, ".bin") == ".pdf"
    assert readable_suffix(pdf, ".txt") == ".txt"  # a named type is the reader's to judge
    assert readable_suffix(b"PK\x03\x04", ".docx") == ".docx"  # quarantined unsupported_type later
    assert readable_suffix(b"plain", "") == ""


def test_local_and_all_name_stored_documents_for_reprocess_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert LOCAL_SOURCE == crawl.LOCAL_SOURCE  # the name `minutes ingest` stores documents under
    assert stored_source_name(LOCAL_SOURCE) == "local"
    assert stored_source_name(ALL_SOURCES) is None  # no filter: every stored document
    assert stored_source_name("https://Example.org/zfhy/index.shtml") == "example.org"
    check_fetchable(ALL_SOURCES, reprocess=True)
    monkeypatch.setenv("MINUTES_DATA_DIR", str(tmp_path / "data"))
    for source in (LOCAL_SOURCE, ALL_SOURCES):
        with pytest.raises(ValueError, match="has nothing to fetch"):
            backfill.fn(source=source)  # a deployment run with reprocess=False
    assert not (tmp_path / "data").exists()
