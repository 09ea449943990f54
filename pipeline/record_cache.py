"""Parsed records cached per document: the only extraction cache of the flows.

A record depends on the document's bytes (its doc_id, the SHA-256), the parser (PARSER_VERSION) and
the hints the publisher's page gave (title, minutes_no, published_at: the grammar falls back on them,
e.g. for a year the opening leaves out), so the key is made of those three. The URL is a hint too,
but the parser never reads it, so the same bytes under another URL are not parsed again.

Only the MinutesRecord is kept, never the document's metadata (URL, fetched_at, raw path): the
caller pairs a cached record with the document of *this* run. Records are kept as JSON under the data
directory (plain data, never code: a data directory received from someone else cannot run anything
when read), so the cache travels with the data it describes and no other data directory reads it.
Same key: never parsed again; bump PARSER_VERSION and everything is parsed afresh.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import tempfile
import types
import typing
from pathlib import Path
from typing import Any

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
            record = _decode(MinutesRecord, json.loads(self._path(doc).read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None
        except Exception:  # a torn, foreign or older-shaped file: parse again rather than fail the run
            return None
        return record if isinstance(record, MinutesRecord) and record.doc_id == doc.doc_id else None

    def put(self, doc: FetchedDocument, record: MinutesRecord) -> None:
        if (record.quarantine_reason or "").startswith(UNCACHED_REASONS):
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        # Write aside, then rename: a crash never leaves a half-written record under the key.
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(dataclasses.asdict(record), file, ensure_ascii=False, default=_encode_date)
        os.replace(temporary, self._path(doc))


def _encode_date(value: object) -> str:
    if isinstance(value, dt.date):  # datetime too
        return value.isoformat()
    raise TypeError(f"cannot cache {type(value).__name__}")


def _decode(kind: Any, value: Any) -> Any:
    """JSON → the record's dataclasses, by their type hints (dates from ISO text, tuples from lists)."""
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [option for option in typing.get_args(kind) if option is not type(None)]
        return _decode(options[0], value)
    if dataclasses.is_dataclass(kind):
        fields = _field_hints(kind)
        return kind(**{name: _decode(hint, value[name]) for name, hint in fields if name in value})
    if origin is list:
        return [_decode(typing.get_args(kind)[0], item) for item in value]
    if origin is tuple:
        return tuple(value)
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    return value


@functools.cache
def _field_hints(kind: Any) -> tuple[tuple[str, Any], ...]:
    """(name, type) of a dataclass's fields; resolving the hints is most of the decoding time."""
    hints = typing.get_type_hints(kind)
    return tuple((field.name, hints[field.name]) for field in dataclasses.fields(kind))
