"""Fetch state in SQLite: everything seen on every source. What makes runs incremental.

Tables:
  entries        one row per listing entry (a detail page, or a PDF linked straight from a listing):
                 where it was listed, what its page said, fetch status, attempts, last error
  resources      one row per URL fetched (listing pages, detail pages, attachments): HTTP metadata
                 for conditional requests (ETag, Last-Modified), status, attempts, last error, sha256
  documents      one row per distinct bytes (sha256): the document; its first URL and page facts
  document_urls  every (URL, sha256) pair seen: the same bytes under two URLs are one document with two
                 rows; new bytes at a known URL are a second version; both stay
  listing_scans  one row per discovery: pages and entries seen, to notice a source that shrank
  fetch_failures one row per URL that failed and has not succeeded since: what the warehouse's
                 `fetch_failures` table shows; removed when its listing entry is fetched
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    source TEXT NOT NULL,
    url TEXT NOT NULL,               -- detail page (or a PDF linked straight from the listing)
    listing_page TEXT,
    listing_title TEXT,
    listed_date TEXT,                -- date printed next to the link, ISO
    title TEXT, minutes_no TEXT, published_at TEXT,   -- from the detail page
    attachments TEXT,                -- JSON list of the PDF URLs the detail page linked
    status TEXT NOT NULL DEFAULT 'pending',           -- pending | fetched | failed
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    last_attempt_at TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (source, url)
);
CREATE TABLE IF NOT EXISTS resources (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,              -- listing | detail | attachment
    status TEXT NOT NULL,            -- ok | not_modified | failed
    http_status INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    etag TEXT, last_modified TEXT, content_type TEXT, size INTEGER,
    sha256 TEXT,                     -- latest bytes (attachments, detail pages kept as documents)
    entry_count INTEGER,             -- listing pages: entries found
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    last_fetched_at TEXT
);
CREATE TABLE IF NOT EXISTS documents (
    sha256 TEXT PRIMARY KEY,
    ext TEXT NOT NULL,
    size INTEGER NOT NULL,
    raw_path TEXT NOT NULL,
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    detail_url TEXT,
    title TEXT, minutes_no TEXT, published_at TEXT,
    first_seen TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS document_urls (
    url TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    detail_url TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (url, sha256)
);
CREATE TABLE IF NOT EXISTS listing_scans (
    source TEXT NOT NULL,
    scanned_at TEXT NOT NULL,
    pages INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    complete INTEGER NOT NULL        -- 1 when every listing page was read (not stopped early)
);
CREATE TABLE IF NOT EXISTS fetch_failures (
    source TEXT NOT NULL,
    url TEXT NOT NULL,               -- the URL that failed: a detail page or an attachment
    entry_url TEXT NOT NULL,         -- its listing entry
    listing_url TEXT, detail_url TEXT, attachment_url TEXT,
    title TEXT, published_at TEXT,   -- as listed
    reason_code TEXT NOT NULL, message TEXT,
    attempts INTEGER NOT NULL,       -- requests, over all runs
    runs INTEGER NOT NULL,           -- runs in which it failed
    permanent INTEGER NOT NULL,      -- the code says asking again will not help (404, not a PDF, …)
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
    PRIMARY KEY (source, url)
);
CREATE INDEX IF NOT EXISTS entries_status ON entries (source, status);
CREATE INDEX IF NOT EXISTS documents_source ON documents (source, published_at);
"""


# A URL that failed permanently (404, not a PDF, off-host …) in this many runs is given up: the
# nightly stops asking; `minutes backfill` asks again (and resets the count when it succeeds).
GIVE_UP_AFTER_RUNS = 3


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class ListedEntryLike(Protocol):
    """A listing entry as the crawler holds it (crawl.ListedLink or crawl.ListingEntry)."""

    url: str
    listing_page: str | None
    title: str | None
    listed_date: date | None


def utc_now() -> datetime:
    """Naive UTC, as the warehouse stores TIMESTAMPs."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def iso(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


class ManifestDamaged(RuntimeError):
    """The manifest file is not a sound SQLite database; the message says how to rebuild it."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"the manifest {path} is damaged ({' '.join(detail.split())[:200]}): rebuild it "
                         "from the raw store and the lake with `minutes repair`")


def check_manifest(path: Path) -> None:
    """PRAGMA quick_check at the start of a run: a damaged manifest stops the run with a clear
    message instead of reading as "nothing new" and failing later in SQL."""
    if not path.exists():
        return
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except sqlite3.OperationalError:  # locked, unreadable: not damage
        raise
    except sqlite3.DatabaseError as error:
        raise ManifestDamaged(path, str(error)) from None
    if rows != [("ok",)]:
        raise ManifestDamaged(path, "; ".join(str(row[0]) for row in rows[:3]))


class Manifest:
    """One SQLite connection shared by the crawl's threads (writes serialized by a lock)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
        self._connection.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        try:
            with self._lock:
                self._connection.execute("PRAGMA journal_mode=WAL")
                self._connection.executescript(SCHEMA)
        except sqlite3.DatabaseError as error:
            self._connection.close()
            if isinstance(error, sqlite3.OperationalError):  # locked, not damaged
                raise
            raise ManifestDamaged(path, str(error)) from None

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._connection.execute(sql, tuple(params)).fetchall()

    # -- listing entries -------------------------------------------------------------------------

    def known_entries(self, source: str, urls: Iterable[str]) -> dict[str, sqlite3.Row]:
        wanted = list(dict.fromkeys(urls))
        found: dict[str, sqlite3.Row] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._rows(f"SELECT * FROM entries WHERE source = ? AND url IN ({marks})",
                                  [source, *chunk]):
                found[row["url"]] = row
        return found

    def see_entries(self, source: str, links: Sequence[ListedEntryLike], now: datetime) -> None:
        """Remember listing entries (insert, or refresh what the listing says and last_seen)."""
        with self.transaction() as db:
            db.executemany(
                """INSERT INTO entries (source, url, listing_page, listing_title, listed_date,
                                        first_seen, last_seen)
                   VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (source, url) DO UPDATE SET
                     listing_page = coalesce(excluded.listing_page, listing_page),
                     listing_title = coalesce(excluded.listing_title, listing_title),
                     listed_date = coalesce(excluded.listed_date, listed_date),
                     last_seen = excluded.last_seen""",
                [(source, link.url, link.listing_page or None, link.title, iso(link.listed_date),
                  iso(now), iso(now)) for link in links],
            )

    def unfinished_entries(self, source: str, *, include_given_up: bool = False) -> list[sqlite3.Row]:
        """Entries seen before but not fetched (failed or interrupted): retried on the next run, except
        those given up (GIVE_UP_AFTER_RUNS runs of permanent failures), which only a backfill retries."""
        rows = self._rows(
            "SELECT * FROM entries WHERE source = ? AND status != 'fetched' ORDER BY first_seen", [source]
        )
        if include_given_up:
            return rows
        given_up = self.given_up_entries(source)
        return [row for row in rows if row["url"] not in given_up]

    def given_up_entries(self, source: str) -> set[str]:
        """Entries whose every failure is permanent and has failed in GIVE_UP_AFTER_RUNS runs."""
        return {row["entry_url"] for row in self._rows(
            """SELECT entry_url FROM fetch_failures WHERE source = ?
               GROUP BY entry_url HAVING min(permanent) = 1 AND min(runs) >= ?""",
            [source, GIVE_UP_AFTER_RUNS])}

    # -- failures --------------------------------------------------------------------------------

    def record_failure(self, source: str, *, url: str, entry_url: str, listing_url: str | None,
                       detail_url: str | None, attachment_url: str | None, title: str | None,
                       published_at: datetime | None, reason_code: str, message: str, attempts: int,
                       permanent: bool, now: datetime) -> None:
        with self.transaction() as db:
            db.execute(
                """INSERT INTO fetch_failures (source, url, entry_url, listing_url, detail_url,
                       attachment_url, title, published_at, reason_code, message, attempts, runs,
                       permanent, first_seen, last_seen)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)
                   ON CONFLICT (source, url) DO UPDATE SET
                     reason_code = excluded.reason_code, message = excluded.message,
                     attempts = attempts + excluded.attempts, runs = runs + 1,
                     permanent = excluded.permanent, last_seen = excluded.last_seen,
                     title = coalesce(excluded.title, title),
                     published_at = coalesce(excluded.published_at, published_at)""",
                (source, url, entry_url, listing_url, detail_url, attachment_url, title, iso(published_at),
                 reason_code, message, attempts, int(permanent), iso(now), iso(now)),
            )

    def clear_failures(self, source: str, entry_url: str) -> None:
        """The entry was fetched: its earlier failures are history."""
        with self.transaction() as db:
            db.execute("DELETE FROM fetch_failures WHERE source = ? AND entry_url = ?", (source, entry_url))

    def fetch_failures(self) -> list[sqlite3.Row]:
        return self._rows(
            f"""SELECT *, (permanent = 1 AND runs >= {GIVE_UP_AFTER_RUNS}) AS given_up
                FROM fetch_failures ORDER BY source, last_seen DESC, url""")

    # -- a source served at a new address (the demo: a new port each run) -------------------------

    def rebase(self, source: str, new_origin: str) -> str | None:
        """Move the source's URLs from the origin it was last crawled at (scheme://host:port) to
        `new_origin`, so that state kept for it (known entries, validators, failures) still applies.
        Returns the old origin when something moved."""
        rows = self._rows("""SELECT url FROM resources WHERE source = ? AND kind = 'listing'
                             ORDER BY last_seen DESC LIMIT 1""", [source])
        if not rows:
            return None
        old_origin = _origin(rows[0]["url"])
        if old_origin == new_origin:
            return None
        prefix, length = old_origin + "/", len(old_origin) + 1
        moves = {
            "entries": ("url", "listing_page"),
            "resources": ("url",),
            "documents": ("url", "detail_url"),
            "document_urls": ("url", "detail_url"),
            "fetch_failures": ("url", "entry_url", "listing_url", "detail_url", "attachment_url"),
        }
        with self.transaction() as db:
            for table, columns in moves.items():
                for column in columns:
                    db.execute(
                        f"""UPDATE OR REPLACE {table} SET {column} = ? || substr({column}, ?)
                            WHERE source = ? AND substr({column}, 1, ?) = ?""",
                        (new_origin + "/", length + 1, source, length, prefix))
            # Attachment lists are JSON text: rewrite the origin inside them too.
            db.execute("UPDATE entries SET attachments = replace(attachments, ?, ?) WHERE source = ?",
                       (json.dumps(prefix)[1:-1], json.dumps(new_origin + "/")[1:-1], source))
        return old_origin

    def finish_entry(self, source: str, url: str, *, ok: bool, attempts: int, error: str | None,
                     now: datetime, title: str | None = None, minutes_no: str | None = None,
                     published_at: datetime | None = None, attachments: list[str] | None = None) -> None:
        with self.transaction() as db:
            db.execute(
                """UPDATE entries SET status = ?, attempts = attempts + ?, last_error = ?,
                     last_attempt_at = ?, title = coalesce(?, title), minutes_no = coalesce(?, minutes_no),
                     published_at = coalesce(?, published_at), attachments = coalesce(?, attachments)
                   WHERE source = ? AND url = ?""",
                ("fetched" if ok else "failed", attempts, error, iso(now), title, minutes_no,
                 iso(published_at), json.dumps(attachments) if attachments is not None else None,
                 source, url),
            )

    # -- URLs fetched ----------------------------------------------------------------------------

    def resource(self, url: str) -> sqlite3.Row | None:
        rows = self._rows("SELECT * FROM resources WHERE url = ?", [url])
        return rows[0] if rows else None

    def record_resource(self, url: str, *, source: str, kind: str, status: str, now: datetime,
                        attempts: int, http_status: int | None = None, error: str | None = None,
                        etag: str | None = None, last_modified: str | None = None,
                        content_type: str | None = None, size: int | None = None,
                        sha256: str | None = None, entry_count: int | None = None) -> None:
        fetched = status in ("ok", "not_modified")
        with self.transaction() as db:
            db.execute(
                """INSERT INTO resources (url, source, kind, status, http_status, attempts, last_error, etag,
                                          last_modified, content_type, size, sha256, entry_count,
                                          first_seen, last_seen, last_fetched_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (url) DO UPDATE SET
                     status = excluded.status, http_status = excluded.http_status,
                     attempts = attempts + excluded.attempts, last_error = excluded.last_error,
                     etag = coalesce(excluded.etag, etag),
                     last_modified = coalesce(excluded.last_modified, last_modified),
                     content_type = coalesce(excluded.content_type, content_type),
                     size = coalesce(excluded.size, size), sha256 = coalesce(excluded.sha256, sha256),
                     entry_count = coalesce(excluded.entry_count, entry_count),
                     last_seen = excluded.last_seen,
                     last_fetched_at = coalesce(excluded.last_fetched_at, last_fetched_at)""",
                (url, source, kind, status, http_status, attempts, error, etag, last_modified,
                 content_type, size, sha256, entry_count, iso(now), iso(now), iso(now) if fetched else None),
            )

    # -- documents -------------------------------------------------------------------------------

    def record_document(self, *, sha256: str, ext: str, size: int, raw_path: Path | str, source: str,
                        url: str,
                        detail_url: str | None, title: str | None, minutes_no: str | None,
                        published_at: datetime | None, now: datetime) -> tuple[bool, bool]:
        """Remember bytes seen at a URL. Returns (new document, new (url, bytes) pair)."""
        with self.transaction() as db:
            new_document = db.execute(
                """INSERT INTO documents (sha256, ext, size, raw_path, source, url, detail_url, title,
                                          minutes_no, published_at, first_seen, fetched_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING""",
                (sha256, ext, size, str(raw_path), source, url, detail_url, title, minutes_no,
                 iso(published_at), iso(now), iso(now)),
            ).rowcount == 1
            new_pair = db.execute("SELECT 1 FROM document_urls WHERE url = ? AND sha256 = ?",
                                  (url, sha256)).fetchone() is None
            db.execute(
                """INSERT INTO document_urls (url, sha256, source, detail_url, first_seen, last_seen)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (url, sha256) DO UPDATE SET last_seen = excluded.last_seen""",
                (url, sha256, source, detail_url, iso(now), iso(now)),
            )
        return new_document, new_pair

    def documents(self, source: str | None = None) -> list[sqlite3.Row]:
        if source is None:
            return self._rows("SELECT * FROM documents ORDER BY published_at, first_seen")
        return self._rows(
            "SELECT * FROM documents WHERE source = ? ORDER BY published_at, first_seen", [source]
        )

    def document_urls(self, sha256: str | None = None) -> list[sqlite3.Row]:
        if sha256 is None:
            return self._rows("SELECT * FROM document_urls ORDER BY first_seen, url")
        return self._rows("SELECT * FROM document_urls WHERE sha256 = ? ORDER BY first_seen", [sha256])

    # -- listing scans ---------------------------------------------------------------------------

    def record_scan(self, source: str, *, pages: int, entries: int, complete: bool, now: datetime) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO listing_scans VALUES (?, ?, ?, ?, ?)",
                       (source, iso(now), pages, entries, int(complete)))

    def last_complete_scan(self, source: str) -> sqlite3.Row | None:
        rows = self._rows("""SELECT * FROM listing_scans WHERE source = ? AND complete = 1
                             ORDER BY scanned_at DESC, rowid DESC LIMIT 1""", [source])
        return rows[0] if rows else None
