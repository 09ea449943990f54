"""End to end against the hand-written faulty site: every fault gives its documented outcome,
nothing is lost, and a second run downloads nothing already stored."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date

import pytest

from extract.crawl import (
    LISTING_SHRANK,
    SOURCE_EMPTY,
    SourceUnreachable,
    crawl,
    discover,
    fetch_entries,
    register_local_file,
    stored_documents,
)
from extract.rawstore import RawStore
from extract.sources import resolve_source
from tests.fetch.fetch_site import ALL_ENTRIES, Served, fast

pytestmark = pytest.mark.integration


def _manifest(served: Served) -> sqlite3.Connection:
    connection = sqlite3.connect(served.data_dir.manifest)
    connection.row_factory = sqlite3.Row
    return connection


def _entry_status(served: Served) -> dict[str, tuple[str, str | None]]:
    with _manifest(served) as db:
        rows = db.execute("SELECT url, status, last_error FROM entries").fetchall()
    return {row["url"].rsplit("/", 1)[1]: (row["status"], row["last_error"]) for row in rows}


def test_first_run_outcomes(served: Served, site_pdfs: dict[str, bytes]) -> None:
    report = crawl(served.source(), served.data_dir)

    # Pagination: all three listing pages read, then index_3 answered 404 (the end, not a failure).
    assert report.discovery.pages_fetched == 3
    assert served.site.responses("/minutes/index_3.shtml") == [404]
    assert report.discovery.complete
    assert report.discovery.listed == len(ALL_ENTRIES) == 11
    assert report.warnings == []

    fetched = {document.url.rsplit("/", 1)[1]: document for document in report.fetch.fetched}
    # New documents: 6 PDFs (m57's copy is the same bytes) and the article page without a PDF.
    assert sorted(fetched) == ["flaky.pdf", "m57.pdf", "notice.html", "revised.pdf", "slow.pdf",
                               "stall.pdf", "truncated.pdf"]
    for name, document in fetched.items():
        data = document.raw_path.read_bytes()
        assert document.doc_id == hashlib.sha256(data).hexdigest()
        stored_name = f"{document.doc_id[:2]}/{document.doc_id}{document.suffix}"
        assert document.raw_path == served.data_dir.raw / stored_name
        assert document.byte_size == len(data)
        if name.endswith(".pdf"):
            assert data == site_pdfs[name]  # nothing truncated or mangled
            assert document.suffix == ".pdf"
    notice = fetched["notice.html"]
    assert notice.suffix == ".html" and notice.detail_url == notice.url
    assert "第48次常务会议" in notice.raw_path.read_text(encoding="utf-8")

    # Facts from the detail page, not the PDF.
    m57 = fetched["m57.pdf"]
    assert m57.title == "市政府第57次常务会议纪要"
    assert m57.minutes_no == "〔2024〕1号"
    assert m57.published_at is not None and m57.published_at.isoformat() == "2024-05-08T09:30:00"
    assert m57.detail_url == f"{served.base_url}/minutes/m57.html"

    # Transient faults retried until they succeeded.
    assert served.site.responses("/minutes/files/flaky.pdf") == [500, 500, 200]
    assert served.site.responses("/minutes/files/truncated.pdf") == [200, 200]  # 1st cut short
    assert served.site.hits["/minutes/stall.html"] == 2  # the 1st stalled past the read timeout

    # Permanent faults: recorded with a reason, nothing stored for them.
    failures = {failure.url.rsplit("/", 1)[1]: failure for failure in report.fetch.failures}
    assert sorted(failures) == ["errpage.pdf", "missing.html", "moved.pdf"]
    assert failures["missing.html"].code == "http_404"
    assert failures["errpage.pdf"].code == "not_pdf"
    assert failures["moved.pdf"].code == "off_host"
    assert served.other_site.requests == []  # the redirect off the host was never followed
    status = _entry_status(served)
    assert status["missing.html"][0] == "failed" and status["missing.html"][1].startswith("http_404")
    assert status["errpage.html"][0] == "failed" and status["errpage.html"][1].startswith("not_pdf")
    assert status["offhost.html"][0] == "failed"
    assert sum(1 for state, _ in status.values() if state == "fetched") == 8

    # The same bytes under two URLs: one document, two URL rows; one file in the raw store.
    assert report.fetch.duplicates == 1
    with _manifest(served) as db:
        urls = db.execute("SELECT url FROM document_urls WHERE sha256 = ?", (m57.doc_id,)).fetchall()
        assert sorted(row["url"].rsplit("/", 1)[1] for row in urls) == ["copy-of-m57.pdf", "m57.pdf"]
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 7
        flaky = db.execute("SELECT * FROM resources WHERE url LIKE '%flaky.pdf'").fetchone()
        assert flaky["attempts"] == 3 and flaky["etag"] and flaky["content_type"] == "application/pdf"
    assert len(list(served.data_dir.raw.glob("*/*.*"))) == 7

    # Polite: our User-Agent, and never more requests in flight than the cap.
    assert all(headers["User-Agent"].startswith("minutes-etl/") for _, _, headers in served.site.requests)
    assert served.site.max_in_flight <= 2


def test_second_run_downloads_nothing_stored_and_retries_failures(served: Served) -> None:
    source = served.source()
    crawl(source, served.data_dir)
    first_run = len(served.site.requests)

    report = crawl(source, served.data_dir)
    second = served.site.requests[first_run:]
    paths = [path for path, _, _ in second]
    # The listing's first page is unchanged (conditional request → 304): paging stops there.
    assert ("/minutes/index.shtml", 304) in [(path, status) for path, status, _ in second]
    assert "/minutes/index_1.shtml" not in paths
    # Only the earlier failures are asked again; nothing already stored is downloaded.
    assert sorted(set(paths) - {"/minutes/index.shtml"}) == [
        "/minutes/errpage.html", "/minutes/files/errpage.pdf", "/minutes/files/moved.pdf",
        "/minutes/missing.html", "/minutes/offhost.html",
    ]
    assert report.fetch.fetched == []
    assert report.discovery.retried == 3
    assert sorted(failure.code for failure in report.fetch.failures) == ["http_404", "not_pdf", "off_host"]
    with _manifest(served) as db:
        attempts = db.execute("SELECT attempts FROM entries WHERE url LIKE '%missing.html'").fetchone()[0]
    assert attempts == 2  # one per run: 404 is not retried within a run


def test_revised_pdf_at_known_url_is_a_new_version(served: Served, site_pdfs: dict[str, bytes]) -> None:
    source = served.source()
    first = crawl(source, served.data_dir)
    old = next(document for document in first.fetch.fetched if document.url.endswith("/revised.pdf"))
    served.site.revised = True
    before = len(served.site.requests)

    report = crawl(source, served.data_dir, incremental=False)  # backfill: revalidate everything

    assert [document.url.rsplit("/", 1)[1] for document in report.fetch.fetched] == ["revised.pdf"]
    new = report.fetch.fetched[0]
    assert new.raw_path.read_bytes() == site_pdfs["revised-v2.pdf"]
    assert old.raw_path.read_bytes() == site_pdfs["revised.pdf"]  # the old version is kept
    with _manifest(served) as db:
        versions = db.execute("SELECT sha256 FROM document_urls WHERE url LIKE '%/revised.pdf'").fetchall()
    assert {row["sha256"] for row in versions} == {old.doc_id, new.doc_id}
    # Everything stored was revalidated with conditional requests: no stored body downloaded again
    # (errpage.pdf, never stored, is asked again and is still an error page).
    downloads = [path for path, status, _ in served.site.requests[before:] if status == 200]
    assert [path for path in downloads if path.startswith("/minutes/files/")] == [
        "/minutes/files/errpage.pdf", "/minutes/files/revised.pdf"]
    assert report.fetch.not_modified >= 6
    assert {document.doc_id for document in stored_documents(served.data_dir)} >= {old.doc_id, new.doc_id}


def test_backfill_window_by_publication_date(served: Served) -> None:
    discovery = discover(served.source(), served.data_dir, since=date(2024, 1, 1), until=date(2024, 3, 31),
                         incremental=False)
    assert sorted(entry.url.rsplit("/", 1)[1] for entry in discovery.entries) == [
        "errpage.html", "missing.html", "stall.html", "truncated.html",
    ]
    report = fetch_entries(discovery.entries, served.source(), served.data_dir)
    fetched = sorted(document.url.rsplit("/", 1)[1] for document in report.fetched)
    assert fetched == ["stall.pdf", "truncated.pdf"]
    assert sorted(failure.code for failure in report.failures) == ["http_404", "not_pdf"]
    stored = stored_documents(served.data_dir, since=date(2024, 3, 1), until=date(2024, 3, 31))
    assert [document.url.rsplit("/", 1)[1] for document in stored] == ["stall.pdf"]


def test_since_stops_paging_once_the_listing_is_older(served: Served) -> None:
    discovery = discover(served.source(), served.data_dir, since=date(2024, 3, 1), incremental=False)
    assert [entry.url.rsplit("/", 1)[1] for entry in discovery.entries] == [
        "m57.html", "flaky.html", "slow.html", "stall.html",
    ]
    # Page 1 is entirely older than the window: page 2 is never asked for.
    assert "/minutes/index_2.shtml" not in served.site.hits


def test_unreachable_source_raises(served: Served) -> None:
    dead = fast(resolve_source("http://127.0.0.1:9/minutes/index.shtml"), max_attempts=1)
    with pytest.raises(SourceUnreachable, match="unreachable"):
        crawl(dead, served.data_dir)


def test_empty_and_shrunken_listing_are_reported(served: Served) -> None:
    source = served.source()
    crawl(source, served.data_dir)
    served.site.pages = [served.site.pages[0][:1]]  # the site now lists one entry on one page
    discovery = discover(source, served.data_dir, incremental=False)
    assert any(warning.startswith(LISTING_SHRANK) for warning in discovery.warnings)

    served.site.pages = [[]]
    discovery = discover(source, served.data_dir, incremental=False)
    assert any(warning.startswith(SOURCE_EMPTY) for warning in discovery.warnings)


def test_download_size_cap(served: Served) -> None:
    report = crawl(served.source(max_download_bytes=2000), served.data_dir)
    codes = {failure.url.rsplit("/", 1)[1]: failure.code for failure in report.fetch.failures}
    assert codes["m57.pdf"] == "too_large"
    assert report.fetch.fetched[0].suffix == ".html"  # only small pages got through
    assert all(document.byte_size <= 2000 for document in report.fetch.fetched)


def test_register_local_file_and_stored_documents(served: Served, tmp_path, site_pdfs) -> None:
    path = tmp_path / "纪要.PDF"
    path.write_bytes(site_pdfs["m57.pdf"])
    document = register_local_file(path, served.data_dir)
    assert document.suffix == ".pdf" and document.source == "local"
    assert document.doc_id == hashlib.sha256(site_pdfs["m57.pdf"]).hexdigest()
    assert RawStore(served.data_dir.raw).get(document.doc_id) == site_pdfs["m57.pdf"]
    again = register_local_file(path, served.data_dir)
    assert again.doc_id == document.doc_id
    local = stored_documents(served.data_dir, source="local")
    assert [stored.doc_id for stored in local] == [document.doc_id]
