"""The record cache, through real flow runs on the session's Prefect server.

A cached record is the parse of some bytes; the document it is loaded with (URL, fetched_at, raw
path) is always the one of the run at hand. And the parse depends on the publisher's hints, so the
same bytes with other hints are parsed again.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings

from extract.crawl import register_local_file, stored_documents
from extract.datadir import DataDir
from flows.backfill import backfill
from flows.ingest import ingest
from load.query import run_query
from tests.helpers import SEEDS_DIR
from tests.prefect_harness import PrefectServer

pytestmark = pytest.mark.integration

SEED_TEXTS = sorted(path for path in SEEDS_DIR.glob("*.txt") if not path.name.endswith(".normalized.txt"))


@pytest.fixture
def on_the_test_server(prefect_server: PrefectServer) -> Iterator[None]:
    """Flows called in this process talk to the session's server. PREFECT_HOME (and with it the
    local result storage) is the test session's, the same for every run: as on a user's machine."""
    with temporary_settings(updates={PREFECT_API_URL: prefect_server.api_url}):
        yield


def documents_rows(data_dir: DataDir) -> dict[str, tuple[str, dt.datetime]]:
    _, rows = run_query(data_dir, "SELECT doc_id, url, fetched_at FROM documents")
    return {doc_id: (url, fetched_at) for doc_id, url, fetched_at in rows}


def test_each_data_dir_loads_its_own_document_details(
        on_the_test_server: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two data directories, the same bytes, the same PREFECT_HOME: each warehouse's `documents` rows
    carry that directory's URLs and fetched_at, never the other run's."""
    for name in ("first", "second"):
        folder = tmp_path / name / "inbox"
        folder.mkdir(parents=True)
        for seed in SEED_TEXTS:
            shutil.copy(seed, folder / seed.name)

    for name in ("first", "second"):
        monkeypatch.setenv("MINUTES_DATA_DIR", str(tmp_path / name / "data"))
        summary = ingest(paths=[str(tmp_path / name / "inbox")])
        assert summary.status == "completed"
        assert summary.extracted == len(SEED_TEXTS)  # its own cache is empty: parsed here

    for name in ("first", "second"):
        data_dir = DataDir(tmp_path / name / "data")
        loaded = documents_rows(data_dir)
        stored = {doc.doc_id: (doc.url, doc.fetched_at) for doc in stored_documents(data_dir)}
        assert len(loaded) == len(SEED_TEXTS)
        assert loaded == stored  # exactly what this directory fetched (registered), and when
        inbox = (tmp_path / name / "inbox").as_uri()
        assert all(url.startswith(inbox + "/") for url, _ in loaded.values()), loaded


def test_the_same_bytes_with_other_hints_are_parsed_again(
        on_the_test_server: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The opening leaves out the year: the publisher's date decides it. A corrected date on the
    publisher's page (same bytes) must not be answered from the cache."""
    data_dir = DataDir(tmp_path / "data")
    monkeypatch.setenv("MINUTES_DATA_DIR", str(data_dir.root))
    seed = SEEDS_DIR / "001_876cf44e94b17b16.normalized.txt"
    no_year = tmp_path / "no-year.txt"
    no_year.write_text(seed.read_text(encoding="utf-8").replace("2020年9月14日", "9月14日", 1),
                       encoding="utf-8")
    document = register_local_file(no_year, data_dir)

    def published_on(day: str) -> None:  # what a crawl records from the detail page
        with sqlite3.connect(data_dir.manifest) as manifest:
            manifest.execute("UPDATE documents SET published_at = ? WHERE sha256 = ?",
                             (f"{day}T00:00:00", document.doc_id))

    def meeting_date() -> dt.date:
        _, rows = run_query(data_dir, "SELECT meeting_date FROM meetings")
        assert len(rows) == 1
        return rows[0][0]

    published_on("2020-09-20")
    first = backfill(source="local", reprocess=True)
    assert (first.extracted, first.reused) == (1, 0)
    assert meeting_date() == dt.date(2020, 9, 14)

    again = backfill(source="local", reprocess=True)
    assert (again.extracted, again.reused) == (0, 1)  # same bytes, same hints: the cache

    published_on("2021-09-20")
    corrected = backfill(source="local", reprocess=True)
    assert (corrected.extracted, corrected.reused) == (1, 0)
    assert meeting_date() == dt.date(2021, 9, 14)
