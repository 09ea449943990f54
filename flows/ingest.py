"""Ingest: local files or folders (PDF, HTML, TXT) through the same extract → load path."""

from __future__ import annotations

from prefect import flow

from extract import crawl
from flows.runtime import run_flow
from pipeline.local_paths import expand_paths
from pipeline.run import Run
from pipeline.summary import RunSummary, SkippedOutcome


@flow(name="ingest", description="Load local files or folders through the same pipeline.")
def ingest(paths: list[str], ocr: bool = True) -> RunSummary:
    """Files named in `paths` are ingested whatever their type (what cannot be read is quarantined,
    its bytes kept); folders are walked for documents, and the files left out are listed as skipped."""
    local = expand_paths(paths)

    def body(run: Run) -> None:
        run.summary.discovered = len(local.files) + len(local.skipped)
        run.summary.skipped = [SkippedOutcome(path=str(item.path), reason=item.reason)
                               for item in local.skipped]
        if local.skipped:
            run.logger.warning("skipped %d files that are not documents", len(local.skipped))
        with run.stage("register"):
            documents = [crawl.oversized_local_file(path) if crawl.is_oversized(path.stat().st_size)
                         else crawl.register_local_file(path, run.data_dir) for path in local.files]
        run.summary.fetched = len(documents)
        run.process(documents)

    return run_flow("ingest", "local", body, ocr=ocr)
