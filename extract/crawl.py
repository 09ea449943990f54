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

Parts, one job each: `platforms` (one module per publication-platform family: what its listing pages
and APIs say, how to walk them), `listing` (the generic link and date rules), `entry_fetch` (one
entry: detail page → attachments), `stored_documents`, `local_files` (`minutes ingest`). Their public
names are importable from here too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime

from extract.datadir import DataDir
from extract.detail_page import decode_html
from extract.entry_fetch import ATTACHMENT_CAP, EMPTY_DETAIL_PAGE, EntryFetcher, FetchFailure
from extract.http import FetchError, PoliteClient
from extract.listing import ListedLink, ListingEntry, in_window, next_pages, parse_listing
from extract.local_files import (
    LOCAL_SOURCE,
    SUFFIXES,
    is_oversized,
    oversized_local_file,
    register_local_file,
)
from extract.manifest import Manifest, utc_now
from extract.platforms import ListingRequest, Platform, platform_for
from extract.rawstore import RawStore
from extract.sources import Source
from extract.stored_documents import FetchedDocument, stored_documents

__all__ = [
    "ALL_FETCHES_FAILED",
    "ATTACHMENT_CAP",
    "EMPTY_DETAIL_PAGE",
    "LISTING_PAGE_CAP",
    "LISTING_PAGE_FAILED",
    "LISTING_SHRANK",
    "LOCAL_SOURCE",
    "SOURCE_EMPTY",
    "SUFFIXES",
    "CrawlReport",
    "Discovery",
    "FetchFailure",
    "FetchReport",
    "FetchedDocument",
    "ListedLink",
    "ListingEntry",
    "SourceUnreachable",
    "crawl",
    "discover",
    "fetch_entries",
    "is_oversized",
    "oversized_local_file",
    "parse_listing",
    "register_local_file",
    "stored_documents",
]

# Warning codes in Discovery/CrawlReport.warnings ("<code>: <one line>"); the CLI prints them loudly.
SOURCE_EMPTY = "source_empty"          # the listing shows no entries at all / the source has no documents
LISTING_SHRANK = "listing_shrank"      # far fewer listing entries than last time
LISTING_PAGE_FAILED = "listing_page_failed"
LISTING_PAGE_CAP = "listing_page_cap"  # stopped at max_listing_pages with more pages linked
ALL_FETCHES_FAILED = "all_fetches_failed"  # every entry of a fetch failed: blocked, or the site changed
SHRINK_RATIO = 0.5
MIN_ENTRIES_FOR_SHRINK_CHECK = 4


class SourceUnreachable(Exception):
    """The source's first listing page cannot be had: nothing can be crawled."""


@dataclass
class Discovery:
    source: str
    entries: list[ListingEntry]        # what fetch_entries should do
    pages_fetched: int = 0
    listed: int = 0                    # distinct entries seen on the listing pages read
    new: int = 0                       # never seen before
    retried: int = 0                   # seen before, not yet fetched (earlier failures)
    given_up: int = 0                  # earlier permanent failures the nightly no longer asks for
    complete: bool = False             # read up to the listing's last page
    warnings: list[str] = field(default_factory=list)
    platform: str | None = None        # the publication-platform family that served the listing


@dataclass
class FetchReport:
    fetched: list[FetchedDocument] = field(default_factory=list)   # new documents (new bytes)
    failures: list[FetchFailure] = field(default_factory=list)
    skipped_known: int = 0             # entries already fetched, not asked again
    duplicates: int = 0                # bytes already stored (same document under another URL)
    not_modified: int = 0              # conditional requests answered 304
    unchanged: int = 0                 # downloads that brought bytes already stored (or a 304)
    warnings: list[str] = field(default_factory=list)


@dataclass
class CrawlReport:
    discovery: Discovery
    fetch: FetchReport
    warnings: list[str] = field(default_factory=list)


# -- discovery -----------------------------------------------------------------------------------


@dataclass
class _Walk:
    """What reading the listing pages found."""

    links: dict[str, ListedLink] = field(default_factory=dict)
    platform: str | None = None        # the family that read the listing
    pages_fetched: int = 0
    unchanged_pages: int = 0
    complete: bool = False
    warnings: list[str] = field(default_factory=list)


def discover(source: Source, data_dir: DataDir, *, since: date | None = None, until: date | None = None,
             incremental: bool = True, refetch: bool = False) -> Discovery:
    """Read the listing pages and decide which entries to fetch. Raises SourceUnreachable.

    `refetch`: every listed entry in the window again, its attachments downloaded again.
    """
    now = utc_now()
    incremental = incremental and not refetch
    with Manifest(data_dir.manifest) as manifest, PoliteClient(source) as client:
        if source.served_at_run_time:  # the demo: a new port each run, the same site
            manifest.rebase(source.name, source.origin)
        walk = _walk_listing(source, manifest, client, incremental=incremental, since=since, now=now)
        discovery = Discovery(source=source.name, entries=[], pages_fetched=walk.pages_fetched,
                              listed=len(walk.links), complete=walk.complete, warnings=walk.warnings,
                              platform=walk.platform)
        _choose_entries(discovery, walk, manifest, since=since, until=until, incremental=incremental)
        for entry in discovery.entries:
            entry.refetch = refetch
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
    """Page through the listing, newest first, recording every entry seen; stop as early as allowed.

    The first page tells which platform family serves the listing (extract/platforms); the family
    reads each answer (a page, or its API's JSON/XML) and names the next request.
    """
    walk = _Walk()
    request: ListingRequest | None = ListingRequest(source.listing_url)
    platform: Platform | None = None
    visited: set[str] = set()
    while request is not None and len(visited) < source.max_listing_pages:
        visited.add(request.key)
        stored = manifest.resource(request.key)
        # Only a page that lists entries itself says "nothing new" by being unchanged (not a shell).
        conditional = incremental and request.method == "GET" and stored is not None \
            and bool(stored["entry_count"])
        try:
            page = client.request(request.method, request.url, request.expect,
                                  form=dict(request.form) or None,
                                  etag=stored["etag"] if conditional else None,
                                  last_modified=stored["last_modified"] if conditional else None)
        except FetchError as failure:
            manifest.record_resource(request.key, source=source.name, kind="listing", status="failed",
                                     now=now, attempts=failure.attempts, error=failure.reason)
            if request.number == 0 and request.url == source.listing_url:
                raise SourceUnreachable(
                    f"source {source.name} unreachable: {request.url}: {failure.reason}") from failure
            other_way = platform.fallback(request, failure.code) if platform else None
            if other_way is not None and other_way.key not in visited:
                request = other_way
                continue
            if failure.code == "http_404":  # asked past the last page
                walk.complete = True
                break
            walk.warnings.append(f"{LISTING_PAGE_FAILED}: {request.key}: {failure.reason}")
            request = _skip_failed_page(source, platform, request, visited)
            continue
        walk.pages_fetched += 1
        if page.not_modified:  # unchanged since the last run: every entry on it is known
            walk.unchanged_pages += 1
            manifest.record_resource(request.key, source=source.name, kind="listing", status="not_modified",
                                     now=now, attempts=page.attempts, http_status=304)
            break
        body = decode_html(page.content, page.charset)
        if platform is None:
            recognised = platform_for(source, body, request.url)
            platform = recognised.platform
            walk.platform = platform.name
        read = platform.read_listing(source, request, body, visited)
        links = read.links
        if stored and stored["entry_count"] and _shrank(len(links), stored["entry_count"]):
            walk.warnings.append(f"{LISTING_SHRANK}: {request.key} lists {len(links)} entries, "
                                 f"{stored['entry_count']} last time")
        manifest.record_resource(request.key, source=source.name, kind="listing", status="ok", now=now,
                                 attempts=page.attempts, http_status=page.status, etag=page.etag,
                                 last_modified=page.last_modified, content_type=page.content_type,
                                 size=len(page.content),
                                 entry_count=len(links) if read.lists_entries else None)
        known = manifest.known_entries(source.name, [link.url for link in links])
        for link in links:
            if link.url not in walk.links:
                link.listing_page, link.previously = request.key, known.get(link.url)
                walk.links[link.url] = link
        manifest.see_entries(source.name, links, now)
        if not links and read.lists_entries:  # an empty page: the listing ends here
            walk.complete = True
            break
        if incremental and links and all(link.url in known for link in links):
            break  # nightly: everything from here on was seen before
        dated = [link.listed_date for link in links if link.listed_date]
        if since and dated and len(dated) == len(links) and max(dated) < since:
            break  # listings run newest first: the window is behind us
        walk.complete = read.next is None
        request = read.next
    if request is not None and len(visited) >= source.max_listing_pages:  # never silently: it goes on
        walk.warnings.append(f"{LISTING_PAGE_CAP}: stopped after {len(visited)} listing pages "
                             f"(max_listing_pages) with {request.key} still to read")
    return walk


def _skip_failed_page(source: Source, platform: Platform | None, failed: ListingRequest,
                      visited: set[str]) -> ListingRequest | None:
    """After a failed static page, the one after it (API pages cannot be skipped: their offsets
    come from the answers)."""
    if failed.expect == "api" or (platform is not None and platform.name != "trs_static"):
        return None
    following = next_pages(source, failed.url, [], None, visited, [])
    return ListingRequest(following[0], number=failed.number + 1) if following else None


def _choose_entries(discovery: Discovery, walk: _Walk, manifest: Manifest, *, since: date | None,
                    until: date | None, incremental: bool) -> None:
    """New entries, earlier failures (listed now or not), and in full mode known ones to revalidate.

    The nightly leaves out entries given up (permanent failures, GIVE_UP_AFTER_RUNS runs); a backfill
    (full mode) asks for them again."""
    given_up = manifest.given_up_entries(discovery.source) if incremental else set()
    for link in walk.links.values():
        if not in_window(link.listed_date, since, until):
            continue
        entry = ListingEntry(url=link.url, source=discovery.source, listing_page=link.listing_page,
                             title=link.title, listed_date=link.listed_date,
                             platform=discovery.platform or "")
        if link.previously is None:
            discovery.new += 1
        elif link.previously["status"] != "fetched":
            if link.url in given_up:
                discovery.given_up += 1
                continue
            discovery.retried += 1
        elif incremental:
            continue
        else:
            entry.revalidate = True
        discovery.entries.append(entry)
    for row in manifest.unfinished_entries(discovery.source, include_given_up=not incremental):
        listed_date = date.fromisoformat(row["listed_date"]) if row["listed_date"] else None
        if row["url"] in walk.links or not in_window(listed_date, since, until):
            continue
        discovery.retried += 1
        discovery.entries.append(ListingEntry(url=row["url"], source=discovery.source,
                                              listing_page=row["listing_page"], title=row["listing_title"],
                                              listed_date=listed_date))


def _shrank(now: int, before: int) -> bool:
    return before >= MIN_ENTRIES_FOR_SHRINK_CHECK and now < SHRINK_RATIO * before


# -- fetching ------------------------------------------------------------------------------------


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
        fetcher = EntryFetcher(source, manifest, client, RawStore(data_dir.raw_store))
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
                report.unchanged += outcome.unchanged
                report.warnings += outcome.warnings
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
          incremental: bool = True, refetch: bool = False) -> CrawlReport:
    discovery = discover(source, data_dir, since=since, until=until, incremental=incremental,
                         refetch=refetch)
    report = fetch_entries(discovery.entries, source, data_dir)
    warnings = [*discovery.warnings, *report.warnings]
    if not any(warning.startswith(SOURCE_EMPTY) for warning in warnings):
        with Manifest(data_dir.manifest) as manifest:
            if not manifest.documents(source.name):
                warnings.append(f"{SOURCE_EMPTY}: no document could be fetched from {source.name}")
    return CrawlReport(discovery=discovery, fetch=report, warnings=warnings)
