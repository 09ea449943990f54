"""Static listing pages: TRS WCM and every hand-written or generated site that pages plainly.

Facts (TRS WCM, the CMS of many city governments, suzhou.gov.cn's static columns among them):
  listing       `…/<column>/index.shtml`, then `index_1.shtml`, `index_2.shtml` … in the same folder
  pager         printed by a script call `createPageHTML(<page count>, <current page>, "index", "shtml")`,
                so the page count is in the page even where the pager links are not
  entries       links to detail pages, often `…/<column>/YYYYMM/<32 hex>.shtml`, each with its date
                printed beside it (suzhou.gov.cn: `ul.infolist li` with `a[title]` and a `.time` span)
  detail page   `<meta name="PubDate" content="YYYY-MM-DD HH:mm">`, body in `.TRS_Editor` / `#zoom`,
                UCAP pages in `<ucapcontent>`; PDF attachments linked in the body

This is also the fallback family: any page whose links lead to detail pages can be read with it.
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from extract.listing import LISTED_DATE, PAGE_COUNT_SCRIPT, ListedLink, next_pages, parse_listing
from extract.platforms.base import ListingPage, ListingRequest, Platform, printed_date
from extract.sources import LISTING_PAGE_NAME, Source

STATIC_PAGER_LINK = re.compile(r"""href=["'][^"']*index_\d+\.s?html?["']""", re.IGNORECASE)


class TrsStatic(Platform):
    name: ClassVar[str] = "trs_static"
    summary: ClassVar[str] = "static listing pages index.shtml, index_1.shtml … (TRS WCM and alike)"

    @classmethod
    def recognise(cls, html: str, url: str) -> float:
        if PAGE_COUNT_SCRIPT.search(html):
            return 0.8
        if LISTING_PAGE_NAME.match(urlsplit(url).path.rsplit("/", 1)[-1]) or STATIC_PAGER_LINK.search(html):
            return 0.5
        return 0.1  # the fallback: links on a page

    def read_listing(self, source: Source, request: ListingRequest, body: str,
                     visited: set[str]) -> ListingPage:
        selector = source.selector("entry")
        if selector:
            links = _selected_entries(source, body, request.url, selector, source.selector("date"))
            _, pager, page_count = parse_listing(body, request.url, source)
        else:
            links, pager, page_count = parse_listing(body, request.url, source)
        following = next_pages(source, request.url, pager, page_count, visited, [])
        following_request = ListingRequest(following[0], number=request.number + 1) if following else None
        return ListingPage(links=links, next=following_request)


def _selected_entries(source: Source, html: str, page_url: str, entry: str,
                      date_selector: str | None) -> list[ListedLink]:
    """A place's own rule: each element `entry` selects is one entry (its first link, its date)."""
    links: dict[str, ListedLink] = {}
    for node in LexborHTMLParser(html).css(entry):
        anchor = node if node.tag == "a" else node.css_first("a[href]")
        if anchor is None:
            continue
        url = urljoin(page_url, (anchor.attributes.get("href") or "").strip()).split("#", 1)[0]
        if not source.same_host(url) or url in links:
            continue
        dated = node.css_first(date_selector) if date_selector else None
        text = dated.text() if dated else node.text()
        title = (anchor.attributes.get("title") or "").strip() or " ".join(anchor.text().split()) or None
        links[url] = ListedLink(url=url, title=title,
                                listed_date=printed_date(text) if LISTED_DATE.search(text) else None)
    return list(links.values())
