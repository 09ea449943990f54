"""A test web server on 127.0.0.1 at a free port: the scaffolding every fake site of the tests shares."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def loopback_server(handler: type[BaseHTTPRequestHandler], name: str = "test-site") -> Iterator[str]:
    """Serve `handler` until the block exits; yields the origin, e.g. http://127.0.0.1:50123.
    Request threads are daemons: a client that hangs on (the slow-server tests) never blocks the exit."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, name=name,
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
