"""The demo corpus as a real warehouse: every file of the bundled demo site stored in the raw store,
parsed by the one pipeline (OCR off), written to the lake and published to DuckDB — the plain
functions the flows call, without Prefect (the report reads what a `minutes run --no-ocr` leaves;
tests/cli covers the run).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from demo.site import ensure_demo_site
from extract.datadir import DataDir
from extract.rawstore import RawStore
from load import lake
from load.publish import publish
from load.rows import DocumentMeta
from pipeline.document import process_document
from transform.record import PARSER_VERSION, DocHints

FETCHED_AT = dt.datetime(2026, 11, 23, 2, 0)


def build_demo_warehouse(root: Path) -> DataDir:
    data_dir = DataDir(root)
    site = ensure_demo_site()
    raw = RawStore(data_dir.raw)
    items = []
    for entry in json.loads((site / "corpus.json").read_text(encoding="utf-8"))["documents"]:
        path = entry["pdf_path"] or entry["detail_path"]
        data = (site / path.lstrip("/")).read_bytes()
        suffix = Path(path).suffix
        raw.put(data, suffix)
        published = dt.datetime.fromisoformat(entry["published_at"])
        # As `minutes run --no-ocr` leaves it: the report is shown a quarantined document (the demo's
        # scan, no_text_layer), and its tests pay no OCR (tests/extract/test_ocr_scans.py reads scans).
        record = process_document(data, suffix, DocHints(title=entry["title"], minutes_no=entry["minutes_no"],
                                                         published_at=published), ocr=False)
        items.append((DocumentMeta(
            doc_id=record.doc_id, source="demo", url=f"http://127.0.0.1:8000{path}", title=entry["title"],
            published_at=published, fetched_at=FETCHED_AT, byte_size=len(data), page_count=record.page_count,
            status=record.status, quarantine_reason=record.quarantine_reason, parser_version=PARSER_VERSION,
        ), record))
    lake.write_documents(data_dir.lake, items)
    publish(data_dir)
    return data_dir
