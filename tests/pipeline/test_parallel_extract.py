"""pipeline.stages.extract reads a batch on every extraction worker at once: the same records, in
the batch's order, as one worker gives; a damaged raw file fails its own document only; progress
advances once per document."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from demo.corpus import demo_docs
from demo.render import render_pdf
from extract.isolation import shared_pool
from extract.stored_documents import FetchedDocument
from pipeline import stages
from pipeline.document import WORKER_PRELOAD, document_id
from pipeline.progress import reporting_to
from transform.record import MinutesRecord

pytestmark = pytest.mark.timeout(300)
FAMILIES = ("word_embedded", "wps_cid")


def _documents(folder: Path, count: int) -> list[FetchedDocument]:
    documents = []
    for number, doc in enumerate(demo_docs()[:count]):
        data = render_pdf(doc, FAMILIES[number % len(FAMILIES)])
        raw = folder / f"{number}.pdf"
        raw.write_bytes(data)
        documents.append(FetchedDocument(
            doc_id=document_id(data), raw_path=raw, suffix=".pdf", source="demo",
            url=f"http://127.0.0.1/{number}.pdf", detail_url=None, title=None, minutes_no=None,
            published_at=dt.datetime(2024, 1, 5), fetched_at=dt.datetime(2024, 1, 6), byte_size=len(data)))
    return documents


class _Counter:
    def __init__(self) -> None:
        self.advanced = 0

    def start(self, stage: str, total: int | None) -> None:
        pass

    def advance(self, stage: str, done: int = 1) -> None:
        self.advanced += done


def _plain(result: MinutesRecord | stages.RawUnreadable) -> Any:
    return result.to_json_dict() if isinstance(result, MinutesRecord) else result


def _extract(documents: list[FetchedDocument], workers: int,
             monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], int, int]:
    """(records, progress steps, worker processes started) of one extract call with `workers`."""
    monkeypatch.setenv("MINUTES_EXTRACT_WORKERS", str(workers))
    counter = _Counter()
    with reporting_to(counter):
        results = stages.extract(documents, ocr=False)
    started = shared_pool(preload=WORKER_PRELOAD).starts
    return [_plain(result) for result in results], counter.advanced, started


def test_two_workers_give_the_records_one_worker_gives_in_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    documents = _documents(tmp_path, 8)
    documents[3].raw_path.write_bytes(b"%PDF-1.7 not what was stored")  # damaged: raw_corrupt, in place
    one, advanced_one, starts_one = _extract(documents, 1, monkeypatch)
    two, advanced_two, starts_two = _extract(documents, 2, monkeypatch)
    assert two == one
    assert [record["doc_id"] for number, record in enumerate(two) if number != 3] == \
        [doc.doc_id for number, doc in enumerate(documents) if number != 3]
    assert isinstance(two[3], stages.RawUnreadable) and two[3].reason.startswith("raw_corrupt")
    assert sum(record["status"] == "parsed" for number, record in enumerate(two) if number != 3) == 7
    assert advanced_one == advanced_two == len(documents)
    assert starts_one == 1 and starts_two == 2  # the second pool used both of its workers
