"""Links and images of a built report, checked from the files (the browser test checks them loaded)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name):
                self.refs.append(values[name] or "")


def page_refs(page: Path) -> tuple[list[str], set[str]]:
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.refs, parser.ids


def broken_links(site: Path) -> list[str]:
    """Every href/src of every page that leaves the site or names a missing file or anchor."""
    broken = []
    ids = {page: page_refs(page)[1] for page in site.rglob("*.html")}
    for page, _ in ids.items():
        for ref in page_refs(page)[0]:
            parts = urlsplit(ref)
            if parts.scheme == "data":
                continue
            if parts.scheme or parts.netloc:
                broken.append(f"{page.relative_to(site)}: {ref} leaves the site")
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file() or site.resolve() not in target.parents:
                broken.append(f"{page.relative_to(site)}: {ref} -> no such file")
            elif (parts.fragment and target.suffix == ".html" and not parts.fragment.startswith("page=")
                  and parts.fragment not in ids.get(target, page_refs(target)[1])):
                broken.append(f"{page.relative_to(site)}: {ref} -> no such anchor")
    return broken
