"""`make bench` runs end to end on a tiny corpus and reports every figure (no timed assertions)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.measure import run_measured
from benchmarks.report import lookup

REPO_ROOT = Path(__file__).resolve().parents[2]

EVERY_FIGURE = (
    "bare.seconds", "bare.pages_per_s",
    "ingest.seconds", "ingest.pages_per_s", "ingest.peak_tree_rss_mb", "ingest.peak_process_rss_mb",
    "ingest_over_bare",
    "stages.fetch.seconds", "stages.extract.seconds", "stages.parse.seconds", "stages.load.seconds",
    "outside_pdfplumber_share", "memory_growth",
    "parse_one_seed.seconds", "nightly_noop.seconds", "first_use_ingest_one_doc.seconds",
    "nightly_noop.fixed_s", "nightly_noop.server_start_s", "nightly_noop.server_start_fixed_s",
    "ocr.seconds", "ocr.bare_engine_s_per_page", "ocr.pipeline_over_bare",
)


def test_peak_memory_counts_the_whole_process_tree() -> None:
    # A parent holding ~60 MB starts a child holding ~120 MB: the tree peaks above both.
    child = "import time; block = bytearray(120 * 2**20); time.sleep(1.0)"
    parent = ("import subprocess, sys; block = bytearray(60 * 2**20); "
              f"subprocess.run([sys.executable, '-c', {child!r}], check=True)")
    run = run_measured([sys.executable, "-c", parent])
    assert run.ok, run.stderr
    assert run.peak_process_rss_mb >= 120
    assert run.peak_tree_rss_mb is not None and run.peak_tree_rss_mb >= 180


def test_failed_command_is_reported_in_one_line() -> None:
    run = run_measured([sys.executable, "-c", "import sys; sys.exit('no such document')"])
    assert not run.ok
    assert run.failure() == "exit 1: no such document"


@pytest.mark.integration
@pytest.mark.timeout(900)
def test_bench_reports_every_figure_for_three_documents(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    command = [sys.executable, "-m", "benchmarks.bench", "--docs", "3", "--out", str(out),
               "--cache-dir", str(tmp_path / "cache"), "--keep"]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]

    results: dict[str, Any] = json.loads(out.read_text())
    assert results["notes"] == []
    absent = [path for path in EVERY_FIGURE if not isinstance(lookup(results, path), int | float)]
    assert absent == []
    # Derived from two ingest sizes: on 1 vs 3 documents noise may hide the difference (None).
    assert {"ingest_fixed_s", "ingest_marginal_pages_per_s"} <= results.keys()
    assert results["run"]["docs"] == 3
    assert results["run"]["pages"] >= 3
    assert [size["docs"] for size in results["memory_by_size"]] == [1, 3]
    assert results["stages"]["parse"]["statuses"] == {"parsed": 3}
    assert {target["status"] for target in results["targets"]} <= {"met", "missed"}
    assert "ingest / bare" in done.stdout  # the table, beside the JSON
    # The background Prefect server the benchmark's runs used was stopped at its end.
    workdir = Path(re.search(r"working data kept in (\S+)", done.stderr).group(1))
    try:
        assert (workdir / "prefect-home" / "minutes-state" / "prefect-home").is_dir()  # it was used
        assert processes_with_env(f"PREFECT_HOME={workdir}") == []
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def processes_with_env(prefix: str) -> list[int]:
    """Live processes with an environment variable starting with `prefix`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            environ = (entry / "environ").read_bytes().split(b"\0") if entry.name.isdigit() else []
            if any(item.startswith(prefix.encode()) for item in environ) and \
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                found.append(int(entry.name))
        except OSError:
            continue
    return found
