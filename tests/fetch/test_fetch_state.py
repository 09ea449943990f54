"""Standing operation against the faulty site: failures are visible (manifest, warehouse, `minutes
status`) and cleared by success; nothing stored is downloaded twice unless something says it changed
or the user asks; permanent failures are given up and a backfill resets them; a source served at a new
port each run (the demo) keeps its state."""

from __future__ import annotations

import subprocess
from dataclasses import replace

import duckdb
import pytest

from extract.crawl import crawl
from extract.manifest import GIVE_UP_AFTER_RUNS, Manifest
from pipeline.run import Run, run
from tests.fetch.fetch_site import Served, serve
from tests.helpers import MINUTES

pytestmark = pytest.mark.integration


def _failures(served: Served) -> dict[str, str]:
    with Manifest(served.data_dir.manifest) as manifest:
        return {row["url"].rsplit("/", 1)[1]: row["reason_code"] for row in manifest.fetch_failures()}


def _attachment_downloads(served: Served, since: int) -> list[str]:
    return [path for path, status, _ in served.site.requests[since:]
            if status == 200 and path.startswith("/minutes/files/")]


def test_404_truncated_pdf_and_error_page_are_fetch_failures_in_the_warehouse_and_status(
        served: Served) -> None:
    served.site.truncate_always = True
    source = served.source()
    summary = run(Run("backfill", source.name, data_dir=served.data_dir),
                  lambda current: current.process(current.discover_and_fetch(source, incremental=False)))
    assert summary.fetch_failures == 4  # the three below and the off-host redirect

    failures = _failures(served)
    assert failures["missing.html"] == "http_404"
    assert failures["truncated.pdf"] == "truncated"
    assert failures["errpage.pdf"] == "not_pdf"
    with duckdb.connect(str(served.data_dir.warehouse), read_only=True) as db:
        rows = db.execute("""SELECT reason_code, detail_url, attachment_url, title, attempts, given_up
                             FROM fetch_failures ORDER BY url""").fetchall()
    by_code = {row[0]: row for row in rows}
    assert set(by_code) == {"http_404", "truncated", "not_pdf", "off_host"}
    assert by_code["truncated"][1].endswith("/truncated.html")
    assert by_code["truncated"][2].endswith("/files/truncated.pdf")
    assert by_code["truncated"][3] == "市政府第52次常务会议纪要"
    assert by_code["truncated"][4] == 3  # every attempt counted (retried within the run)
    assert by_code["http_404"][2] is None  # the detail page itself failed
    assert not any(row[5] for row in rows)

    status = subprocess.run([str(MINUTES), "status", "--data-dir", str(served.data_dir.root)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert status.returncode == 0, status.stderr
    assert "# Fetch failures" in status.stdout
    for code in ("http_404", "truncated", "not_pdf"):
        assert code in status.stdout

    # The truncated PDF comes whole next time: its row is gone from the manifest and the warehouse.
    served.site.truncate_always = False
    run(Run("nightly", source.name, data_dir=served.data_dir),
        lambda current: current.process(current.discover_and_fetch(source, incremental=True)))
    assert "truncated.pdf" not in _failures(served)
    with duckdb.connect(str(served.data_dir.warehouse), read_only=True) as db:
        codes = {row[0] for row in db.execute("SELECT reason_code FROM fetch_failures").fetchall()}
    assert codes == {"http_404", "not_pdf", "off_host"}


def test_a_second_backfill_downloads_no_stored_attachment_from_a_server_without_validators(
        served: Served) -> None:
    served.site.validators = False
    source = served.source()
    crawl(source, served.data_dir, incremental=False)
    before = len(served.site.requests)

    report = crawl(source, served.data_dir, incremental=False)

    # Only what never reached the raw store is asked for again (the error page served as a PDF).
    assert _attachment_downloads(served, before) == ["/minutes/files/errpage.pdf"]
    assert report.fetch.fetched == []


def test_a_revised_pdf_is_found_when_its_detail_page_changed(served: Served) -> None:
    served.site.validators = False
    source = served.source()
    crawl(source, served.data_dir, incremental=False)
    served.site.revised = True
    served.site.retitled["revised"] = "市政府第47次常务会议纪要（修订）"
    before = len(served.site.requests)

    report = crawl(source, served.data_dir, incremental=False)

    assert sorted(_attachment_downloads(served, before)) == ["/minutes/files/errpage.pdf",
                                                             "/minutes/files/revised.pdf"]
    assert [document.url.rsplit("/", 1)[1] for document in report.fetch.fetched] == ["revised.pdf"]


def test_a_revised_pdf_supersedes_its_first_version_in_the_reports(served: Served) -> None:
    source = served.source()

    def backfill() -> None:
        run(Run("backfill", source.name, data_dir=served.data_dir),
            lambda current: current.process(current.discover_and_fetch(source, incremental=False)))

    backfill()
    served.site.revised = True  # the server's validators say the PDF changed
    backfill()

    with duckdb.connect(str(served.data_dir.warehouse), read_only=True) as db:
        versions = db.execute("""SELECT d.doc_id, d.fetched_at FROM documents d JOIN meetings USING (doc_id)
                                 WHERE d.url LIKE '%/revised.pdf' ORDER BY d.fetched_at""").fetchall()
        superseded = db.execute("SELECT doc_id, superseded_by FROM superseded_documents").fetchall()
        current = db.execute("""SELECT count(*) FROM current_meetings JOIN documents USING (doc_id)
                                WHERE url LIKE '%/revised.pdf'""").fetchone()[0]
        counted = db.execute("SELECT sum(meetings) FROM meetings_per_month").fetchone()[0]
        meetings = db.execute("SELECT count(*) FROM meetings").fetchone()[0]
    assert len(versions) == 2  # both versions kept, each with its meeting
    assert superseded == [(versions[0][0], versions[1][0])]
    assert current == 1 and counted == meetings - 1  # the revision is not a second meeting
    status = subprocess.run([str(MINUTES), "status", "--data-dir", str(served.data_dir.root)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert status.returncode == 0 and "superseded" in status.stdout


def test_a_broken_re_upload_does_not_replace_the_minutes(served: Served) -> None:
    source = served.source()
    served.site.pdfs["revised-v2.pdf"] = b"%PDF-1.4\n1 0 obj garbage, no xref\n%%EOF\n"
    for revised in (False, True):
        served.site.revised = revised
        run(Run("backfill", source.name, data_dir=served.data_dir),
            lambda current: current.process(current.discover_and_fetch(source, incremental=False)))

    with duckdb.connect(str(served.data_dir.warehouse), read_only=True) as db:
        statuses = db.execute("""SELECT status FROM documents WHERE url LIKE '%/revised.pdf'
                                 ORDER BY fetched_at""").fetchall()
        superseded = db.execute("SELECT count(*) FROM superseded_documents").fetchone()[0]
        current = db.execute("""SELECT count(*) FROM current_meetings JOIN documents USING (doc_id)
                                WHERE url LIKE '%/revised.pdf'""").fetchone()[0]
    assert statuses == [("parsed",), ("quarantined",)]
    assert superseded == 0 and current == 1  # the parsed minutes still count


def test_refetch_downloads_every_stored_attachment_again(served: Served) -> None:
    source = served.source()
    crawl(source, served.data_dir, incremental=False)
    before = len(served.site.requests)

    summary = run(Run("backfill", source.name, data_dir=served.data_dir),
                  lambda current: current.process(current.discover_and_fetch(
                      source, incremental=False, refetch=True)))

    downloaded = set(_attachment_downloads(served, before))
    # The summary says what the downloads brought: the same bytes again, nothing new.
    assert summary.fetched == 0
    assert summary.already_stored == len(downloaded - {"/minutes/files/errpage.pdf"})
    assert {"/minutes/files/m57.pdf", "/minutes/files/revised.pdf", "/minutes/files/flaky.pdf"} <= downloaded
    # Unconditionally: no attachment is asked with validators (the detail pages may still be).
    assert not [path for path, status, _ in served.site.requests[before:]
                if status == 304 and path.startswith("/minutes/files/")]


def test_permanent_failures_are_given_up_by_the_nightly_and_asked_again_by_a_backfill(
        served: Served) -> None:
    source = served.source()
    for _ in range(GIVE_UP_AFTER_RUNS):
        crawl(source, served.data_dir)
    with Manifest(served.data_dir.manifest) as manifest:
        given_up = {row["url"].rsplit("/", 1)[1] for row in manifest.fetch_failures() if row["given_up"]}
    # 404, not a PDF, off-host: permanent; all three given up after GIVE_UP_AFTER_RUNS runs.
    assert given_up == {"missing.html", "errpage.pdf", "moved.pdf"}
    before = len(served.site.requests)

    nightly = crawl(source, served.data_dir)
    asked = {path for path, _, _ in served.site.requests[before:]}
    assert not asked & {"/minutes/missing.html", "/minutes/errpage.html", "/minutes/offhost.html"}
    assert nightly.discovery.retried == 0

    before = len(served.site.requests)
    crawl(source, served.data_dir, incremental=False)  # a backfill asks again
    asked = {path for path, _, _ in served.site.requests[before:]}
    assert {"/minutes/missing.html", "/minutes/errpage.html", "/minutes/offhost.html"} <= asked


def test_a_source_served_at_a_new_port_keeps_its_state(served: Served) -> None:
    """The demo is served on a new port every run: its entries, validators and failures follow it
    instead of piling up as off-host links to the old port."""
    first = replace(served.source(), served_at_run_time=True)
    crawl(first, served.data_dir)
    with serve(served.site) as new_base:
        moved = replace(first, listing_url=first.listing_url.replace(served.base_url, new_base))
        before = len(served.site.requests)
        report = crawl(moved, served.data_dir)
    assert not [failure for failure in report.fetch.failures if failure.code == "off_host"
                and served.base_url in failure.message]
    assert report.fetch.fetched == []
    assert _attachment_downloads(served, before) == ["/minutes/files/errpage.pdf"]
    with Manifest(served.data_dir.manifest) as manifest:
        remembered = [row["url"] for row in manifest.unfinished_entries(first.name, include_given_up=True)]
        remembered += [row["url"] for row in manifest.fetch_failures()]
    assert remembered and all(url.startswith(new_base) for url in remembered)
