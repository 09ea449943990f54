"""The local Prefect server `minutes` runs its flows on when no API is configured.

Prefect's own answer, a temporary server inside every command, costs 10-30 s per run here (start-up
and database set-up) for a flow that takes one. Instead the first command starts `prefect server
start` in the background and later commands reuse it while it answers its health check:

    <state dir>/prefect-server.json   pid, port and Prefect version of the running server
    <state dir>/prefect-server.lock   held while one command checks or starts the server
    <state dir>/prefect-server.log    the server's output
    <state dir>/prefect-home/         its PREFECT_HOME (SQLite database)

The state dir is $MINUTES_STATE_DIR, else $XDG_STATE_HOME/minutes-etl, else ~/.local/state/minutes-etl:
one server per user, whatever the data directory. `minutes server stop` stops it. Stale records
(a dead pid, a port that no longer answers, another Prefect version) are replaced; a recorded pid
is only ever signalled when it still is that server (its command line names the recorded port and
its PREFECT_HOME is this state dir's): after a reboot the pid may be anybody's, even another
Prefect server. `stop` refuses while flow runs are still running on the server (`--force` stops it
anyway): their commands would otherwise wait on a server that is gone.

No Prefect import here: this module runs before Prefect is imported, and only talks HTTP.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

from load.locks import LockTimeout, file_lock

STATE_DIR_ENV = "MINUTES_STATE_DIR"
# background (default): the shared local server; ephemeral: Prefect's temporary server per command.
MODE_ENV = "MINUTES_PREFECT_SERVER"
MODES = ("background", "ephemeral")
STARTUP_TIMEOUT_S = 120.0  # measured 10-30 s on 2 busy cores, 26 s on PostgreSQL
STOP_TIMEOUT_S = 20.0
HEALTH_TIMEOUT_S = 2.0
# The server's own settings: quiet, private, nothing sent anywhere.
SERVER_ENV = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_UI_ENABLED": "false",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
}
# Straight to 127.0.0.1, whatever proxy the environment names.
_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ServerError(Exception):
    """The background server could not be started or stopped (one line, for the CLI)."""


@dataclass(frozen=True)
class ServerRecord:
    pid: int
    port: int
    prefect_version: str

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"


def mode() -> str:
    chosen = os.environ.get(MODE_ENV, "background").strip().lower() or "background"
    if chosen not in MODES:
        raise ServerError(f"{MODE_ENV}={chosen!r}: use one of {', '.join(MODES)}")
    return chosen


def state_dir() -> Path:
    explicit = os.environ.get(STATE_DIR_ENV)
    if explicit:
        return Path(explicit).expanduser().resolve()
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "minutes-etl"


@dataclass(frozen=True)
class ServerFiles:
    root: Path

    @property
    def record(self) -> Path:
        return self.root / "prefect-server.json"

    @property
    def lock(self) -> Path:
        return self.root / "prefect-server.lock"

    @property
    def log(self) -> Path:
        return self.root / "prefect-server.log"

    @property
    def home(self) -> Path:
        return self.root / "prefect-home"


def _files(root: Path | None) -> ServerFiles:
    return ServerFiles(root or state_dir())


def read_record(files: ServerFiles) -> ServerRecord | None:
    try:
        return ServerRecord(**json.loads(files.record.read_text()))
    except (OSError, ValueError, TypeError):
        return None


def answers(record: ServerRecord) -> bool:
    """The recorded server is up and is the Prefect this environment has installed."""
    try:
        with _LOCAL.open(f"{record.api_url}/admin/version", timeout=HEALTH_TIMEOUT_S) as response:
            return response.status == 200 and json.loads(response.read()) == _prefect_version()
    except (OSError, ValueError, urllib.error.URLError):
        return False


def running(root: Path | None = None) -> ServerRecord | None:
    """The background server, when one is recorded, answers and is this state dir's."""
    files = _files(root)
    record = read_record(files)
    return record if record is not None and _ours_and_answering(record, files) else None


def _ours_and_answering(record: ServerRecord, files: ServerFiles) -> bool:
    """A record copied from another state dir names a server that answers but is not ours to use."""
    return answers(record) and _is_our_server(record, files)


def ensure_running(root: Path | None = None,
                   timeout_s: float = STARTUP_TIMEOUT_S) -> tuple[ServerRecord, bool]:
    """The background server's record, starting it when none answers; True when this call started it.

    The lock makes concurrent commands wait for the one that starts the server, then reuse it."""
    files = _files(root)
    record = read_record(files)
    if record is not None and _ours_and_answering(record, files):  # the usual case: no lock
        return record, False
    files.root.mkdir(parents=True, exist_ok=True)
    with _locked(files.lock, timeout_s + STOP_TIMEOUT_S):
        record = read_record(files)
        if record is not None and _ours_and_answering(record, files):  # another command started it
            return record, False
        if record is not None:
            _stop_process(record, files)  # stale: not answering, or another Prefect version
            files.record.unlink(missing_ok=True)
        record = _start(files, timeout_s)
        files.record.write_text(json.dumps(asdict(record)) + "\n")
        return record, True


def stop(root: Path | None = None, *, force: bool = False) -> ServerRecord | None:
    """Stop the background server; the record of what was stopped, None when there was none.
    Refused (ServerError) while flow runs are running or about to on it, unless `force`."""
    files = _files(root)
    if not files.record.exists():
        return None
    with _locked(files.lock, STARTUP_TIMEOUT_S + STOP_TIMEOUT_S):
        record = read_record(files)
        stopped = False
        if record is not None:
            busy = [] if force or not _ours_and_answering(record, files) else active_flow_runs(record)
            if busy:
                raise ServerError(f"{len(busy)} flow run(s) still running on the local Prefect server "
                                  f"({', '.join(busy[:3])}); wait for them to finish, or, when the commands "
                                  "that ran them are gone, stop it with `minutes server stop --force`")
            stopped = _stop_process(record, files)
        files.record.unlink(missing_ok=True)
        return record if record is not None and stopped else None


ACTIVE_STATES = ("PENDING", "RUNNING", "CANCELLING")


def active_flow_runs(record: ServerRecord) -> list[str]:
    """Names of the flow runs the server has in an active state (a command waiting on it)."""
    query = {"flow_runs": {"state": {"type": {"any_": list(ACTIVE_STATES)}}}, "limit": 50}
    request = urllib.request.Request(f"{record.api_url}/flow_runs/filter", data=json.dumps(query).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    try:
        with _LOCAL.open(request, timeout=HEALTH_TIMEOUT_S * 5) as response:
            return [str(run.get("name")) for run in json.loads(response.read())]
    except (OSError, ValueError, urllib.error.URLError) as failed:
        raise ServerError(f"could not ask the local Prefect server for its running flows ({failed}); "
                          "stop it anyway with `minutes server stop --force`") from None


@contextlib.contextmanager
def _locked(path: Path, timeout_s: float) -> Iterator[None]:
    try:
        with file_lock(path, what="the local Prefect server", timeout=timeout_s):
            yield
    except LockTimeout:
        raise ServerError(f"another command has held {path} for {timeout_s:.0f} s") from None


def _prefect_version() -> str:
    return version("prefect")


def _prefect_command() -> list[str]:
    beside = Path(sys.executable).parent / "prefect"  # the project's venv
    found = str(beside) if beside.exists() else shutil.which("prefect")
    if found is None:
        raise ServerError("the `prefect` command is not installed next to minutes")
    return [found]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(files: ServerFiles, timeout_s: float) -> ServerRecord:
    files.home.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    env.update(SERVER_ENV)
    env["PREFECT_HOME"] = str(files.home)
    env["NO_PROXY"] = ",".join(filter(None, [env.get("NO_PROXY"), "127.0.0.1", "localhost"]))
    port = _free_port()
    with files.log.open("wb") as out:
        process = subprocess.Popen(
            [*_prefect_command(), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=files.root,
            start_new_session=True,  # outlives this command; its own process group, stopped as one
        )
    record = ServerRecord(pid=process.pid, port=port, prefect_version=_prefect_version())
    try:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise ServerError(f"the local Prefect server exited with status {process.returncode}; "
                                  f"its log: {files.log}")
            if answers(record):
                return record
            time.sleep(0.3)
        raise ServerError(f"the local Prefect server did not answer within {timeout_s:.0f} s; "
                          f"its log: {files.log}")
    except BaseException:  # also Ctrl-C while it starts: no server is left running unrecorded
        _stop_process(record, files)
        raise


def _is_our_server(record: ServerRecord, files: ServerFiles) -> bool:
    """The recorded pid is still the server this state dir started: a `prefect server start` on the
    recorded port with this PREFECT_HOME (pids are reused after a reboot or a crash)."""
    try:
        command = Path(f"/proc/{record.pid}/cmdline").read_bytes().split(b"\0")
        environment = Path(f"/proc/{record.pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return False
    return (b"server" in command and b"start" in command and any(b"prefect" in part for part in command)
            and str(record.port).encode() in command
            and f"PREFECT_HOME={files.home}".encode() in environment)


def _stop_process(record: ServerRecord, files: ServerFiles) -> bool:
    """Stop the recorded server if it is this state dir's; whether there was one to stop."""
    if not _is_our_server(record, files):
        return False
    with contextlib.suppress(ProcessLookupError):
        os.killpg(record.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while time.monotonic() < deadline:
        if not _alive(record.pid):
            return True
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(record.pid, signal.SIGKILL)
    return True


def _alive(pid: int) -> bool:
    """Running, and not a zombie waiting for a parent that started it (tests start servers in-process)."""
    try:
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return False
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
