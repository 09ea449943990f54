"""A publication site on 127.0.0.1 that fights back, page by page.

Listing `/m/index.shtml` (and `index_N.shtml`) links detail pages `/m/<slug>.html`; each slug names
its behaviour:

  good-N       a real minutes PDF (CJK font) attached: the control group
  busy         200 `系统繁忙，请稍后再试` while `site.busy` is true, then a good page
  selfref      attaches the 450-byte self-referencing PDF
  many         attaches `site.many` PDFs (a good one, then copies under other URLs)
  slowhead     the detail page's status line and headers trickle one byte every 0.5 s
  slowbody     headers at once, then the body one byte every 0.5 s
  later        503 with `Retry-After: 100000`
  markup       403 whose reason phrase is Rich markup: `[/bold] Forbidden`

`site.infinite` makes every listing page link the next one, forever; each page lists `site.slugs`
renamed per page (`markup-p3` behaves as `markup`), or, when there are none, a fresh `good-N`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from tests.adversarial.hostile_pdfs import self_referencing
from tests.fetch.fetch_site import minutes_pdf
from tests.loopback import loopback_server

BUSY = "<html><body><div id='zoom'>系统繁忙，请稍后再试</div></body></html>"
TRICKLE_SECONDS = 0.5
TRICKLE_MAX_SECONDS = 40.0  # the server gives up on its own: no test leaves a thread behind for long


@dataclass
class HostileSite:
    slugs: list[str]
    busy: bool = True
    many: int = 30
    infinite: bool = False
    hits: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def good_pdf(self, slug: str) -> bytes:
        number = int(slug.split("-")[1]) if slug.startswith("good-") else 40
        return minutes_pdf(number)


def listing_html(site: HostileSite, page: int) -> str:
    # Endless: every page new entries (`markup-p3`), so a nightly never meets a page it knows.
    slugs = [f"{slug}-p{page}" if page else slug for slug in site.slugs] or [f"good-{100 + page}"]
    items = "".join(f"<li><a href='{slug}.html'>市政府第{index + 1}次常务会议纪要 {slug}</a>"
                    f"<span>2024-05-{index % 28 + 1:02d}</span></li>" for index, slug in enumerate(slugs))
    pager = f"<a href='index_{page + 1}.shtml'>下一页</a>" if site.infinite else ""
    return f"<html><body><ul>{items}</ul>{pager}</body></html>"


def detail_html(slug: str, attachments: list[str]) -> str:
    links = "".join(f"<p><a href='files/{name}'>附件{number}</a></p>"
                    for number, name in enumerate(attachments))
    return (f"<html><head><title>{slug}</title></head><body><h1>市政府常务会议纪要 {slug}</h1>"
            f"<div id='zoom'><p>会议内容见附件。</p>{links}</div></body></html>")


def _handler(site: HostileSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_: object) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            with site.lock:
                site.hits[path] += 1
            with contextlib.suppress(OSError):  # the client hung up (its deadline): fine
                self._serve(path)

        def _serve(self, path: str) -> None:
            name = path.rsplit("/", 1)[-1]
            if path == "/robots.txt":
                return self._send(404, b"no robots.txt")
            if name == "index.shtml" or name.startswith("index_"):
                page = 0 if name == "index.shtml" else int(name[6:].split(".")[0])
                if not site.infinite and page > 0:
                    return self._send(404, b"not found")
                return self._send(200, listing_html(site, page).encode(), "text/html; charset=utf-8")
            if path.startswith("/m/files/"):
                return self._file(name)
            slug = name.removesuffix(".html").split("-p")[0]
            if slug == "busy" and site.busy:
                return self._send(200, BUSY.encode(), "text/html; charset=utf-8")
            if slug == "slowhead":
                return self._trickle(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" * 50)
            if slug == "slowbody":
                body = detail_html(slug, ["good-41.pdf"]).encode() * 20
                self._head(200, len(body), "text/html; charset=utf-8")
                return self._trickle(body)
            if slug == "later":
                return self._send(503, b"busy", headers={"Retry-After": "100000"})
            if slug == "markup":
                return self._send(403, b"no", reason="[/bold] Forbidden [link=file:///etc/passwd]x")
            attachments = {"selfref": ["selfref.pdf"], "busy": ["good-42.pdf"],
                           "many": [f"many-{n}.pdf" for n in range(site.many)]}.get(slug, [f"{slug}.pdf"])
            return self._send(200, detail_html(slug, attachments).encode(), "text/html; charset=utf-8")

        def _file(self, name: str) -> None:
            if name == "selfref.pdf":
                return self._send(200, self_referencing(), "application/pdf")
            if name.startswith("many-"):
                return self._send(200, minutes_pdf(30 + int(name[5:-4]) % 5), "application/pdf")
            return self._send(200, site.good_pdf(name.removesuffix(".pdf")), "application/pdf")

        def _trickle(self, data: bytes) -> None:
            started = time.monotonic()
            for byte in data:
                if time.monotonic() - started > TRICKLE_MAX_SECONDS:
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(TRICKLE_SECONDS)

        def _head(self, status: int, length: int, content_type: str, reason: str | None = None,
                  headers: dict[str, str] | None = None) -> None:
            self.send_response(status, reason)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(length))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()

        def _send(self, status: int, body: bytes, content_type: str = "text/html", *,
                  reason: str | None = None, headers: dict[str, str] | None = None) -> None:
            self._head(status, len(body), content_type, reason, headers)
            self.wfile.write(body)

    return Handler


@contextmanager
def serve(site: HostileSite) -> Iterator[str]:
    """The site on 127.0.0.1; yields the listing URL. Stopped (threads abandoned as daemons) on exit."""
    with loopback_server(_handler(site), "hostile-site") as origin:
        yield f"{origin}/m/index.shtml"


FAST_SOURCES_TOML = """
[defaults]
user_agent = "minutes-etl-test/{{version}}"
requests_per_second = 500.0
max_concurrency = 2
connect_timeout = 2.0
read_timeout = 2.0
total_timeout = {total_timeout}
max_download_bytes = 5_000_000
max_attempts = 2
backoff_initial = 0.01
backoff_max = 0.5
max_listing_pages = {max_listing_pages}
max_attachments_per_page = {max_attachments}

[generic]
pagination = "index_{{n}}.shtml"
detail_link = ""
attachment_link = '\\.pdf$'
"""


def fast_sources_toml(*, total_timeout: float = 3.0, max_listing_pages: int = 5,
                      max_attachments: int = 5) -> str:
    """A sources.toml (for MINUTES_SOURCES_FILE) with short deadlines and small caps."""
    return FAST_SOURCES_TOML.format(total_timeout=total_timeout, max_listing_pages=max_listing_pages,
                                    max_attachments=max_attachments)
