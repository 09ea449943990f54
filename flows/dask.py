"""Extraction on a Dask cluster: MINUTES_DASK_ADDRESS=tcp://host:port sends every run's extract
tasks there through prefect-dask; loading and publishing stay in the flow process, one writer.

The workers run the project's code (same version, installed) with the same PREFECT_API_URL as the
flow, so their task runs are recorded with the flow run, and the AWS_* variables when the raw store
is on S3: tasks carry storage URLs (or the bytes, for a local raw store), never local paths.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from prefect.settings import PREFECT_API_URL

from flows import tasks
from pipeline import stages
from pipeline.run import Batch, ParallelExtract
from transform.record import MinutesRecord

DASK_ADDRESS_ENV = "MINUTES_DASK_ADDRESS"


def dask_address_from_env() -> str | None:
    """The cluster to extract on, checked before the run starts: without a Prefect server each worker
    would start a temporary one of its own (and time out), recording the task runs nowhere."""
    address = (os.environ.get(DASK_ADDRESS_ENV) or "").strip() or None
    if address and not PREFECT_API_URL.value():
        raise RuntimeError(f"{DASK_ADDRESS_ENV} needs a Prefect server the Dask workers use too: "
                           "set PREFECT_API_URL here and in the workers' environment")
    return address


def extract_on_dask(address: str) -> ParallelExtract:
    """A ParallelExtract that runs one extract task per batch on the cluster at `address`."""

    def extract(batches: list[Batch], *, ocr: bool = True) -> Iterator[tuple[Batch, list[MinutesRecord]]]:
        from prefect_dask import DaskTaskRunner  # imports distributed: only runs that use it pay

        with DaskTaskRunner(address=address) as runner:
            futures = [(batch, runner.submit(tasks.extract_portable,
                                                 {**stages.portable_parameters(batch), "ocr": ocr}))
                       for batch in batches]
            for batch, future in futures:
                yield batch, future.result()  # raises if the batch failed: the run fails

    return extract
