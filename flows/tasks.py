"""Prefect tasks: the plain stages of pipeline/stages.py, each over a batch of documents, with the
retries, timeouts and names the Prefect UI shows."""

from __future__ import annotations

from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.states import State
from prefect.utilities.annotations import quote

from extract import crawl
from extract.datadir import DataDir
from pipeline import stages


def worth_retrying(task: Any, task_run: Any, state: State) -> bool:
    """The crawler already retried each request with backoff: a source still unreachable after that
    will not be back in 30 s, and the error should reach the user now. Anything else: retry."""
    try:
        error = state.result(raise_on_failure=False)
    except Exception:
        return True
    return not isinstance(error, crawl.SourceUnreachable)


# No task cache anywhere: records are cached per document under the data directory
# (pipeline/record_cache.py), and fetch state lives in the manifest.
discover = task(stages.discover, name="discover", retries=2, retry_delay_seconds=[5, 30],
                retry_condition_fn=worth_retrying, timeout_seconds=30 * 60, cache_policy=NO_CACHE)
fetch = task(stages.fetch, name="fetch", retries=2, retry_delay_seconds=[5, 30],
             retry_condition_fn=worth_retrying, timeout_seconds=60 * 60, cache_policy=NO_CACHE)
extract = task(stages.extract, name="extract", timeout_seconds=60 * 60, cache_policy=NO_CACHE)
# The same stage for a Dask worker on another machine: bytes or storage URLs in, no local paths.
extract_portable = task(stages.extract_portable, name="extract", timeout_seconds=60 * 60,
                        cache_policy=NO_CACHE)
_load = task(stages.load, name="load", timeout_seconds=30 * 60, cache_policy=NO_CACHE)


def load(data_dir: DataDir, extracted: list[stages.Extracted]) -> int:
    """The load task, its batch quoted: Prefect would walk every paragraph of every record looking
    for futures to wait on (1.5 s per 200 documents here; quoted, 5 ms)."""
    return _load(data_dir, quote(extracted))


record_run = task(stages.record_run, name="record-run", retries=2, retry_delay_seconds=5,
                  cache_policy=NO_CACHE)
snapshot_fetch_failures = task(stages.snapshot_fetch_failures, name="snapshot-fetch-failures",
                               retries=2, retry_delay_seconds=5, cache_policy=NO_CACHE)
publish = task(stages.publish, name="publish", timeout_seconds=30 * 60, cache_policy=NO_CACHE)
