"""Listing pages → detail pages → attachments, incrementally, politely and without losing anything.

Plain functions (the Prefect flows call them): `discover` walks the listing and decides what to fetch,
`fetch_entries` fetches it into the raw store and manifest, `crawl` does both. Every URL's outcome is
written to the manifest as soon as it is known, so an interrupted run loses nothing and failures are
retried on the next run.

Modes:
  incremental (nightly)  page through the listing until a whole page is already known (or unchanged:
                         304); fetch new entries and retry unfinished ones
  full (incremental=False, backfill)  read every listing page in the since/until window and revalidate
                         known URLs with conditional requests: unchanged answers 304 and costs nothing,
                         new bytes at a known URL become a new version
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from extract.detail_page import DetailPage, decode_html, in_page_furniture, parse_detail_page
from extract.http import OFF_HOST, FetchError, PoliteClient
from extract.manifest import Manifest, utc_now
from extract.rawstore import RawStore
from extract.sources import Source
from minutes_etl.settings import DataDir

# Warning codes in Discovery/CrawlReport.warnings ("<code>: <one line>"); the CLI prints them loudly.
SOURCE_EMPTY = "source_empty"          # the listing shows no entries at all / the source has no documents
LISTING_SHRANK = "listing_shrank"      # far fewer listing entries than last time
LISTING_PAGE_FAILED = "listing_page_failed"
ALL_FETCHES_FAILED = "all_fetches_failed"  # every entry of a fetch failed: blocked, or the site changed
SHRINK_RATIO = 0.5
MIN_ENTRIES_FOR_SHRINK_CHECK = 4

LOCAL_SOURCE = "local"
SUFFIXES = {".pdf": ".pdf", ".html": ".html", ".htm": ".html", ".shtml": ".html", ".txt": ".txt"}
LISTED_DATE = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
PAGE_NUMBER = re.compile(r"index_(\d+)\.s?html?$", re.IGNORECASE)
MIN_TITLE_CHARS = 8
PAGE_COUNT_SCRIPT = re.compile(r"createPageHTML\(\s*['\"]?(\d+)")  # TRS-style pagers print the total


class SourceUnreachable(Exception):
    """The source's first listing page cannot be had: nothing can be crawled."""


@dataclass
class ListingEntry:
    url: str                           # a detail page, or a PDF linked straight from the listing
    source: str
    listing_page: str | None = None
    title: str | None = None           # the link's text on the listing
    listed_date: date | None = None    # the date printed next to the link
    revalidate: bool = False           # already fetched: ask again with conditional requests


@dataclass
class Discovery:
    source: str
    entries: list[ListingEntry]        # what fetch_entries should do
    pages_fetched: int = 0
    listed: int = 0                    # distinct entries seen on the listing pages read
    new: int = 0                       # never seen before
    retried: int = 0                   # seen before, not yet fetched (earlier failures)
    complete: bool = False             # read up to the listing's last page
    warnings: list[str] = field(default_factory=list)


@dataclass
class FetchedDocument:  # one stored document ready for extraction
    doc_id: str                        # sha256 of the bytes
    raw_path: Path
    suffix: str                        # ".pdf" or ".html" (".txt" for ingested text)
    source: str
    url: str
    detail_url: str | None
    title: str | None
    minutes_no: str | None
    published_at: datetime | None
    fetched_at: datetime               # naive UTC
    byte_size: int


@dataclass
class FetchFailure:
    url: str                           # the URL that failed (detail page or attachment)
    entry_url: str                     # the listing entry it belongs to
    code: str                          # http_404, http_500, timeout, connection, truncated, not_pdf, …
    message: str
    attempts: int
    at: datetime

    @property
    def reason(self) -> str:
        return f"{self.code}: {self.message}"


@dataclass
class FetchReport:
    fetched: list[FetchedDocument] = field(default_factory=list)   # new documents (new bytes)
    failures: list[FetchFailure] = field(default_factory=list)
    skipped_known: int = 0             # entries already fetched, not asked again
    duplicates: int = 0                # bytes already stored (same document under another URL)
    not_modified: int = 0              # conditional requests answered 304
    warnings: list[str] = field(default_factory=list)


@dataclass
class CrawlReport:
    discovery: Discovery
    fetch: FetchReport
    warnings: list[str] = field(default_factory=list)


# -- discovery -----------------------------------------------------------------------------------


@dataclass
class ListedLink:  # one link on a listing page
    url: str
    title: str | None
    listed_date: date | None
    listing_page: str | None = None
    previously: sqlite3.Row | None = None  # its manifest row before this run


@dataclass
class _Walk:
    """What reading the listing pages found."""

    links: dict[str, ListedLink] = field(default_factory=dict)
    pages_fetched: int = 0
    unchanged_pages: int = 0
    complete: bool = False
    warnings: list[str] = field(default_factory=list)


def discover(source: Source, data_dir: DataDir, *, since: date | None = None, until: date | None = None,
             incremental: bool = True) -> Discovery:
    """Read the listing pages and decide which entries to fetch. Raises SourceUnreachable."""
    now = utc_now()
    with Manifest(data_dir.manifest) as manifest, PoliteClient(source) as client:
        walk = _walk_listing(source, manifest, client, incremental=incremental, since=since, now=now)
        discovery = Discovery(source=source.name, entries=[], pages_fetched=walk.pages_fetched,
                              listed=len(walk.links), complete=walk.complete, warnings=walk.warnings)
        _choose_entries(discovery, walk, manifest, since=since, until=until, incremental=incremental)
        if not walk.links and not walk.unchanged_pages:
            discovery.warnings.append(f"{SOURCE_EMPTY}: {source.listing_url} lists no entries")
        if walk.complete and since is None and until is None:
            last = manifest.last_complete_scan(source.name)
            if last and _shrank(discovery.listed, last["entries"]):
                discovery.warnings.append(f"{LISTING_SHRANK}: {discovery.listed} listing entries, "
                                          f"{last['entries']} on {last['scanned_at']}")
            manifest.record_scan(source.name, pages=walk.pages_fetched, entries=discovery.listed,
                                 complete=True, now=now)
    return discovery


def _walk_listing(source: Source, manifest: Manifest, client: PoliteClient, *, incremental: bool,
                  since: date | None, now: datetime) -> _Walk:
    """Page through the listing, newest first, recording every entry seen; stop as early as allowed."""
    walk = _Walk()
    to_visit = [source.listing_url]
    visited: set[str] = set()
    while to_visit and len(visited) < source.max_listing_pages:
        page_url = to_visit.pop(0)
        visited.add(page_url)
        stored = manifest.resource(page_url)
        conditional = incremental and stored is not None
        try:
            page = client.get(page_url, "html", etag=stored["etag"] if conditional else None,
                              last_modified=stored["last_modified"] if conditional else None)
        except FetchError as failure:
            manifest.record_resource(page_url, source=source.name, kind="listing", status="failed",
                                     now=now, attempts=failure.attempts, error=failure.reason)
            if page_url == source.listing_url:
                raise SourceUnreachable(f"source {source.name} unreachable: {page_url}: {failure.reason}") \
                    from failure
            if failure.code == "http_404":  # asked past the last page
                walk.complete = True
                break
            walk.warnings.append(f"{LISTING_PAGE_FAILED}: {page_url}: {failure.reason}")
            to_visit += _next_pages(source, page_url, [], None, visited, to_visit)
            continue
        walk.pages_fetched += 1
        if page.not_modified:  # unchanged since the last run: every entry on it is known
            walk.unchanged_pages += 1
            manifest.record_resource(page_url, source=source.name, kind="listing", status="not_modified",
                                     now=now, attempts=page.attempts, http_status=304)
            break
        links, pager_links, page_count = parse_listing(decode_html(page.content, page.charset), page_url,
                                                       source)
        if stored and stored["entry_count"] and _shrank(len(links), stored["entry_count"]):
            walk.warnings.append(f"{LISTING_SHRANK}: {page_url} lists {len(links)} entries, "
                                 f"{stored['entry_count']} last time")
        manifest.record_resource(page_url, source=source.name, kind="listing", status="ok", now=now,
                                 attempts=page.attempts, http_status=page.status, etag=page.etag,
                                 last_modified=page.last_modified, content_type=page.content_type,
                                 size=len(page.content), entry_count=len(links))
        known = manifest.known_entries(source.name, [link.url for link in links])
        for link in links:
            if link.url not in walk.links:
                link.listing_page, link.previously = page_url, known.get(link.url)
                walk.links[link.url] = link
        manifest.see_entries(source.name, links, now)
        if not links:  # an empty page: the listing ends here
            walk.complete = True
            break
        if incremental and all(link.url in known for link in links):
            break  # nightly: everything from here on was seen before
        dated = [link.listed_date for link in links if link.listed_date]
        if since and dated and len(dated) == len(links) and max(dated) < since:
            break  # listings run newest first: the window is behind us
        following = _next_pages(source, page_url, pager_links, page_count, visited, to_visit)
        walk.complete = not following
        to_visit += following
    return walk


def _choose_entries(discovery: Discovery, walk: _Walk, manifest: Manifest, *, since: date | None,
                    until: date | None, incremental: bool) -> None:
    """New entries, earlier failures (listed now or not), and in full mode known ones to revalidate."""
    for link in walk.links.values():
        if not _in_window(link.listed_date, since, until):
            continue
        entry = ListingEntry(url=link.url, source=discovery.source, listing_page=link.listing_page,
                             title=link.title, listed_date=link.listed_date)
        if link.previously is None:
            discovery.new += 1
        elif link.previously["status"] != "fetched":
            discovery.retried += 1
        elif incremental:
            continue
        else:
            entry.revalidate = True
        discovery.entries.append(entry)
    for row in manifest.unfinished_entries(discovery.source):
        listed_date = date.fromisoformat(row["listed_date"]) if row["listed_date"] else None
        if row["url"] in walk.links or not _in_window(listed_date, since, until):
            continue
        discovery.retried += 1
        discovery.entries.append(ListingEntry(url=row["url"], source=discovery.source,
                                              listing_page=row["listing_page"], title=row["listing_title"],
                                              listed_date=listed_date))


def _shrank(now: int, before: int) -> bool:
    return before >= MIN_ENTRIES_FOR_SHRINK_CHECK and now < SHRINK_RATIO * before


def parse_listing(html: str, page_url: str,
                  source: Source) -> tuple[list[ListedLink], list[str], int | None]:
    """Entries (detail pages or PDFs on the source's host), pager links, and the page count if printed."""
    tree = LexborHTMLParser(html)
    links: dict[str, ListedLink] = {}
    elsewhere: dict[str, ListedLink] = {}  # generic sources: same-host pages outside the listing's folder
    pager: list[str] = []
    for anchor in tree.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urljoin(page_url, href).split("#", 1)[0]
        if source.is_listing_page(url):
            if url not in pager:
                pager.append(url)
        elif (source.is_detail_link(url) or source.is_attachment_link(url)) and url not in links:
            links[url] = ListedLink(url=url, title=_link_title(anchor), listed_date=_date_near(anchor))
        elif source.could_be_detail_page(url) and url not in elsewhere and not in_page_furniture(anchor):
            title = _link_title(anchor)
            if title and len(title) >= MIN_TITLE_CHARS:  # a document title, not a menu label
                elsewhere[url] = ListedLink(url=url, title=title, listed_date=_date_near(anchor))
    count = PAGE_COUNT_SCRIPT.search(html)
    found = links or elsewhere  # detail pages in the listing's folder, else titled pages anywhere on the host
    return list(found.values()), pager, int(count.group(1)) if count else None


def _link_title(anchor: LexborNode) -> str | None:
    return (anchor.attributes.get("title") or "").strip() or " ".join(anchor.text().split()) or None


def _date_near(anchor: LexborNode) -> date | None:
    """The date printed in the smallest element around the link that holds only this link."""
    node: LexborNode | None = anchor
    for _ in range(3):
        if node is None:
            return None
        found = LISTED_DATE.search(node.text())
        if found:
            try:
                return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
            except ValueError:
                return None
        node = node.parent
        if node is None or len(node.css("a[href]")) > 1:
            return None
    return None


def _next_pages(source: Source, page_url: str, pager_links: list[str], page_count: int | None,
                visited: set[str], queued: list[str]) -> list[str]:
    """The next listing page by the pagination rule, plus pager links not read yet, in page order."""
    number = _page_number(page_url)
    candidates = [*pager_links]
    if page_count is None or number + 1 < page_count:
        candidates.append(source.listing_page_url(number + 1))
    fresh = {url for url in candidates if url not in visited and url not in queued
             and _page_number(url) > number}
    if page_count is not None:
        fresh = {url for url in fresh if _page_number(url) < page_count}
    return sorted(fresh, key=_page_number)[:1]  # one at a time keeps "stop when known" exact


def _page_number(url: str) -> int:
    found = PAGE_NUMBER.search(urlsplit(url).path)
    return int(found.group(1)) if found else 0


def _in_window(day: date | datetime | None, since: date | None, until: date | None) -> bool:
    """Unknown dates are in every window: the detail page may tell, and nothing is skipped silently."""
    if day is None:
        return True
    day = day.date() if isinstance(day, datetime) else day
    return (since is None or day >= since) and (until is None or day <= until)


# -- fetching ------------------------------------------------------------------------------------


@dataclass
class _EntryOutcome:
    documents: list[FetchedDocument] = field(default_factory=list)
    failures: list[FetchFailure] = field(default_factory=list)
    duplicates: int = 0
    not_modified: int = 0


class _EntryFetcher:
    """Fetches one listing entry: its detail page, then its PDFs (or the page itself when it has none)."""

    def __init__(self, source: Source, manifest: Manifest, client: PoliteClient, store: RawStore) -> None:
        self.source = source
        self.manifest = manifest
        self.client = client
        self.store = store

    def fetch(self, entry: ListingEntry) -> _EntryOutcome:
        outcome = _EntryOutcome()
        attempts = 0
        now = utc_now()
        page = DetailPage(title=entry.title, published_at=_midnight(entry.listed_date))
        detail_url: str | None = None
        if self.source.is_attachment_link(entry.url):
            targets = [entry.url]
        else:
            detail_url = entry.url
            stored = self.manifest.resource(entry.url)
            conditional = entry.revalidate and stored is not None and stored["status"] != "failed"
            try:
                response = self.client.get(entry.url, "html",
                                           etag=stored["etag"] if conditional else None,
                                           last_modified=stored["last_modified"] if conditional else None)
            except FetchError as failure:
                self._fail(outcome, entry, entry.url, "detail", failure, now)
                self._finish(entry, outcome, failure.attempts, now, page, None)
                return outcome
            attempts += response.attempts
            self.manifest.record_resource(
                entry.url, source=self.source.name, kind="detail",
                status="not_modified" if response.not_modified else "ok", now=now,
                attempts=response.attempts, http_status=response.status, etag=response.etag,
                last_modified=response.last_modified, content_type=response.content_type or None,
                size=len(response.content) if not response.not_modified else None,
            )
            if response.not_modified:  # page unchanged: its PDFs may still have been replaced
                outcome.not_modified += 1
                page, targets = self._remembered(entry, page)
            else:
                html = decode_html(response.content, response.charset)
                parsed = parse_detail_page(html, response.final_url)
                page = _with_listing_fallbacks(parsed, entry)
                targets = self._targets(outcome, entry, parsed.attachments, now)
                if not targets and not outcome.failures:  # no PDF: the page's article text is the document
                    sha = self._keep(outcome, entry, entry.url, detail_url, response.content, "html",
                                     page, now)
                    self.manifest.record_resource(entry.url, source=self.source.name, kind="detail",
                                                  status="ok", now=now, attempts=0, sha256=sha)
        for target in targets:
            attempts += self._fetch_attachment(outcome, entry, target, detail_url, page, now)
        self._finish(entry, outcome, attempts, now, page, targets)
        return outcome

    def _targets(self, outcome: _EntryOutcome, entry: ListingEntry, attachments: list[str],
                 now: datetime) -> list[str]:
        """The detail page's PDFs on the source's host; links to other hosts are recorded, not followed."""
        targets = []
        for link in attachments:
            if self.source.is_attachment_link(link):
                targets.append(link)
            elif not self.source.same_host(link):
                off_host = FetchError(OFF_HOST, f"attachment on another host: {link}", link)
                off_host.attempts = 0
                self._fail(outcome, entry, link, "attachment", off_host, now)
        return targets

    def _remembered(self, entry: ListingEntry, page: DetailPage) -> tuple[DetailPage, list[str]]:
        """What the detail page said last time it was read (it answered 304 now)."""
        row = self.manifest.known_entries(self.source.name, [entry.url]).get(entry.url)
        if row is None:
            return page, []
        published_at = datetime.fromisoformat(row["published_at"]) if row["published_at"] else None
        remembered = DetailPage(title=row["title"] or page.title, minutes_no=row["minutes_no"],
                                published_at=published_at or page.published_at)
        return remembered, json.loads(row["attachments"]) if row["attachments"] else []

    def _fetch_attachment(self, outcome: _EntryOutcome, entry: ListingEntry, url: str,
                          detail_url: str | None, page: DetailPage, now: datetime) -> int:
        stored = self.manifest.resource(url)
        have_bytes = stored is not None and stored["sha256"] is not None and stored["status"] != "failed"
        if have_bytes and not entry.revalidate:
            outcome.duplicates += 1  # already stored from another entry linking the same URL
            return 0
        try:
            response = self.client.get(url, "pdf",
                                       etag=stored["etag"] if have_bytes else None,
                                       last_modified=stored["last_modified"] if have_bytes else None)
        except FetchError as failure:
            self._fail(outcome, entry, url, "attachment", failure, now)
            return failure.attempts
        if response.not_modified:
            outcome.not_modified += 1
            self.manifest.record_resource(url, source=self.source.name, kind="attachment",
                                          status="not_modified", now=now, attempts=response.attempts,
                                          http_status=304)
            return response.attempts
        sha = self._keep(outcome, entry, url, detail_url, response.content, "pdf", page, now)
        self.manifest.record_resource(url, source=self.source.name, kind="attachment", status="ok", now=now,
                                      attempts=response.attempts, http_status=response.status,
                                      etag=response.etag, last_modified=response.last_modified,
                                      content_type=response.content_type or None,
                                      size=len(response.content), sha256=sha)
        return response.attempts

    def _keep(self, outcome: _EntryOutcome, entry: ListingEntry, url: str, detail_url: str | None,
              data: bytes, ext: str, page: DetailPage, now: datetime) -> str:
        blob = self.store.put(data, ext)
        new_document, _ = self.manifest.record_document(
            sha256=blob.sha256, ext=ext, size=blob.size, raw_path=blob.path, source=self.source.name,
            url=url, detail_url=detail_url, title=page.title, minutes_no=page.minutes_no,
            published_at=page.published_at, now=now,
        )
        if new_document:
            outcome.documents.append(FetchedDocument(
                doc_id=blob.sha256, raw_path=blob.path, suffix=f".{ext}", source=self.source.name, url=url,
                detail_url=detail_url, title=page.title, minutes_no=page.minutes_no,
                published_at=page.published_at, fetched_at=now, byte_size=blob.size,
            ))
        else:
            outcome.duplicates += 1
        return blob.sha256

    def _fail(self, outcome: _EntryOutcome, entry: ListingEntry, url: str, kind: str, failure: FetchError,
              now: datetime) -> None:
        self.manifest.record_resource(url, source=self.source.name, kind=kind, status="failed", now=now,
                                      attempts=failure.attempts, error=failure.reason)
        outcome.failures.append(FetchFailure(url=url, entry_url=entry.url, code=failure.code,
                                             message=failure.message, attempts=failure.attempts, at=now))

    def _finish(self, entry: ListingEntry, outcome: _EntryOutcome, attempts: int, now: datetime,
                page: DetailPage, attachments: list[str] | None) -> None:
        first_failure = outcome.failures[0].reason if outcome.failures else None
        self.manifest.finish_entry(self.source.name, entry.url, ok=not outcome.failures, attempts=attempts,
                                   error=first_failure, now=now, title=page.title, minutes_no=page.minutes_no,
                                   published_at=page.published_at, attachments=attachments)


def fetch_entries(entries: Sequence[ListingEntry], source: Source, data_dir: DataDir,
                  on_progress: Callable[[int], None] | None = None) -> FetchReport:
    """Fetch what discover() chose. `on_progress(n)` is called with the number of entries done so far."""
    report = FetchReport()
    with Manifest(data_dir.manifest) as manifest, PoliteClient(source) as client:
        now = utc_now()
        known = manifest.known_entries(source.name, [entry.url for entry in entries])
        to_fetch: list[ListingEntry] = []
        fresh: set[str] = set()  # not failed before: their failing says something about today
        for entry in entries:
            row = known.get(entry.url)
            if row is None:  # handed in without discover(): remember it first
                manifest.see_entries(source.name, [entry], now)
            elif row["status"] == "fetched" and not entry.revalidate:
                report.skipped_known += 1
                continue
            if row is None or row["status"] != "failed":
                fresh.add(entry.url)
            to_fetch.append(entry)
        fetcher = _EntryFetcher(source, manifest, client, RawStore(data_dir.raw))
        done = 0
        with ThreadPoolExecutor(max_workers=max(1, source.politeness.max_concurrency),
                                thread_name_prefix=f"fetch-{source.name}") as pool:
            futures = [pool.submit(fetcher.fetch, entry) for entry in to_fetch]
            for future in as_completed(futures):
                outcome = future.result()
                report.fetched += outcome.documents
                report.failures += outcome.failures
                report.duplicates += outcome.duplicates
                report.not_modified += outcome.not_modified
                done += 1
                if on_progress is not None:
                    on_progress(done)
    failed_entries = {failure.entry_url for failure in report.failures}
    if fresh and fresh <= failed_entries:
        first = next(failure for failure in report.failures if failure.entry_url in fresh)
        report.warnings.append(f"{ALL_FETCHES_FAILED}: all {len(fresh)} new entries of {source.name} failed, "
                               f"e.g. {first.url}: {first.reason}")
    report.fetched.sort(key=lambda document: (document.published_at or datetime.min, document.url))
    return report


def crawl(source: Source, data_dir: DataDir, *, since: date | None = None, until: date | None = None,
          incremental: bool = True) -> CrawlReport:
    discovery = discover(source, data_dir, since=since, until=until, incremental=incremental)
    report = fetch_entries(discovery.entries, source, data_dir)
    warnings = [*discovery.warnings, *report.warnings]
    if not any(warning.startswith(SOURCE_EMPTY) for warning in warnings):
        with Manifest(data_dir.manifest) as manifest:
            if not manifest.documents(source.name):
                warnings.append(f"{SOURCE_EMPTY}: no document could be fetched from {source.name}")
    return CrawlReport(discovery=discovery, fetch=report, warnings=warnings)


# -- stored documents ----------------------------------------------------------------------------


def stored_documents(data_dir: DataDir, *, source: str | None = None, since: date | None = None,
                     until: date | None = None) -> list[FetchedDocument]:
    """Every stored document (for --reprocess). With a window, documents of unknown date are left out."""
    if not data_dir.manifest.exists():
        return []
    store = RawStore(data_dir.raw)
    with Manifest(data_dir.manifest) as manifest:
        rows = manifest.documents(source)
    documents = [_from_row(row, store) for row in rows]
    if since is None and until is None:
        return documents
    return [document for document in documents
            if document.published_at is not None and _in_window(document.published_at, since, until)]


def register_local_file(path: Path, data_dir: DataDir) -> FetchedDocument:
    """`minutes ingest`: a local file into the raw store and manifest, as source "local"."""
    data = path.read_bytes()
    suffix = SUFFIXES.get(path.suffix.lower(), path.suffix.lower() or ".bin")
    if suffix != ".pdf" and data.startswith(b"%PDF-"):
        suffix = ".pdf"  # a PDF saved without its suffix is still a PDF: store it as one
    now = utc_now()
    blob = RawStore(data_dir.raw).put(data, suffix)
    url = path.resolve().as_uri()
    with Manifest(data_dir.manifest) as manifest:
        manifest.record_document(sha256=blob.sha256, ext=suffix.lstrip("."), size=blob.size,
                                 raw_path=blob.path, source=LOCAL_SOURCE, url=url, detail_url=None,
                                 title=None, minutes_no=None, published_at=None, now=now)
        row = next(row for row in manifest.documents() if row["sha256"] == blob.sha256)
    document = _from_row(row, RawStore(data_dir.raw))
    document.url = url  # this file, even if the same bytes came from elsewhere first
    return document


def _from_row(row: sqlite3.Row, store: RawStore) -> FetchedDocument:
    return FetchedDocument(
        doc_id=row["sha256"], raw_path=store.path_for(row["sha256"], row["ext"]), suffix=f".{row['ext']}",
        source=row["source"], url=row["url"], detail_url=row["detail_url"], title=row["title"],
        minutes_no=row["minutes_no"],
        published_at=datetime.fromisoformat(row["published_at"]) if row["published_at"] else None,
        fetched_at=datetime.fromisoformat(row["fetched_at"]), byte_size=row["size"],
    )


def _with_listing_fallbacks(page: DetailPage, entry: ListingEntry) -> DetailPage:
    """What the detail page does not say, the listing may: its link text and date."""
    page.title = page.title or entry.title
    page.published_at = page.published_at or _midnight(entry.listed_date)
    return page


def _midnight(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day) if day else None



