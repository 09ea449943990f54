"""Publication-platform families: one module each, behind the interface of base.py.

Adding a place is configuration (a listing URL, or an entry in extract/sources.toml); adding a
family is one module here plus its frozen pages under tests/sources/<family>/.

The family of a listing is recognised from the first listing page itself (each family scores it,
the highest wins, ties in the order below), unless the source pins `platform` in sources.toml.
"""

from __future__ import annotations

from dataclasses import dataclass

from extract.platforms.base import ListingPage, ListingRequest, Platform, read_detail
from extract.platforms.gkmlpt import Gkmlpt
from extract.platforms.hanweb_jpaas import HanwebJpaas
from extract.platforms.suzhou_api import SuzhouApi
from extract.platforms.trs_static import TrsStatic
from extract.sources import Source

__all__ = ["FAMILIES", "ListingPage", "ListingRequest", "Platform", "Recognised", "UnknownPlatform",
           "family", "platform_for", "read_detail"]

# Most specific first: the static family reads any page and is the fallback.
FAMILIES: tuple[type[Platform], ...] = (SuzhouApi, HanwebJpaas, Gkmlpt, TrsStatic)


class UnknownPlatform(ValueError):
    """sources.toml names a family that does not exist."""


@dataclass(frozen=True)
class Recognised:
    platform: Platform
    confidence: float               # 1.0 when pinned by the source
    pinned: bool


def family(name: str) -> type[Platform]:
    for candidate in FAMILIES:
        if candidate.name == name:
            return candidate
    known = ", ".join(candidate.name for candidate in FAMILIES)
    raise UnknownPlatform(f"unknown platform {name!r}: use one of {known}")


def platform_for(source: Source, html: str, url: str) -> Recognised:
    """The family serving this first listing page: the source's pinned one, else the best scorer."""
    if source.platform:
        return Recognised(family(source.platform)(), 1.0, pinned=True)
    scored = [(candidate.recognise(html, url), -index, candidate) for index, candidate in enumerate(FAMILIES)]
    confidence, _, best = max(scored, key=lambda item: (item[0], item[1]))
    return Recognised(best(), confidence, pinned=False)
