"""Real services on 127.0.0.1 for the scale-out tests and benchmark: a SeaweedFS S3 server and a Dask
scheduler with workers, each a separate process group, started with a deadline and always stopped.

No Prefect here (tests/prefect_harness.py starts the Prefect server); callers hand the Dask workers
the environment they need (PREFECT_API_URL, AWS_*), since a worker runs the flow's tasks.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
S3_STARTUP_TIMEOUT = 60.0      # ~4 s when the machine is idle
DASK_STARTUP_TIMEOUT = 120.0   # ~14 s for a scheduler and two workers on 2 busy cores
STOP_GRACE = 5.0               # `weed` ignores SIGTERM for 20 s+: SIGKILL after this
S3_ACCESS_KEY = "minutes-test"
S3_SECRET_KEY = "minutes-test-secret"
S3_BUCKET = "minutes"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _free_ports(count: int) -> list[int]:
    """Distinct free ports, held open together so the kernel cannot hand out one twice."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def _spawn(command: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, start_new_session=True)  # own process group: stopped whole


def stop_process_group(process: subprocess.Popen[bytes], grace: float = STOP_GRACE) -> None:
    """SIGTERM the process's whole group, SIGKILL it after `grace` seconds."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            return
    with contextlib.suppress(ProcessLookupError):  # children left behind go with the group
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=grace)


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else ""


# -- SeaweedFS S3 ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    access_key: str
    secret_key: str
    bucket: str
    log: Path

    def env(self, prefix: str) -> dict[str, str]:
        """What a process needs to keep raw/ and lake/ under s3://bucket/prefix on this server."""
        return {
            "MINUTES_STORE_URL": f"s3://{self.bucket}/{prefix}",
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",  # no credential look-up beyond 127.0.0.1
        }


@contextmanager
def seaweedfs_s3(workdir: Path | None = None) -> Iterator[S3Server]:
    """`weed server` with S3 on free 127.0.0.1 ports, an access key enforced, one bucket created."""
    own_dir = workdir is None
    root = Path(tempfile.mkdtemp(prefix="minutes-s3-")) if own_dir else workdir
    (root / "data").mkdir(parents=True, exist_ok=True)
    config = root / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "minutes", "credentials": [{"accessKey": S3_ACCESS_KEY, "secretKey": S3_SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = _free_ports(8)
    log = root / "weed.log"
    process = _spawn([
        str(BIN / "weed"), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={root / 'data'}",
        f"-master.port={master}", f"-master.port.grpc={master_grpc}", "-master.telemetry=false",
        "-master.volumeSizeLimitMB=64", f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
        "-volume.max=0", "-volume.preStopSeconds=0", f"-filer.port={filer}",
        f"-filer.port.grpc={filer_grpc}", "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}",
        "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={config}",
    ], log)
    server = S3Server(f"http://127.0.0.1:{s3}", S3_ACCESS_KEY, S3_SECRET_KEY, S3_BUCKET, log)
    try:
        _await_bucket(process, server)
        yield server
    finally:
        stop_process_group(process)


def _await_bucket(process: subprocess.Popen[bytes], server: S3Server) -> None:
    """Ready when the bucket can be created and written through the S3 API (not just the port open)."""
    import pyarrow.fs as pafs

    deadline = time.monotonic() + S3_STARTUP_TIMEOUT
    error: Exception | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"weed server exited with {process.returncode}:\n{_tail(server.log)}")
        try:
            httpx.get(server.endpoint_url, timeout=2)
            fs = pafs.S3FileSystem(endpoint_override=server.endpoint_url.removeprefix("http://"),
                                   scheme="http", access_key=server.access_key, secret_key=server.secret_key,
                                   region="us-east-1", connect_timeout=2, request_timeout=5,
                                   allow_bucket_creation=True)
            fs.create_dir(server.bucket)
            with fs.open_output_stream(f"{server.bucket}/.ready") as stream:
                stream.write(b"ok")
            return
        except (httpx.HTTPError, OSError) as failure:
            error = failure
        time.sleep(0.5)
    raise RuntimeError(f"S3 server not ready within {S3_STARTUP_TIMEOUT} s ({error}):\n{_tail(server.log)}")


# -- Dask -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DaskCluster:
    address: str
    workers: int
    log: Path


@contextmanager
def dask_cluster(workers: int, worker_env: dict[str, str],
                 workdir: Path | None = None) -> Iterator[DaskCluster]:
    """`dask scheduler` and `workers` × `dask worker` (one process, one thread each), on 127.0.0.1."""
    root = workdir or Path(tempfile.mkdtemp(prefix="minutes-dask-"))
    root.mkdir(parents=True, exist_ok=True)
    scheduler_file = root / "scheduler.json"
    log = root / "dask.log"
    env = {**os.environ, **worker_env, "DASK_DISTRIBUTED__WORKER__DAEMON": "false"}
    with ExitStack() as stack:
        scheduler = _spawn([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                            "--dashboard-address", ":0", "--no-show",
                            "--scheduler-file", str(scheduler_file)], log, env)
        stack.callback(stop_process_group, scheduler)
        address = _await_scheduler_file(scheduler, scheduler_file, log)
        for index in range(workers):
            worker = _spawn([str(BIN / "dask"), "worker", address, "--host", "127.0.0.1",
                             "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                             "--name", f"worker-{index}", "--local-directory", str(root / f"w{index}")],
                            log, env)
            stack.callback(stop_process_group, worker)
        _await_workers(address, workers, log)
        yield DaskCluster(address, workers, log)


def _await_scheduler_file(process: subprocess.Popen[bytes], scheduler_file: Path, log: Path) -> str:
    deadline = time.monotonic() + DASK_STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dask scheduler exited with {process.returncode}:\n{_tail(log)}")
        if scheduler_file.exists():
            try:
                return json.loads(scheduler_file.read_text())["address"]
            except (ValueError, KeyError):
                pass  # being written
        time.sleep(0.3)
    raise RuntimeError(f"dask scheduler not up within {DASK_STARTUP_TIMEOUT} s:\n{_tail(log)}")


def _await_workers(address: str, workers: int, log: Path) -> None:
    from distributed import Client

    with Client(address, timeout=DASK_STARTUP_TIMEOUT) as client:
        try:
            client.wait_for_workers(workers, timeout=DASK_STARTUP_TIMEOUT)
        except TimeoutError:
            raise RuntimeError(f"{workers} dask workers not up within {DASK_STARTUP_TIMEOUT} s:\n"
                               f"{_tail(log)}") from None
