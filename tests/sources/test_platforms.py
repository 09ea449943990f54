"""Platform families against their frozen sites (tests/sources/<family>/), through the real crawler
and real HTTP on 127.0.0.1: recognition, API paging (GET and POST), attachments known by their bytes,
selector overrides and pinned families from sources.toml, robots.txt."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from extract.attachments import disposition_filename, identify, is_candidate
from extract.crawl import SourceUnreachable, crawl, discover
from extract.datadir import DataDir
from extract.platforms import UnknownPlatform, platform_for
from extract.sources import Source, resolve_source
from tests.sources.frozen_site import FAMILIES, FrozenSite, load_site, serving

pytestmark = pytest.mark.integration

FIRST_PAGES = {
    "trs_static": "pages/zwgk/cwhy/index.shtml",
    "suzhou_api": "pages/szsrmzf/zfhy/nav_list.shtml",
    "hanweb_jpaas": "pages/col/col1229106541/index.html",
    "gkmlpt": "pages/gkmlpt/index",
}


def fast(source: Source, **settings: object) -> Source:
    politeness = {"requests_per_second": 500.0, "max_attempts": 2, "backoff_initial": 0.01,
                  "backoff_max": 0.05, "connect_timeout": 2.0, "read_timeout": 5.0, **settings}
    return replace(source, politeness=replace(source.politeness, **politeness))


def _url_source(site: FrozenSite) -> Source:
    return fast(resolve_source(site.listing_url))


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_is_recognised_from_its_first_page_alone(family: str) -> None:
    site = load_site(family)
    html = (site.folder / FIRST_PAGES[family]).read_text(encoding="utf-8")
    url = "https://www.example.gov.cn" + site.spec["listing"]
    recognised = platform_for(resolve_source(url), html, url)
    assert recognised.platform.name == family and not recognised.pinned
    # Another family's page is not mistaken for this one.
    others = [platform_for(resolve_source(url), (load_site(other).folder / FIRST_PAGES[other])
                           .read_text(encoding="utf-8"), url).platform.name
              for other in FAMILIES if other != family]
    assert family not in others


def test_jpaas_pages_with_get_where_post_is_refused(tmp_path: Path) -> None:
    site = load_site("hanweb_jpaas")
    site.refuse_methods = {"POST"}
    with serving(site):
        discovery = discover(_url_source(site), DataDir(tmp_path / "data"), incremental=False)
    proxy = [r for r in site.requests() if r.path == "/module/web/jpage/dataproxy.jsp"]
    assert [(r.method, r.status) for r in proxy] == [("POST", 405), ("GET", 200)]
    asked = proxy[1].params  # the page's form, sent in the query
    assert (asked["columnid"], asked["unitid"], asked["webid"], asked["startrecord"], asked["endrecord"]) == \
        ("1229106541", "6854532", "3271", "3", "5")
    assert discovery.platform == "hanweb_jpaas" and discovery.complete
    assert sorted(entry.listed_date for entry in discovery.entries) == sorted(
        doc.published_at.date() for doc in site.documents)


def test_attachments_are_known_by_their_bytes(tmp_path: Path) -> None:
    """jpaas: a download link naming nothing (`downfile.jsp?fileid=…`, text 附件下载) is a PDF by its
    bytes; TRS: a .docx beside the PDF is recorded as skipped, not as a failure."""
    for family in ("hanweb_jpaas", "trs_static"):
        site = load_site(family)
        data_dir = DataDir(tmp_path / family)
        with serving(site):
            report = crawl(_url_source(site), data_dir, incremental=False)
        assert report.fetch.failures == []
        assert len(report.fetch.fetched) == len(site.documents)
        assert all(document.suffix == ".pdf" for document in report.fetch.fetched)
        with sqlite3.connect(data_dir.manifest) as db:
            skipped = db.execute("SELECT url, last_error FROM resources WHERE status = 'skipped'").fetchall()
        if family == "hanweb_jpaas":
            nameless = [d for d in report.fetch.fetched if "fileid=" in d.url]
            assert len(nameless) == 1 and nameless[0].title == "市政府第3次常务会议纪要"
            assert skipped == []
        else:
            assert [url.rsplit("/", 1)[1] for url, _ in skipped] == ["P020240914fj2.docx"]
            assert skipped[0][1].startswith("not_pdf")


def test_the_configured_suzhou_source_reads_an_api_shell_too(tmp_path: Path) -> None:
    """Whether suzhou's minutes column is static or an API shell today: the `suzhou` source works."""
    site = load_site("suzhou_api")
    with serving(site):
        suzhou = fast(replace(resolve_source("suzhou"), listing_url=site.listing_url))
        discovery = discover(suzhou, DataDir(tmp_path / "data"), incremental=False)
    assert discovery.platform == "suzhou_api"
    assert [entry.title for entry in discovery.entries] == [doc.title for doc in site.documents]
    api = [r.params["currpage"] for r in site.requests() if r.path == "/szinf/info/getInfoCommon/"]
    assert api == ["1", "2"]  # the second page was short: no third asked


SOURCES_TOML = """
[defaults]
user_agent = "minutes-etl/{{version}} (test)"
requests_per_second = 500.0
max_concurrency = 2
connect_timeout = 2.0
read_timeout = 5.0
total_timeout = 30.0
max_download_bytes = 10_000_000
max_attempts = 2
backoff_initial = 0.01
backoff_max = 0.05
max_listing_pages = 20

[generic]
pagination = "index_{{n}}.shtml"
detail_link = ""
attachment_link = '\\.pdf$'

[sources.pinned]
listing = "{listing}"
platform = "trs_static"

[sources.pinned.selectors]
entry = "ul.list-ul li"
date = "span.date"
article = "div.TRS_Editor"

[sources.nosuch]
listing = "{listing}"
platform = "nosuch_cms"

[sources.impolite]
listing = "{listing}"
respect_robots = false
"""


def _config(tmp_path: Path, listing: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(SOURCES_TOML.format(listing=listing), encoding="utf-8")
    return path


def test_sources_toml_pins_a_family_and_overrides_selectors(tmp_path: Path) -> None:
    site = load_site("trs_static")
    with serving(site):
        config = _config(tmp_path, site.listing_url)
        pinned = resolve_source("pinned", config_file=config)
        assert pinned.platform == "trs_static" and pinned.selector("entry") == "ul.list-ul li"
        report = crawl(pinned, DataDir(tmp_path / "data"), incremental=False)
        assert report.discovery.platform == "trs_static" and report.discovery.listed == 3
        assert sorted(d.published_at.date() for d in report.fetch.fetched) == sorted(
            doc.published_at.date() for doc in site.documents)
        with pytest.raises(UnknownPlatform, match="nosuch_cms"):
            discover(resolve_source("nosuch", config_file=config), DataDir(tmp_path / "other"))


def test_robots_txt_is_honoured_unless_the_source_says_otherwise(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    site = load_site("trs_static")
    site.robots = "User-agent: *\nDisallow: /zwgk/\n"
    with serving(site):
        with pytest.raises(SourceUnreachable, match="robots_disallowed"):
            discover(_url_source(site), DataDir(tmp_path / "polite"))
        assert [r.path for r in site.requests()] == ["/robots.txt"]  # nothing else asked
        impolite = fast(resolve_source("impolite", config_file=_config(tmp_path, site.listing_url)))
        with caplog.at_level(logging.WARNING, logger="extract.http"):
            discovery = discover(impolite, DataDir(tmp_path / "impolite"))
    assert discovery.listed == 3
    assert any("robots.txt is not consulted" in record.getMessage() for record in caplog.records)
    assert [r.path for r in site.requests()].count("/robots.txt") == 1  # not read when not honoured


def test_an_unavailable_robots_txt_allows_nothing(tmp_path: Path) -> None:
    site = load_site("suzhou_api")
    site.robots_status = 503
    unavailable = r"robots_unavailable: robots\.txt answers 503"
    with serving(site), pytest.raises(SourceUnreachable, match=unavailable):
        discover(_url_source(site), DataDir(tmp_path / "data"))
    assert [r.path for r in site.requests()] == ["/robots.txt"]


def test_robots_txt_allowing_us_costs_one_request_per_host(tmp_path: Path) -> None:
    site = load_site("gkmlpt")
    site.robots = "User-agent: minutes-etl\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n"
    with serving(site):
        report = crawl(_url_source(site), DataDir(tmp_path / "data"), incremental=False)
    assert len(report.fetch.fetched) == 2  # our User-Agent's group allows everything but /private/
    assert [r.path for r in site.requests()].count("/robots.txt") == 1


@pytest.mark.parametrize(("header", "name"), [
    ("attachment; filename*=UTF-8''%E5%B8%82%E6%94%BF%E5%BA%9C.pdf", "市政府.pdf"),
    ('attachment; filename="%E5%B8%82%E6%94%BF%E5%BA%9C.pdf"', "市政府.pdf"),
    ('attachment; filename="' + "市政府.pdf".encode("gbk").decode("latin-1") + '"', "市政府.pdf"),
    ('attachment; filename="' + "市政府.pdf".encode().decode("latin-1") + '"', "市政府.pdf"),
    ("attachment; filename=minutes.pdf", "minutes.pdf"),
    ("inline", None),
])
def test_content_disposition_names(header: str, name: str | None) -> None:
    assert disposition_filename(header) == name


def test_identification_by_bytes_not_by_url() -> None:
    pdf = b"%PDF-1.7\n..."
    download = "https://www.example.gov.cn/module/download/downfile.jsp?classid=0&fileid=88231"
    assert identify(pdf, download).is_pdf
    assert not identify(b"<html>error</html>", "https://x.gov.cn/a/b.pdf").is_pdf
    assert identify(b"<html>error</html>", "https://x.gov.cn/a/b.pdf").claims_pdf  # a fault: not_pdf
    word = identify(b"PK\x03\x04", download, 'attachment; filename="notes.docx"')
    assert not word.is_pdf and not word.claims_pdf and word.filename == "notes.docx"
    assert is_candidate(download) and is_candidate("https://x.gov.cn/getfile?id=1", "附件：纪要.pdf")
    assert is_candidate("https://x.gov.cn/api?filename=a.pdf")
    assert not is_candidate("https://x.gov.cn/download/index.html", "下载中心")
    assert not is_candidate("https://x.gov.cn/art/2024/5/8/art_1_1.html", "市政府常务会议纪要")
