"""Sources, raw store and the HTTP client's checks, against the faulty site on 127.0.0.1."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

from extract.crawl import parse_listing, register_local_file
from extract.datadir import DataDir
from extract.http import FetchError, PoliteClient
from extract.rawstore import RawStore
from extract.sources import UnknownSource, resolve_source
from tests.fetch.fetch_site import Served, fast

pytestmark = pytest.mark.integration


def test_named_sources() -> None:
    suzhou = resolve_source("suzhou")
    assert suzhou.listing_page_url(0) == "https://www.suzhou.gov.cn/szsrmzf/zfhy/index.shtml"
    assert suzhou.listing_page_url(2) == "https://www.suzhou.gov.cn/szsrmzf/zfhy/index_2.shtml"
    assert suzhou.is_detail_link(
        "https://www.suzhou.gov.cn/szsrmzf/zfhy/202405/0123456789abcdef0123456789abcdef.shtml")
    assert not suzhou.is_detail_link("https://www.suzhou.gov.cn/szsrmzf/zfhy/index_3.shtml")
    assert not suzhou.is_detail_link(
        "https://other.gov.cn/szsrmzf/zfhy/202405/0123456789abcdef0123456789abcdef.shtml")
    assert suzhou.politeness.user_agent.startswith("minutes-etl/")
    demo = resolve_source("demo", "http://127.0.0.1:5000/")
    assert demo.listing_url == "http://127.0.0.1:5000/szsrmzf/zfhy/index.shtml"
    with pytest.raises(UnknownSource):
        resolve_source("demo")  # served at run time: needs its base URL
    with pytest.raises(UnknownSource):
        resolve_source("nowhere")


def test_listing_url_gets_generic_rules() -> None:
    source = resolve_source("https://www.example.gov.cn/a/hy/index.shtml")
    assert source.name == "www.example.gov.cn"
    assert source.is_detail_link("https://www.example.gov.cn/a/hy/2024/x.html")
    assert not source.is_detail_link("https://www.example.gov.cn/about.html")  # outside the listing
    assert source.is_attachment_link("https://www.example.gov.cn/a/hy/2024/x.PDF")
    assert not source.is_attachment_link("https://cdn.example.com/a/hy/2024/x.pdf")


def test_raw_store_is_content_addressed_and_write_once(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    blob = store.put(b"%PDF-1.4 minutes", "PDF")
    assert blob.path == tmp_path / "raw" / blob.sha256[:2] / f"{blob.sha256}.pdf"
    assert store.get(blob.sha256) == b"%PDF-1.4 minutes"
    mtime = blob.path.stat().st_mtime_ns
    again = store.put(b"%PDF-1.4 minutes", "pdf")
    assert again == blob and blob.path.stat().st_mtime_ns == mtime  # never rewritten
    assert [path.name for path in (tmp_path / "raw").rglob("*")
            if path.is_file()] == [blob.path.name]  # no temp files left behind


def test_html_checks_and_same_host_redirects(served: Served) -> None:
    with PoliteClient(served.source()) as client:
        page = client.get(f"{served.base_url}/minutes/m57.html", "html")
        assert page.status == 200 and page.etag and page.content_type == "text/html"
        again = client.get(page.url, "html", etag=page.etag)
        assert again.not_modified and again.content == b""
        with pytest.raises(FetchError) as pdf_as_page:
            client.get(f"{served.base_url}/minutes/files/m57.pdf", "html")
        assert pdf_as_page.value.code == "unexpected_content_type"
        with pytest.raises(FetchError) as off_host:
            client.get(f"{served.base_url}/minutes/files/moved.pdf", "pdf")
        assert off_host.value.code == "off_host" and not off_host.value.retryable
        with pytest.raises(FetchError) as foreign:
            client.get("http://example.com/minutes/files/m57.pdf", "pdf")
        assert foreign.value.code == "off_host"
    assert served.other_site.requests == []


def test_retries_are_bounded_and_counted(served: Served) -> None:
    source = fast(served.source(), max_attempts=2)
    with PoliteClient(source) as client, pytest.raises(FetchError) as failure:
        client.get(f"{served.base_url}/minutes/files/flaky.pdf", "pdf")  # 500, 500, then fine
    assert failure.value.code == "http_500" and failure.value.attempts == 2
    with PoliteClient(source) as client:
        assert client.get(f"{served.base_url}/minutes/files/flaky.pdf", "pdf").attempts == 1


def test_concurrency_cap_holds_under_parallel_callers(served: Served) -> None:
    source = fast(served.source(), max_concurrency=1, read_timeout=10.0)
    with PoliteClient(source) as client:
        threads = [threading.Thread(target=client.get, args=(f"{served.base_url}/minutes/slow.html", "html"))
                   for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert served.site.hits["/minutes/slow.html"] == 3
    assert served.site.max_in_flight == 1


LISTING_ELSEWHERE = """<html><body>
<nav><a href="/col/index.html">首页</a>
<a href="/art/2024/about-the-long-site-name.html">关于示例市人民政府网站的说明</a></nav>
<div class="list"><ul>
<li><a href="/art/2024/5/8/art_1_101.html">示例市人民政府第57次常务会议纪要</a><span>2024-05-08</span></li>
<li><a href="/art/2024/4/2/art_1_100.html" title="示例市人民政府第56次常务会议纪要">第56次…</a>
    <span>2024-04-02</span></li>
<li><a href="/art/x.html">更多</a></li>
</ul></div>
<div class="page"><a href="index_1.shtml">下一页</a>
<script>createPageHTML(7, 0, "index", "shtml");</script></div>
</body></html>"""


def test_generic_listing_finds_detail_pages_outside_its_folder() -> None:
    source = resolve_source("https://www.example.gov.cn/col/hy/index.shtml")
    links, pager, page_count = parse_listing(LISTING_ELSEWHERE, source.listing_url, source)
    assert [(link.url, link.title, link.listed_date) for link in links] == [
        ("https://www.example.gov.cn/art/2024/5/8/art_1_101.html", "示例市人民政府第57次常务会议纪要",
         date(2024, 5, 8)),
        ("https://www.example.gov.cn/art/2024/4/2/art_1_100.html", "示例市人民政府第56次常务会议纪要",
         date(2024, 4, 2)),
    ]
    assert pager == ["https://www.example.gov.cn/col/hy/index_1.shtml"]
    assert page_count == 7
    # A configured source keeps to its own rule.
    assert parse_listing(LISTING_ELSEWHERE, "https://www.suzhou.gov.cn/szsrmzf/zfhy/index.shtml",
                         resolve_source("suzhou"))[0] == []


def test_local_files_are_stored_by_what_they_are(tmp_path: Path, site_pdfs: dict[str, bytes]) -> None:
    nameless_pdf = tmp_path / "scan0001"  # a PDF saved without its suffix
    nameless_pdf.write_bytes(site_pdfs["m57.pdf"])
    notes = tmp_path / "notes.docx"
    notes.write_bytes(b"PK\x03\x04 not a document we read")
    data_dir = DataDir(tmp_path / "data")

    pdf = register_local_file(nameless_pdf, data_dir)
    other = register_local_file(notes, data_dir)

    assert pdf.suffix == ".pdf" and pdf.raw_path.suffix == ".pdf"
    assert pdf.raw_path.read_bytes() == site_pdfs["m57.pdf"]
    assert pdf.source == "local" and pdf.url == nameless_pdf.resolve().as_uri()
    assert other.suffix == ".docx" and other.raw_path.read_bytes() == notes.read_bytes()  # kept, not lost
