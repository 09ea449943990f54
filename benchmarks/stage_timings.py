"""In-process measurements on the benchmark's PDFs: bare pdfplumber (the floor) and each stage of
the pipeline called as a plain function (fetch, extract, parse, load), all on one core.

Every measurement returns a `Figure`; a stage whose code has not landed yet, or that fails, gives a
Figure without seconds and a one-line note, so the benchmark can run at any time.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.measure import Stopwatch

EXTRACT_TIME_LIMIT_S = 120.0  # per document: generous, the benchmark wants figures, not quarantines


@dataclass
class Figure:
    seconds: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def available(self) -> bool:
        return self.seconds is not None


def attempt(measure: Callable[[], Figure]) -> Figure:
    """Run one measurement; a missing module or a failure becomes a note instead of a crash."""
    try:
        return measure()
    except ImportError as missing:
        return Figure(note=f"not available yet: ImportError: {missing}")
    except Exception as failure:
        where = traceback.extract_tb(failure.__traceback__)[-1]
        return Figure(note=f"failed: {type(failure).__name__}: {failure} "
                           f"({Path(where.filename).name}:{where.lineno})"[:400])


@dataclass
class Parsed:
    """What the extract and parse stages hand to the load stage."""

    records: list[Any]
    metas: list[Any]


@dataclass
class SingleCorePass:
    bare: Figure
    extract: Figure
    parse: Figure
    parsed: Parsed | None


def single_core_pass(files: list[Path]) -> SingleCorePass:
    """Per document, in turn: bare pdfplumber (the floor), then read_pdf (extract), then paragraphs
    + grammar (parse), each timed apart on this one core.

    Interleaved per document rather than one pass each, so that whatever else the machine is doing
    weighs on the floor and on the stages alike. Without the stage code, the floor alone is measured.
    """
    try:
        from pipeline.document import process_document
    except ImportError as missing:
        stage_note = f"not available yet: ImportError: {missing}"
    else:
        stage_note = ""

    bare_watch = Stopwatch()
    timings: dict[str, float] = {}
    pages_per_file: list[int] = []
    parsed = Parsed([], [])
    statuses: dict[str, int] = {}
    for path in files:
        with bare_watch.running():
            pages_per_file.append(_bare_chars(path))
        if stage_note:
            continue
        data = path.read_bytes()
        # The pipeline's own path, timed inside: reading (extract) apart from parsing (parse).
        record = process_document(data, ".pdf", None, time_limit=EXTRACT_TIME_LIMIT_S, timings=timings)
        statuses[record.status] = statuses.get(record.status, 0) + 1
        parsed.records.append(record)
        parsed.metas.append(_document_meta(path, data, record))
    bare = Figure(bare_watch.seconds, extra={"pages": sum(pages_per_file), "pages_per_file": pages_per_file})
    if stage_note:
        return SingleCorePass(bare, Figure(note=stage_note), Figure(note=stage_note), None)
    return SingleCorePass(
        bare,
        Figure(timings.get("extract", 0.0), extra={"documents": len(files)}),
        Figure(timings.get("parse", 0.0), extra={"statuses": statuses}),
        parsed,
    )


def _bare_chars(path: Path) -> int:
    """The floor, exactly as a pdfplumber user writes it; returns the page count."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.chars  # noqa: B018 - the attribute access is the work being measured
        return len(pdf.pages)


def _document_meta(path: Path, data: bytes, record: Any) -> Any:
    """The `documents` row of a local file, built as the pipeline builds it."""
    from extract.stored_documents import FetchedDocument
    from pipeline.stages import Extracted, document_meta

    now = dt.datetime.now(dt.UTC)
    document = FetchedDocument(doc_id=record.doc_id, raw_path=path, suffix=".pdf", source="bench",
                               url=path.as_uri(), detail_url=None, title=None, minutes_no=None,
                               published_at=None, fetched_at=now, byte_size=len(data))
    return document_meta(Extracted(document, record))


def load(parsed: Parsed, data_dir: Path) -> Figure:
    """Write the lake and publish the warehouse into a fresh data dir."""
    from extract.datadir import DataDir
    from load.lake import write_documents
    from load.publish import publish

    layout = DataDir(data_dir)
    lake_watch, publish_watch = Stopwatch(), Stopwatch()
    with lake_watch.running():
        write_documents(layout.lake, zip(parsed.metas, parsed.records, strict=True))
    with publish_watch.running():
        publish(layout)
    return Figure(lake_watch.seconds + publish_watch.seconds,
                  extra={"lake_write_s": lake_watch.seconds, "publish_s": publish_watch.seconds})


def fetch(site_root: Path, data_dir: Path) -> Figure:
    """Crawl the benchmark's site, served on 127.0.0.1, into a fresh data dir (the `demo` source's
    rules and loopback politeness: the site has the demo's shape)."""
    from demo.server import serve_site
    from extract.crawl import crawl
    from extract.datadir import DataDir
    from extract.sources import resolve_source

    watch = Stopwatch()
    with serve_site(site_root) as base_url:
        source = resolve_source("demo", base_url=base_url)
        with watch.running():
            report = crawl(source, DataDir(data_dir))
    fetched, failures = len(report.fetch.fetched), len(report.fetch.failures)
    figure = Figure(watch.seconds, extra={"documents": fetched, "failures": failures,
                                          "mb": sum(doc.byte_size for doc in report.fetch.fetched) / 2**20})
    if failures or not fetched:
        figure.note = f"fetched {fetched} documents, {failures} failures: {report.fetch.failures[:1]}"[:300]
    return figure
