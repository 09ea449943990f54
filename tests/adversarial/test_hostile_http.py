"""The crawler against a hostile site on 127.0.0.1: every request ends by its total deadline, servers
asking for long pauses are left for a later run, caps are loud, busy pages are not documents."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from extract import crawl
from extract.datadir import DataDir
from extract.manifest import Manifest
from extract.sources import Source, resolve_source
from tests.adversarial.hostile_site import HostileSite, fast_sources_toml, serve

TOTAL_DEADLINE = 3.0
pytestmark = pytest.mark.timeout(120)


def _source(tmp_path: Path, url: str, **caps: float) -> Source:
    config = tmp_path / "sources.toml"
    config.write_text(fast_sources_toml(total_timeout=TOTAL_DEADLINE, **caps), encoding="utf-8")  # type: ignore[arg-type]
    return resolve_source(url, config_file=config)


def _failures(report: crawl.CrawlReport) -> dict[str, crawl.FetchFailure]:
    return {failure.url.rsplit("/", 1)[-1]: failure for failure in report.fetch.failures}


def test_slow_servers_are_cut_at_the_total_deadline_and_not_retried_within_the_run(tmp_path: Path) -> None:
    site = HostileSite(slugs=["good-1", "slowhead", "slowbody"])
    with serve(site) as url:
        started = time.monotonic()
        report = crawl.crawl(_source(tmp_path, url), DataDir(tmp_path / "data"))
        elapsed = time.monotonic() - started
    failures = _failures(report)
    for name in ("slowhead.html", "slowbody.html"):
        assert failures[name].code == "timeout", failures[name]
        assert "total deadline" in failures[name].message
        assert failures[name].attempts == 1
        assert site.hits[f"/m/{name}"] == 1  # asked once this run, not four times
    # A byte every 0.5 s would keep a per-read timeout happy for 25+ s; two slow pages in parallel.
    assert elapsed < 2 * TOTAL_DEADLINE + 5
    assert [doc.url.rsplit("/", 1)[-1] for doc in report.fetch.fetched] == ["good-1.pdf"]
    with Manifest(tmp_path / "data" / "manifest.sqlite") as manifest:
        rows = manifest.unfinished_entries(report.discovery.source)
    unfinished = {row["url"].rsplit("/", 1)[-1] for row in rows}
    assert unfinished == {"slowhead.html", "slowbody.html"}  # asked again by the next run


def test_a_retry_after_beyond_the_cap_defers_the_url_to_a_later_run(tmp_path: Path) -> None:
    site = HostileSite(slugs=["good-2", "later"])
    with serve(site) as url:
        report = crawl.crawl(_source(tmp_path, url), DataDir(tmp_path / "data"))
    failure = _failures(report)["later.html"]
    assert failure.code == "deferred"
    assert "Retry-After 100000" in failure.message
    assert site.hits["/m/later.html"] == 1


def test_markup_in_a_reason_phrase_is_recorded_as_text(tmp_path: Path) -> None:
    site = HostileSite(slugs=["good-3", "markup"])
    with serve(site) as url:
        report = crawl.crawl(_source(tmp_path, url), DataDir(tmp_path / "data"))
    failure = _failures(report)["markup.html"]
    assert failure.code == "http_403"
    assert failure.message == "[/bold] Forbidden [link=file:///etc/passwd]x"


def test_a_busy_page_is_a_failed_fetch_retried_next_run_not_a_document(tmp_path: Path) -> None:
    site = HostileSite(slugs=["good-4", "busy"])
    data_dir = DataDir(tmp_path / "data")
    with serve(site) as url:
        source = _source(tmp_path, url)
        first = crawl.crawl(source, data_dir)
        assert _failures(first)["busy.html"].code == "empty_detail_page"
        assert "系统繁忙" in _failures(first)["busy.html"].message
        assert [doc.url.rsplit("/", 1)[-1] for doc in first.fetch.fetched] == ["good-4.pdf"]
        site.busy = False  # the site recovers: the next nightly asks again and gets the minutes
        second = crawl.crawl(source, data_dir)
    assert [doc.url.rsplit("/", 1)[-1] for doc in second.fetch.fetched] == ["good-42.pdf"]
    assert not second.fetch.failures
    with Manifest(data_dir.manifest) as manifest:
        assert len(manifest.documents()) == 2  # the busy page itself was never stored


def test_a_detail_page_with_too_many_attachments_is_capped_loudly(tmp_path: Path) -> None:
    site = HostileSite(slugs=["many"], many=30)
    with serve(site) as url:
        report = crawl.crawl(_source(tmp_path, url, max_attachments=5), DataDir(tmp_path / "data"))
    asked = sorted(path for path in site.hits if path.startswith("/m/files/"))
    assert len(asked) == 5
    assert any(w.startswith("attachment_cap:") and "links 30 attachments" in w for w in report.warnings)


def test_an_endless_listing_stops_at_the_page_cap_loudly(tmp_path: Path) -> None:
    site = HostileSite(slugs=[], infinite=True)
    with serve(site) as url:
        report = crawl.crawl(_source(tmp_path, url, max_listing_pages=4), DataDir(tmp_path / "data"))
    listing_hits = [path for path in site.hits if "index" in path]
    assert len(listing_hits) == 4
    assert report.discovery.pages_fetched == 4 and not report.discovery.complete
    assert any(w.startswith("listing_page_cap:") and "index_4.shtml" in w for w in report.warnings)
