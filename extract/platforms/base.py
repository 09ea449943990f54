"""The one small interface every publication-platform family implements.

A family knows three things about the sites it runs:
  recognise(page)      how sure it is, from the first listing page alone, that it serves this page
  read_listing(...)    a listing answer (HTML page, JSON or XML from the family's API) → entries with
                       title, URL and date, and the request for the next page (None at the end)
  read_detail(...)     a detail page → title, date, number, article text, attachment links

Requests are data (`ListingRequest`), not calls: the crawler (extract/crawl.py) performs them with
its polite client, records them in the manifest and decides when to stop; `minutes sources check`
performs the first few without storing anything.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, ClassVar
from urllib.parse import urlencode, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from extract.detail_page import DetailPage, parse_detail_page
from extract.http import Expect
from extract.listing import LISTED_DATE, ListedLink
from extract.sources import Source

CHINA = timezone(timedelta(hours=8))  # listing APIs print Beijing time; epoch seconds are read in it


@dataclass(frozen=True)
class ListingRequest:
    url: str                                   # absolute; GET parameters already in it
    method: str = "GET"                        # or "POST" (form below)
    form: tuple[tuple[str, str], ...] = ()
    expect: Expect = "html"                    # "api" for JSON/XML answers
    number: int = 0                            # 0: the first listing page

    @property
    def key(self) -> str:
        """What the manifest calls this request (a POST's form is part of what it asks)."""
        return self.url if self.method == "GET" else f"{self.url} POST {urlencode(self.form)}"

    def as_get(self) -> ListingRequest:
        """The same question asked as GET, the form in the query string."""
        separator = "&" if urlsplit(self.url).query else "?"
        url = f"{self.url}{separator}{urlencode(self.form)}" if self.form else self.url
        return ListingRequest(url, "GET", (), self.expect, self.number)

    def as_post(self) -> ListingRequest:
        return ListingRequest(self.url, "POST", self.form, self.expect, self.number)


@dataclass
class ListingPage:
    links: list[ListedLink]
    next: ListingRequest | None                # None: the listing ends here
    lists_entries: bool = True                 # False: a shell whose entries come from an API
    total: int | None = None                   # entries the listing says it has, when it says


class Platform(ABC):
    """One CMS family. Instances hold what one walk learns (the API's parameters, a method that works)."""

    name: ClassVar[str]
    summary: ClassVar[str]

    @classmethod
    @abstractmethod
    def recognise(cls, html: str, url: str) -> float:
        """0 (not this family) … 1 (certainly), from the first listing page alone."""

    @abstractmethod
    def read_listing(self, source: Source, request: ListingRequest, body: str,
                     visited: set[str]) -> ListingPage:
        """Entries of one listing answer and the next request (`visited`: request keys already read)."""

    def read_detail(self, source: Source, html: bytes | str, url: str) -> DetailPage:
        return read_detail(source, html, url)

    def fallback(self, request: ListingRequest, code: str) -> ListingRequest | None:
        """Another way to ask when `request` failed with `code` (e.g. GET where POST is refused)."""
        return None


def read_detail(source: Source, html: bytes | str, url: str) -> DetailPage:
    """The generic detail-page rules with the place's selector overrides."""
    return parse_detail_page(html, url, article=source.selector("article"), title=source.selector("title"),
                             attachment=source.selector("attachment"))


def entries_in_fragments(source: Source, fragments: list[str], base_url: str) -> list[ListedLink]:
    """One entry per HTML fragment (a jpaas <record>, an <li>): its first link on the source's host,
    the link's title, and the date printed in the fragment."""
    links: dict[str, ListedLink] = {}
    for fragment in fragments:
        tree = LexborHTMLParser(f"<div>{fragment}</div>")
        for anchor in tree.css("a[href]"):
            href = (anchor.attributes.get("href") or "").strip()
            if not href or href.startswith(("javascript:", "mailto:", "#")):
                continue
            url = urljoin(base_url, href).split("#", 1)[0]
            if not source.same_host(url) or url in links:
                continue
            title = (anchor.attributes.get("title") or "").strip() or " ".join(anchor.text().split()) or None
            links[url] = ListedLink(url=url, title=title, listed_date=printed_date(tree.body.text()
                                                                                   if tree.body else ""))
            break
    return list(links.values())


def printed_date(text: str | None) -> date | None:
    """`2024-05-08`, `2024/5/8`, `2024年5月8日`, within `text`."""
    found = LISTED_DATE.search(text or "")
    if not found:
        return None
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


def json_object(body: str) -> dict[str, Any]:
    """An API answer as a JSON object; anything else (an error page, a list) reads as empty."""
    try:
        answer = json.loads(body)
    except json.JSONDecodeError:
        return {}
    return answer if isinstance(answer, dict) else {}


def api_date(value: object) -> date | None:
    """An API's date: `YYYY-MM-DD[ HH:MM:SS]` text, or epoch seconds/milliseconds (Beijing time)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        seconds = value / 1000 if value > 10**11 else value
        return datetime.fromtimestamp(seconds, CHINA).date()
    if isinstance(value, str):
        if value.strip().isdigit():
            return api_date(int(value.strip()))
        return printed_date(value)
    return None


SCRIPT_VALUE = r"""\b{name}\b["']?\s*[:=]\s*["']?([^"'&,;\s}}<>]+)"""


def script_value(html: str, name: str) -> str | None:
    """`name: 'value'`, `name = "value"`, `name=value&` as printed in a page's scripts or links."""
    found = re.search(SCRIPT_VALUE.format(name=re.escape(name)), html, re.IGNORECASE)
    return found.group(1) if found else None
