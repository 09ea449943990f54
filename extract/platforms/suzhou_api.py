"""suzhou.gov.cn columns that are shells filled by script from a JSON API (the UCAP "szinf" service).

Facts (suzhou.gov.cn, as its public pages and feed routes show):
  column page   a shell (`…/<column>/nav_list.shtml` or `index.shtml`) whose list is drawn by script
  API           `GET /szinf/info/getInfoCommon/?pagesize=15&currpage=<1-based page>&channelid=<32 hex>`
  answer        JSON `{"infolist": [{"title": …, "link": …, "pubtime": "YYYY-MM-DD HH:mm:ss"}, …], …}`;
                `link` is the article's URL (absolute or from the site's root)
  article       `<meta name="PubDate" content="YYYY-MM-DD HH:mm:ss">`, body in a `<ucapcontent>` element
                (read by the generic detail rules)

The channel id (and page size) is read from the shell (the API URL or `channelid`/`pagesize` values
in its scripts), or given per place in sources.toml (`params.channelid`, `params.pagesize`). Whether a
column is a shell or static cannot be known in advance: a page without a channel id is left to the
static family.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

from extract.listing import ListedLink
from extract.platforms.base import ListingPage, ListingRequest, Platform, api_date, json_object
from extract.sources import Source

API_PATH = "/szinf/info/getInfoCommon/"
PAGESIZE = re.compile(r"""pagesize["']?\s*[:=]\s*["']?(\d+)""", re.IGNORECASE)
CHANNEL_ID = re.compile(r"""channelid["']?\s*[:=]\s*["']?([0-9a-f]{32})""", re.IGNORECASE)
PAGE_SIZE = 15


class SuzhouApi(Platform):
    name: ClassVar[str] = "suzhou_api"
    summary: ClassVar[str] = "column shells filled from /szinf/info/getInfoCommon/ (JSON infolist)"

    @classmethod
    def recognise(cls, html: str, url: str) -> float:
        # Only a page that calls the API: a static infolist page is the static family's.
        return 0.95 if "getInfoCommon" in html and CHANNEL_ID.search(html) else 0.0

    def __init__(self) -> None:
        self.page_size = PAGE_SIZE
        self.channel = ""

    def read_listing(self, source: Source, request: ListingRequest, body: str,
                     visited: set[str]) -> ListingPage:
        if request.expect != "api":  # the shell: its entries come from the API
            channel = source.param("channelid") or _channel_id(body)
            if not channel:
                return ListingPage(links=[], next=None, lists_entries=True)
            size = source.param("pagesize") or _page_size(body)
            self.page_size = int(size) if size else PAGE_SIZE
            self.channel = channel
            return ListingPage(links=[], next=self._page(source, 1), lists_entries=False)
        answer = json_object(body)
        items = answer.get("infolist") or []
        links = [ListedLink(url=urljoin(source.listing_url, str(item.get("link") or "")),
                            title=str(item.get("title") or "").strip() or None,
                            listed_date=api_date(item.get("pubtime")))
                 for item in items if isinstance(item, dict) and item.get("link")]
        links = [link for link in links if source.same_host(link.url)]
        page_number = request.number  # API page n is listing page n (the shell is page 0)
        total = _total(answer)
        more = len(items) >= self.page_size and (total is None or page_number * self.page_size < total)
        following = self._page(source, page_number + 1) if more else None
        if following is not None and following.key in visited:
            following = None
        return ListingPage(links=links, next=following, total=total)

    def _page(self, source: Source, number: int) -> ListingRequest:
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(source.listing_url))
        url = f"{origin}{API_PATH}?pagesize={self.page_size}&currpage={number}&channelid={self.channel}"
        return ListingRequest(url, expect="api", number=number)


def _channel_id(html: str) -> str | None:
    found = CHANNEL_ID.search(html)
    return found.group(1).lower() if found else None


def _page_size(html: str) -> str | None:
    """The page size the shell's own script asks the API for (15 on suzhou.gov.cn)."""
    found = PAGESIZE.search(html)
    return found.group(1) if found else None




def _total(answer: dict[str, Any]) -> int | None:
    """The entry count, where the answer carries one (field names vary: none is relied on)."""
    for key in ("count", "total", "totalcount", "totalCount", "recordcount"):
        value = answer.get(key)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            return int(value)
    return None
