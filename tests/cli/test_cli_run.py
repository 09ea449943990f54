"""`minutes run` on the demo source: progress and a summary on a terminal, plain text when piped,
and a second nightly run in a row extracts nothing and says so."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from demo.server import serve_site
from extract.datadir import DataDir
from load.query import run_query
from tests.cli.output import count
from tests.helpers import MINUTES
from tests.prefect_harness import PrefectServer

pytestmark = pytest.mark.integration

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def run_env(prefect_server: PrefectServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data_dir = tmp_path_factory.mktemp("run") / "data"
    env = prefect_server.client_env(MINUTES_DATA_DIR=str(data_dir), COLUMNS="120", TERM="xterm-256color")
    env.pop("MINUTES_SOURCE", None)
    return env


@pytest.fixture(scope="module")
def first_run_on_a_terminal(run_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The first (cold) nightly run, in a pseudo-terminal made by `script`."""
    return subprocess.run(["script", "-qefc", shlex.join([str(MINUTES), "run"]), "/dev/null"],
                          env=run_env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def second_run_piped(run_env: dict[str, str], first_run_on_a_terminal: subprocess.CompletedProcess[str],
                     ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(MINUTES), "run"], env=run_env, capture_output=True, text=True,
                          timeout=300, check=False)


def test_run_on_a_terminal_shows_progress_and_a_summary_table(
        first_run_on_a_terminal: subprocess.CompletedProcess[str]) -> None:
    done = first_run_on_a_terminal
    assert done.returncode == 0, done.stdout
    screen = ANSI.sub("", done.stdout)
    assert "\x1b[" in done.stdout  # a terminal gets colour and cursor control
    assert re.search(r"extracting\s+━+\s+\d+/\d+", screen)  # a progress bar with counts
    assert re.search(r"fetching\s+━+\s+(\d+)/\1", screen)  # ... that reached its total
    summary = screen[screen.index("minutes nightly"):]
    for row in ("discovered", "fetched", "extracted", "parsed", "quarantined"):
        assert re.search(rf"│ {row}\s+│\s+\d+ │", summary), row
    assert "warehouse:" in summary and "Traceback" not in screen


def test_run_piped_is_plain_and_the_second_nightly_extracts_nothing(
        run_env: dict[str, str], second_run_piped: subprocess.CompletedProcess[str]) -> None:
    done = second_run_piped
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout + done.stderr and "━" not in done.stdout + done.stderr
    assert done.stderr == ""  # no progress, no Prefect start-up or shutdown noise
    assert count(done.stdout, "fetched") == 0
    assert count(done.stdout, "extracted") == 0
    assert "nothing new: 0 documents extracted" in done.stdout

    # Both runs are in the warehouse's `runs` table; the first one loaded the documents.
    _, runs = run_query(DataDir(Path(run_env["MINUTES_DATA_DIR"])),
                        "SELECT docs_fetched, docs_parsed FROM runs WHERE flow = 'nightly' "
                        "ORDER BY started_at")
    assert len(runs) == 2
    assert runs[0][0] > 0 and runs[0][1] > 0
    assert runs[1] == (0, 0)


def test_status_lists_documents_meetings_runs_and_quarantines(
        run_env: dict[str, str], second_run_piped: subprocess.CompletedProcess[str]) -> None:
    done = subprocess.run([str(MINUTES), "status"], env=run_env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    sections = re.findall(r"^# (.+)$", done.stdout, re.MULTILINE)
    assert sections == ["Documents", "Meetings", "Last runs", "Quarantined documents", "Fetch failures"]
    assert re.search(r"^demo\tparsed\t\d+", done.stdout, re.MULTILINE)
    assert not re.search(r"^demo\tquarantined", done.stdout, re.MULTILINE)
    assert "no_text_layer" not in done.stdout  # the demo's scanned PDF is read by OCR, not quarantined
    _, scanned = run_query(DataDir(Path(run_env["MINUTES_DATA_DIR"])),
                           "SELECT count(DISTINCT doc_id), min(ocr_confidence) FROM paragraphs WHERE ocr")
    assert scanned[0][0] == 1 and scanned[0][1] >= 0.85


def test_backfill_reprocess_reuses_the_cache_without_fetching(
        run_env: dict[str, str], second_run_piped: subprocess.CompletedProcess[str]) -> None:
    """Same bytes, same parser version: the records come from the cache, nothing is parsed again."""
    done = subprocess.run([str(MINUTES), "backfill", "--reprocess"], env=run_env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert count(done.stdout, "fetched") == 0
    assert count(done.stdout, "extracted") == 0
    assert count(done.stdout, "reused from cache") == count(done.stdout, "discovered") > 0


def test_an_empty_source_is_loud(run_env: dict[str, str], tmp_path: Path) -> None:
    """A listing with no entries (a redesigned site, a blocked crawler) must not pass as "nothing new"."""
    listing = tmp_path / "site" / "zfhy" / "index.shtml"
    listing.parent.mkdir(parents=True)
    listing.write_text("<html><body><h2>政府会议</h2><p>暂无信息</p></body></html>", encoding="utf-8")
    env = {**run_env, "MINUTES_DATA_DIR": str(tmp_path / "data")}
    with serve_site(listing.parents[1]) as base_url:
        done = subprocess.run([str(MINUTES), "run", "--source", f"{base_url}/zfhy/index.shtml"], env=env,
                              capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1
    assert "WARNING source: source_empty" in done.stdout  # the summary is printed, and says why
    assert count(done.stdout, "discovered") == 0
    error = done.stderr.strip().splitlines()
    assert len(error) == 1 and "source_empty" in error[0]


def test_a_source_whose_every_document_fails_is_loud(run_env: dict[str, str], tmp_path: Path) -> None:
    """The listing has entries, but every one of them fails: not "nothing new" either. Both findings
    crawl.crawl() makes are made by the flow too (it fetches in batches, not through crawl())."""
    listing = tmp_path / "site" / "zfhy" / "index.shtml"
    listing.parent.mkdir(parents=True)
    links = "".join(f'<li><a href="2024{month:02d}/{month:032x}.shtml">市政府第{month}次常务会议纪要</a>'
                    f"<span>2024-{month:02d}-10</span></li>" for month in (1, 2))
    listing.write_text(f"<html><body><ul>{links}</ul></body></html>", encoding="utf-8")
    env = {**run_env, "MINUTES_DATA_DIR": str(tmp_path / "data")}
    with serve_site(listing.parents[1]) as base_url:  # the detail pages are missing: 404
        done = subprocess.run([str(MINUTES), "run", "--source", f"{base_url}/zfhy/index.shtml"], env=env,
                              capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert count(done.stdout, "discovered") == 2
    assert count(done.stdout, "fetch failures") == 2
    warnings = re.findall(r"^WARNING source: (\w+):", done.stdout, re.MULTILINE)
    assert warnings == ["all_fetches_failed", "source_empty"]
    error = done.stderr.strip().splitlines()
    assert len(error) == 1 and "all_fetches_failed" in error[0] and "source_empty" in error[0]
