"""`minutes sources` and `minutes sources check`: the configured sources, and a check of one that
reads a few pages (the bundled demo site, served by the command itself) and stores nothing. The
platform families' checks run against their frozen sites in tests/sources/test_sources_cli.py."""

from __future__ import annotations

import os
import re
import socket
import subprocess
from pathlib import Path

import pytest

from extract.sources import configured_sources
from tests.helpers import MINUTES

pytestmark = pytest.mark.integration


def minutes(*args: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "MINUTES_SOURCE"}
    return subprocess.run([str(MINUTES), *args], env=environment, capture_output=True, text=True,
                          timeout=300, check=False)


def test_sources_lists_every_configured_source() -> None:
    done = minutes("sources")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split("\t") == ["source", "platform", "listing", "robots.txt"]
    listed = {line.split("\t")[0]: line.split("\t") for line in lines[1:]}
    configured = configured_sources()
    assert set(listed) == set(configured) >= {"demo", "suzhou"}
    assert listed["suzhou"][2] == configured["suzhou"]["listing"]
    assert listed["suzhou"][3] == "honoured"


def test_check_the_demo_source(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    done = minutes("sources", "check", "demo", "--entries", "2", "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "platform: trs_static (recognised" in done.stdout
    entry_line = r"^  (\d{4}-\d\d-\d\d)  (\S+常务会议纪要)  http://127\.0\.0\.1:\d+/"
    entries = re.findall(entry_line, done.stdout, re.M)
    assert len(entries) == 2 and entries[0][0] >= entries[1][0]  # newest first, each with its date
    assert re.search(r"^  attachment: PDF  .+\.pdf  http://127\.0\.0\.1:\d+/.+\.pdf$", done.stdout, re.M)
    assert not data_dir.exists()


def test_check_an_unknown_name_is_a_usage_error() -> None:
    done = minutes("sources", "check", "nope")
    assert done.returncode == 2
    assert "unknown source 'nope'" in done.stderr and "Traceback" not in done.stderr


def test_check_an_unreachable_listing_is_one_line_and_exit_1() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = minutes("sources", "check", f"http://127.0.0.1:{port}/col/col1/index.html")
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.startswith("minutes: error: ") and len(done.stderr.strip().splitlines()) == 1
