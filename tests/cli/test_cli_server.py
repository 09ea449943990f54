"""The local background Prefect server of `minutes` (minutes_etl/prefect_server.py), for real:
started by the first command, reused by the next, stopped by `minutes server stop`; a stale record
replaced without signalling a stranger; two concurrent commands start one server, not two.

Each test has its own state dir (so its own server), and stops what it started.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from minutes_etl import prefect_server as background
from tests.cli.output import count
from tests.helpers import MINUTES
from tests.prefect_harness import PrefectServer

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]


@pytest.fixture
def state(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "state"
    yield folder
    background.stop(folder, force=True)  # whatever the test did, no server outlives it


def cli_env(state: Path, tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    env.update({"MINUTES_STATE_DIR": str(state), "PREFECT_HOME": str(tmp_path / "client-home"),
                "MINUTES_DATA_DIR": str(tmp_path / "data")})
    return env


def minutes(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(MINUTES), *args], env=env, capture_output=True, text=True, timeout=timeout,
                          check=False)


def flow_runs(api_url: str) -> list[dict]:
    response = httpx.post(f"{api_url}/flow_runs/filter", json={}, timeout=10)
    response.raise_for_status()
    return response.json()


def server_groups(home: Path) -> set[int]:
    """Process groups of the running processes whose PREFECT_HOME is `home` (a server and its children)."""
    marker = f"PREFECT_HOME={home}".encode()
    groups = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0") and \
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                groups.add(os.getpgid(int(entry.name)))
        except (OSError, ProcessLookupError):
            continue
    return groups


def test_first_run_starts_the_server_the_next_reuses_and_stop_stops_it(state: Path, tmp_path: Path) -> None:
    env = cli_env(state, tmp_path)
    assert minutes(env, "server", "status").returncode == 1  # nothing running yet

    first = minutes(env, "run")
    assert first.returncode == 0, first.stdout + first.stderr
    record = background.read_record(background.ServerFiles(state))
    assert record is not None and background.answers(record)
    assert [run["name"] for run in flow_runs(record.api_url)]  # the run reported to this server

    second = minutes(env, "run")
    assert second.returncode == 0, second.stdout + second.stderr
    assert count(second.stdout, "fetched") == 0  # nothing new: the no-op nightly
    assert background.read_record(background.ServerFiles(state)) == record  # reused, not restarted
    runs = flow_runs(record.api_url)
    assert len(runs) == 2 and {run["state_type"] for run in runs} == {"COMPLETED"}
    assert minutes(env, "server", "status").stdout.startswith(record.api_url)

    stopped = minutes(env, "server", "stop")
    assert stopped.returncode == 0 and f"pid {record.pid}" in stopped.stdout
    assert not background.answers(record)
    assert server_groups(background.ServerFiles(state).home) == set()
    assert minutes(env, "server", "stop").stdout.strip() == "no local Prefect server was running"


def test_stale_record_is_replaced_and_concurrent_commands_start_one_server(
        state: Path, tmp_path: Path) -> None:
    env = cli_env(state, tmp_path)
    # A record left by a crash: its pid now belongs to another program, its port answers nothing.
    stranger = subprocess.Popen(["sleep", "300"])
    try:
        state.mkdir(parents=True)
        dead_port = background._free_port()
        (state / "prefect-server.json").write_text(json.dumps(
            {"pid": stranger.pid, "port": dead_port, "prefect_version": "3.8.8"}))

        starts = [subprocess.Popen([str(MINUTES), "server", "start"], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outputs = [start.communicate(timeout=300) for start in starts]
        assert [start.returncode for start in starts] == [0, 0], outputs
        urls = {out.strip() for out, _ in outputs}
        record = background.read_record(background.ServerFiles(state))
        assert record is not None and urls == {record.api_url}  # both commands got the same server
        assert record.port != dead_port and record.pid != stranger.pid
        assert len(server_groups(background.ServerFiles(state).home)) == 1  # and only one was started
        assert stranger.poll() is None  # the stranger was not signalled
    finally:
        stranger.send_signal(signal.SIGTERM)
        stranger.wait(timeout=10)
    background.stop(state)
    assert server_groups(background.ServerFiles(state).home) == set()


def test_an_unknown_server_mode_is_one_clear_error(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "state", tmp_path)
    env["MINUTES_PREFECT_SERVER"] = "remote"
    done = minutes(env, "run")
    assert done.returncode == 1
    assert done.stderr.strip() == ("minutes: error: MINUTES_PREFECT_SERVER='remote': "
                                   "use one of background, ephemeral")
    assert not (tmp_path / "state").exists()  # nothing started


def test_a_stale_record_naming_another_prefect_server_leaves_that_server_alone(
        state: Path, tmp_path: Path, prefect_server: PrefectServer) -> None:
    """After a reboot the recorded pid may be a Prefect server of somebody else's (here: the test
    session's own): it runs `prefect server start` too, but not on the recorded port or home."""
    theirs = background.read_record(background.ServerFiles(background.state_dir()))
    assert theirs is not None and background.answers(theirs)
    state.mkdir(parents=True)
    (state / "prefect-server.json").write_text(json.dumps(
        {"pid": theirs.pid, "port": background._free_port(), "prefect_version": theirs.prefect_version}))

    started = minutes(cli_env(state, tmp_path), "server", "start")

    assert started.returncode == 0, started.stderr
    assert background.answers(theirs)  # not signalled
    ours = background.read_record(background.ServerFiles(state))
    assert ours is not None and ours.pid != theirs.pid and started.stdout.strip() == ours.api_url


def test_stop_is_refused_while_a_flow_run_is_running_on_the_server(state: Path, tmp_path: Path) -> None:
    env = cli_env(state, tmp_path)
    assert minutes(env, "server", "start").returncode == 0
    record = background.read_record(background.ServerFiles(state))
    assert record is not None
    flow = httpx.post(f"{record.api_url}/flows/", json={"name": "nightly"}, timeout=10).json()
    httpx.post(f"{record.api_url}/flow_runs/", timeout=10, json={
        "flow_id": flow["id"], "name": "a-run-in-progress", "state": {"type": "RUNNING"}}).raise_for_status()

    refused = minutes(env, "server", "stop")

    assert refused.returncode == 1 and background.answers(record)
    assert refused.stderr.count("\n") == 1 and "a-run-in-progress" in refused.stderr
    assert "--force" in refused.stderr
    forced = minutes(env, "server", "stop", "--force")
    assert forced.returncode == 0 and not background.answers(record)
    assert server_groups(background.ServerFiles(state).home) == set()


def test_ctrl_c_while_the_server_starts_leaves_no_server(state: Path, tmp_path: Path) -> None:
    home = background.ServerFiles(state).home
    start = subprocess.Popen([str(MINUTES), "server", "start"], env=cli_env(state, tmp_path),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not server_groups(home) and time.monotonic() < deadline and start.poll() is None:
            time.sleep(0.1)
        assert server_groups(home) and not (state / "prefect-server.json").exists()  # still starting
        start.send_signal(signal.SIGINT)
        _, err = start.communicate(timeout=60)
    finally:
        if start.poll() is None:
            start.kill()
            start.communicate(timeout=10)
    assert start.returncode == 130 and err.strip() == "minutes: interrupted"
    assert server_groups(home) == set()  # the half-started server was stopped, not orphaned
    assert minutes(cli_env(state, tmp_path), "server", "stop").stdout.strip() == \
        "no local Prefect server was running"
