"""What a run did, as plain data: returned by every flow, rendered by the CLI and the artifacts.

No Prefect here, so the CLI can render a summary without importing anything heavy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class DocumentOutcome:
    doc_id: str
    title: str | None
    url: str | None
    status: str  # "parsed" | "quarantined"
    quarantine_reason: str | None
    warnings: list[str] = field(default_factory=list)


@dataclass
class SkippedOutcome:
    """A file `minutes ingest` met in a folder and left out (not a document type, unreadable)."""

    path: str
    reason: str


@dataclass
class RunSummary:
    run_id: str
    flow: str
    source: str | None
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    status: str = "running"  # running | completed | completed_with_warnings | failed
    discovered: int = 0
    fetched: int = 0
    fetch_failures: int = 0
    # Documents downloaded again (--refetch, validators, a changed detail page) whose bytes were
    # stored already, or answered 304: requests that brought nothing new.
    already_stored: int = 0
    extracted: int = 0  # documents actually read and parsed in this run
    reused: int = 0  # documents whose record came from the cache (same bytes, same parser version)
    loaded: int = 0
    # Source-level findings ("<code>: <one line>": source_empty, listing_shrank, all_fetches_failed,
    # listing_page_failed…): every one makes the run loud
    warnings: list[str] = field(default_factory=list)
    documents: list[DocumentOutcome] = field(default_factory=list)
    skipped: list[SkippedOutcome] = field(default_factory=list)  # files left out, never silently
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    warehouse: str | None = None

    @property
    def parsed(self) -> int:
        return sum(1 for doc in self.documents if doc.status == "parsed")

    @property
    def quarantined(self) -> int:
        return sum(1 for doc in self.documents if doc.status == "quarantined")

    @property
    def is_loud(self) -> bool:
        """True when the source looked wrong (any source warning): the run must not pass silently."""
        return bool(self.warnings)

    def headline(self) -> str:
        if not self.documents and not self.fetched:
            return "nothing new: 0 documents extracted"
        return (f"{self.extracted} documents extracted, {self.reused} reused from cache; "
                f"{self.parsed} parsed, {self.quarantined} quarantined")
