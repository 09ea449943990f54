"""Fetching one listing entry: its detail page, then the attachments it links (or the page itself when
none of them is a PDF), each outcome written to the manifest as soon as it is known.

Attachments are known by their bytes (`%PDF-`) and Content-Disposition, not by their URL
(extract/attachments.py): a download script's answer is a PDF when its bytes say so; a link that
claims a PDF (its name, its URL) but brings something else is a `not_pdf` failure; any other file
(a .doc beside the PDF) is recorded as skipped.

Revalidating (a backfill of known entries), an attachment already stored (or skipped as another kind
of file) is downloaded again only when something says it changed: the server's validators
(ETag/Last-Modified, asked conditionally: 304 means unchanged), or its detail page, which now reads
differently (another title, date or list of attachments). A server that sends no validators and a
page that did not change cost no download. `refetch` (the user's `--refetch`) downloads every
attachment again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime

from extract.attachments import identify, is_candidate
from extract.detail_page import DetailPage, decode_html
from extract.http import NOT_PDF, OFF_HOST, FetchError, PoliteClient
from extract.listing import ListingEntry
from extract.manifest import Manifest, utc_now
from extract.platforms import family, read_detail
from extract.rawstore import RawStore
from extract.sources import Source
from extract.stored_documents import FetchedDocument

EMPTY_DETAIL_PAGE = "empty_detail_page"  # no attachment and no article: a busy or error page, retried
ATTACHMENT_CAP = "attachment_cap"
# A page without attachment is kept as the document only when its article reads as minutes: some
# text (the shortest real ones run to hundreds of characters) that speaks of a meeting. A page
# standing in for one (`系统繁忙，请稍后再试`, a login wall) is a failed fetch, tried again next run.
MIN_ARTICLE_CHARS = 20
MEETING_WORDS = ("会议", "纪要")


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
class EntryOutcome:
    documents: list[FetchedDocument] = field(default_factory=list)
    failures: list[FetchFailure] = field(default_factory=list)
    duplicates: int = 0
    not_modified: int = 0
    unchanged: int = 0  # downloads that brought bytes the store had (or a 304 for stored bytes)
    warnings: list[str] = field(default_factory=list)  # "<code>: <one line>", loud in the run


class EntryFetcher:
    """Fetches one listing entry: its detail page, then its PDFs (or the page itself when it has none)."""

    def __init__(self, source: Source, manifest: Manifest, client: PoliteClient, store: RawStore) -> None:
        self.source = source
        self.manifest = manifest
        self.client = client
        self.store = store

    def fetch(self, entry: ListingEntry) -> EntryOutcome:
        outcome = EntryOutcome()
        attempts = 0
        now = utc_now()
        page = DetailPage(title=entry.title, published_at=_midnight(entry.listed_date))
        detail_url: str | None = None
        page_changed = False
        page_html: bytes | None = None  # the detail page as read now: the document if no PDF is linked
        article: DetailPage | None = None  # what that page says: is it minutes, or a busy page?
        if self.source.is_attachment_link(entry.url) or is_candidate(entry.url):
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
                parsed = self._read_detail(entry, html, response.final_url)
                page = _with_listing_fallbacks(parsed, entry)
                targets = self._targets(outcome, entry, parsed.attachments, now)
                page_changed = self._page_changed(entry, page, targets)
                page_html, article = response.content, parsed
        pdfs = 0
        for target in targets:
            spent, is_pdf = self._fetch_attachment(outcome, entry, target, detail_url, page, now,
                                                   page_changed=page_changed,
                                                   link_text=page.attachment_texts.get(target))
            attempts += spent
            pdfs += is_pdf
        if page_html is not None and not pdfs and not outcome.failures and not _has_article(article):
            # A 200 that is neither minutes nor a link to them: transient, asked again next run.
            text = " ".join("".join(article.article_paragraphs).split())[:60] if article else ""
            empty = FetchError(EMPTY_DETAIL_PAGE, f"no attachment and no article text "
                                                  f"({text!r}): a busy or error page", entry.url)
            empty.attempts = 0
            self._fail(outcome, entry, entry.url, "detail", empty, now)
        elif page_html is not None and not pdfs and not outcome.failures:
            # No PDF: the page's article text is the document.
            sha = self._keep(outcome, entry, entry.url, detail_url, page_html, "html", page, now)
            self.manifest.record_resource(entry.url, source=self.source.name, kind="detail",
                                          status="ok", now=now, attempts=0, sha256=sha)
        self._finish(entry, outcome, attempts, now, page, targets)
        return outcome

    def _read_detail(self, entry: ListingEntry, html: str, url: str) -> DetailPage:
        """The detail page by its family's rules (the generic ones unless the family has its own)."""
        name = entry.platform or self.source.platform
        if name:
            return family(name)().read_detail(self.source, html, url)
        return read_detail(self.source, html, url)

    def _targets(self, outcome: EntryOutcome, entry: ListingEntry, attachments: list[str],
                 now: datetime) -> list[str]:
        """The detail page's attachment links on the source's host; links to other hosts are recorded,
        not followed."""
        targets = []
        for link in attachments:
            if self.source.same_host(link):
                targets.append(link)
            elif not self.source.same_host(link):
                off_host = FetchError(OFF_HOST, f"attachment on another host: {link}", link)
                off_host.attempts = 0
                self._fail(outcome, entry, link, "attachment", off_host, now)
        cap = self.source.max_attachments_per_page
        if len(targets) > cap:  # loud, never silent: the rest are named by count and left
            outcome.warnings.append(f"{ATTACHMENT_CAP}: {entry.url} links {len(targets)} attachments; "
                                    f"fetched the first {cap} (max_attachments_per_page)")
            targets = targets[:cap]
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

    def _page_changed(self, entry: ListingEntry, page: DetailPage, targets: list[str]) -> bool:
        """Whether a re-read detail page says something else than last time: a revised document is
        announced there (a new title or date, another attachment list)."""
        if not entry.revalidate:
            return False
        row = self.manifest.known_entries(self.source.name, [entry.url]).get(entry.url)
        if row is None or row["attachments"] is None:
            return True
        published = page.published_at.isoformat() if page.published_at else None
        return (json.loads(row["attachments"]) != targets or (row["title"] or None) != page.title
                or (row["published_at"] or None) != published)

    def _fetch_attachment(self, outcome: EntryOutcome, entry: ListingEntry, url: str,
                          detail_url: str | None, page: DetailPage, now: datetime, *,
                          page_changed: bool = False, link_text: str | None = None) -> tuple[int, bool]:
        """(requests made, whether the attachment is a PDF)."""
        stored = self.manifest.resource(url)
        have_bytes = stored is not None and stored["sha256"] is not None and stored["status"] != "failed"
        skipped_before = stored is not None and stored["status"] == "skipped"  # another kind of file
        known = have_bytes or skipped_before
        validators = known and bool(stored["etag"] or stored["last_modified"])
        if known and not entry.refetch and (not entry.revalidate or (not validators and not page_changed)):
            # Stored already (from another entry, or by an earlier run) and nothing says it changed.
            outcome.duplicates += have_bytes
            return 0, have_bytes
        conditional = validators and not entry.refetch and not page_changed
        try:
            response = self.client.get(url, "attachment",
                                       etag=stored["etag"] if conditional else None,
                                       last_modified=stored["last_modified"] if conditional else None)
        except FetchError as failure:
            self._fail(outcome, entry, url, "attachment", failure, now)
            return failure.attempts, False
        if response.not_modified:
            outcome.not_modified += have_bytes
            outcome.unchanged += have_bytes
            self.manifest.record_resource(url, source=self.source.name, kind="attachment",
                                          status="not_modified" if have_bytes else "skipped", now=now,
                                          attempts=response.attempts, http_status=304)
            return response.attempts, have_bytes
        found = identify(response.content, url, response.content_disposition, link_text)
        if not found.is_pdf:
            what = f"{response.content_type or 'untyped'} body without %PDF- header"
            if found.claims_pdf:  # an HTML error page where the PDF belongs: not a document
                failure = FetchError(NOT_PDF, what, url)
                failure.attempts = response.attempts
                self._fail(outcome, entry, url, "attachment", failure, now)
            else:  # another kind of file (a .doc beside the PDF): noted, not a failure
                self.manifest.record_resource(url, source=self.source.name, kind="attachment",
                                              status="skipped", now=now, attempts=response.attempts,
                                              http_status=response.status, error=f"not_pdf: {what}",
                                              etag=response.etag, last_modified=response.last_modified,
                                              content_type=response.content_type or None,
                                              size=len(response.content))
            return response.attempts, False
        sha = self._keep(outcome, entry, url, detail_url, response.content, "pdf", page, now)
        self.manifest.record_resource(url, source=self.source.name, kind="attachment", status="ok", now=now,
                                      attempts=response.attempts, http_status=response.status,
                                      etag=response.etag, last_modified=response.last_modified,
                                      content_type=response.content_type or None,
                                      size=len(response.content), sha256=sha)
        return response.attempts, True

    def _keep(self, outcome: EntryOutcome, entry: ListingEntry, url: str, detail_url: str | None,
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
            outcome.unchanged += 1  # downloaded, and the store had these bytes already
        return blob.sha256

    def _fail(self, outcome: EntryOutcome, entry: ListingEntry, url: str, kind: str, failure: FetchError,
              now: datetime) -> None:
        self.manifest.record_resource(url, source=self.source.name, kind=kind, status="failed", now=now,
                                      attempts=failure.attempts, error=failure.reason)
        is_attachment = kind == "attachment"
        self.manifest.record_failure(
            self.source.name, url=url, entry_url=entry.url, listing_url=entry.listing_page,
            detail_url=None if is_attachment and self.source.is_attachment_link(entry.url) else entry.url,
            attachment_url=url if is_attachment else None, title=entry.title,
            published_at=_midnight(entry.listed_date), reason_code=failure.code, message=failure.message,
            attempts=failure.attempts, permanent=not failure.retryable, now=now)
        outcome.failures.append(FetchFailure(url=url, entry_url=entry.url, code=failure.code,
                                             message=failure.message, attempts=failure.attempts, at=now))

    def _finish(self, entry: ListingEntry, outcome: EntryOutcome, attempts: int, now: datetime,
                page: DetailPage, attachments: list[str] | None) -> None:
        first_failure = outcome.failures[0].reason if outcome.failures else None
        if not outcome.failures:
            self.manifest.clear_failures(self.source.name, entry.url)
        self.manifest.finish_entry(self.source.name, entry.url, ok=not outcome.failures, attempts=attempts,
                                   error=first_failure, now=now, title=page.title, minutes_no=page.minutes_no,
                                   published_at=page.published_at, attachments=attachments)


def _has_article(page: DetailPage | None) -> bool:
    if page is None:
        return False
    text = "".join("".join(paragraph.split()) for paragraph in page.article_paragraphs)
    return len(text) >= MIN_ARTICLE_CHARS and any(word in text for word in MEETING_WORDS)


def _with_listing_fallbacks(page: DetailPage, entry: ListingEntry) -> DetailPage:
    """What the detail page does not say, the listing may: its link text and date."""
    page.title = page.title or entry.title
    page.published_at = page.published_at or _midnight(entry.listed_date)
    return page


def _midnight(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day) if day else None
