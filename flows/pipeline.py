"""The body every flow shares: (documents) → extract in batches → load serially → publish → report.

Flows decide *which* documents (discover+fetch, the raw store, local files); this module does the
rest the same way for all of them and keeps the run's books (RunSummary, the `runs` row).
"""

from __future__ import annotations

import datetime as dt
import logging
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
from flows.progress import report
from flows.summary import DocumentOutcome, RunSummary
from load.rows import RunRow
from minutes_etl.settings import DataDir

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


def stored_source_name(name: str) -> str:
    """The name documents of `name` are stored under: a listing URL's source is named by its host."""
    return urlsplit(name).netloc.lower() if "://" in name else name


def iso_date(value: str | dt.date | None, name: str) -> dt.date | None:
    """Validate a date parameter up front: Prefect accepts `-p since=notadate` at creation."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name} must be an ISO date (YYYY-MM-DD), got {value!r}") from None


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

    def __init__(self, flow: str, source: str | None) -> None:
        self.data_dir = DataDir.from_env()
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
            for batch in tasks.batches(extracted, tasks.EXTRACT_BATCH):  # one writer: strictly in turn
                self.summary.loaded += tasks.load(self.data_dir, batch)
                for item in batch:  # only now: a crash before the load leaves the document unfinished
                    if not item.from_cache:
                        cache.put(item.record)
                report().advance("load", len(batch))
        self.summary.documents.extend(
            DocumentOutcome(doc_id=item.record.doc_id, title=item.document.title or item.record.meeting.title,
                            url=item.document.url, status=item.record.status,
                            quarantine_reason=item.record.quarantine_reason,
                            warnings=list(item.record.warnings))
            for item in extracted)

    def unfinished(self, source: str) -> list[crawl.FetchedDocument]:
        """Stored documents of `source` never extracted and loaded by this parser version: what this
        run fetched, and what an earlier run fetched but did not finish (a crash, a timeout)."""
        cache = RecordCache(self.data_dir)
        stored = crawl.stored_documents(self.data_dir, source=source)
        return [doc for doc in stored if not cache.has(doc.doc_id)]

    def _extract(self, documents: list[crawl.FetchedDocument]) -> list[tasks.Extracted]:
        """Records for `documents`: from the cache when the same bytes were parsed by this parser
        version before, else parsed now, in batches (across processes when there are many)."""
        unique = sorted({doc.doc_id: doc for doc in documents}.values(), key=lambda doc: doc.doc_id)
        extracted: list[tasks.Extracted] = []
        to_parse: list[crawl.FetchedDocument] = []
        with self.stage("cache"):
            cache = RecordCache(self.data_dir)
            for doc in unique:
                record = cache.get(doc.doc_id)
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
                states = self._extract_in_processes(to_parse)
            else:
                states = []
                for batch in tasks.batches(to_parse, tasks.EXTRACT_BATCH):
                    states.append(tasks.extract(batch, return_state=True))
                    report().advance("extract", len(batch))
        for state in states:
            items: list[tasks.Extracted] = state.result()  # raises if the batch failed: the run fails
            if state.name == "Cached":  # a batch parsed before, never loaded: see tasks.batch_cache_key
                self.summary.reused += len(items)
            else:
                self.summary.extracted += len(items)
            extracted += items
        return extracted

    def _extract_in_processes(self, documents: list[crawl.FetchedDocument]) -> list[State]:
        """CPU-bound parsing across cores: a few large batches, one per worker process at a time.

        Worker processes take seconds to start, hence PARALLEL_MIN_DOCUMENTS.
        """
        workers = os.cpu_count() or 2
        size = min(tasks.EXTRACT_BATCH * 4, -(-len(documents) // workers))
        states: list[State] = []
        runner = ProcessPoolTaskRunner(max_workers=workers, initializer=quiet_like_parent,
                                       initargs=(_console_level(),))
        with _same_api_in_workers(), runner:
            futures = [(len(batch), runner.submit(tasks.extract, {"documents": batch}))
                       for batch in tasks.batches(documents, size)]
            for count, future in futures:
                future.wait()
                states.append(future.state)
                report().advance("extract", count)
        return states

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
            notes="; ".join(summary.warnings) or (" ".join(str(error).split())[:500] if error else None),
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


def _console_level() -> int:
    for handler in logging.getLogger().handlers:
        if type(handler).__name__ == "PrefectConsoleHandler":
            return handler.level
    return logging.NOTSET


def quiet_like_parent(level: int) -> None:
    """Pool worker initializer: Prefect's console log as quiet as in the parent (`minutes` mutes it)."""
    ensure_logging_setup()
    for handler in logging.getLogger().handlers:
        if type(handler).__name__ == "PrefectConsoleHandler":
            handler.setLevel(level)


def run_flow(flow: str, source: str | None, body: Callable[[Run], None]) -> RunSummary:
    """Run `body` inside the shared book-keeping; a failure still writes its `runs` row."""
    run = Run(flow, source)
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
    report().start("fetch", len(entries))
    with run.stage("fetch"):
        for batch in tasks.batches(entries, tasks.FETCH_BATCH):
            fetch_report = tasks.fetch(batch, source, run.data_dir)
            fetched.extend(fetch_report.fetched)
            run.summary.fetch_failures += len(fetch_report.failures)
            run.summary.warnings.extend(fetch_report.warnings)
    run.summary.fetched = len(fetched)
    return fetched
