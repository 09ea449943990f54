"""Text from documents is data, never markup: a hostile TXT document through the pipeline into the site.
A TXT document also has no pages: its paragraphs link to the original file instead of a page image."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from extract.datadir import DataDir
from extract.rawstore import RawStore
from load import lake
from load.publish import publish
from load.rows import DocumentMeta
from pipeline.document import process_document
from report.static_site import build_report
from tests.helpers import SEEDS_DIR
from tests.report.site_links import broken_links
from transform.record import PARSER_VERSION

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_document_text_is_escaped_and_a_txt_document_links_to_its_original(tmp_path: Path) -> None:
    seed = next(p for p in sorted(SEEDS_DIR.glob("*.txt")) if not p.name.endswith(".normalized.txt"))
    lines = seed.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("会议议定"))
    lines.insert(at, f"会前学习了{HOSTILE}有关规定。")
    data = "\n".join(lines).encode()
    data_dir = DataDir(tmp_path / "data")
    RawStore(data_dir.raw).put(data, ".txt")
    record = process_document(data, ".txt")
    assert record.status == "parsed" and any(HOSTILE in p.text for p in record.paragraphs)
    meta = DocumentMeta(doc_id=record.doc_id, source="local", url=None, title=f"{HOSTILE}纪要",
                        published_at=None, fetched_at=dt.datetime(2026, 11, 23), byte_size=len(data),
                        page_count=None, status="parsed", quarantine_reason=None,
                        parser_version=PARSER_VERSION)
    lake.write_documents(data_dir.lake, [(meta, record)])
    publish(data_dir)

    site = build_report(data_dir).out
    pages = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    assert len(pages) == 2  # the overview and the meeting: no page images for a TXT
    assert not any("<script" in page or "<img src=x" in page for page in pages)
    meeting = (site / "meetings" / f"{record.doc_id}.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in meeting
    assert f'href="../originals/{record.doc_id}.txt"' in meeting
    assert broken_links(site) == []
