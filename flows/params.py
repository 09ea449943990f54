"""Flow parameters checked up front, without Prefect: the CLI checks them before starting Prefect,
and the flows again, since a deployment run accepts `-p since=notadate` at creation."""

from __future__ import annotations

import datetime as dt


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
LOCAL_SOURCE = "local"  # what `minutes ingest` stored (extract.crawl.LOCAL_SOURCE)
ALL_SOURCES = "all"  # every stored document, whatever its source
STORED_ONLY_SOURCES = (LOCAL_SOURCE, ALL_SOURCES)


def check_fetchable(source: str, *, reprocess: bool) -> None:
    """`local` and `all` name documents in the raw store: they can be reprocessed, never fetched."""
    if source in STORED_ONLY_SOURCES and not reprocess:
        raise ValueError(f"source {source!r} has nothing to fetch: it names stored documents, "
                         "for `backfill --reprocess`")
