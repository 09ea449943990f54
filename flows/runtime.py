"""A pipeline run inside a Prefect flow: Prefect tasks for the stages, the flow run's id and logger,
the Dask cluster for extraction when one is named, and the summary as artifacts. Nothing else is
Prefect's. Without a cluster, extraction uses every core from the flow's own process (one capped
extraction worker per core, pipeline.stages.extract): a Prefect process pool would start Prefect and
a capped worker again in each of its processes."""

from __future__ import annotations

from collections.abc import Callable

from prefect import get_run_logger
from prefect.runtime import flow_run

from flows import tasks
from flows.artifacts import publish_artifacts
from flows.dask import dask_address_from_env, extract_on_dask
from pipeline.run import Run, Stages, run
from pipeline.summary import RunSummary


def run_flow(flow: str, source: str | None, body: Callable[[Run], None], *, ocr: bool = True) -> RunSummary:
    """Run `body` as this flow run: Prefect tasks, its logger and id; artifacts at the end.
    `ocr` off: scanned pages are not read (scans stay quarantined no_text_layer)."""
    dask_address = dask_address_from_env()
    stage_functions = Stages(discover=tasks.discover, fetch=tasks.fetch, extract=tasks.extract,
                             load=tasks.load, record_run=tasks.record_run,
                             snapshot_fetch_failures=tasks.snapshot_fetch_failures, publish=tasks.publish,
                             extract_in_parallel=extract_on_dask(dask_address) if dask_address else None)
    flow_run_id = flow_run.get_id()
    current = Run(flow, source, run_id=str(flow_run_id) if flow_run_id else None,
                  logger=get_run_logger(), stage_functions=stage_functions, ocr=ocr)
    try:
        return run(current, body)
    finally:
        publish_artifacts(current.summary)
