"""The `minutes` command measured as a user runs it: a subprocess, start-up included."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import sys
from pathlib import Path

from benchmarks.measure import ProcessRun, run_measured
from benchmarks.stage_timings import Figure
from minutes_etl import prefect_server as background

# Prefect's ephemeral server takes 11-30 s to start on this machine (team brief); `minutes` uses
# its background server instead (minutes_etl/prefect_server.py), kept in the benchmark's own state dir.
PREFECT_ENV = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_UI_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "NO_PROXY": "127.0.0.1,localhost",
}


def minutes_executable() -> Path:
    """The console script next to this interpreter (the project's .venv), else on PATH."""
    beside = Path(sys.executable).parent / "minutes"
    if beside.exists():
        return beside
    found = shutil.which("minutes")
    if found is None:
        raise FileNotFoundError("the `minutes` console script is not installed (run `make bench`)")
    return Path(found)


def state_dir(prefect_home: Path) -> Path:
    """The benchmark's MINUTES_STATE_DIR: its background Prefect server, stopped by `stop_server`."""
    return prefect_home / "minutes-state"


def stop_server(prefect_home: Path) -> None:
    background.stop(state_dir(prefect_home), force=True)


def cli_env(prefect_home: Path) -> dict[str, str]:
    """The user's environment, with a private Prefect home and state dir so the benchmark leaves
    nothing behind, and no PREFECT_API_URL: `minutes` picks its server as for a user."""
    prefect_home.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items()
           if key not in ("PREFECT_API_URL", "MINUTES_PREFECT_SERVER")}
    return {**env, **PREFECT_ENV, "PREFECT_HOME": str(prefect_home),
            "MINUTES_STATE_DIR": str(state_dir(prefect_home))}


def minutes(data_dir: Path, *args: str, prefect_home: Path, timeout_s: float = 3600) -> ProcessRun:
    command = [str(minutes_executable()), "--data-dir", str(data_dir), *args]
    return run_measured(command, env=cli_env(prefect_home), timeout_s=timeout_s)


def _as_figure(run: ProcessRun, **extra: object) -> Figure:
    return Figure(
        run.wall_s if run.ok else None,
        note="" if run.ok else f"`{' '.join(run.command[1:])}` failed: {run.failure()}",
        extra={
            "peak_tree_rss_mb": run.peak_tree_rss_mb,
            "peak_process_rss_mb": run.peak_process_rss_mb,
            "cpu_s": run.cpu_s,
            "cores_used": run.cores_used,
            **extra,
        },
    )


def first_use(pdf: Path, workdir: Path, prefect_home: Path) -> Figure:
    """An untimed-in-the-targets first `minutes ingest` of one PDF: it creates and migrates the
    Prefect database in `prefect_home`, a cost paid once per machine, not once per run. The timed
    runs share that home, as a user's runs do."""
    folder = workdir / "first-use"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / pdf.name).write_bytes(pdf.read_bytes())
    return _as_figure(minutes(workdir / "first-use-data", "ingest", str(folder), prefect_home=prefect_home))


def ingest(folder: Path, data_dir: Path, prefect_home: Path) -> Figure:
    """`minutes ingest <folder>` end to end on a fresh data dir."""
    run = minutes(data_dir, "ingest", str(folder), prefect_home=prefect_home)
    reused = _summary_count(run.stdout, "reused from cache")
    figure = _as_figure(run, reused_from_cache=reused)
    if figure.available and reused:  # a warm cache would flatter the figure: it must measure parsing
        figure.note = f"{reused} documents came from a parse cache: not a cold ingest"
    return figure


def _summary_count(stdout: str, label: str) -> int | None:
    """A count from the command's summary (`reused from cache: 0`), None when it prints none."""
    found = re.search(rf"^\s*{re.escape(label)}\s*:?\s*(\d+)\s*$", stdout, re.MULTILINE)
    return int(found.group(1)) if found else None


def parse_one(pdf: Path, workdir: Path, prefect_home: Path, repeats: int = 3) -> Figure:
    """`minutes parse <pdf> --format json`, the median of a few runs (the first one warms the OS cache)."""
    runs = [
        minutes(workdir / "parse-data", "parse", str(pdf), "--format", "json",
                prefect_home=prefect_home, timeout_s=300)
        for _ in range(repeats)
    ]
    failed = [run for run in runs if not run.ok]
    if failed:
        return _as_figure(failed[0])
    if '"status"' not in runs[0].stdout:
        return Figure(note="`minutes parse` printed no JSON record")
    figure = _as_figure(runs[0], runs_s=[run.wall_s for run in runs])
    figure.seconds = statistics.median(run.wall_s for run in runs)
    return figure


def _flow_seconds(stdout: str) -> float | None:
    """The flow's own duration from the summary's last line (`source: demo · 0.8 s · warehouse: …`)."""
    found = re.search(r"^source: .* · (\d+(?:\.\d+)?) s · warehouse:", stdout, re.MULTILINE)
    return float(found.group(1)) if found else None


def _fixed_s(run: ProcessRun) -> float | None:
    """What a run pays besides its flow: start-up, imports, the Prefect server, shutting down."""
    flow_s = _flow_seconds(run.stdout)
    return run.wall_s - flow_s if run.ok and flow_s is not None else None


def nightly_noop(source: str, workdir: Path, prefect_home: Path) -> Figure:
    """`minutes run --source S` on one data dir: a first run, then no-op runs (nothing new).

    Timed: the no-op with the background Prefect server running (warm, every night but the first)
    and, after `minutes server stop`, the no-op that starts it again (first run after a reboot).
    Each with its fixed cost: wall time minus the flow's own time from the summary."""
    data_dir = workdir / "nightly-data"
    first = minutes(data_dir, "run", "--source", source, prefect_home=prefect_home)
    if not first.ok:
        return _as_figure(first)
    warm = minutes(data_dir, "run", "--source", source, prefect_home=prefect_home)
    stop_server(prefect_home)
    cold = minutes(data_dir, "run", "--source", source, prefect_home=prefect_home)
    return _as_figure(warm, source=source, first_run_s=first.wall_s, flow_s=_flow_seconds(warm.stdout),
                      fixed_s=_fixed_s(warm), server_start_s=cold.wall_s if cold.ok else None,
                      server_start_fixed_s=_fixed_s(cold))
