"""The body every flow shares: (documents) → extract in batches → load serially → publish → report.

Flows decide *which* documents (discover+fetch, the raw store, local files); this module does the
rest the same way for all of them and keeps the run's books (RunSummary, the `runs` row).
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from prefect import get_run_logger
from prefect.context import FlowRunContext
from prefect.logging.configuration import ensure_logging_setup
from prefect.runtime import flow_run
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.states import State
from prefect.task_runners import ProcessPoolTaskRunner

from extract import crawl
from extract.sources import Source
from flows import tasks
from flows.artifacts import publish_artifacts
from flows.cache import RecordCache
from flows.console import console_level, set_console_level
from flows.params import ALL_SOURCES
from flows.progress import report
from flows.summary import DocumentOutcome, RunSummary
from load.rows import RunRow
from minutes_etl.settings import DataDir
from transform.record import MinutesRecord

DEFAULT_SOURCE = "demo"
SOURCE_ENV = "MINUTES_SOURCE"
# Spawned pool workers import Prefect and pdfplumber before their first document: ~3 s of overhead.
# Measured here (2 cores, demo PDFs, ~0.17 s each), extraction in one process vs two: 25 documents
# 4.1 s vs 4.9 s; 225 documents 37.2 s vs 20.2 s. Break-even near 40. Tune with the variable.
PARALLEL_MIN_DOCUMENTS_ENV = "MINUTES_PARALLEL_MIN_DOCUMENTS"
PARALLEL_MIN_DOCUMENTS = 40


def source_name(source: str | None) -> str:
    """The flow parameter, else MINUTES_SOURCE, else the bundled demo."""
    return source or os.environ.get(SOURCE_ENV) or DEFAULT_SOURCE


def stored_source_name(name: str) -> str | None:
    """The name documents of `name` are stored under: a listing URL's source is named by its host;
    `all` (every stored document) is no one source: None."""
    if name == ALL_SOURCES:
        return None
    return urlsplit(name).netloc.lower() if "://" in name else name


@contextmanager
def served_source_url(name: str) -> Iterator[str | None]:
    """The demo source is a bundled site: serve it on 127.0.0.1 for the duration of the run."""
    if name != DEFAULT_SOURCE:
        yield None
        return
    from minutes_etl.demo.server import serve_site
    from minutes_etl.demo.site import ensure_demo_site

    with serve_site(ensure_demo_site()) as base_url:
        yield base_url


class Run:
    """Book-keeping of one flow run: timings, counts, the `runs` row, artifacts."""

    def __init__(self, flow: str, source: str | None, *, ocr: bool = True) -> None:
        self.data_dir = DataDir.from_env()
        self.ocr = ocr  # off (--no-ocr): scans stay quarantined no_text_layer
        self.logger = get_run_logger()
        run_id = flow_run.get_id() or str(uuid.uuid4())
        self.summary = RunSummary(run_id=str(run_id), flow=flow, source=source,
                                  started_at=dt.datetime.now(dt.UTC), warehouse=str(self.data_dir.warehouse))

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.summary.timings[name] = self.summary.timings.get(name, 0.0) + time.perf_counter() - start

    def process(self, documents: list[crawl.FetchedDocument]) -> None:
        """Extract, load and publish `documents`; record outcomes in the summary."""
        extracted = self._extract(documents)
        cache = RecordCache(self.data_dir)
        with self.stage("load"):
            report().start("load", len(extracted))
            for batch in tasks.batches(extracted, tasks.LOAD_BATCH):  # one writer: strictly in turn
                self.summary.loaded += tasks.load(self.data_dir, batch)
                for item in batch:  # only now: a crash before the load leaves the document unfinished
                    if not item.from_cache:
                        cache.put(item.document, item.record)
                report().advance("load", len(batch))
        self.summary.documents.extend(
            DocumentOutcome(doc_id=item.record.doc_id, title=item.document.title or item.record.meeting.title,
                            url=item.document.url, status=item.record.status,
                            quarantine_reason=item.record.quarantine_reason,
                            warnings=list(item.record.warnings))
            for item in extracted)

    def unfinished(self, source: str) -> list[crawl.FetchedDocument]:
        """Stored documents of `source` not in the record cache (never extracted and loaded by this
        parser version with these hints): what this run fetched, and what an earlier run fetched but
        did not finish (a crash, a timeout)."""
        cache = RecordCache(self.data_dir)
        stored = crawl.stored_documents(self.data_dir, source=source)
        return [doc for doc in stored if not cache.has(doc)]

    def _extract(self, documents: list[crawl.FetchedDocument]) -> list[tasks.Extracted]:
        """Records for `documents`: from the cache when the same bytes with the same hints were parsed
        by this parser version before, else parsed now, in batches (across processes when there are
        many). Every record is paired with its document of this run, never an earlier run's."""
        unique = sorted({doc.doc_id: doc for doc in documents}.values(), key=lambda doc: doc.doc_id)
        extracted: list[tasks.Extracted] = []
        to_parse: list[crawl.FetchedDocument] = []
        with self.stage("cache"):
            cache = RecordCache(self.data_dir)
            for doc in unique:
                record = cache.get(doc)
                if record is None:
                    to_parse.append(doc)
                else:
                    extracted.append(tasks.Extracted(doc, record, from_cache=True))
        self.summary.reused = len(extracted)
        report().start("extract", len(to_parse))
        if not to_parse:
            return extracted
        self.logger.info("extracting %d documents (%d reused from cache)", len(to_parse), len(extracted))
        with self.stage("extract"):
            threshold = int(os.environ.get(PARALLEL_MIN_DOCUMENTS_ENV) or PARALLEL_MIN_DOCUMENTS)
            if len(to_parse) >= threshold and (os.cpu_count() or 1) > 1:
                parsed = self._extract_in_processes(to_parse)
            else:
                parsed = []
                for batch in tasks.batches(to_parse, tasks.EXTRACT_BATCH):
                    parsed.append((batch, tasks.extract(batch, ocr=self.ocr, return_state=True)))
                    report().advance("extract", len(batch))
        for batch, state in parsed:
            records: list[MinutesRecord] = state.result()  # raises if the batch failed: the run fails
            extracted += [tasks.Extracted(doc, record) for doc, record in zip(batch, records, strict=True)]
            self.summary.extracted += len(records)
        return extracted

    def _extract_in_processes(self, documents: list[crawl.FetchedDocument],
                              ) -> list[tuple[list[crawl.FetchedDocument], State]]:
        """CPU-bound parsing across cores: a few large batches, one per worker process at a time.

        Worker processes take seconds to start, hence PARALLEL_MIN_DOCUMENTS.
        """
        workers = os.cpu_count() or 2
        size = min(tasks.EXTRACT_BATCH * 4, -(-len(documents) // workers))
        parsed: list[tuple[list[crawl.FetchedDocument], State]] = []
        runner = ProcessPoolTaskRunner(max_workers=workers, initializer=quiet_like_parent,
                                       initargs=(console_level(),))
        with _same_api_in_workers(), runner:
            futures = [(batch, runner.submit(tasks.extract, {"documents": batch, "ocr": self.ocr}))
                       for batch in tasks.batches(documents, size)]
            for batch, future in futures:
                future.wait()
                parsed.append((batch, future.state))
                report().advance("extract", len(batch))
        return parsed

    def finish(self, error: BaseException | None = None) -> RunSummary:
        """Write the `runs` row, publish the warehouse, create the artifacts; log the headline."""
        summary = self.summary
        summary.finished_at = dt.datetime.now(dt.UTC)
        summary.status = ("failed" if error is not None
                          else "completed_with_warnings" if summary.is_loud else "completed")
        tasks.record_run(self.data_dir, RunRow(
            run_id=summary.run_id, flow=summary.flow, started_at=summary.started_at,
            finished_at=summary.finished_at, status=summary.status, docs_discovered=summary.discovered,
            docs_fetched=summary.fetched, docs_parsed=summary.parsed, docs_quarantined=summary.quarantined,
            source=summary.source,
            notes=_run_notes(summary, error),
        ))
        with self.stage("publish"):
            tasks.publish(self.data_dir)  # one publish carries the documents and the runs row
        publish_artifacts(summary)
        if error is not None:
            self.logger.error("%s failed: %s", summary.flow, " ".join(str(error).split())[:500])
        else:
            log = self.logger.warning if summary.is_loud else self.logger.info
            log("%s %s: %s", summary.flow, summary.status, summary.headline())
        for code in summary.warnings:
            self.logger.warning("source warning: %s", code)
        return summary


def _run_notes(summary: RunSummary, error: BaseException | None) -> str | None:
    """The `runs` row's notes: source warnings, files an ingest skipped, or why the run failed."""
    notes = list(summary.warnings)
    if summary.skipped:
        notes.append(f"skipped {len(summary.skipped)} files that are not documents")
    if error is not None and not summary.warnings:
        notes.append(" ".join(str(error).split())[:500])
    return "; ".join(notes) or None


@contextmanager
def _same_api_in_workers() -> Iterator[None]:
    """Pool workers inherit this process's settings, which name no API when Prefect runs its
    ephemeral server: each worker would start a server of its own (~10 s, and its log lines).
    Name the API this run already talks to, for as long as the pool lives."""
    if PREFECT_API_URL.value():
        yield
        return
    context = FlowRunContext.get()
    api_url = str(context.client.api_url) if context and context.client else None
    if not api_url:
        yield
        return
    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        yield


def quiet_like_parent(level: int) -> None:
    """Pool worker initializer: Prefect's console log as quiet as in the parent (`minutes` mutes it)."""
    ensure_logging_setup()
    set_console_level(level)


def run_flow(flow: str, source: str | None, body: Callable[[Run], None], *, ocr: bool = True) -> RunSummary:
    """Run `body` inside the shared book-keeping; a failure still writes its `runs` row."""
    run = Run(flow, source, ocr=ocr)
    try:
        body(run)
        return run.finish()
    except Exception as error:
        try:
            run.finish(error)
        except Exception as bookkeeping:  # never hide the original error behind a book-keeping one
            run.logger.warning("could not record the failed run: %s", bookkeeping)
        raise


def discover_and_fetch(run: Run, source: Source, *, since: dt.date | None = None,
                       until: dt.date | None = None, incremental: bool) -> list[crawl.FetchedDocument]:
    """Listing pages → what to fetch → raw store, in batches; source warnings go to the summary."""
    report().start("discover", 1)
    with run.stage("discover"):
        discovery = tasks.discover(source, run.data_dir, since=since, until=until, incremental=incremental)
    report().advance("discover", 1)
    entries = list(discovery.entries)
    run.summary.discovered = len(entries)
    run.summary.warnings.extend(discovery.warnings)
    run.logger.info("%s: %d documents to fetch", source.name, len(entries))
    fetched: list[crawl.FetchedDocument] = []
    all_failed: list[str] = []  # per batch: every new entry of the batch failed
    report().start("fetch", len(entries))
    with run.stage("fetch"):
        for batch in tasks.batches(entries, tasks.FETCH_BATCH):
            fetch_report = tasks.fetch(batch, source, run.data_dir)
            fetched.extend(fetch_report.fetched)
            run.summary.fetch_failures += len(fetch_report.failures)
            for warning in fetch_report.warnings:
                if warning.startswith(crawl.ALL_FETCHES_FAILED):
                    all_failed.append(warning)
                else:
                    run.summary.warnings.append(warning)
    run.summary.fetched = len(fetched)
    run.summary.warnings.extend(_run_level_fetch_warnings(run, source, fetched, all_failed))
    return fetched


def _run_level_fetch_warnings(run: Run, source: Source, fetched: list[crawl.FetchedDocument],
                              all_failed: list[str]) -> list[str]:
    """The run-level findings crawl.crawl() adds to a fetch: it fetches in one go, the flows in batches.

    all_fetches_failed: a batch whose new entries all failed speaks for the run only when no batch
    brought a document. source_empty: nothing was ever fetched from this source (its listing had
    entries, but none led to a document), unless discovery already said the listing is empty.
    """
    warnings = all_failed[:1] if all_failed and not fetched else []
    empty_listing = any(warning.startswith(crawl.SOURCE_EMPTY) for warning in run.summary.warnings)
    if not empty_listing and not crawl.stored_documents(run.data_dir, source=source.name):
        warnings.append(f"{crawl.SOURCE_EMPTY}: no document could be fetched from {source.name}")
    return warnings
