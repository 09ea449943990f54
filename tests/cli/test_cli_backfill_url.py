"""`minutes backfill --source <listing URL>` against a site laid out like Suzhou's that the project did
not generate (issue 5): the generic crawler follows the listing's pages, opens the detail pages in the
date window, takes their PDF (or the article text when there is none) and loads them; a second
identical backfill downloads no PDF again.

The site is hand-written here, markup unlike the demo's: a table listing with a plain pager, detail
pages with a header, menus, breadcrumbs, a sidebar of other news, share links and a footer. Its PDFs
are real minutes (the seeds and two generated ones) rendered with reportlab and an embedded CJK TTF.

  index.shtml    2023-02-08 第5次   out of the window (after --until)
                 2022-02-20 第2次   PDF
                 2021-03-30 第115次 no PDF: the article text is the minutes
  index_1.shtml  2020-09-26 第111次 PDF
                 2020-09-02 第107次 PDF
  index_2.shtml  2020-07-20 第104次 out of the window (before --since): paging stops here
                 2020-06-15 第101次 out of the window
"""

from __future__ import annotations

import hashlib
import html
import json
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from demo.corpus import DemoDoc, seed_docs, synthetic_docs
from demo.render import render_pdf
from extract.sources import resolve_source
from tests.cli.output import count
from tests.helpers import MINUTES
from tests.loopback import loopback_server
from tests.prefect_harness import PrefectServer

pytestmark = pytest.mark.integration

FOLDER = "/szsrmzf/zfhy"
SINCE, UNTIL = "2020-09-01", "2022-12-31"
OFFICE = "苏州市人民政府办公室"


@dataclass
class Publication:
    title: str
    minutes_no: str
    published: datetime
    doc: DemoDoc | None            # the minutes (None: never fetched, a placeholder PDF is served)
    with_pdf: bool = True

    @property
    def slug(self) -> str:
        return hashlib.md5(self.title.encode()).hexdigest()  # 32 hex, like the real site's names

    @property
    def detail_path(self) -> str:
        return f"{FOLDER}/{self.published:%Y%m}/{self.slug}.shtml"

    @property
    def pdf_path(self) -> str:
        return f"{FOLDER}/{self.published:%Y%m}/W0{self.published:%Y%m%d}{self.slug[:12]}.pdf"

    @property
    def in_window(self) -> bool:
        return date.fromisoformat(SINCE) <= self.published.date() <= date.fromisoformat(UNTIL)


def _from(doc: DemoDoc, minutes_no: str, *, with_pdf: bool = True) -> Publication:
    return Publication(doc.title, doc.minutes_no or minutes_no, doc.published_at, doc, with_pdf)


def _publications() -> list[list[Publication]]:
    """Three listing pages, newest first."""
    seed_107, seed_111 = seed_docs()
    synthetic = synthetic_docs(4)
    return [
        [_from(synthetic[2], ""), _from(synthetic[1], ""),
         _from(synthetic[0], "〔2021〕3号", with_pdf=False)],
        [_from(seed_111, "〔2020〕12号"), _from(seed_107, "〔2020〕11号")],
        [Publication("市政府第104次常务会议纪要", "〔2020〕9号", datetime(2020, 7, 20, 9, 30), None),
         Publication("市政府第101次常务会议纪要", "〔2020〕7号", datetime(2020, 6, 15, 16, 5), None)],
    ]


# -- the site's markup (hand-written, not the demo's) --------------------------------------------

HEAD = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{title}</title><link rel="stylesheet" href="/szsrmzf/images/common.css">
<script src="/szsrmzf/js/jquery.min.js"></script></head>
<body>
<div class="top-bar"><div class="wrap"><a href="/szsrmzf/wza/index.shtml">无障碍</a>
 | <a href="/szsrmzf/eng/">English</a>
 | <a href="javascript:void(0)" onclick="addFavorite()">加入收藏</a></div></div>
<div class="header"><div class="wrap"><h1 class="logo">
<a href="/"><img src="/szsrmzf/images/logo.png" alt="苏州市人民政府"></a></h1>
<form class="search" action="/jrobot/search.do"><input name="q" placeholder="请输入关键字">
<button>搜索</button></form></div></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/szsrmzf/szyw/index.shtml">要闻动态</a></li>
<li><a href="/szsrmzf/zwgk/index.shtml">政务公开</a></li>
<li><a href="/szsrmzf/zfhy/index.shtml">政府会议</a></li>
<li><a href="/szsrmzf/bsfw/index.shtml">办事服务</a></li>
<li><a href="/szsrmzf/hdjl/index.shtml">互动交流</a></li></ul></div>
<div class="wrap"><div class="position">当前位置：<a href="/">首页</a>
 &gt; <a href="/szsrmzf/zwgk/index.shtml">政务公开</a>
 &gt; <a href="{folder}/index.shtml">政府会议</a>{crumb}</div>
"""
SIDEBAR = """<div class="side-box"><h3>热点新闻</h3><ul>
<li><a href="/szsrmzf/szyw/202011/8a1c2e33b4f94d6f9c0e2b7d5a6f1e20.shtml">
市政府召开全市安全生产工作视频会议部署冬春季安全防范工作</a></li>
<li><a href="/szsrmzf/szyw/202011/0f9e8d7c6b5a49382716f5e4d3c2b1a0.shtml">
我市举行重大项目集中开工活动 总投资超千亿元</a></li>
</ul></div>
"""
FOOT = """</div>
<div class="footer"><div class="wrap"><p><a href="/szsrmzf/wzdt/index.shtml">网站地图</a>
 | <a href="/szsrmzf/lxwm/index.shtml">联系我们</a>
 | <a href="/szsrmzf/smsm/index.shtml">使用帮助</a></p>
<p>主办：苏州市人民政府办公室　承办：苏州市大数据管理局</p>
<p>网站标识码：3205000001　苏ICP备05009250号-1　苏公网安备 32050802010517号</p></div></div>
<script>var _hmt = _hmt || [];</script>
</body></html>
"""


def listing_html(pages: list[list[Publication]], page: int) -> str:
    def name(n: int) -> str:
        return "index.shtml" if n == 0 else f"index_{n}.shtml"

    rows = "".join(
        f'<tr><td class="tit"><a href=".{p.detail_path.removeprefix(FOLDER)}" target="_blank" '
        f'title="{html.escape(p.title)}">{html.escape(p.title)}</a></td>'
        f'<td class="time">{p.published:%Y-%m-%d}</td></tr>\n'
        for p in pages[page]
    )
    numbers = " ".join(f'<b>{n + 1}</b>' if n == page else f'<a href="{name(n)}">{n + 1}</a>'
                       for n in range(len(pages)))
    following = f'<a href="{name(page + 1)}">下一页</a>' if page + 1 < len(pages) else "<span>下一页</span>"
    pager = (f'<div class="page-list"><a href="{name(0)}">首页</a> {numbers} {following} '
             f'<a href="{name(len(pages) - 1)}">尾页</a> <span>共{len(pages)}页</span></div>')
    return (HEAD.format(title="政府会议 - 苏州市人民政府", folder=FOLDER, crumb="")
            + '<div class="main-left">' + SIDEBAR + "</div>\n"
            + f'<div class="main-right"><div class="lanmu">政府会议</div>\n<table class="list-table">\n{rows}'
            + f"</table>\n{pager}</div>\n" + FOOT)


def detail_html(p: Publication) -> str:
    if p.with_pdf:
        body = (f'<p>{html.escape(p.title)}</p>\n<p>附件：<a href="./{p.pdf_path.rsplit("/", 1)[1]}" '
                f'target="_blank">{html.escape(p.title)}.pdf</a></p>\n')
    else:
        assert p.doc is not None
        body = "".join(f'<p style="text-indent: 2em;">{html.escape(text)}</p>\n' for text in p.doc.paragraphs)
    return (HEAD.format(title=f"{html.escape(p.title)} - 苏州市人民政府", folder=FOLDER, crumb=" &gt; 正文")
            + '<div class="xl-main">\n'
            + f'<div class="xl-tit"><h1>{html.escape(p.title)}</h1>\n'
            + f'<div class="xl-no">常务会议纪要{p.minutes_no}</div>\n'
            + f'<div class="xl-info">时间: {p.published:%Y-%m-%d %H:%M}　来源: {OFFICE}'
            + '　<span class="zt">字号：<a href="javascript:setSize(18)">大</a> '
            + '<a href="javascript:setSize(14)">小</a></span></div></div>\n'
            + f'<div class="xl-con">\n{body}</div>\n'
            + '<div class="share-bar">分享到：<a href="javascript:void(0)">微信</a> '
            + '<a href="javascript:window.print()">打印</a> '
            + '<a href="javascript:window.close()">关闭</a></div>\n'
            + "</div>\n" + SIDEBAR + FOOT)


# -- the server ---------------------------------------------------------------------------------


@dataclass
class Resource:
    body: bytes
    content_type: str
    modified: datetime

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'

    @property
    def last_modified(self) -> str:
        return format_datetime(self.modified.replace(tzinfo=UTC), usegmt=True)


@dataclass
class Site:
    files: dict[str, Resource]
    log: list[tuple[str, int]] = field(default_factory=list)    # (path, status) of every request
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answered(self, path: str) -> list[int]:
        with self.lock:
            return [status for seen, status in self.log if seen == path]


def build_site(pages: list[list[Publication]]) -> Site:
    html_type = "text/html; charset=UTF-8"
    files = {f"{FOLDER}/{'index.shtml' if n == 0 else f'index_{n}.shtml'}":
             Resource(listing_html(pages, n).encode(), html_type, datetime(2022, 1, 27, 10, 30))
             for n in range(len(pages))}
    # Its robots.txt keeps crawlers out of the search only (the crawler reads it first).
    files["/robots.txt"] = Resource(b"User-agent: *\nDisallow: /jrobot/\n", "text/plain",
                                    datetime(2020, 1, 1))
    placeholder = render_pdf(synthetic_docs(4)[3], "word_embedded")  # never asked for
    for p in (p for page in pages for p in page):
        files[p.detail_path] = Resource(detail_html(p).encode(), html_type, p.published)
        if p.with_pdf:
            pdf = render_pdf(p.doc, "word_embedded") if p.doc else placeholder
            files[p.pdf_path] = Resource(pdf, "application/pdf", p.published)
    return Site(files)


def handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        """A static file server: ETag and Last-Modified, conditional GETs answered 304 (as nginx)."""

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            found = site.files.get(path)
            status = 200 if found else 404
            if found and self._unchanged(found):
                status = 304
            with site.lock:
                site.log.append((path, status))
            if found is None:
                self._answer(404, b"<html><body>404 Not Found</body></html>", "text/html")
                return
            self.send_response(status)
            self.send_header("ETag", found.etag)
            self.send_header("Last-Modified", found.last_modified)
            if status == 304:
                self.end_headers()
                return
            self.send_header("Content-Type", found.content_type)
            self.send_header("Content-Length", str(len(found.body)))
            self.end_headers()
            self.wfile.write(found.body)

        def _unchanged(self, found: Resource) -> bool:
            if self.headers.get("If-None-Match"):
                return found.etag in self.headers["If-None-Match"]
            since = self.headers.get("If-Modified-Since")
            return bool(since) and parsedate_to_datetime(since).replace(tzinfo=None) >= found.modified

        def _answer(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@dataclass
class Backfills:
    pages: list[list[Publication]]
    site: Site
    base_url: str
    env: dict[str, str]
    data_dir: Path
    first: subprocess.CompletedProcess[str]
    first_log: list[tuple[str, int]]
    second: subprocess.CompletedProcess[str]
    second_log: list[tuple[str, int]]

    @property
    def publications(self) -> list[Publication]:
        return [p for page in self.pages for p in page]


@pytest.fixture(scope="module")
def backfills(prefect_server: PrefectServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backfills]:
    pages = _publications()
    site = build_site(pages)
    with loopback_server(handler_for(site), "suzhou-copy") as base_url:
        data_dir = tmp_path_factory.mktemp("backfill-url") / "data"
        env = prefect_server.client_env()
        env.pop("MINUTES_DATA_DIR", None)
        env.pop("MINUTES_SOURCE", None)
        command = [str(MINUTES), "backfill", "--data-dir", str(data_dir),
                   "--source", f"{base_url}{FOLDER}/index.shtml", "--since", SINCE, "--until", UNTIL]
        first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
        with site.lock:
            first_log = list(site.log)
        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
        with site.lock:
            second_log = site.log[len(first_log):]
        yield Backfills(pages, site, base_url, env, data_dir, first, first_log, second, second_log)


def sql_json(backfills: Backfills, query: str) -> list[dict[str, object]]:
    command = [str(MINUTES), "sql", "--data-dir", str(backfills.data_dir), query, "--format", "json"]
    done = subprocess.run(command, env=backfills.env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_site_has_the_real_suzhou_layout() -> None:
    """The configured `suzhou` source's rules (sources.toml) recognize this site's URLs: the copy is
    faithful to the real layout, so passing here says something about the real site."""
    suzhou = resolve_source("suzhou")
    real = "https://www.suzhou.gov.cn"
    for publication in (p for page in _publications() for p in page):
        assert suzhou.is_detail_link(real + publication.detail_path)
        assert suzhou.is_attachment_link(real + publication.pdf_path)
    assert suzhou.listing_url == f"{real}{FOLDER}/index.shtml"
    assert [suzhou.listing_page_url(n) for n in (1, 2)] == [f"{real}{FOLDER}/index_{n}.shtml" for n in (1, 2)]


def test_backfill_fetches_and_parses_the_window(backfills: Backfills) -> None:
    done = backfills.first
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    in_window = [p for p in backfills.publications if p.in_window]
    assert count(done.stdout, "fetched") == len(in_window) == 4
    assert count(done.stdout, "parsed") == 4 and count(done.stdout, "quarantined") == 0

    rows = sql_json(backfills, "SELECT d.url, d.source, d.status, m.title, m.minutes_no, m.session_no, "
                               "m.meeting_date FROM documents d JOIN meetings m USING (doc_id) "
                               "ORDER BY m.meeting_date")
    expected = sorted(in_window, key=lambda p: p.doc.meeting_date if p.doc else date.min)
    assert [row["title"] for row in rows] == [p.title for p in expected]
    assert [row["minutes_no"] for row in rows] == [p.minutes_no for p in expected]
    assert [row["meeting_date"] for row in rows] == [str(p.doc.meeting_date) for p in expected if p.doc]
    assert [row["session_no"] for row in rows] == [107, 111, 115, 2]
    host = backfills.base_url.removeprefix("http://")
    for row, publication in zip(rows, expected, strict=True):
        assert row["status"] == "parsed" and row["source"] == host
        # The PDF's URL, or the detail page's for the minutes published as article text.
        path = publication.pdf_path if publication.with_pdf else publication.detail_path
        assert row["url"] == backfills.base_url + path


def test_backfill_reads_only_the_listing_pages_and_entries_it_needs(backfills: Backfills) -> None:
    requested = {path for path, _ in backfills.first_log}
    for publication in backfills.publications:
        assert (publication.detail_path in requested) is publication.in_window, publication.title
        if publication.with_pdf:
            assert (publication.pdf_path in requested) is publication.in_window, publication.title
    # The third page lists only older minutes: the listing is not read further.
    listing = sorted(path for path in requested if path.rsplit("/", 1)[1].startswith("index"))
    assert listing == [f"{FOLDER}/index.shtml", f"{FOLDER}/index_1.shtml", f"{FOLDER}/index_2.shtml"]
    # Menus, sidebars and footers link elsewhere on the host: none of it is followed.
    assert requested <= set(backfills.site.files)
    assert all(status == 200 for _, status in backfills.first_log)


def test_second_identical_backfill_downloads_no_pdf_again(backfills: Backfills) -> None:
    done = backfills.second
    assert done.returncode == 0, done.stdout + done.stderr
    assert count(done.stdout, "fetched") == 0
    pdfs = [(path, status) for path, status in backfills.second_log if path.endswith(".pdf")]
    assert pdfs and all(status == 304 for _, status in pdfs)  # asked again, conditionally: unchanged
    for publication in backfills.publications:
        if publication.with_pdf and publication.in_window:
            assert backfills.site.answered(publication.pdf_path).count(200) == 1
    rows = sql_json(backfills, "SELECT count(*) AS n FROM meetings")
    assert rows == [{"n": 4}]
