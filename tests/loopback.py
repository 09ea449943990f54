"""A test web server on 127.0.0.1 at a free port: the scaffolding every fake site of the tests shares
(the demo site's own server, demo.server.serve_handler, with any request handler)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

from demo.server import serve_handler


@contextmanager
def loopback_server(handler: type[BaseHTTPRequestHandler], name: str = "test-site") -> Iterator[str]:
    """Serve `handler` until the block exits; yields the origin, e.g. http://127.0.0.1:50123."""
    with serve_handler(handler, name=name) as origin:
        yield origin
