"""The named `demo` source crawls the bundled demo site exactly as its answer key says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from demo.server import serve_site
from demo.site import ensure_demo_site
from extract.crawl import crawl
from extract.datadir import DataDir
from extract.sources import resolve_source

pytestmark = pytest.mark.integration


def test_demo_source_fetches_every_published_document(tmp_path: Path) -> None:
    site = ensure_demo_site()
    answer_key = json.loads((site / "corpus.json").read_text(encoding="utf-8"))["documents"]
    data_dir = DataDir(tmp_path / "data")
    with serve_site(site) as base_url:
        source = resolve_source("demo", base_url)
        report = crawl(source, data_dir)
        again = crawl(source, data_dir)

    assert report.fetch.failures == [] and report.warnings == []
    by_detail = {document.detail_url.removeprefix(base_url): document for document in report.fetch.fetched}
    assert set(by_detail) == {doc["detail_path"] for doc in answer_key}
    for doc in answer_key:
        fetched = by_detail[doc["detail_path"]]
        assert fetched.title == doc["title"]
        assert fetched.minutes_no == doc["minutes_no"]
        assert fetched.published_at is not None
        assert fetched.published_at.isoformat(timespec="minutes") == doc["published_at"]
        expected_url = doc["pdf_path"] or doc["detail_path"]  # no PDF: the page itself
        assert fetched.url == base_url + expected_url
        assert fetched.raw_path.read_bytes() == (site / expected_url.lstrip("/")).read_bytes()
    assert again.fetch.fetched == [] and again.discovery.entries == []
