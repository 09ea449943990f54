"""A polite, suspicious HTTP client for one source.

Polite: a User-Agent naming the project, a per-host request rate and concurrency cap, conditional
requests (ETag / If-Modified-Since). Suspicious: every response is checked (status, Content-Type,
declared vs received length, size cap, `%PDF-` magic) and never leaves the source's host, even by
redirect. Transient faults (5xx, 429, timeouts, dropped connections, truncated bodies) are retried
with exponential backoff by tenacity; everything else fails at once with a stable code.

robots.txt is honoured by default (urllib.robotparser; RFC 9309: a 4xx robots.txt allows everything,
a 5xx or unreachable one nothing: requests then fail `robots_unavailable` / `connection`). It is read
once per host and kept for ROBOTS_TTL seconds by the process, so a run's many clients (discovery, each
fetch batch) ask for it once. A source with `respect_robots = false` skips it, and the client logs
that it does.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urlencode, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from extract.sniff import is_pdf
from extract.sources import Politeness, Source

# html: a web page; pdf: must be a PDF; api: a listing API's answer (JSON, XML, HTML fragments);
# attachment: anything, identified afterwards by its bytes (extract/attachments.py).
Expect = Literal["html", "pdf", "api", "attachment"]
HTML_TYPES = {"text/html", "application/xhtml+xml", "text/plain", ""}
API_TYPES = HTML_TYPES | {"application/json", "text/json", "text/javascript", "application/javascript",
                          "text/xml", "application/xml"}
ACCEPT = {"html": "text/html,*/*;q=0.5", "pdf": "application/pdf,*/*;q=0.5",
          "api": "application/json,text/xml,*/*;q=0.5", "attachment": "application/pdf,*/*;q=0.5"}
PEEK_BYTES = 1024
ROBOTS_TTL = 3600.0  # seconds; RFC 9309 allows caching up to a day
log = logging.getLogger(__name__)
MAX_REDIRECTS = 5

# Stable failure codes (the manifest's last_error starts with one).
TIMEOUT = "timeout"
CONNECTION = "connection"
TRUNCATED = "truncated"
TOO_LARGE = "too_large"
NOT_PDF = "not_pdf"
UNEXPECTED_CONTENT_TYPE = "unexpected_content_type"
OFF_HOST = "off_host"
TOO_MANY_REDIRECTS = "too_many_redirects"
DEFERRED = "deferred"  # the server asked us to come back later than we wait within a run
ROBOTS_DISALLOWED = "robots_disallowed"
ROBOTS_UNAVAILABLE = "robots_unavailable"  # robots.txt answers 5xx: nothing may be fetched (RFC 9309)


class FetchError(Exception):
    """One URL could not be fetched: `code` is stable, `retryable` says whether trying again may help."""

    def __init__(self, code: str, message: str, url: str, *, retryable: bool = False) -> None:
        super().__init__(f"{code}: {message} ({url})")
        self.code = code
        self.message = message
        self.url = url
        self.retryable = retryable
        self.attempts = 1
        self.retry_after: float | None = None  # seconds the server asked us to wait (429/503)

    @property
    def reason(self) -> str:
        return f"{self.code}: {' '.join(self.message.split())}"


@dataclass
class Fetched:
    url: str                 # as requested
    final_url: str           # after same-host redirects
    status: int              # 200, or 304 when the conditional request says "unchanged"
    content: bytes           # b"" when not modified
    content_type: str
    charset: str | None
    etag: str | None
    last_modified: str | None
    attempts: int
    content_disposition: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


# robots.txt rules by robots.txt URL: (read at, rules; None when everything is allowed; the FetchError
# when robots.txt is unavailable).
_ROBOTS: dict[str, tuple[float, RobotFileParser | FetchError | None]] = {}
_ROBOTS_LOCK = threading.Lock()


def forget_robots() -> None:
    """Drop the cached robots.txt rules (a test changing a server's robots.txt)."""
    with _ROBOTS_LOCK:
        _ROBOTS.clear()


class HostLimiter:
    """At most `requests_per_second` request starts and `max_concurrency` requests in flight, per host."""

    def __init__(self, requests_per_second: float, max_concurrency: int) -> None:
        self.interval = 1.0 / requests_per_second if requests_per_second > 0 else 0.0
        self.slots = threading.BoundedSemaphore(max(1, max_concurrency))
        self._next_start = 0.0
        self._lock = threading.Lock()

    def wait_turn(self) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start)
            self._next_start = start + self.interval
        if start > now:
            time.sleep(start - now)


class PoliteClient:
    """Thread-safe: share one per crawl; requests from worker threads respect the host's limits."""

    def __init__(self, source: Source, *, transport: httpx.BaseTransport | None = None) -> None:
        self.source = source
        self.politeness: Politeness = source.politeness
        total = self.politeness.total_timeout
        self._client = httpx.Client(
            headers={"User-Agent": self.politeness.user_agent, "Accept-Language": "zh-CN,zh;q=0.9"},
            timeout=httpx.Timeout(min(self.politeness.read_timeout, total),
                                  connect=min(self.politeness.connect_timeout, total)),
            follow_redirects=False,  # redirects are followed by hand, same host only
            transport=transport,
            # A fresh connection per request: the total deadline (_Deadline) needs each request's
            # socket, which only a new connection reports. At the polite rate the cost is nil.
            limits=httpx.Limits(max_connections=max(1, self.politeness.max_concurrency) * 2,
                                max_keepalive_connections=0),
        )
        self._limiters: dict[str, HostLimiter] = {}
        self._limiters_lock = threading.Lock()
        if not source.respect_robots:
            log.warning("%s: robots.txt is not consulted (respect_robots = false in sources.toml)",
                        source.name)

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, expect: Expect, *, etag: str | None = None,
            last_modified: str | None = None) -> Fetched:
        """GET with retries; raises FetchError (its `attempts` set) when the URL cannot be had."""
        return self.request("GET", url, expect, etag=etag, last_modified=last_modified)

    def request(self, method: str, url: str, expect: Expect, *, form: dict[str, str] | None = None,
                etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET, or POST of a form (listing APIs), with retries and same-host redirects (a redirected
        POST continues as GET, as browsers do)."""
        attempts = 0
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            self._require_same_host(current, url)
            self._require_robots_allow(current)
            counter = [0]
            try:
                result = self._retrying()(self._attempt, current, expect, etag, last_modified, counter,
                                          method, form)
            except FetchError as failure:
                failure.attempts = attempts + counter[0]
                raise
            attempts += counter[0]
            if result.status in (301, 302, 303, 307, 308):
                current = urljoin(current, result.final_url)  # final_url holds the Location here
                method, form = "GET", None
                continue
            result.url, result.attempts = url, attempts
            return result
        raise FetchError(TOO_MANY_REDIRECTS, f"more than {MAX_REDIRECTS} redirects", url)

    def peek(self, url: str) -> Fetched:
        """The headers and first bytes of a download, the rest left unread (`minutes sources check`)."""
        self._require_same_host(url, url)
        self._require_robots_allow(url)
        limiter = self._limiter(urlsplit(url).netloc.lower())
        with limiter.slots:
            limiter.wait_turn()
            try:
                with self._client.stream("GET", url, headers={"Accept": ACCEPT["attachment"]}) as response:
                    if response.status_code != 200:
                        raise FetchError(f"http_{response.status_code}", response.reason_phrase or "", url)
                    head = b""
                    for chunk in response.iter_bytes():
                        head += chunk
                        if len(head) >= PEEK_BYTES:
                            break
                    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                    return self._fetched(url, url, response, head[:PEEK_BYTES], content_type)
            except httpx.TimeoutException as error:
                raise FetchError(TIMEOUT, type(error).__name__, url) from error
            except httpx.TransportError as error:
                raise FetchError(CONNECTION, f"{type(error).__name__}: {error}", url) from error

    def _require_robots_allow(self, url: str) -> None:
        if not self.source.respect_robots:
            return
        rules = self._robots_for(url)
        if isinstance(rules, FetchError):  # RFC 9309: robots.txt unavailable, nothing may be fetched
            raise FetchError(rules.code, rules.message, url, retryable=rules.retryable)
        if rules is not None and not rules.can_fetch(self.politeness.user_agent, url):
            raise FetchError(ROBOTS_DISALLOWED, "robots.txt disallows it for our User-Agent", url)

    def _robots_for(self, url: str) -> RobotFileParser | FetchError | None:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc.lower()}/robots.txt"
        with _ROBOTS_LOCK:  # one read per host, even with many threads asking at once
            cached = _ROBOTS.get(robots_url)
            if cached is None or time.monotonic() - cached[0] > ROBOTS_TTL:
                cached = (time.monotonic(), self._read_robots(robots_url))
                if not isinstance(cached[1], FetchError) or not cached[1].retryable:
                    _ROBOTS[robots_url] = cached  # a dropped connection is asked again next time
            return cached[1]

    def _read_robots(self, robots_url: str) -> RobotFileParser | FetchError | None:
        """The rules; None when there are none (4xx); a FetchError when robots.txt cannot be had."""
        limiter = self._limiter(urlsplit(robots_url).netloc.lower())
        with limiter.slots:
            limiter.wait_turn()
            deadline = _Deadline(self.politeness.total_timeout)  # a trickling robots.txt is cut too
            try:
                with deadline:
                    response = self._client.get(robots_url, headers={"Accept": "text/plain,*/*;q=0.5"},
                                                extensions={"trace": deadline.trace})
            except httpx.HTTPError as error:
                if deadline.expired:
                    return deadline.failure(robots_url)
                return FetchError(CONNECTION, f"robots.txt unreachable: {type(error).__name__}: {error}",
                                  robots_url, retryable=True)
        if 400 <= response.status_code < 500:
            return None  # no robots.txt: everything allowed
        if response.status_code >= 500:
            return FetchError(ROBOTS_UNAVAILABLE, f"robots.txt answers {response.status_code}", robots_url)
        rules = RobotFileParser(robots_url)
        rules.parse(response.content.decode("utf-8", errors="replace").splitlines())
        return rules

    def _retrying(self) -> Retrying:
        return Retrying(
            stop=stop_after_attempt(max(1, self.politeness.max_attempts)),
            wait=self._wait,
            retry=retry_if_exception(lambda error: isinstance(error, FetchError) and error.retryable),
            reraise=True,
        )

    def _wait(self, state: RetryCallState) -> float:
        """Exponential backoff with jitter; longer if the server said Retry-After (up to backoff_max)."""
        backoff = wait_exponential_jitter(multiplier=self.politeness.backoff_initial,
                                          max=self.politeness.backoff_max,
                                          jitter=self.politeness.backoff_initial)(state)
        error = state.outcome.exception() if state.outcome is not None else None
        asked = getattr(error, "retry_after", None) or 0.0
        return min(max(backoff, asked), self.politeness.backoff_max)

    def _attempt(self, url: str, expect: Expect, etag: str | None, last_modified: str | None,
                 counter: list[int], method: str = "GET", form: dict[str, str] | None = None) -> Fetched:
        counter[0] += 1
        headers = {"Accept": ACCEPT[expect]}
        body: bytes | None = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=UTF-8"
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        limiter = self._limiter(urlsplit(url).netloc.lower())
        with limiter.slots:
            limiter.wait_turn()
            deadline = _Deadline(self.politeness.total_timeout)
            try:
                with deadline, self._client.stream(method, url, headers=headers, content=body,
                                                   extensions={"trace": deadline.trace}) as response:
                    return self._read(url, response, expect)
            except httpx.TimeoutException as error:
                if deadline.expired:
                    raise deadline.failure(url) from None
                raise FetchError(TIMEOUT, f"{type(error).__name__}", url, retryable=True) from error
            except httpx.TransportError as error:  # refused, reset, closed mid-body
                if deadline.expired:
                    raise deadline.failure(url) from None
                # h11: "peer closed connection without sending complete message body" = a short body.
                code = TRUNCATED if "complete message body" in str(error) else CONNECTION
                raise FetchError(code, f"{type(error).__name__}: {error}", url, retryable=True) from error

    def _read(self, url: str, response: httpx.Response, expect: Expect) -> Fetched:
        status = response.status_code
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if status in (301, 302, 303, 307, 308):
            location = response.headers.get("location", "")
            if not location:
                raise FetchError(f"http_{status}", "redirect without Location", url)
            return self._fetched(url, urljoin(url, location), response, b"", content_type)
        if status == 304:
            return self._fetched(url, url, response, b"", content_type)
        if status >= 500 or status == 429:
            asked = _retry_after(response.headers.get("retry-after"))
            if asked is not None and asked > self.politeness.backoff_max:
                # Waiting that long inside a run holds the whole run; asking sooner is hammering.
                raise FetchError(DEFERRED, f"http_{status} with Retry-After {asked:.0f} s, over the "
                                           f"{self.politeness.backoff_max:g} s this run waits: "
                                           "left for a later run", url)
            busy = FetchError(f"http_{status}", response.reason_phrase or "server error", url, retryable=True)
            busy.retry_after = asked
            raise busy
        if status != 200:
            raise FetchError(f"http_{status}", response.reason_phrase or "unexpected status", url)

        limit = self.politeness.max_download_bytes
        declared = _declared_length(response)
        if declared is not None and declared > limit:
            raise FetchError(TOO_LARGE, f"declares {declared} bytes, limit {limit}", url)
        chunks: list[bytes] = []
        received = 0
        for chunk in response.iter_bytes():  # the request's _Deadline cuts a trickling body
            chunks.append(chunk)
            received += len(chunk)
            if received > limit or response.num_bytes_downloaded > limit:
                raise FetchError(TOO_LARGE, f"more than {limit} bytes", url)
        if declared is not None and response.num_bytes_downloaded != declared:
            raise FetchError(TRUNCATED, f"received {response.num_bytes_downloaded} of {declared} bytes", url,
                             retryable=True)
        content = b"".join(chunks)

        if expect == "pdf" and not is_pdf(content):
            # An HTML error page (or anything else) served where a PDF belongs is not a document.
            raise FetchError(NOT_PDF, f"{content_type or 'untyped'} body without %PDF- header", url)
        if expect == "html" and content_type not in HTML_TYPES:
            raise FetchError(UNEXPECTED_CONTENT_TYPE, f"expected a web page, got {content_type}", url)
        if expect == "api" and content_type not in API_TYPES:
            raise FetchError(UNEXPECTED_CONTENT_TYPE, f"expected a listing API answer, got {content_type}",
                             url)
        return self._fetched(url, url, response, content, content_type)

    @staticmethod
    def _fetched(url: str, final_url: str, response: httpx.Response, content: bytes,
                 content_type: str) -> Fetched:
        return Fetched(url=url, final_url=final_url, status=response.status_code, content=content,
                       content_type=content_type, charset=response.charset_encoding,
                       etag=response.headers.get("etag"),
                       last_modified=response.headers.get("last-modified"), attempts=0,
                       content_disposition=response.headers.get("content-disposition"))

    def _require_same_host(self, url: str, origin: str) -> None:
        host = urlsplit(url).netloc.lower()
        if host != self.source.host:
            what = "redirect" if url != origin else "link"
            raise FetchError(OFF_HOST, f"{what} to {host} leaves the source host {self.source.host}", origin)

    def _limiter(self, host: str) -> HostLimiter:
        with self._limiters_lock:
            if host not in self._limiters:
                self._limiters[host] = HostLimiter(self.politeness.requests_per_second,
                                                   self.politeness.max_concurrency)
            return self._limiters[host]


class _Deadline:
    """One deadline for a whole request: connect, headers and body together.

    httpx's timeouts bound each socket operation, so a server sending a byte every few seconds
    keeps a request alive forever. A timer shuts the request's socket down when the time is up;
    the blocked read returns at once and the request fails with `timeout`. The socket comes from
    httpcore's trace of the TCP connect (hence a new connection per request).
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._timer.cancel()

    def trace(self, event: str, info: dict[str, object]) -> None:
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None  # type: ignore[attr-defined]
            if isinstance(sock, socket.socket):
                with self._lock:
                    self._sockets.append(sock)
                    if self.expired:
                        _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def failure(self, url: str) -> FetchError:
        # Not retried within the run: a server this slow is as slow a minute later. The entry is
        # recorded as failed and tried again by the next run.
        return FetchError(TIMEOUT, f"no complete response within {self.seconds:g} s (total deadline)", url)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def _retry_after(value: str | None) -> float | None:
    """Retry-After: delta-seconds or an HTTP-date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def _declared_length(response: httpx.Response) -> int | None:
    try:
        return int(response.headers["content-length"])
    except (KeyError, ValueError):
        return None

