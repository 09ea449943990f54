"""`minutes sources check`: what the crawler would make of a source, reading only a few pages.

The first listing page (its family recognised), the listing answers needed to show the first
entries, the first entry's detail page, and the first bytes of its attachments (enough for `%PDF-`
and Content-Disposition; the rest is never read). No manifest, no raw store, no data directory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from extract.attachments import identify, is_candidate
from extract.detail_page import decode_html
from extract.http import FetchError, PoliteClient
from extract.listing import ListedLink
from extract.platforms import ListingRequest, Platform, platform_for
from extract.sources import Source

MAX_LISTING_REQUESTS = 3   # the first page and, for a shell, its first API answers
MAX_ATTACHMENT_PEEKS = 3
ROBOTS_OFF = "ignored (respect_robots = false)"


@dataclass
class AttachmentCheck:
    url: str
    filename: str | None
    is_pdf: bool
    content_type: str | None
    error: str | None = None


@dataclass
class DetailCheck:
    url: str
    title: str | None = None
    published_at: datetime | None = None
    minutes_no: str | None = None
    article_paragraphs: int = 0
    attachments: list[AttachmentCheck] = field(default_factory=list)
    error: str | None = None


@dataclass
class SourceCheck:
    source: str
    listing_url: str
    platform: str
    confidence: float
    pinned: bool
    requests: list[str] = field(default_factory=list)     # listing requests made, in order
    entries: list[ListedLink] = field(default_factory=list)
    has_more: bool = False                                 # the listing names a next page
    total: int | None = None
    detail: DetailCheck | None = None
    robots: str = "honoured"


def check_source(source: Source, *, entries: int = 5) -> SourceCheck:
    """Raises FetchError when the first listing page cannot be had."""
    with PoliteClient(source) as client:
        first = client.get(source.listing_url, "html")
        body = decode_html(first.content, first.charset)
        recognised = platform_for(source, body, source.listing_url)
        platform = recognised.platform
        report = SourceCheck(source=source.name, listing_url=source.listing_url, platform=platform.name,
                             confidence=recognised.confidence, pinned=recognised.pinned,
                             robots="honoured" if source.respect_robots else ROBOTS_OFF)
        request: ListingRequest | None = ListingRequest(source.listing_url)
        answer = body
        visited: set[str] = set()
        while request is not None:
            visited.add(request.key)
            report.requests.append(request.key)
            page = platform.read_listing(source, request, answer, visited)
            report.entries += page.links
            report.total = page.total if page.total is not None else report.total
            report.has_more = page.next is not None
            if len(report.entries) >= entries or page.next is None or len(visited) >= MAX_LISTING_REQUESTS:
                break
            request, answer = _ask(client, platform, page.next, visited)
        report.entries = report.entries[:entries]
        if report.entries:
            report.detail = _check_detail(client, source, platform, report.entries[0])
    return report


def _ask(client: PoliteClient, platform: Platform, request: ListingRequest,
         visited: set[str]) -> tuple[ListingRequest, str]:
    """One listing request's answer, asked the other way once if the method is refused."""
    try:
        fetched = client.request(request.method, request.url, request.expect, form=dict(request.form) or None)
    except FetchError as failure:
        other_way = platform.fallback(request, failure.code)
        if other_way is None or other_way.key in visited:
            raise
        visited.add(request.key)
        request = other_way
        fetched = client.request(request.method, request.url, request.expect, form=dict(request.form) or None)
    return request, decode_html(fetched.content, fetched.charset)


def _check_detail(client: PoliteClient, source: Source, platform: Platform,
                  entry: ListedLink) -> DetailCheck:
    check = DetailCheck(url=entry.url)
    if source.is_attachment_link(entry.url) or is_candidate(entry.url, entry.title):
        check.attachments.append(_peek(client, entry.url, entry.title))
        return check
    try:
        response = client.get(entry.url, "html")
    except FetchError as failure:
        check.error = failure.reason
        return check
    page = platform.read_detail(source, decode_html(response.content, response.charset), response.final_url)
    check.title, check.published_at, check.minutes_no = page.title, page.published_at, page.minutes_no
    check.article_paragraphs = len(page.article_paragraphs)
    for url in [link for link in page.attachments if source.same_host(link)][:MAX_ATTACHMENT_PEEKS]:
        check.attachments.append(_peek(client, url, page.attachment_texts.get(url)))
        if check.attachments[-1].is_pdf:
            break
    return check


def _peek(client: PoliteClient, url: str, link_text: str | None) -> AttachmentCheck:
    try:
        head = client.peek(url)
    except FetchError as failure:
        return AttachmentCheck(url=url, filename=None, is_pdf=False, content_type=None, error=failure.reason)
    found = identify(head.content, url, head.content_disposition, link_text)
    return AttachmentCheck(url=url, filename=found.filename, is_pdf=found.is_pdf,
                           content_type=head.content_type or None)

