"""Flow parameters as a deployment run passes them: checked at the start of the run, clear errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from flows.backfill import backfill
from flows.ingest import expand_paths
from flows.pipeline import iso_date, source_name


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


def test_ingest_walks_folders_for_document_types(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("a/one.pdf", "a/two.txt", "a/notes.md", "three.html"):
        (tmp_path / name).write_bytes(b"x")
    found = expand_paths([str(tmp_path / "a"), str(tmp_path / "three.html")])
    assert [p.name for p in found] == ["one.pdf", "two.txt", "three.html"]
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        expand_paths([str(tmp_path / "missing.pdf")])
