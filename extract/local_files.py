"""`minutes ingest`: local files into the raw store and manifest, under the source name "local"."""

from __future__ import annotations

from pathlib import Path

from extract.datadir import DataDir
from extract.manifest import Manifest, utc_now
from extract.rawstore import RawStore
from extract.sniff import is_pdf
from extract.stored_documents import FetchedDocument, document_from_row

LOCAL_SOURCE = "local"
SUFFIXES = {".pdf": ".pdf", ".html": ".html", ".htm": ".html", ".shtml": ".html", ".txt": ".txt"}


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
