"""Documents in the raw store as the pipeline sees them (`FetchedDocument`), read back from the manifest."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from extract.datadir import DataDir, is_storage_url
from extract.listing import in_window
from extract.manifest import Manifest
from extract.rawstore import RawStore, read_raw


@dataclass
class FetchedDocument:  # one stored document ready for extraction
    doc_id: str                        # sha256 of the bytes
    raw_path: Path | str               # local path, or s3:// URL when the raw store is on S3
    suffix: str                        # ".pdf" or ".html" (".txt" for ingested text)
    source: str
    url: str
    detail_url: str | None
    title: str | None
    minutes_no: str | None
    published_at: datetime | None
    fetched_at: datetime               # naive UTC
    byte_size: int


def stored_documents(data_dir: DataDir, *, source: str | None = None, since: date | None = None,
                     until: date | None = None) -> list[FetchedDocument]:
    """Every stored document (for --reprocess). With a window, documents of unknown date are left out."""
    if not data_dir.manifest.exists():
        return []
    store = RawStore(data_dir.raw_store)
    with Manifest(data_dir.manifest) as manifest:
        rows = manifest.documents(source)
    documents = [document_from_row(row, store) for row in rows]
    if since is None and until is None:
        return documents
    return [document for document in documents
            if document.published_at is not None and in_window(document.published_at, since, until)]


def document_from_row(row: sqlite3.Row, store: RawStore) -> FetchedDocument:
    return FetchedDocument(
        doc_id=row["sha256"], raw_path=store.path_for(row["sha256"], row["ext"]), suffix=f".{row['ext']}",
        source=row["source"], url=row["url"], detail_url=row["detail_url"], title=row["title"],
        minutes_no=row["minutes_no"],
        published_at=datetime.fromisoformat(row["published_at"]) if row["published_at"] else None,
        fetched_at=datetime.fromisoformat(row["fetched_at"]), byte_size=row["size"],
    )


@dataclass(frozen=True)
class PortableDocument:
    """A stored document as an extraction task receives it: its bytes, or the s3:// URL of them —
    never a local path, which means nothing to a worker on another machine."""

    doc_id: str
    suffix: str
    data: bytes | None = None
    url: str | None = None

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        if self.url is None:
            raise ValueError(f"document {self.doc_id} carries neither bytes nor a URL")
        return read_raw(self.url)


def portable(document: FetchedDocument) -> PortableDocument:
    """Raw stores on object storage hand out URLs (the worker reads the bytes); local ones the bytes."""
    location = str(document.raw_path)
    if is_storage_url(location):
        return PortableDocument(document.doc_id, document.suffix, url=location)
    return PortableDocument(document.doc_id, document.suffix, data=read_raw(location))
