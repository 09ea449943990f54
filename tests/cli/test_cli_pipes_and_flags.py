"""Small CLI contracts: a reader that stops early is no error, --version, parse refuses --data-dir."""

from __future__ import annotations

import os
import subprocess
from importlib.metadata import version
from pathlib import Path

import pytest

from extract.datadir import DataDir
from load.publish import publish
from tests.helpers import MINUTES, SEEDS_DIR
from transform.record import PARSER_VERSION

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real, empty warehouse: the pipe tests need rows from SQL, not documents."""
    root = tmp_path_factory.mktemp("pipes") / "data"
    publish(DataDir(root))
    return root


def _env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "MINUTES_DATA_DIR": str(data_dir)}


def test_head_closing_the_pipe_exits_0_quietly_under_pipefail(data_dir: Path) -> None:
    done = subprocess.run(
        ["bash", "-c", f'set -o pipefail; "{MINUTES}" sql "SELECT range AS n FROM range(200000)" | head -2'],
        env=_env(data_dir), capture_output=True, text=True, timeout=120, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "n\n0\n", "")


def test_a_reader_gone_before_the_first_line_is_no_error(data_dir: Path) -> None:
    process = subprocess.Popen([str(MINUTES), "sql", "--report", "reviewed_by_year"], env=_env(data_dir),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head -0`: nobody reads
    try:
        status = process.wait(timeout=120)
        stderr = process.stderr.read()
    finally:
        process.kill()
        process.stderr.close()
    assert (status, stderr) == (0, b"")


def test_version_names_the_parser_version() -> None:
    done = subprocess.run([str(MINUTES), "--version"], capture_output=True, text=True, timeout=60,
                          check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"minutes {version('minutes-etl')} (parser {PARSER_VERSION})\n"


def test_parse_refuses_a_data_dir_it_would_ignore(tmp_path: Path) -> None:
    seed = next(p for p in sorted(SEEDS_DIR.glob("*.txt")) if not p.name.endswith(".normalized.txt"))
    refused = subprocess.run([str(MINUTES), "parse", str(seed), "--data-dir", str(tmp_path)],
                             capture_output=True, text=True, timeout=60, check=False)
    assert refused.returncode == 2 and refused.stdout == ""
    assert "Invalid value for --data-dir: parse reads the file given and touches no data directory" in (
        refused.stderr)
    # The environment's data directory (shared by every command) does not get in the way.
    parsed = subprocess.run([str(MINUTES), "parse", str(seed), "--format", "text"], capture_output=True,
                            text=True, timeout=60, check=False, env={**os.environ, "MINUTES_DATA_DIR": "x"})
    assert parsed.returncode == 0, parsed.stderr
    assert not Path("x").exists()
