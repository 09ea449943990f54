"""The body every run shares: (documents) → extract in batches → load serially → publish → summary.

Plain Python: the flows (flows/) hand in Prefect-wrapped stages, a task runner for parallel
extraction, their logger and run id; the CLI's local paths and the benchmark use the defaults.
Callers decide *which* documents (discover+fetch, the raw store, local files); this module does the
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
from dataclasses import dataclass

from extract import crawl
from extract.datadir import DataDir
from extract.manifest import check_manifest
from extract.sources import Source
from load import lake
from load.rows import RunRow
from pipeline import stages
from pipeline.progress import report
from pipeline.record_cache import RecordCache
from pipeline.summary import DocumentOutcome, RunSummary
from transform.record import MinutesRecord

LAKE_DAMAGED = "lake_damaged"  # a run warning: a lake file could not be read and was set aside

Batch = list[crawl.FetchedDocument]
# Extracts many batches at once (across processes or machines), yielding each batch with its
# records as it completes; a batch that failed raises.
Results = list[MinutesRecord | stages.RawUnreadable]
ParallelExtract = Callable[..., Iterator[tuple[Batch, Results]]]  # (batches, *, ocr)


@dataclass
class Stages:
    """The stage functions a run calls: the plain ones by default, Prefect tasks under a flow."""

    discover: Callable[..., crawl.Discovery] = stages.discover
    fetch: Callable[..., crawl.FetchReport] = stages.fetch
    extract: Callable[..., Results] = stages.extract  # (batch, ocr=)
    load: Callable[[DataDir, list[stages.Extracted]], int] = stages.load
    record_run: Callable[[DataDir, RunRow], None] = stages.record_run
    snapshot_fetch_failures: Callable[[DataDir], int] = stages.snapshot_fetch_failures
    publish: Callable[[DataDir], object] = stages.publish
    # Extraction elsewhere (a Dask cluster), for every run; None: in this process, one extraction
    # worker per core (pipeline.stages.extract).
    extract_in_parallel: ParallelExtract | None = None


class Run:
    """One run: its stages, timings, counts, the `runs` row."""

    def __init__(self, flow: str, source: str | None, *, data_dir: DataDir | None = None,
                 run_id: str | None = None, logger: logging.Logger | logging.LoggerAdapter | None = None,
                 stage_functions: Stages | None = None, ocr: bool = True) -> None:
        self.data_dir = data_dir or DataDir.from_env()
        self.logger = logger or logging.getLogger("minutes")
        self.stages = stage_functions or Stages()
        self.ocr = ocr  # off (--no-ocr): scans stay quarantined no_text_layer
        self.summary = RunSummary(run_id=run_id or str(uuid.uuid4()), flow=flow, source=source,
                                  started_at=dt.datetime.now(dt.UTC), warehouse=str(self.data_dir.warehouse))

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.summary.timings[name] = self.summary.timings.get(name, 0.0) + time.perf_counter() - start

    # --- which documents ---------------------------------------------------------------------

    def discover_and_fetch(self, source: Source, *, since: dt.date | None = None,
                           until: dt.date | None = None, incremental: bool,
                           refetch: bool = False) -> list[crawl.FetchedDocument]:
        """Listing pages → what to fetch → raw store, in batches; source warnings go to the summary."""
        summary = self.summary
        report().start("discover", 1)
        with self.stage("discover"):
            discovery = self.stages.discover(source, self.data_dir, since=since, until=until,
                                             incremental=incremental, refetch=refetch)
        report().advance("discover", 1)
        entries = list(discovery.entries)
        summary.discovered = len(entries)
        summary.warnings.extend(discovery.warnings)
        self.logger.info("%s: %d documents to fetch", source.name, len(entries))
        fetched: list[crawl.FetchedDocument] = []
        all_failed: list[str] = []  # per batch: every new entry of the batch failed
        report().start("fetch", len(entries))
        with self.stage("fetch"):
            for batch in stages.batches(entries, stages.FETCH_BATCH):
                progress = _FetchProgress()
                fetch_report = self.stages.fetch(batch, source, self.data_dir, progress.advance)
                report().advance("fetch", len(batch) - progress.done)  # known entries are skipped silently
                fetched.extend(fetch_report.fetched)
                summary.fetch_failures += len(fetch_report.failures)
                summary.already_stored += fetch_report.unchanged
                for warning in fetch_report.warnings:
                    if warning.startswith(crawl.ALL_FETCHES_FAILED):
                        all_failed.append(warning)
                    else:
                        summary.warnings.append(warning)
        summary.fetched = len(fetched)
        summary.warnings.extend(self._run_level_fetch_warnings(source, fetched, all_failed))
        return fetched

    def _run_level_fetch_warnings(self, source: Source, fetched: list[crawl.FetchedDocument],
                                  all_failed: list[str]) -> list[str]:
        """The run-level findings crawl.crawl() adds to a fetch: it fetches in one go, runs in batches.

        all_fetches_failed: a batch whose new entries all failed speaks for the run only when no batch
        brought a document. source_empty: nothing was ever fetched from this source (its listing had
        entries, but none led to a document), unless discovery already said the listing is empty.
        """
        warnings = all_failed[:1] if all_failed and not fetched else []
        empty_listing = any(warning.startswith(crawl.SOURCE_EMPTY) for warning in self.summary.warnings)
        if not empty_listing and not crawl.stored_documents(self.data_dir, source=source.name):
            warnings.append(f"{crawl.SOURCE_EMPTY}: no document could be fetched from {source.name}")
        return warnings

    def unfinished(self, source: str) -> list[crawl.FetchedDocument]:
        """Stored documents of `source` not in the record cache (never extracted and loaded by this
        parser version with these hints): what this run fetched, and what an earlier run fetched but
        did not finish (a crash, a timeout)."""
        cache = RecordCache(self.data_dir)
        stored = crawl.stored_documents(self.data_dir, source=source)
        return [doc for doc in stored if not cache.has(doc)]

    # --- damaged state ----------------------------------------------------------------------

    def check_state(self) -> bool:
        """Before anything is written: a damaged manifest stops the run (ManifestDamaged, one line
        naming the file and `minutes repair`); damaged lake files are set aside, named in the
        summary, and True is returned: their documents must be reloaded from the raw store."""
        check_manifest(self.data_dir.manifest)
        store = self.data_dir.lake_store
        damaged = lake.set_aside_damaged(store)
        for path, why in damaged:
            self.summary.warnings.append(
                f"{LAKE_DAMAGED}: {path} ({why}); set aside in {store.url(lake.DAMAGED_FOLDER)}, "
                "every stored document reloaded from the raw store")
        return bool(damaged)

    def reload_stored_documents(self) -> None:
        """Every stored document not handled by this run yet, through extract (records mostly from
        the cache) and load: what rebuilds the lake after damaged files were set aside."""
        done = {outcome.doc_id for outcome in self.summary.documents}
        self.process([doc for doc in crawl.stored_documents(self.data_dir) if doc.doc_id not in done])

    # --- extract, load -----------------------------------------------------------------------

    def process(self, documents: list[crawl.FetchedDocument]) -> None:
        """Extract, load and publish `documents`; record outcomes in the summary."""
        extracted = self._extract(documents)
        cache = RecordCache(self.data_dir)
        with self.stage("load"):
            report().start("load", len(extracted))
            for batch in stages.batches(extracted, stages.LOAD_BATCH):  # one writer: strictly in turn
                self.summary.loaded += self.stages.load(self.data_dir, batch)
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

    def _extract(self, documents: list[crawl.FetchedDocument]) -> list[stages.Extracted]:
        """Records for `documents`: from the cache when the same bytes with the same hints were parsed
        by this parser version before, else parsed now, in batches (across processes when there are
        many). Every record is paired with its document of this run, never an earlier run's."""
        unique = sorted({doc.doc_id: doc for doc in documents}.values(), key=lambda doc: doc.doc_id)
        extracted: list[stages.Extracted] = []
        to_parse: list[crawl.FetchedDocument] = []
        with self.stage("cache"):
            cache = RecordCache(self.data_dir)
            for doc in unique:
                refused = stages.too_large(doc)  # over the size cap: quarantined unread
                record = None if refused else cache.get(doc)
                if refused:
                    extracted.append(stages.Extracted(doc, refused))
                elif record is None:
                    to_parse.append(doc)
                else:
                    extracted.append(stages.Extracted(doc, record, from_cache=True))
        self.summary.reused = sum(item.from_cache for item in extracted)
        report().start("extract", len(to_parse))
        if not to_parse:
            return extracted
        self.logger.info("extracting %d documents (%d reused from cache)", len(to_parse), len(extracted))
        with self.stage("extract"):
            for batch, results in self._extract_batches(to_parse):
                for doc, result in zip(batch, results, strict=True):
                    if isinstance(result, stages.RawUnreadable):  # this document fails, the run goes on
                        where = f"document {doc.doc_id[:12]}, {doc.url}"
                        self.summary.warnings.append(f"{result.reason} ({where})")
                        continue
                    extracted.append(stages.Extracted(doc, result))
                    self.summary.extracted += 1
        return extracted

    def _extract_batches(self, documents: Batch) -> Iterator[tuple[Batch, Results]]:
        elsewhere = self.stages.extract_in_parallel
        if elsewhere is not None:
            # A few large batches, one per worker at a time; small enough that progress moves.
            workers = os.cpu_count() or 2
            size = max(1, min(stages.EXTRACT_BATCH, -(-len(documents) // (workers * 4))))
            for batch, records in elsewhere(stages.batches(documents, size), ocr=self.ocr):
                report().advance("extract", len(batch))  # the workers' own reports reach nobody
                yield batch, records
            return
        for batch in stages.batches(documents, stages.EXTRACT_BATCH):
            yield batch, self.stages.extract(batch, ocr=self.ocr)  # reports progress per document

    # --- the end -----------------------------------------------------------------------------

    def finish(self, error: BaseException | None = None) -> RunSummary:
        """Write the `runs` row, publish the warehouse; log the headline."""
        summary = self.summary
        summary.finished_at = dt.datetime.now(dt.UTC)
        summary.status = ("failed" if error is not None
                          else "completed_with_warnings" if summary.is_loud else "completed")
        self.stages.record_run(self.data_dir, RunRow(
            run_id=summary.run_id, flow=summary.flow, started_at=summary.started_at,
            finished_at=summary.finished_at, status=summary.status, docs_discovered=summary.discovered,
            docs_fetched=summary.fetched, docs_parsed=summary.parsed, docs_quarantined=summary.quarantined,
            source=summary.source,
            notes=_run_notes(summary, error),
        ))
        with self.stage("publish"):
            self.stages.snapshot_fetch_failures(self.data_dir)
            self.stages.publish(self.data_dir)  # one publish carries the documents, runs and failures
        if error is not None:
            self.logger.error("%s failed: %s", summary.flow, " ".join(str(error).split())[:500])
        else:
            log = self.logger.warning if summary.is_loud else self.logger.info
            log("%s %s: %s", summary.flow, summary.status, summary.headline())
        for code in summary.warnings:
            self.logger.warning("source warning: %s", code)
        return summary


def run(run_: Run, body: Callable[[Run], None]) -> RunSummary:
    """Run `body` inside the shared book-keeping; a failure still writes its `runs` row."""
    try:
        damaged = run_.check_state()
        body(run_)
        if damaged:
            run_.reload_stored_documents()
        return run_.finish()
    except Exception as error:
        try:
            run_.finish(error)
        except Exception as bookkeeping:  # never hide the original error behind a book-keeping one
            run_.logger.warning("could not record the failed run: %s", bookkeeping)
        raise


class _FetchProgress:
    """fetch_entries counts cumulatively; the progress bar wants steps."""

    def __init__(self) -> None:
        self.done = 0

    def advance(self, total_done: int) -> None:
        report().advance("fetch", total_done - self.done)
        self.done = total_done


def _run_notes(summary: RunSummary, error: BaseException | None) -> str | None:
    """The `runs` row's notes: source warnings, files an ingest skipped, or why the run failed."""
    notes = list(summary.warnings)
    if summary.skipped:
        notes.append(f"skipped {len(summary.skipped)} files that are not documents")
    if error is not None and not summary.warnings:
        notes.append(" ".join(str(error).split())[:500])
    return "; ".join(notes) or None
