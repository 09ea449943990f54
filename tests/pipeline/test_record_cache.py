"""The record cache keeps plain data: a record comes back equal, and a foreign file is parsed again,
never run."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

from demo.corpus import demo_docs
from demo.render import render_pdf
from extract.datadir import DataDir
from extract.stored_documents import FetchedDocument
from pipeline.document import process_document
from pipeline.record_cache import RecordCache, cache_key


def _document(tmp_path: Path, data: bytes) -> FetchedDocument:
    raw = tmp_path / "doc.pdf"
    raw.write_bytes(data)
    record = process_document(data, ".pdf")
    return FetchedDocument(doc_id=record.doc_id, raw_path=raw, suffix=".pdf", source="demo", url="http://x/a.pdf",
                           detail_url=None, title="市政府常务会议纪要", minutes_no=None,
                           published_at=dt.datetime(2024, 1, 5, 9, 30), fetched_at=dt.datetime(2024, 1, 6),
                           byte_size=len(data))


def test_a_pdf_record_comes_back_equal(tmp_path: Path) -> None:
    data = render_pdf(demo_docs()[2], "word_embedded")
    document = _document(tmp_path, data)
    record = process_document(data, ".pdf")
    assert record.status == "parsed" and record.paragraphs[0].bbox is not None and record.furniture
    cache = RecordCache(DataDir(tmp_path / "data"))
    cache.put(document, record)
    assert cache.get(document) == record


class _Explodes:
    """Unpickling this writes a file: what a hostile cache file could do if the cache unpickled."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (self.target.write_text, ("pwned",))


def test_a_foreign_cache_file_is_parsed_again_not_run(tmp_path: Path) -> None:
    data = render_pdf(demo_docs()[3], "wps_cid")
    document = _document(tmp_path, data)
    cache = RecordCache(DataDir(tmp_path / "data"))
    cache.folder.mkdir(parents=True)
    target = tmp_path / "ran"
    (cache.folder / cache_key(document)).write_bytes(pickle.dumps(_Explodes(target)))
    assert cache.has(document)
    assert cache.get(document) is None  # not JSON: parsed again
    assert not target.exists()
