"""Real Prefect servers for tests.

The session's shared server is the one `minutes` itself uses: the background server of
minutes_etl/prefect_server.py, in the session's MINUTES_STATE_DIR (tests/conftest.py), started on
first use and stopped by a session fixture. Tests that need a server of their own (other settings,
a log of their own) use `running_server`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from minutes_etl import prefect_server as background

BIN = Path(sys.executable).parent
STARTUP_TIMEOUT = 120.0


@dataclass(frozen=True)
class PrefectServer:
    api_url: str
    home: Path
    log: Path

    def client_env(self, **extra: str) -> dict[str, str]:
        """Environment for a process talking to this server (CLI, worker, deploy)."""
        env = dict(os.environ)
        env.update({
            "PREFECT_API_URL": self.api_url,
            "PREFECT_HOME": str(self.home / "client"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
            "NO_PROXY": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
        })
        env.update(extra)
        return env


def shared_server() -> PrefectServer:
    """The session's background server (the one `minutes run` without PREFECT_API_URL reuses)."""
    record, _ = background.ensure_running()
    files = background.ServerFiles(background.state_dir())
    return PrefectServer(api_url=record.api_url, home=files.home, log=files.log)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(extra_env: dict[str, str] | None = None,
                 timeout_s: float = STARTUP_TIMEOUT) -> tuple[PrefectServer, subprocess.Popen[bytes]]:
    """`prefect server start` with a private home and `extra_env` (database URL, service periods);
    returns once /health answers. The caller stops the process with `stop_server`."""
    home = Path(tempfile.mkdtemp(prefix="minutes-prefect-server-"))
    port = _free_port()
    env = dict(os.environ)
    env.update({
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "NO_PROXY": "127.0.0.1,localhost",
    })
    env.pop("PREFECT_API_URL", None)
    env.update(extra_env or {})
    log = home / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stopped as a whole
        )
    api_url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"prefect server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return PrefectServer(api_url=api_url, home=home, log=log), process
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    stop_server(process)
    raise RuntimeError(f"prefect server did not answer within {timeout_s} s:\n{log.read_text()[-3000:]}")


@contextmanager
def running_server(extra_env: dict[str, str] | None = None) -> Iterator[PrefectServer]:
    """A server of the test's own, stopped when the block ends."""
    server, process = start_server(extra_env)
    try:
        yield server
    finally:
        stop_server(process)


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
