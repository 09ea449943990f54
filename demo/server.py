"""Serve a built demo site on 127.0.0.1, like a CMS's static front: content types, validators, 304s.

`serve_site(root)` is a context manager yielding the base URL; the server runs in a daemon thread and
stops when the block exits. Requests are not logged (tests and `minutes run` stay quiet).
"""

from __future__ import annotations

import contextlib
import hashlib
import mimetypes
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.utils import formatdate, parsedate_to_datetime
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

CONTENT_TYPES = {
    ".shtml": "text/html; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".json": "application/json",
    ".css": "text/css; charset=utf-8",
}
HOME = "/szsrmzf/zfhy/index.shtml"


class SiteHandler(BaseHTTPRequestHandler):
    server_version = "TRS-Demo/1.0"
    protocol_version = "HTTP/1.1"

    def __init__(self, *args: object, root: Path, **kwargs: object) -> None:
        self.root = root
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def handle(self) -> None:
        # A client that hangs up early (a peek at a PDF's first bytes) is no server error.
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            super().handle()

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the demo server never writes access logs."""

    def _respond(self, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        if path in ("", "/"):
            self._send(HTTPStatus.FOUND, b"", {"Location": HOME}, send_body)
            return
        target = self._resolve(path)
        if target is None:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", {"Content-Type": "text/plain"}, send_body)
            return
        data = target.read_bytes()
        mtime = int(target.stat().st_mtime)
        etag = '"' + hashlib.sha1(data).hexdigest()[:20] + '"'
        headers = {
            "Content-Type": CONTENT_TYPES.get(target.suffix.lower())
            or mimetypes.guess_type(target.name)[0] or "application/octet-stream",
            "Last-Modified": formatdate(mtime, usegmt=True),
            "ETag": etag,
            "Cache-Control": "max-age=600",
        }
        if self._not_modified(etag, mtime):
            self._send(HTTPStatus.NOT_MODIFIED, b"", headers, send_body)
            return
        self._send(HTTPStatus.OK, data, headers, send_body)

    def _resolve(self, path: str) -> Path | None:
        """The file for a URL path, never outside the site root."""
        target = (self.root / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.shtml"
        if not target.is_file() or not target.is_relative_to(self.root):
            return None
        return target

    def _not_modified(self, etag: str, mtime: int) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:  # RFC 9110: If-None-Match wins over If-Modified-Since
            return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                return mtime <= parsedate_to_datetime(if_modified_since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def _send(self, status: HTTPStatus, body: bytes, headers: dict[str, str], send_body: bool) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and status != HTTPStatus.NOT_MODIFIED:
            self.wfile.write(body)


@contextmanager
def serve_site(root: Path, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve root until the block exits; yields the base URL, e.g. http://127.0.0.1:50123."""
    with serve_handler(partial(SiteHandler, root=Path(root).resolve()), host, port, "demo-site") as url:
        yield url


@contextmanager
def serve_handler(handler: Callable[..., BaseHTTPRequestHandler], host: str = "127.0.0.1", port: int = 0,
                  name: str = "site") -> Iterator[str]:
    """Serve any request handler until the block exits; yields its origin. Request threads are
    daemons: a client that hangs on never blocks the exit (the tests' slow servers rely on it)."""
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, name=name,
                              daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
