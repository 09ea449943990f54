"""`minutes ingest` as a user runs it on a machine without a Prefect server: Prefect's ephemeral
server, extraction on two capped workers at once, and still nothing on stderr but errors."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.documents import seed_minutes_pdf
from tests.cli.output import count
from tests.helpers import MINUTES, SEEDS_DIR
from tests.prefect_harness import PrefectServer

pytestmark = pytest.mark.integration

SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"
SEED_TEXT = sorted(p for p in SEEDS_DIR.glob("*.txt") if not p.name.endswith(".normalized.txt"))[1]


def test_ingest_a_folder_on_two_extraction_workers_on_the_ephemeral_server(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    env.update({
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "MINUTES_DATA_DIR": str(tmp_path / "data"),
        "MINUTES_PREFECT_SERVER": "ephemeral",  # Prefect's temporary server, not the background one
        "MINUTES_EXTRACT_WORKERS": "2",  # two documents at once, whatever this machine's cores
    })
    done = subprocess.run([str(MINUTES), "ingest", str(SEEDS)], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    # No start-up/shutdown lines from the ephemeral server, nothing from the extraction workers.
    assert done.stderr == ""
    # The four .txt files of the folder: two seeds as extracted, two already normalized; the two
    # answer keys (.json) are listed as skipped, not dropped silently.
    assert count(done.stdout, "extracted") == 4 and count(done.stdout, "parsed") == 4
    assert count(done.stdout, "skipped") == 2 and count(done.stdout, "discovered") == 6

    again = subprocess.run([str(MINUTES), "ingest", str(SEEDS)], env=env, capture_output=True, text=True,
                           timeout=300, check=False)
    assert again.returncode == 0, again.stderr
    assert count(again.stdout, "extracted") == 0 and count(again.stdout, "reused from cache") == 4

    rows = subprocess.run([str(MINUTES), "sql", "SELECT count(*) AS n FROM documents", "--format", "csv"],
                          env=env, capture_output=True, text=True, timeout=60, check=False)
    assert rows.stdout.splitlines() == ["n", "4"]


@pytest.fixture(scope="module")
def mixed_inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder as users have them, and two files named on the command line."""
    root = tmp_path_factory.mktemp("mixed")
    folder = root / "mix"
    folder.mkdir()
    shutil.copy(SEED_TEXT, folder / SEED_TEXT.name)
    (folder / "scan-0001").write_bytes(seed_minutes_pdf(0))  # a PDF without a suffix: taken
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 folder docx")  # not a document type: skipped
    (folder / "README.md").write_text("what is in this folder\n", encoding="utf-8")  # skipped
    (root / "report.docx").write_bytes(b"PK\x03\x04 named docx")  # named: stored and quarantined
    (root / "minutes-2020").write_bytes(seed_minutes_pdf(1))  # named, a PDF without a suffix
    return root


def minutes(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(MINUTES), *args], env=env, capture_output=True, text=True, timeout=300,
                          check=False)


def test_ingest_loses_nothing_silently_and_reprocess_reaches_local_documents(
        prefect_server: PrefectServer, mixed_inbox: Path) -> None:
    data_dir = mixed_inbox / "data"
    env = prefect_server.client_env(MINUTES_DATA_DIR=str(data_dir))
    env.pop("MINUTES_SOURCE", None)
    done = minutes(env, "ingest", str(mixed_inbox / "mix"), str(mixed_inbox / "report.docx"),
                   str(mixed_inbox / "minutes-2020"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert count(done.stdout, "discovered") == 6
    assert count(done.stdout, "fetched") == 4
    assert count(done.stdout, "skipped") == 2
    assert count(done.stdout, "parsed") == 3  # the seed text and both PDFs, known by their bytes
    assert count(done.stdout, "quarantined") == 1
    skipped = sorted(re.findall(r"^skipped (.+): (.+)$", done.stdout, re.MULTILINE))
    assert skipped == [(str(mixed_inbox / "mix" / "README.md"), "not a document type (.md)"),
                       (str(mixed_inbox / "mix" / "notes.docx"), "not a document type (.docx)")]
    docx = (mixed_inbox / "report.docx").read_bytes()
    sha = hashlib.sha256(docx).hexdigest()
    assert re.search(rf"^quarantined {sha[:12]} .*unsupported_type: ", done.stdout, re.MULTILINE)
    assert (data_dir / "raw" / sha[:2] / f"{sha}.docx").read_bytes() == docx  # the bytes are kept

    reused = minutes(env, "backfill", "--reprocess", "--source", "local")
    assert reused.returncode == 0, reused.stdout + reused.stderr
    assert count(reused.stdout, "discovered") == 4 and count(reused.stdout, "reused from cache") == 4
    assert count(reused.stdout, "fetched") == 0

    shutil.rmtree(data_dir / "cache")  # nothing to reuse: every local document is read again
    again = minutes(env, "backfill", "--reprocess", "--source", "all")
    assert again.returncode == 0, again.stdout + again.stderr
    assert count(again.stdout, "extracted") == 4
    assert (count(again.stdout, "parsed"), count(again.stdout, "quarantined")) == (3, 1)

    # Without --source, backfill keeps to one source ($MINUTES_SOURCE, then demo): none stored here.
    demo_only = minutes(env, "backfill", "--reprocess")
    assert demo_only.returncode == 0, demo_only.stdout + demo_only.stderr
    assert count(demo_only.stdout, "discovered") == 0

    rows = minutes(env, "sql", "SELECT source, status, count(*) AS n FROM documents GROUP BY ALL "
                   "ORDER BY status", "--format", "csv")
    assert rows.stdout.splitlines() == ["source,status,n", "local,parsed,3", "local,quarantined,1"]


@pytest.mark.parametrize(("variable", "value"), [
    ("MINUTES_EXTRACT_WORKERS", "²"), ("MINUTES_EXTRACT_WORKERS", "99999"),
    ("MINUTES_EXTRACT_TIME_LIMIT", "0"), ("MINUTES_EXTRACT_TIME_LIMIT", "1e-300"),
    ("MINUTES_EXTRACT_MEMORY_MB", "lots"), ("MINUTES_EXTRACT_MEMORY_MB", "1"),
    ("MINUTES_EXTRACT_MEMORY_MB", "99999999999999999999"),
])
def test_a_bad_extraction_setting_is_one_line_before_anything_starts(
        tmp_path: Path, variable: str, value: str) -> None:
    env = {key: v for key, v in os.environ.items() if key != "PREFECT_API_URL"}
    env.update({"MINUTES_STATE_DIR": str(tmp_path / "state"), "MINUTES_DATA_DIR": str(tmp_path / "data"),
                variable: value})
    for command in (["ingest", str(SEEDS)], ["parse", str(SEED_TEXT)]):
        done = minutes(env, *command)
        assert done.returncode == 1, done.stdout
        assert done.stderr.count("\n") == 1, done.stderr
        assert done.stderr.startswith(f"minutes: error: {variable} must be ")
        assert done.stderr.rstrip().endswith(f"not {value!r}")
    assert not (tmp_path / "state").exists() and not (tmp_path / "data").exists()  # nothing started
