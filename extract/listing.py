"""What a listing page says: its entries (links to detail pages or PDFs, with the title and date printed
next to them), its pager, and the rules for walking it (the next page, the date window).

Generic rules, not one site's markup: an entry is a link the source's rules call a detail page or an
attachment; its date is the one printed in the smallest element around the link that holds only it.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from extract.detail_page import in_page_furniture
from extract.sources import Source

LISTED_DATE = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
PAGE_NUMBER = re.compile(r"index_(\d+)\.s?html?$", re.IGNORECASE)
MIN_TITLE_CHARS = 8
PAGE_COUNT_SCRIPT = re.compile(r"createPageHTML\(\s*['\"]?(\d+)")  # TRS-style pagers print the total


@dataclass
class ListingEntry:
    url: str                           # a detail page, or a PDF linked straight from the listing
    source: str
    listing_page: str | None = None
    title: str | None = None           # the link's text on the listing
    listed_date: date | None = None    # the date printed next to the link
    revalidate: bool = False           # already fetched: ask again with conditional requests
    refetch: bool = False              # download attachments again even when stored (`--refetch`)
    platform: str = ""                 # the family that listed it ("" = generic detail rules)


@dataclass
class ListedLink:  # one link on a listing page
    url: str
    title: str | None
    listed_date: date | None
    listing_page: str | None = None
    previously: sqlite3.Row | None = None  # its manifest row before this run


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


def next_pages(source: Source, page_url: str, pager_links: list[str], page_count: int | None,
                visited: set[str], queued: list[str]) -> list[str]:
    """The next listing page by the pagination rule, plus pager links not read yet, in page order."""
    number = page_number(page_url)
    candidates = [*pager_links]
    if page_count is None or number + 1 < page_count:
        candidates.append(source.listing_page_url(number + 1))
    fresh = {url for url in candidates if url not in visited and url not in queued
             and page_number(url) > number}
    if page_count is not None:
        fresh = {url for url in fresh if page_number(url) < page_count}
    return sorted(fresh, key=page_number)[:1]  # one at a time keeps "stop when known" exact


def page_number(url: str) -> int:
    found = PAGE_NUMBER.search(urlsplit(url).path)
    return int(found.group(1)) if found else 0


def in_window(day: date | datetime | None, since: date | None, until: date | None) -> bool:
    """Unknown dates are in every window: the detail page may tell, and nothing is skipped silently."""
    if day is None:
        return True
    day = day.date() if isinstance(day, datetime) else day
    return (since is None or day >= since) and (until is None or day <= until)
