"""Run parameters checked up front, without Prefect: the CLI checks them before starting Prefect,
and the flows again, since a deployment run accepts `-p since=notadate` at creation."""

from __future__ import annotations

import datetime as dt
import os
from urllib.parse import urlsplit

from extract.local_files import LOCAL_SOURCE
from extract.sources import DEMO_SOURCE


def iso_date(value: str | dt.date | None, name: str) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) or None; anything else is a ValueError that names the parameter."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name} must be an ISO date (YYYY-MM-DD), got {value!r}") from None


def date_window(since: str | dt.date | None,
                until: str | dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    """The inclusive [since, until] window of a backfill; either end may be open."""
    since_date, until_date = iso_date(since, "since"), iso_date(until, "until")
    if since_date and until_date and since_date > until_date:
        raise ValueError(f"since ({since_date}) is after until ({until_date})")
    return since_date, until_date


# Names for stored documents rather than a place to fetch from: `backfill --reprocess` only.
ALL_SOURCES = "all"  # every stored document, whatever its source
STORED_ONLY_SOURCES = (LOCAL_SOURCE, ALL_SOURCES)


def check_fetchable(source: str, *, reprocess: bool) -> None:
    """`local` and `all` name documents in the raw store: they can be reprocessed, never fetched."""
    if source in STORED_ONLY_SOURCES and not reprocess:
        raise ValueError(f"source {source!r} has nothing to fetch: it names stored documents, "
                         "for `backfill --reprocess`")


SOURCE_ENV = "MINUTES_SOURCE"


def source_name(source: str | None) -> str:
    """The parameter, else MINUTES_SOURCE, else the bundled demo."""
    return source or os.environ.get(SOURCE_ENV) or DEMO_SOURCE


def stored_source_name(name: str) -> str | None:
    """The name documents of `name` are stored under: a listing URL's source is named by its host;
    `all` (every stored document) is no one source: None."""
    if name == ALL_SOURCES:
        return None
    return urlsplit(name).netloc.lower() if "://" in name else name
