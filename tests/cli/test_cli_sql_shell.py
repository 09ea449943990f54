"""`minutes sql` with no query on a terminal: a read-only SQL prompt, driven through a real pty."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time
from pathlib import Path

import pytest

from extract.datadir import DataDir
from load.publish import publish
from tests.helpers import MINUTES

pytestmark = pytest.mark.integration
DEADLINE = 60.0
UP = "\x1b[A"


class Terminal:
    def __init__(self, data_dir: Path) -> None:
        self.master, slave = pty.openpty()
        env = {**os.environ, "MINUTES_DATA_DIR": str(data_dir), "TERM": "xterm", "COLUMNS": "120"}
        self.process = subprocess.Popen([str(MINUTES), "sql"], stdin=slave, stdout=slave, stderr=slave,
                                        env=env, close_fds=True)
        os.close(slave)
        self.seen = ""

    def until(self, text: str) -> str:
        """Everything printed up to and including `text` (which is consumed)."""
        deadline = time.monotonic() + DEADLINE
        while text not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"waited {DEADLINE} s for {text!r}; the screen: {self.seen!r}"
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536).decode(errors="replace")
                except OSError:  # the program ended
                    break
        before, _, after = self.seen.partition(text)
        self.seen = after
        return before

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def close(self) -> int:
        try:
            return self.process.wait(timeout=DEADLINE)
        finally:
            self.process.kill()
            os.close(self.master)


@pytest.fixture
def terminal(tmp_path: Path) -> Terminal:
    root = tmp_path / "data"
    publish(DataDir(root))
    term = Terminal(root)
    yield term
    term.process.kill()


def test_the_prompt_runs_statements_keeps_history_and_stays_read_only(terminal: Terminal) -> None:
    terminal.until("minutes> ")
    terminal.type("SELECT 6 * 7\r")                       # a statement may span lines: ; ends it
    terminal.until("...> ")
    terminal.type("  AS answer;\r")
    assert "42" in terminal.until("minutes> ")
    terminal.type(UP + UP + "\r")                          # history: the first line typed, run again
    terminal.until("...> ")
    terminal.type(";\r")
    assert "42" in terminal.until("minutes> ")
    terminal.type("DROP TABLE meetings;\r")
    assert "error: the warehouse is read-only here" in terminal.until("minutes> ")
    terminal.type(".tables\r")
    assert "meetings" in terminal.until("minutes> ")
    terminal.type(".quit\r")
    assert terminal.close() == 0


def test_ctrl_d_leaves(terminal: Terminal) -> None:
    terminal.until("minutes> ")
    terminal.type("\x04")
    assert terminal.close() == 0
