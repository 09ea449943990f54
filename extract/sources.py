"""Where to crawl and how politely: named sources from sources.toml, or a listing URL with generic rules.

A source names its first listing page; which publication platform serves it (TRS static pages, a
JSON-API shell, Hanweb jpaas, Guangdong gkmlpt …) is recognised from that page by extract/platforms,
unless the source pins `platform`. `selectors` and `params` override a platform's defaults per place.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

SOURCES_FILE = Path(__file__).with_name("sources.toml")
# Another sources.toml instead of the bundled one (same layout): a deployment's own sources and limits.
SOURCES_FILE_ENV = "MINUTES_SOURCES_FILE"
LISTING_URL = re.compile(r"^https?://[^/\s]+(?:/\S*)?$", re.IGNORECASE)  # any web page: its platform decides
LISTING_PAGE_NAME = re.compile(r"^index(?:_\d+)?\.s?html?$", re.IGNORECASE)
HTML_PAGE = re.compile(r"\.s?html?$", re.IGNORECASE)


class UnknownSource(ValueError):
    """Neither a configured source name nor a listing URL."""


@dataclass(frozen=True)
class Politeness:
    user_agent: str
    requests_per_second: float
    max_concurrency: int
    connect_timeout: float
    read_timeout: float
    total_timeout: float
    max_download_bytes: int
    max_attempts: int
    backoff_initial: float
    backoff_max: float


@dataclass(frozen=True)
class Source:
    name: str
    listing_url: str                  # first listing page, absolute
    pagination: str                   # listing page n >= 1, relative to listing_url ("index_{n}.shtml")
    detail_link: str                  # regex on a link's path; "" = generic rule
    attachment_link: str              # regex on a link's path
    max_listing_pages: int
    politeness: Politeness
    max_attachments_per_page: int = 20
    # Served on 127.0.0.1 by the command itself (the demo): a new port each run, the same site.
    served_at_run_time: bool = False
    platform: str = ""                # a family of extract/platforms; "" = recognise from the listing page
    # (name, value) pairs, kept hashable: CSS overrides (entry, date, article, title, attachment) and
    # platform parameters (channelid, columnid, unitid, webid, method, sid, category …).
    selectors: tuple[tuple[str, str], ...] = ()
    params: tuple[tuple[str, str], ...] = ()
    respect_robots: bool = True

    def selector(self, name: str) -> str | None:
        return dict(self.selectors).get(name) or None

    def param(self, name: str) -> str | None:
        return dict(self.params).get(name) or None

    @property
    def origin(self) -> str:
        """scheme://host[:port] of the listing."""
        parts = urlsplit(self.listing_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def host(self) -> str:
        """host[:port] of the listing: the only host the crawler ever talks to."""
        return urlsplit(self.listing_url).netloc.lower()

    def listing_page_url(self, n: int) -> str:
        return self.listing_url if n == 0 else urljoin(self.listing_url, self.pagination.format(n=n))

    def is_listing_page(self, url: str) -> bool:
        path = urlsplit(url).path
        folder = urlsplit(self.listing_url).path.rsplit("/", 1)[0] + "/"
        return path.startswith(folder) and bool(LISTING_PAGE_NAME.match(path[len(folder):]))

    def is_detail_link(self, url: str) -> bool:
        if not self.same_host(url) or self.is_listing_page(url):
            return False
        path = urlsplit(url).path
        if self.detail_link:
            return re.search(self.detail_link, path) is not None
        folder = urlsplit(self.listing_url).path.rsplit("/", 1)[0] + "/"
        return path.startswith(folder) and HTML_PAGE.search(path) is not None

    def could_be_detail_page(self, url: str) -> bool:
        """Generic sources only: any web page on the host (a fallback when the folder rule finds none)."""
        name = urlsplit(url).path.rsplit("/", 1)[-1]
        return (not self.detail_link and self.same_host(url) and not LISTING_PAGE_NAME.match(name)
                and HTML_PAGE.search(name) is not None)

    def is_attachment_link(self, url: str) -> bool:
        return self.same_host(url) and re.search(self.attachment_link, urlsplit(url).path, re.I) is not None

    def same_host(self, url: str) -> bool:
        return urlsplit(url).netloc.lower() == self.host


def sources_file() -> Path:
    return Path(os.environ.get(SOURCES_FILE_ENV) or SOURCES_FILE)


def resolve_source(name_or_url: str, base_url: str | None = None, *,
                   config_file: Path | None = None) -> Source:
    """A configured source by name, or a generic source for the http(s) URL of a listing page.

    `base_url` fills the `{base_url}` of sources served at run time (the demo).
    """
    config = _load_config(config_file or sources_file())
    if name_or_url in config["sources"]:
        settings = {**config["defaults"], **config["generic"], **config["sources"][name_or_url]}
        listing = settings["listing"]
        if "{base_url}" in listing:
            if not base_url:
                raise UnknownSource(f"source {name_or_url!r} is served at run time: it needs a base URL")
            listing = listing.format(base_url=base_url.rstrip("/"))
        return _build(name_or_url, listing, settings, served_at_run_time=listing != settings["listing"])
    if LISTING_URL.match(name_or_url):
        settings = {**config["defaults"], **config["generic"]}
        return _build(urlsplit(name_or_url).netloc.lower(), name_or_url, settings)
    known = ", ".join(sorted(config["sources"]))
    raise UnknownSource(
        f"unknown source {name_or_url!r}: use one of {known} or the http(s) URL of a listing page"
    )


def max_download_bytes(config_file: Path | None = None) -> int:
    """The crawler's default size cap ([defaults] max_download_bytes): `minutes ingest` applies it too."""
    return int(_load_config(config_file or sources_file())["defaults"]["max_download_bytes"])


def unknown_source_message(name_or_url: str, config_file: Path | None = None) -> str | None:
    """Why `name_or_url` is not a source, or None when it is one."""
    try:
        resolve_source(name_or_url, "http://127.0.0.1", config_file=config_file)
    except UnknownSource as unknown:
        return str(unknown)
    return None


def configured_sources(config_file: Path | None = None) -> dict[str, dict[str, Any]]:
    """Each configured source's own settings (what sources.toml says of it, defaults apart)."""
    sources = _load_config(config_file or sources_file())["sources"]
    return {name: dict(settings) for name, settings in sorted(sources.items())}


def source_names(config_file: Path | None = None) -> list[str]:
    return sorted(_load_config(config_file or sources_file())["sources"])


def _build(name: str, listing: str, settings: dict[str, Any], *, served_at_run_time: bool = False) -> Source:
    politeness = Politeness(
        user_agent=settings["user_agent"].format(version=_version()),
        requests_per_second=float(settings["requests_per_second"]),
        max_concurrency=int(settings["max_concurrency"]),
        connect_timeout=float(settings["connect_timeout"]),
        read_timeout=float(settings["read_timeout"]),
        total_timeout=float(settings["total_timeout"]),
        max_download_bytes=int(settings["max_download_bytes"]),
        max_attempts=int(settings["max_attempts"]),
        backoff_initial=float(settings["backoff_initial"]),
        backoff_max=float(settings["backoff_max"]),
    )
    return Source(
        name=name,
        listing_url=listing,
        pagination=settings["pagination"],
        detail_link=settings["detail_link"],
        attachment_link=settings["attachment_link"],
        max_listing_pages=int(settings["max_listing_pages"]),
        politeness=politeness,
        max_attachments_per_page=int(settings.get("max_attachments_per_page", 20)),
        served_at_run_time=served_at_run_time,
        platform=str(settings.get("platform", "")),
        selectors=tuple(sorted((key, str(value)) for key, value in settings.get("selectors", {}).items())),
        params=tuple(sorted((key, str(value)) for key, value in settings.get("params", {}).items())),
        respect_robots=bool(settings.get("respect_robots", True)),
    )


@cache
def _load_config(config_file: Path) -> dict[str, Any]:
    with config_file.open("rb") as handle:
        config = tomllib.load(handle)
    config.setdefault("sources", {})
    config.setdefault("generic", {})
    return config


def _version() -> str:
    try:
        return metadata.version("minutes-etl")
    except metadata.PackageNotFoundError:
        return "0.0.0"


DEMO_SOURCE = "demo"


@contextmanager
def served_source(name_or_url: str) -> Iterator[Source]:
    """The source, ready to crawl for the duration of the block. The demo is a bundled copy of a
    publication site: it is served on 127.0.0.1 while the block runs."""
    if name_or_url != DEMO_SOURCE:
        yield resolve_source(name_or_url)
        return
    from demo.server import serve_site
    from demo.site import ensure_demo_site

    with serve_site(ensure_demo_site()) as base_url:
        yield resolve_source(name_or_url, base_url)
