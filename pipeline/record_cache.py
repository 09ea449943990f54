"""Parsed records cached per document: the only extraction cache of the flows.

A record depends on the document's bytes (its doc_id, the SHA-256), the parser (PARSER_VERSION) and
the hints the publisher's page gave (title, minutes_no, published_at: the grammar falls back on them,
e.g. for a year the opening leaves out), so the key is made of those three. The URL is a hint too,
but the parser never reads it, so the same bytes under another URL are not parsed again.

Only the MinutesRecord is kept, never the document's metadata (URL, fetched_at, raw path): the
caller pairs a cached record with the document of *this* run. Records are pickled under the data
directory (our own files, written by this code), so the cache travels with the data it describes and
no other data directory can read it. Same key: never parsed again; bump PARSER_VERSION and everything
is parsed afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path

from extract.crawl import FetchedDocument
from extract.datadir import DataDir
from transform.record import PARSER_VERSION, DocHints, MinutesRecord

# Quarantines that may go away on their own (a slow machine, a bug of ours, a scan left unread by
# --no-ocr): not cached, tried again.
UNCACHED_REASONS = ("timeout", "parser_error", "no_text_layer")


def document_hints(doc: FetchedDocument) -> DocHints:
    """What the publisher's page said about the document: the parser's fallbacks."""
    return DocHints(title=doc.title, minutes_no=doc.minutes_no, published_at=doc.published_at,
                    url=doc.detail_url or doc.url)


def cache_key(doc: FetchedDocument) -> str:
    hints = document_hints(doc)
    read_by_parser = [hints.title, hints.minutes_no,
                      hints.published_at.isoformat() if hints.published_at else None]
    hints_hash = hashlib.sha256(json.dumps(read_by_parser, ensure_ascii=False).encode()).hexdigest()[:16]
    return f"record-{PARSER_VERSION}-{doc.doc_id}-{hints_hash}"


class RecordCache:
    """Written after a record is loaded into the lake: "in the cache" means "extracted and loaded"."""

    def __init__(self, data_dir: DataDir) -> None:
        self.folder = data_dir.root / "cache"

    def _path(self, doc: FetchedDocument) -> Path:
        return self.folder / cache_key(doc)

    def has(self, doc: FetchedDocument) -> bool:
        return self._path(doc).exists()

    def get(self, doc: FetchedDocument) -> MinutesRecord | None:
        try:
            record = pickle.loads(self._path(doc).read_bytes())
        except FileNotFoundError:
            return None
        except Exception:  # a torn or foreign file: parse again rather than fail the run
            return None
        return record if isinstance(record, MinutesRecord) and record.doc_id == doc.doc_id else None

    def put(self, doc: FetchedDocument, record: MinutesRecord) -> None:
        if (record.quarantine_reason or "").startswith(UNCACHED_REASONS):
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        # Write aside, then rename: a crash never leaves a half-written record under the key.
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        with os.fdopen(handle, "wb") as file:
            pickle.dump(record, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self._path(doc))
