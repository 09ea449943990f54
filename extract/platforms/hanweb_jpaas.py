"""Hanweb jpaas (大汉 JCMS): the government sites of Jiangsu, Zhejiang, Shandong, Beijing districts …

Facts (from the sites' public pages and open crawlers of them):
  column page   `/col/col<N>/index.html` (often `?uid=<unit>&pageNum=<n>`), `<meta name="ColumnName">`
  first records inline: `<script type="text/xml"><datastore><nextgroup>…</nextgroup><recordset>
                <record><![CDATA[<li><a href=… title=…>…</a><span>YYYY-MM-DD</span></li>]]></record>…
                </recordset></datastore></script>`; a jpage call in a script gives `perPage`/`totalRecord`
  later pages   `/module/web/jpage/dataproxy.jsp?startrecord=S&endrecord=E&perpage=P` (older sites:
                `/module/jpage/dataproxy.jsp`), in groups of three pages (1-45, 46-90 … for P=15), with
                the form `col=1 appid=1 webid=… path=/ columnid=<N> sourceContentType=1 unitid=…
                webname=… permissiontype=0` sent as POST (what the page's script does) or as GET query
  answer        the same `<datastore>` XML, `<totalrecord>T</totalrecord>` the column's entry count
  articles      `/art/YYYY/M/D/art_<col>_<id>.html`, body in `#zoom`
  attachments   often `/module/download/downfile.jsp?classid=0&filename=<name>` answering
                `application/octet-stream` with `Content-Disposition` (identified by extract/attachments)

The form's values are read from the page (its dataproxy URL, its scripts, `col<N>` and `uid=` of its
URL) or given per place in sources.toml (`params.columnid`, `unitid`, `webid`, `webname`,
`method = "GET"|"POST"`, `perpage`).
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

from extract.platforms.base import (
    ListingPage,
    ListingRequest,
    Platform,
    entries_in_fragments,
    script_value,
)
from extract.sources import Source

DATASTORE = re.compile(r"<datastore>.*?</datastore>", re.IGNORECASE | re.DOTALL)
RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.IGNORECASE | re.DOTALL)
TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.IGNORECASE)
TOTAL_IN_SCRIPT = re.compile(r"""totalRecord["']?\s*[:=]\s*["']?(\d+)""", re.IGNORECASE)
PER_PAGE_IN_SCRIPT = re.compile(r"""perPage["']?\s*[:=]\s*["']?(\d+)""", re.IGNORECASE)
PROXY_URL = re.compile(r"""(/module/(?:web/)?jpage/dataproxy\.jsp)(\?[^"'\s<>\]]*)?""", re.IGNORECASE)
COLUMN_IN_PATH = re.compile(r"/col/col(\d+)/")
FORM_FIELDS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname",
               "permissiontype")
PAGES_PER_GROUP = 3
DEFAULT_PER_PAGE = 15
REFUSED = {"http_400", "http_403", "http_405", "http_501"}  # the method, not the question, was refused


class HanwebJpaas(Platform):
    name: ClassVar[str] = "hanweb_jpaas"
    summary: ClassVar[str] = "Hanweb jpaas /col/col<N>/index.html, <datastore> records, dataproxy.jsp paging"

    @classmethod
    def recognise(cls, html: str, url: str) -> float:
        if PROXY_URL.search(html) or (DATASTORE.search(html) and RECORD.search(html)):
            return 0.95
        return 0.3 if COLUMN_IN_PATH.search(urlsplit(url).path) else 0.0

    def __init__(self) -> None:
        self.proxy = ""
        self.form: tuple[tuple[str, str], ...] = ()
        self.method = "POST"
        self.per_group = DEFAULT_PER_PAGE * PAGES_PER_GROUP
        self.per_page = DEFAULT_PER_PAGE
        self.total: int | None = None

    def read_listing(self, source: Source, request: ListingRequest, body: str,
                     visited: set[str]) -> ListingPage:
        if request.expect != "api":
            self._learn(source, request.url, body)
        store = DATASTORE.search(body)
        records = RECORD.findall(store.group(0)) if store else []
        links = entries_in_fragments(source, records, request.url)
        if request.expect == "api" or store:
            total = TOTAL.search(body)
            self.total = int(total.group(1)) if total else self.total
        if request.expect == "api":
            start = _start_record(request) + len(records)
            exhausted = not records
        else:  # the column page: its inline records are the first ones
            start = len(records) + 1
            exhausted = False
        more = not exhausted and (self.total is None or start <= self.total)
        following = self._group(start, request.number + 1) if more and self.proxy else None
        if following is not None and following.key in visited:
            following = None
        return ListingPage(links=links, next=following, lists_entries=bool(store) or request.expect == "api",
                           total=self.total)

    def fallback(self, request: ListingRequest, code: str) -> ListingRequest | None:
        """A site that refuses the method: ask the other way, and keep to it from then on."""
        if request.expect != "api" or code not in REFUSED:
            return None
        self.method = "GET" if request.method == "POST" else "POST"
        return request.as_get() if request.method == "POST" else _as_post(request)

    def _learn(self, source: Source, page_url: str, html: str) -> None:
        """The dataproxy URL and form, the page size and total, from the column page."""
        parts = urlsplit(page_url)
        proxy = PROXY_URL.search(html)
        proxy_path = proxy.group(1) if proxy else "/module/web/jpage/dataproxy.jsp"
        self.proxy = f"{parts.scheme}://{parts.netloc}{proxy_path}"
        in_link = {key: values[0] for key, values in parse_qs((proxy.group(2) or "")[1:]
                                                                 if proxy else "").items()}
        column = COLUMN_IN_PATH.search(parts.path)
        page_query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        defaults = {"col": "1", "appid": "1", "path": "/", "sourceContentType": "1", "permissiontype": "0",
                    "columnid": column.group(1) if column else None, "unitid": page_query.get("uid")}
        form: dict[str, str] = {}
        for name in FORM_FIELDS:
            value = (source.param(name) or in_link.get(name) or script_value(html, name)
                     or defaults.get(name))
            if value:
                form[name] = value
        self.form = tuple(form.items())
        self.method = (source.param("method") or "POST").upper()
        per_page = source.param("perpage") or _first(PER_PAGE_IN_SCRIPT, html)
        self.per_page = int(per_page) if per_page else DEFAULT_PER_PAGE
        self.per_group = self.per_page * PAGES_PER_GROUP
        total = _first(TOTAL_IN_SCRIPT, html)
        self.total = int(total) if total else None

    def _group(self, start: int, number: int) -> ListingRequest:
        end = start + self.per_group - 1
        url = f"{self.proxy}?startrecord={start}&endrecord={end}&perpage={self.per_page}"
        request = ListingRequest(url, "POST", self.form, "api", number)
        return request if self.method == "POST" else request.as_get()


def _start_record(request: ListingRequest) -> int:
    values = parse_qs(urlsplit(request.url).query).get("startrecord")
    return int(values[0]) if values and values[0].isdigit() else 1


def _as_post(request: ListingRequest) -> ListingRequest:
    """A GET request carrying the form in its query → POST of that form to the bare paging URL."""
    parts = urlsplit(request.url)
    query = parse_qs(parts.query)
    paging_keys = ("startrecord", "endrecord", "perpage")
    paging = "&".join(f"{key}={query[key][0]}" for key in paging_keys if key in query)
    form = tuple((key, values[0]) for key, values in query.items() if key not in paging_keys)
    url = f"{parts.scheme}://{parts.netloc}{parts.path}?{paging}"
    return ListingRequest(url, "POST", form, request.expect, request.number)


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    found = pattern.search(text)
    return found.group(1) if found else None
