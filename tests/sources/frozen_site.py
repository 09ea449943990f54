"""A loopback server for one platform family's frozen site (city-scrapers style).

Each family folder (tests/sources/<family>/) holds the site as its publisher's CMS serves it, written
from the public facts in the family's module docstring (extract/platforms/<family>.py):
  pages/…     static files by URL path (listing pages, shells, detail pages, robots.txt)
  api/…       API answers (JSON, XML) served for the routes of site.json
  site.json   the column URL, the API routes (method, path, parameters → answer file), the
              attachments (path, parameters → a demo-corpus document rendered as PDF, or a file,
              with the headers the real platform sends), and the corpus documents it publishes

Text answers may write `{origin}` where the real platform prints absolute URLs. The server logs
every request (method, path, query, status) so tests count what the crawler asked for.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from demo.corpus import DemoDoc, synthetic_docs
from demo.render import render_pdf
from tests.loopback import loopback_server

HERE = Path(__file__).parent
FAMILIES = ("trs_static", "suzhou_api", "hanweb_jpaas", "gkmlpt")
CORPUS_SIZE = 12


@cache
def corpus() -> tuple[DemoDoc, ...]:
    return tuple(synthetic_docs(CORPUS_SIZE))


@cache
def corpus_pdf(index: int) -> bytes:
    doc = corpus()[index]
    return render_pdf(doc, doc.family)


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    params: dict[str, str]
    status: int
    attachment: bool                 # an attachment route (or a .pdf file) was asked for


@dataclass
class FrozenSite:
    family: str
    spec: dict[str, Any]
    origin: str = ""
    refuse_methods: set[str] = field(default_factory=set)   # API methods answered 405
    robots: str | None = None                                # served instead of pages/robots.txt
    robots_status: int = 200                                 # 503: robots.txt unavailable
    log: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def folder(self) -> Path:
        return HERE / self.family

    @property
    def listing_url(self) -> str:
        return self.origin + self.spec["listing"]

    @property
    def documents(self) -> list[DemoDoc]:
        return [corpus()[index] for index in self.spec["documents"]]

    def requests(self) -> list[Request]:
        with self.lock:
            return list(self.log)

    def attachment_downloads(self, since: int = 0) -> list[Request]:
        """Attachment requests answered with a body (200), from log position `since`."""
        return [r for r in self.requests()[since:] if r.attachment and r.status == 200]


def load_site(family: str) -> FrozenSite:
    return FrozenSite(family, json.loads((HERE / family / "site.json").read_text(encoding="utf-8")))


def _matches(rule: dict[str, Any], method: str, path: str, params: dict[str, str]) -> bool:
    if rule["path"] != path or method not in rule.get("methods", ["GET"]):
        return False
    return all(params.get(key) == value for key, value in rule.get("match", {}).items())


def _handler(site: FrozenSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_: object) -> None:
            pass

        def handle(self) -> None:
            # `minutes sources check` reads a PDF's first bytes and hangs up: no server error.
            with contextlib.suppress(ConnectionResetError, BrokenPipeError):
                super().handle()

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            params = {key: values[0] for key, values in parse_qs(parts.query).items()}
            if method == "POST":
                length = int(self.headers.get("Content-Length") or 0)
                form = self.rfile.read(length).decode("utf-8")
                params.update({key: values[0] for key, values in parse_qs(form).items()})
            status, attachment = self._answer(method, parts.path, params)
            with site.lock:
                site.log.append(Request(method, parts.path, params, status, attachment))

        def _answer(self, method: str, path: str, params: dict[str, str]) -> tuple[int, bool]:
            for rule in site.spec.get("attachments", []):
                if _matches(rule, method, path, params):
                    body = (corpus_pdf(rule["doc"]) if "doc" in rule
                            else (site.folder / rule["file"]).read_bytes())
                    headers = {"Content-Type": rule.get("type", "application/octet-stream")}
                    if rule.get("disposition"):
                        headers["Content-Disposition"] = rule["disposition"]
                    return self._send(body, headers, validators=rule.get("validators", True)), True
            api_paths = {rule["path"] for rule in site.spec.get("routes", [])}
            if path in api_paths and method in site.refuse_methods:
                return self._plain(405, "method not allowed"), False
            for rule in site.spec.get("routes", []):
                if _matches(rule, method, path, params):
                    text = (site.folder / rule["file"]).read_text(encoding="utf-8")
                    text = text.replace("{origin}", site.origin)
                    headers = {"Content-Type": rule.get("type", "application/json;charset=UTF-8")}
                    return self._send(text.encode(), headers, validators=rule.get("validators", False)), False
            if path in api_paths:
                return self._plain(404, "no such page"), False
            if path == "/robots.txt" and site.robots_status != 200:
                return self._plain(site.robots_status, "busy"), False
            if path == "/robots.txt" and site.robots is not None:
                return self._send(site.robots.encode(), {"Content-Type": "text/plain"}), False
            pages = (site.folder / "pages").resolve()
            file = (pages / path.lstrip("/")).resolve()
            if method != "GET" or not file.is_file() or not file.is_relative_to(pages):
                return self._plain(404, "not found"), False
            if file.suffix == ".pdf":
                return self._send(file.read_bytes(), {"Content-Type": "application/pdf"}), True
            content_type = "text/plain" if file.name == "robots.txt" else "text/html; charset=utf-8"
            text = file.read_text(encoding="utf-8").replace("{origin}", site.origin)
            return self._send(text.encode(), {"Content-Type": content_type}), False

        def _send(self, body: bytes, headers: dict[str, str], *, validators: bool = True) -> int:
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if validators and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return 304
            self.send_response(200)
            for name, value in headers.items():
                self.send_header(name, value)
            if validators:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return 200

        def _plain(self, status: int, text: str) -> int:
            body = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return status

    return Handler


@contextmanager
def serving(site: FrozenSite) -> Iterator[FrozenSite]:
    with loopback_server(_handler(site), f"frozen-{site.family}") as origin:
        site.origin = origin
        yield site
