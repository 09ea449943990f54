"""Whole commands (`minutes ingest`, `minutes run --source URL`) against hostile files and a hostile
site, on a real Prefect server: each bad input ends as its documented outcome, the run goes on, and
the good documents land in the warehouse exactly as in a clean run."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from extract.datadir import DataDir
from load.query import run_query
from tests.adversarial.hostile_pdfs import self_referencing
from tests.adversarial.hostile_site import HostileSite, fast_sources_toml, serve
from tests.cli.output import count
from tests.helpers import MINUTES, SEEDS_DIR
from tests.prefect_harness import PrefectServer

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]
LIMIT = 4.0
SLACK = 5.0
SEEDS = sorted(p for p in SEEDS_DIR.glob("*.txt") if not p.name.endswith(".normalized.txt"))
MEETING_COLUMNS = "m.title, m.minutes_no, m.session_no, m.meeting_date, m.chair_name, m.chair_title"


def _env(prefect_server: PrefectServer, tmp_path: Path, name: str, **caps: float) -> dict[str, str]:
    sources = tmp_path / f"{name}-sources.toml"
    sources.write_text(fast_sources_toml(**caps), encoding="utf-8")  # type: ignore[arg-type]
    return prefect_server.client_env(MINUTES_DATA_DIR=str(tmp_path / name), MINUTES_SOURCES_FILE=str(sources),
                                     MINUTES_EXTRACT_TIME_LIMIT=str(LIMIT))


def _minutes(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(MINUTES), *args], env=env, capture_output=True, text=True, timeout=300,
                          check=False)


def _extract_seconds(stdout: str) -> float:
    found = re.search(r"^stages: .*extract (\d+\.\d) s", stdout, re.MULTILINE)
    assert found, stdout
    return float(found.group(1))


def _meetings(env: dict[str, str], where: str = "") -> list[tuple]:
    data_dir = DataDir(Path(env["MINUTES_DATA_DIR"]))
    return run_query(data_dir, f"SELECT {MEETING_COLUMNS} FROM meetings m JOIN documents d USING (doc_id) "
                               f"{where} ORDER BY meeting_date, session_no")[1]


def test_ingest_quarantines_a_self_referencing_pdf_and_an_oversized_file_and_skips_escaping_links(
        prefect_server: PrefectServer, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS:
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "selfref.pdf").write_bytes(self_referencing())
    (folder / "huge.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 5_100_000)  # over the test config's 5 MB cap
    secret = tmp_path / "secret.txt"
    secret.write_text("the password file\n", encoding="utf-8")
    (folder / "notes.txt").symlink_to(secret)
    env = _env(prefect_server, tmp_path, "hostile")
    done = _minutes(env, "ingest", str(folder))
    assert done.returncode == 0, done.stdout + done.stderr  # quarantines are reported, not failures
    assert count(done.stdout, "parsed") == 2 and count(done.stdout, "quarantined") == 2
    assert re.search(r"^quarantined \w+ .*: timeout: extraction exceeded", done.stdout, re.MULTILINE)
    assert re.search(r"^quarantined \w+ .*: too_large: 5100009 bytes, over the 5000000 byte limit",
                     done.stdout, re.MULTILINE)
    link = folder / "notes.txt"
    assert f"skipped {link}: a symlink leaving the folder ({secret}): not followed" in done.stdout
    assert _extract_seconds(done.stdout) < LIMIT + SLACK
    raw = sorted(path.stat().st_size for path in (tmp_path / "hostile" / "raw").rglob("*.*"))
    assert len(raw) == 3 and max(raw) < 5_000_000  # the seeds and the self-referencing PDF; no secret
    assert not any(b"password" in path.read_bytes() for path in (tmp_path / "hostile" / "raw").rglob("*.*"))
    clean = _env(prefect_server, tmp_path, "clean")
    assert _minutes(clean, "ingest", *map(str, SEEDS)).returncode == 0
    assert _meetings(env) == _meetings(clean) and len(_meetings(env)) == 2


def test_a_crawl_of_a_hostile_site_goes_on_and_loads_what_a_clean_crawl_loads(
        prefect_server: PrefectServer, tmp_path: Path) -> None:
    hostile = HostileSite(slugs=["good-1", "selfref", "busy", "many", "good-2"], many=8)
    clean = HostileSite(slugs=["good-1", "good-2"])
    env = _env(prefect_server, tmp_path, "hostile", max_attachments=3)
    clean_env = _env(prefect_server, tmp_path, "clean", max_attachments=3)
    with serve(hostile) as url, serve(clean) as clean_url:
        started = time.monotonic()
        done = _minutes(env, "run", "--source", url)
        assert time.monotonic() - started < 240
        assert _minutes(clean_env, "run", "--source", clean_url).returncode == 0
    assert done.returncode == 1, done.stdout + done.stderr  # the attachment cap is loud
    assert "WARNING source: attachment_cap:" in done.stdout
    assert re.search(r"^quarantined \w+ .*: timeout: extraction exceeded", done.stdout, re.MULTILINE)
    assert _extract_seconds(done.stdout) < LIMIT + SLACK + 3  # + the worker start and 5 good PDFs
    assert count(done.stdout, "fetch failures") == 1  # the busy page: retried next run, not a document
    assert done.stderr.strip().startswith("minutes: error: nightly completed with warnings (attachment_cap:")
    data_dir = DataDir(Path(env["MINUTES_DATA_DIR"]))
    _, runs = run_query(data_dir, "SELECT status, notes FROM runs")
    assert runs[0][0] == "completed_with_warnings" and "attachment_cap" in runs[0][1]
    assert _meetings(env, "WHERE d.url LIKE '%/good-%'") == _meetings(clean_env)
    _, busy = run_query(data_dir, "SELECT count(*) FROM documents WHERE url LIKE '%busy%'")
    assert busy == [(0,)]


def test_an_endless_listing_and_markup_in_a_reason_phrase_end_loud_not_crashed(
        prefect_server: PrefectServer, tmp_path: Path) -> None:
    site = HostileSite(slugs=["markup"], infinite=True)
    env = _env(prefect_server, tmp_path, "endless", max_listing_pages=3)
    with serve(site) as url:
        done = _minutes(env, "run", "--source", url)
    assert done.returncode == 1, done.stdout + done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert "WARNING source: listing_page_cap: stopped after 3 listing pages" in done.stdout
    assert "http_403: [/bold] Forbidden [link=file:///etc/passwd]x" in done.stdout  # printed as text
    _, runs = run_query(DataDir(Path(env["MINUTES_DATA_DIR"])), "SELECT status, notes FROM runs")
    assert runs[0][0] == "completed_with_warnings" and "listing_page_cap" in runs[0][1]
    assert sum(1 for path in site.hits if "index" in path) == 3


def test_the_extraction_limit_reaches_a_crawl_from_the_environment() -> None:
    # The runs above rely on MINUTES_EXTRACT_TIME_LIMIT reaching the worker of the CLI's process.
    from extract.isolation import TIME_LIMIT_ENV, Limits

    os.environ[TIME_LIMIT_ENV] = "7"
    try:
        assert Limits.from_env().seconds == 7.0
    finally:
        del os.environ[TIME_LIMIT_ENV]
