"""A hand-written publication site on 127.0.0.1 with the faults a real one has.

Its markup is deliberately unlike the demo's TRS pages: a `<ul class="doc-list">` listing with `<em>`
dates, detail pages with `<section class="body">`, a pager of numbered links. Three listing pages,
eleven entries, each with a documented fault or none:

  page 0  m57        a normal minutes PDF
          flaky      its PDF answers 500 twice, then the PDF
          slow       the detail page answers slowly (but within the timeout)
          stall      the detail page stalls past the read timeout once, then answers
  page 1  missing    the detail page is 404
          truncated  its PDF is cut short once (Content-Length larger than the body), then whole
          errpage    its "PDF" is an HTML error page served as application/pdf
  page 2  offhost    its PDF redirects to another host (a second server, which must see no request)
          dup        its PDF is byte-for-byte m57's PDF under another URL
          notice     no PDF at all: the article text is the document
          revised    its PDF is replaced by a revised one when the test says so
"""

from __future__ import annotations

import hashlib
import io
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from extract.datadir import DataDir
from extract.sources import Source, resolve_source
from tests.loopback import loopback_server

SONG = Path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf")
LAST_MODIFIED = "Mon, 06 May 2024 08:00:00 GMT"


def render_pdf(lines: list[str]) -> bytes:
    """A tiny real PDF with an embedded CJK TrueType font (invariant: same text, same bytes)."""
    if "Song" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Song", str(SONG)))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    page.setFont("Song", 14)
    y = 780
    for line in lines:
        page.drawString(72, y, line)
        y -= 24
    page.showPage()
    page.save()
    return buffer.getvalue()


def minutes_pdf(session: int, extra: str = "") -> bytes:
    return render_pdf([
        "苏州市人民政府", "常务会议纪要", f"第{session}次",
        f"2024年4月{session % 28 + 1}日下午，市长吴庆文主持召开市政府第{session}次常务会议。",
        f"一、审议《苏州市某某管理办法》{extra}",
    ])


@dataclass
class Entry:
    slug: str
    title: str
    day: str                          # listing date
    pdf: str | None = None            # attachment file name under /minutes/files/
    body: str = "会议内容见附件。"


ENTRIES: list[list[Entry]] = [
    [Entry("m57", "市政府第57次常务会议纪要", "2024-05-08", "m57.pdf"),
     Entry("flaky", "市政府第56次常务会议纪要", "2024-04-20", "flaky.pdf"),
     Entry("slow", "市政府第55次常务会议纪要", "2024-04-02", "slow.pdf"),
     Entry("stall", "市政府第54次常务会议纪要", "2024-03-15", "stall.pdf")],
    [Entry("missing", "市政府第53次常务会议纪要", "2024-02-28", "missing.pdf"),
     Entry("truncated", "市政府第52次常务会议纪要", "2024-02-01", "truncated.pdf"),
     Entry("errpage", "市政府第51次常务会议纪要", "2024-01-10", "errpage.pdf")],
    [Entry("offhost", "市政府第50次常务会议纪要", "2023-12-20", "moved.pdf"),
     Entry("dup", "市政府第49次常务会议纪要（重发）", "2023-11-30", "copy-of-m57.pdf"),
     Entry("notice", "市政府第48次常务会议纪要", "2023-11-02", None,
           body="<p>　　2023年10月30日上午，市长吴庆文主持召开市政府第48次常务会议。</p>"
                "<p>　　一、听取全市安全生产工作情况汇报。</p><p>　　会议要求，各地各部门要压实责任。</p>"),
     Entry("revised", "市政府第47次常务会议纪要", "2023-10-09", "revised.pdf")],
]
ALL_ENTRIES = [entry for page in ENTRIES for entry in page]
ALL_SLUGS = [entry.slug for entry in ALL_ENTRIES]


def listing_html(page: int, pages: list[list[Entry]]) -> str:
    items = "".join(
        f'<li><span class="when"><em>{entry.day}</em></span> '
        f'<a class="doc" href="{entry.slug}.html" title="{entry.title}">{entry.title}</a></li>'
        for entry in pages[page]
    )
    pager = " ".join(
        f'<a href="{"index.shtml" if n == 0 else f"index_{n}.shtml"}">{n + 1}</a>' for n in range(len(pages))
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>会议纪要 — 示例市政府</title></head><body>"
        "<div class='masthead'><a href='/'>示例市政府</a> <a href='/about.html'>关于</a></div>"
        f"<main><ul class='doc-list'>{items}</ul></main>"
        f"<div class='pages'>{pager}</div>"
        "<p class='legal'>示例市政府 版权所有</p></body></html>"
    )


def detail_html(entry: Entry) -> str:
    attachment = (f'<p class="files">附件：<a href="files/{entry.pdf}">{entry.title}.pdf</a></p>'
                  if entry.pdf else "")
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{entry.title} - 示例市政府</title></head><body>"
        "<div class='masthead'><a href='/'>示例市政府</a></div>"
        f"<section class='doc'><h1 class='doc-title'>{entry.title}</h1>"
        f"<div class='meta'>发布日期：{entry.day} 09:30　来源：市政府办公室</div>"
        f"<div class='number'>示政纪要[{entry.day[:4]}]{ALL_SLUGS.index(entry.slug) + 1}号</div>"
        f"<section class='body'>{entry.body}{attachment}</section></section>"
        "<div class='footer'>网站地图 | 联系我们</div></body></html>"
    )


@dataclass
class Site:
    """What the server serves, its faults, and every request it saw."""

    pages: list[list[Entry]] = field(default_factory=lambda: [list(page) for page in ENTRIES])
    pdfs: dict[str, bytes] = field(default_factory=dict)
    redirect_target: str = ""
    revised: bool = False
    validators: bool = True           # send ETag/Last-Modified (many government servers send neither)
    truncate_always: bool = False     # truncated.pdf is cut short on every request, not just the first
    retitled: dict[str, str] = field(default_factory=dict)  # slug -> a new title on its detail page
    requests: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)
    hits: Counter[str] = field(default_factory=Counter)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def responses(self, path: str) -> list[int]:
        return [status for seen, status, _ in self.requests if seen == path]

    def downloads(self) -> list[str]:
        """Paths answered with a body (200), in order."""
        return [path for path, status, _ in self.requests if status == 200]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            with site.lock:
                site.hits[path] += 1
                hit = site.hits[path]
                site.in_flight += 1
                site.max_in_flight = max(site.max_in_flight, site.in_flight)
            try:
                status = self._serve(path, hit)
            except (BrokenPipeError, ConnectionResetError):
                status = -1
            finally:
                with site.lock:
                    site.in_flight -= 1
            with site.lock:
                site.requests.append((path, status, dict(self.headers)))

        def _serve(self, path: str, hit: int) -> int:
            if path == "/minutes/stall.html" and hit == 1:
                time.sleep(2.5)  # past the client's read timeout: the client gives up and retries
            if path == "/minutes/slow.html":
                time.sleep(0.3)  # slow, within the timeout
            if path == "/minutes/files/flaky.pdf" and hit <= 2:
                return self._send(500, b"<html>busy</html>", "text/html")
            if path == "/minutes/files/moved.pdf":
                return self._send(302, b"", "text/html", {"Location": site.redirect_target})
            if path == "/minutes/files/errpage.pdf":
                error_page = "<html><body>系统繁忙，请稍后再试</body></html>".encode()
                return self._send(200, error_page, "application/pdf")
            if path == "/minutes/files/truncated.pdf" and (hit == 1 or site.truncate_always):
                body = site.pdfs["truncated.pdf"]
                self.send_response(200)
                self.send_header("Content-Type", "application/pdf")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.close_connection = True
                return 200
            body, content_type = self._content(path)
            if body is None:
                return self._send(404, b"<html>not found</html>", "text/html")
            if not site.validators:
                return self._send(200, body, content_type)
            etag = '"' + hashlib.sha1(body).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", content_type, {"ETag": etag}, head_only=True)
            return self._send(200, body, content_type, {"ETag": etag, "Last-Modified": LAST_MODIFIED})

        def _content(self, path: str) -> tuple[bytes | None, str]:
            if path.startswith("/minutes/files/"):
                name = path.rsplit("/", 1)[1]
                if name == "revised.pdf" and site.revised:
                    name = "revised-v2.pdf"
                return site.pdfs.get(name), "application/pdf"
            folder, _, name = path.rpartition("/")
            if folder != "/minutes":
                return None, "text/html"
            if name == "index.shtml" or name.startswith("index_"):
                number = 0 if name == "index.shtml" else int(name[6:].split(".")[0])
                if number >= len(site.pages):
                    return None, "text/html"
                return listing_html(number, site.pages).encode(), "text/html; charset=utf-8"
            for entry in (entry for page in site.pages for entry in page):
                if name == f"{entry.slug}.html" and entry.slug != "missing":
                    if entry.slug in site.retitled:
                        entry = replace(entry, title=site.retitled[entry.slug])
                    return detail_html(entry).encode(), "text/html; charset=utf-8"
            return None, "text/html"

        def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None,
                  head_only: bool = False) -> int:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if not head_only:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head_only:
                self.wfile.write(body)
            return status

    return Handler


@dataclass
class Served:
    site: Site
    base_url: str
    other_site: Site                  # the other host the redirect points to
    data_dir: DataDir

    @property
    def listing_url(self) -> str:
        return f"{self.base_url}/minutes/index.shtml"

    def source(self, **politeness: object) -> Source:
        return fast(resolve_source(self.listing_url), **politeness)


def fast(source: Source, **overrides: object) -> Source:
    """Short timeouts and backoff so the faults take milliseconds, not minutes."""
    settings: dict[str, object] = {
        "requests_per_second": 500.0, "max_concurrency": 2, "connect_timeout": 1.0, "read_timeout": 1.0,
        "total_timeout": 5.0, "max_attempts": 3, "backoff_initial": 0.01, "backoff_max": 0.05,
    }
    settings.update(overrides)
    return replace(source, politeness=replace(source.politeness, **settings))


@contextmanager
def serve(site: Site) -> Iterator[str]:
    with loopback_server(_handler(site), "fetch-site") as origin:
        yield origin
