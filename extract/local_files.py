"""`minutes ingest`: local files into the raw store and manifest, under the source name "local"."""

from __future__ import annotations

import hashlib
from pathlib import Path

from extract.datadir import DataDir
from extract.manifest import Manifest, utc_now
from extract.rawstore import RawStore
from extract.sniff import is_pdf
from extract.sources import max_download_bytes
from extract.stored_documents import FetchedDocument, document_from_row

LOCAL_SOURCE = "local"
SUFFIXES = {".pdf": ".pdf", ".html": ".html", ".htm": ".html", ".shtml": ".html", ".txt": ".txt"}


def is_oversized(size: int) -> bool:
    """Over the crawler's download cap: such a file is quarantined too_large, never copied."""
    return size > max_download_bytes()


def oversized_local_file(path: Path) -> FetchedDocument:
    """A file over the cap as a document that is not stored: its bytes stay where they are (the
    user's copy; nothing is lost) and the pipeline quarantines it `too_large` without reading it."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    suffix = SUFFIXES.get(path.suffix.lower(), path.suffix.lower() or ".bin")
    return FetchedDocument(doc_id=digest.hexdigest(), raw_path=path, suffix=suffix, source=LOCAL_SOURCE,
                           url=path.resolve().as_uri(), detail_url=None, title=None, minutes_no=None,
                           published_at=None, fetched_at=utc_now(), byte_size=size)


def register_local_file(path: Path, data_dir: DataDir) -> FetchedDocument:
    """`minutes ingest`: a local file into the raw store and manifest, as source "local"."""
    data = path.read_bytes()
    # A PDF saved without its suffix is still a PDF: store it as one.
    suffix = ".pdf" if is_pdf(data) else SUFFIXES.get(path.suffix.lower(), path.suffix.lower() or ".bin")
    now = utc_now()
    blob = RawStore(data_dir.raw_store).put(data, suffix)
    url = path.resolve().as_uri()
    with Manifest(data_dir.manifest) as manifest:
        manifest.record_document(sha256=blob.sha256, ext=suffix.lstrip("."), size=blob.size,
                                 raw_path=blob.path, source=LOCAL_SOURCE, url=url, detail_url=None,
                                 title=None, minutes_no=None, published_at=None, now=now)
        row = next(row for row in manifest.documents() if row["sha256"] == blob.sha256)
    document = document_from_row(row, RawStore(data_dir.raw_store))
    document.url = url  # this file, even if the same bytes came from elsewhere first
    return document
