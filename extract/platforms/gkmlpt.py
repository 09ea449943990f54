"""Guangdong's government-information disclosure platform (政府信息公开目录, "gkmlpt").

Facts (Guangdong provincial, city and district sites — gd.gov.cn, gz.gov.cn, yangjiang.gov.cn …):
  column page   `<site prefix>/gkmlpt/index#<category id>` — a single-page app; the category is the URL's
                fragment (never sent to the server); the page's `window._CONFIG` carries the site id
                as `SID: '<digits>'` and the category tree
  API           `GET <site prefix>/gkmlpt/api/all/<category id>?page=<1-based>&sid=<site id>`
                (category 0: every category of the site)
  answer        JSON `{"total": <entries>, "articles": [{"id", "title", "url", "created_at":
                "YYYY-MM-DD HH:mm:ss", "create_time": <epoch seconds>, …}], "classify": {…}}`;
                some sites answer one page only and 404 past it
  articles      `<site prefix>/gkmlpt/content/<a>/<b>/post_<id>.html`, attachments linked as
                `<a class="nfw-cms-attachment" href="…/attachment/…pdf">`

Site id and category may also be given per place in sources.toml (`params.sid`, `params.category`).
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

from extract.listing import ListedLink
from extract.platforms.base import ListingPage, ListingRequest, Platform, api_date, json_object
from extract.sources import Source

SID = re.compile(r"""\bSID["']?\s*[:=]\s*["']?(\d+)""")
PREFIX = re.compile(r"^(.*?/gkmlpt)(?:/|$)")


class Gkmlpt(Platform):
    name: ClassVar[str] = "gkmlpt"
    summary: ClassVar[str] = "Guangdong gkmlpt /gkmlpt/index#<category>, JSON /gkmlpt/api/all/<category>"

    @classmethod
    def recognise(cls, html: str, url: str) -> float:
        in_path = "/gkmlpt/" in urlsplit(url).path + "/"
        if in_path and SID.search(html):
            return 0.95
        return 0.5 if in_path or ("gkmlpt" in html and SID.search(html)) else 0.0

    def __init__(self) -> None:
        self.api = ""
        self.sid = ""
        self.page_size = 0  # the first page's: every page but the last is full

    def read_listing(self, source: Source, request: ListingRequest, body: str,
                     visited: set[str]) -> ListingPage:
        if request.expect != "api":
            sid_found = SID.search(body)
            self.sid = source.param("sid") or (sid_found.group(1) if sid_found else "")
            parts = urlsplit(source.listing_url)
            prefix = PREFIX.match(parts.path)
            base = prefix.group(1) if prefix else "/gkmlpt"
            category = source.param("category") or (parts.fragment if parts.fragment.isdigit() else "0")
            self.api = f"{parts.scheme}://{parts.netloc}{base}/api/all/{category}"
            if not self.sid:
                return ListingPage(links=[], next=None)
            return ListingPage(links=[], next=self._page(1), lists_entries=False)
        answer = json_object(body)
        articles = [item for item in answer.get("articles") or [] if isinstance(item, dict)]
        links = []
        for item in articles:
            url = str(item.get("url") or item.get("post_url") or "")
            if not url:
                continue
            when = item.get("created_at") or item.get("first_publish_time") or item.get("create_time")
            links.append(ListedLink(url=urljoin(request.url, url), title=str(item.get("title") or "") or None,
                                    listed_date=api_date(when)))
        links = [link for link in links if source.same_host(link.url)]
        total = answer.get("total") if isinstance(answer.get("total"), int) else None
        if request.number == 1:
            self.page_size = len(articles)
        seen = (request.number - 1) * self.page_size + len(articles)
        more = bool(articles) and (total is None or seen < total)
        following = self._page(request.number + 1) if more else None
        if following is not None and following.key in visited:
            following = None
        return ListingPage(links=links, next=following, total=total)

    def _page(self, number: int) -> ListingRequest:
        return ListingRequest(f"{self.api}?page={number}&sid={self.sid}", expect="api", number=number)


