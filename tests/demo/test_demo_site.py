"""The demo publication site over a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import http.client
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pdfplumber
import pytest
from selectolax.lexbor import LexborHTMLParser

from demo.corpus import FAMILIES, demo_docs
from demo.scanned import excerpt
from demo.server import serve_site
from demo.site import LISTING_PATH, build_site, ensure_demo_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("demo-site"))


@pytest.fixture(scope="module")
def corpus(site: Path) -> list[dict]:
    return json.loads((site / "corpus.json").read_text(encoding="utf-8"))["documents"]


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve_site(site) as url:
        yield url


@pytest.fixture(scope="module")
def client(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as http:
        yield http


def _crawl_listing(client: httpx.Client) -> tuple[list[str], list[str]]:
    """Follow the pager from the first listing page; returns (listing paths, detail paths) in order."""
    seen, details, queue = [], [], [LISTING_PATH]
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.append(path)
        response = client.get(path)
        assert response.status_code == 200
        tree = LexborHTMLParser(response.text)
        for anchor in tree.css(".news-list a"):
            details.append(urlsplit(urljoin(str(response.url), anchor.attributes["href"])).path)
        for anchor in tree.css(".pager a"):
            target = urlsplit(urljoin(str(response.url), anchor.attributes["href"])).path
            if target not in seen:
                queue.append(target)
    return seen, details


def test_pagination_reaches_every_detail_page_newest_first(client: httpx.Client, corpus: list[dict]) -> None:
    listings, details = _crawl_listing(client)
    assert listings == [f"/szsrmzf/zfhy/{name}" for name in ("index.shtml", "index_1.shtml", "index_2.shtml")]
    newest_first = sorted(corpus, key=lambda e: e["published_at"], reverse=True)
    assert details == [e["detail_path"] for e in newest_first]
    assert len(details) == len(set(details)) == 26


def test_detail_pages_show_title_number_time_and_attachment(client: httpx.Client, corpus: list[dict]) -> None:
    for entry in corpus:
        response = client.get(entry["detail_path"])
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        tree = LexborHTMLParser(response.text)
        assert tree.css_first(".article h1").text() == entry["title"]
        info = tree.css_first(".article-info").text()
        assert f"时间: {entry['published_at'].replace('T', ' ')}" in info
        assert "来源: 苏州市人民政府办公室" in info
        number = tree.css_first(".article-no")
        assert (number.text() if number else None) == (
            f"常务会议纪要{entry['minutes_no']}" if entry["minutes_no"] else None)
        links = [a for a in tree.css("a[href]") if a.attributes["href"].endswith(".pdf")]
        if entry["kind"] == "html":
            assert not links
            paragraphs = [p.text() for p in tree.css("#zoom p")]
            assert "\n".join(paragraphs) + "\n" == entry["normalized_text"]
            continue
        assert len(links) == 1 and links[0].text().startswith("附件：") and links[0].text().endswith(".pdf")
        pdf_url = urljoin(str(response.url), links[0].attributes["href"])
        assert urlsplit(pdf_url).path == entry["pdf_path"]
        attachment = client.get(pdf_url)
        assert attachment.status_code == 200
        assert attachment.headers["content-type"] == "application/pdf"
        assert attachment.content.startswith(b"%PDF-")


def test_corpus_manifest_has_one_html_one_scan_and_every_family(corpus: list[dict], site: Path) -> None:
    kinds = [e["kind"] for e in corpus]
    assert kinds.count("html") == 1 and kinds.count("scan") == 1 and kinds.count("pdf") == 24
    assert {e["family"] for e in corpus if e["kind"] == "pdf"} == set(FAMILIES)
    assert sum(not e["synthetic"] for e in corpus) == 2
    assert len({e["meeting_date"][:4] for e in corpus}) >= 4
    scan = next(e for e in corpus if e["kind"] == "scan")
    # The scan is an excerpt (OCR costs seconds a page) with its own answer key, and is parsed.
    assert scan["expected_status"] == "parsed" and scan["scan_style"] == "office"
    assert scan["expected"] == excerpt(next(d for d in demo_docs() if d.slug == scan["slug"])).expected
    with pdfplumber.open(site / scan["pdf_path"].lstrip("/")) as pdf:
        assert 1 <= len(pdf.pages) <= 3 and not any(page.chars for page in pdf.pages)
        assert all(page.images for page in pdf.pages)
    by_slug = {doc.slug: doc for doc in demo_docs()}
    for entry in corpus:
        if entry["kind"] != "scan":
            assert entry["expected"] == by_slug[entry["slug"]].expected
            assert entry["expected_with_hints"]["meeting"]["title"] == entry["title"]


def test_conditional_get_answers_304(client: httpx.Client, corpus: list[dict]) -> None:
    for path in (LISTING_PATH, corpus[0]["detail_path"], corpus[0]["pdf_path"]):
        first = client.get(path)
        assert first.status_code == 200 and first.headers["etag"] and first.headers["last-modified"]
        by_etag = client.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert by_etag.status_code == 304 and by_etag.content == b""
        by_date = client.get(path, headers={"If-Modified-Since": first.headers["last-modified"]})
        assert by_date.status_code == 304
        stale = client.get(path, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
        assert stale.status_code == 200 and stale.content == first.content
        other_tag = client.get(path, headers={"If-None-Match": '"something-else"'})
        assert other_tag.status_code == 200


def test_missing_pages_traversal_and_root(client: httpx.Client, base_url: str) -> None:
    assert client.get("/szsrmzf/zfhy/index_99.shtml").status_code == 404
    assert client.head(LISTING_PATH).status_code == 200
    root = client.get("/")
    assert root.status_code == 302 and root.headers["location"] == LISTING_PATH
    host, port = urlsplit(base_url).hostname, urlsplit(base_url).port
    connection = http.client.HTTPConnection(host, port, timeout=5)
    connection.request("GET", "/../../../../etc/passwd")
    assert connection.getresponse().status == 404
    connection.close()


def test_ensure_demo_site_builds_once_atomically_and_deterministically(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "cache" / "demo-site"
    assert ensure_demo_site(target) == target
    built = sorted(p.relative_to(target) for p in target.rglob("*") if p.is_file())
    assert built == sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    for relative in built:  # same bytes as the module's own build: the site is deterministic
        assert (target / relative).read_bytes() == (site / relative).read_bytes(), relative
    assert [p.name for p in target.parent.iterdir()] == ["demo-site"]  # no temporary folder left
    stamp = (target / "corpus.json").stat().st_mtime_ns
    monkeypatch.setenv("MINUTES_DEMO_DIR", str(target))
    assert ensure_demo_site() == target
    assert (target / "corpus.json").stat().st_mtime_ns == stamp


def test_command_line_builds_a_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "demo", "build", str(out), "--synthetic", "2"],
        capture_output=True, text=True, timeout=120, env={**os.environ},
    )
    assert result.returncode == 0, result.stderr
    documents = json.loads((out / "corpus.json").read_text(encoding="utf-8"))["documents"]
    assert len(documents) == 4
    assert (out / "szsrmzf/zfhy/index.shtml").is_file()
    with pdfplumber.open(io.BytesIO((out / documents[0]["pdf_path"].lstrip("/")).read_bytes())) as pdf:
        assert pdf.pages[0].chars
