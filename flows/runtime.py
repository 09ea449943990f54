"""A pipeline run inside a Prefect flow: Prefect tasks for the stages, the flow run's id and logger,
the task runner for parallel extraction, and the summary as artifacts. Nothing else is Prefect's."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from prefect import get_run_logger
from prefect.context import FlowRunContext
from prefect.logging.configuration import ensure_logging_setup
from prefect.runtime import flow_run
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.task_runners import ProcessPoolTaskRunner

from flows import tasks
from flows.artifacts import publish_artifacts
from flows.console import console_level, set_console_level
from flows.dask import dask_address_from_env, extract_on_dask
from pipeline.run import Batch, Results, Run, Stages, run
from pipeline.summary import RunSummary


def run_flow(flow: str, source: str | None, body: Callable[[Run], None], *, ocr: bool = True) -> RunSummary:
    """Run `body` as this flow run: Prefect tasks, its logger and id; artifacts at the end.
    `ocr` off: scanned pages are not read (scans stay quarantined no_text_layer)."""
    dask_address = dask_address_from_env()
    stage_functions = Stages(discover=tasks.discover, fetch=tasks.fetch, extract=tasks.extract,
                             load=tasks.load, record_run=tasks.record_run,
                             snapshot_fetch_failures=tasks.snapshot_fetch_failures, publish=tasks.publish,
                             extract_in_parallel=extract_on_dask(dask_address) if dask_address
                             else extract_in_processes,
                             parallel_min_documents=1 if dask_address else None)
    flow_run_id = flow_run.get_id()
    current = Run(flow, source, run_id=str(flow_run_id) if flow_run_id else None,
                  logger=get_run_logger(), stage_functions=stage_functions, ocr=ocr)
    try:
        return run(current, body)
    finally:
        publish_artifacts(current.summary)


def extract_in_processes(batches: list[Batch], *, ocr: bool = True) -> Iterator[tuple[Batch, Results]]:
    """CPU-bound parsing across cores: one extract task per batch on a process pool, each batch
    handed back as it completes (in submission order)."""
    runner = ProcessPoolTaskRunner(max_workers=os.cpu_count() or 2, initializer=quiet_like_parent,
                                   initargs=(console_level(),))
    with _same_api_in_workers(), runner:
        futures = [(batch, runner.submit(tasks.extract, {"documents": batch, "ocr": ocr}))
                   for batch in batches]
        for batch, future in futures:
            yield batch, future.result()  # raises if the batch failed: the run fails


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
