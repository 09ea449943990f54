"""Ctrl-C or SIGTERM during `minutes ingest` stops the command promptly even while its extraction
workers are stuck in documents that would take them to their time limit, and leaves no worker behind."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tests.adversarial.hostile_pdfs import self_referencing
from tests.helpers import MINUTES
from tests.prefect_harness import PrefectServer

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]
TIME_LIMIT = 120  # what leaving would wait for, were the stuck workers not stopped
STOPPED_WITHIN_S = 30
MARKER = "MINUTES_TEST_INTERRUPT"


def _workers(marker: str) -> list[int]:
    """Extraction workers started by the command under test (they inherit its environment)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if (f"{MARKER}={marker}".encode() in (proc / "environ").read_bytes().split(b"\0")
                    and b"extract.isolation" in (proc / "cmdline").read_bytes()):
                found.append(int(proc.name))
        except (OSError, ValueError):
            continue
    return found


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_ingest_stops_its_stuck_workers_at_once(
        prefect_server: PrefectServer, tmp_path: Path, stop: signal.Signals) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number in range(3):  # distinct bytes, each stuck in pdfminer until killed
        (inbox / f"stuck-{number}.pdf").write_bytes(self_referencing() + f"\n% copy {number}\n".encode())
    marker = uuid.uuid4().hex
    env = prefect_server.client_env(MINUTES_DATA_DIR=str(tmp_path / "data"), MINUTES_EXTRACT_WORKERS="2",
                                    MINUTES_EXTRACT_TIME_LIMIT=str(TIME_LIMIT), **{MARKER: marker})
    command = subprocess.Popen([str(MINUTES), "ingest", str(inbox)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while len(_workers(marker)) < 2 and time.monotonic() < deadline and command.poll() is None:
            time.sleep(0.2)
        assert len(_workers(marker)) == 2, "the two extraction workers never started"
        time.sleep(1.0)  # both are inside their stuck documents now
        sent = time.monotonic()
        command.send_signal(stop)
        out, err = command.communicate(timeout=STOPPED_WITHIN_S)
        stopped_after = time.monotonic() - sent
    finally:
        if command.poll() is None:
            command.kill()
            command.communicate(timeout=10)
    assert stopped_after < STOPPED_WITHIN_S < TIME_LIMIT
    assert command.returncode == 128 + stop, out + "\n---\n" + err
    assert "Traceback" not in err, err
    deadline = time.monotonic() + 10
    while _workers(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _workers(marker) == [], "extraction workers outlived the command"
    assert os.environ.get(MARKER) is None  # the marker names this command's processes only
