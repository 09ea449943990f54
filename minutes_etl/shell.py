"""`minutes sql` without a query, on a terminal: a read-only SQL prompt.

The DuckDB command line (PyPI `duckdb-cli` 1.5.6) cannot open this warehouse — it is written by
duckdb 2.0.0 in a newer storage format — so the prompt is ours. Each statement runs through the same
read-only query helper as `minutes sql "QUERY"`; nothing else is opened. Line editing and history
(up/down arrows) come from readline, kept for the session only: `minutes sql` writes no files.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console

from minutes_etl.output import TableFormat, print_rows

PROMPT = "minutes> "
CONTINUE = "    ...> "
HELP = """Type SQL ending with ; (it may span lines). The warehouse is read-only here.
  .tables            the tables and views
  .describe [TABLE]  the data dictionary (of one table)
  .help              this text
  .quit              leave (or Ctrl-D)"""

Result = tuple[Sequence[str], Sequence[Sequence[Any]]]


def run_shell(console: Console, query: Callable[[str], Result], describe: Callable[[str | None], Result],
              ) -> None:
    with contextlib.suppress(ImportError):  # not on every platform; the prompt works without it
        import readline  # noqa: F401  (input() gains line editing and in-memory history)
    console.print("minutes SQL prompt: read-only. End statements with ; · .help · .quit or Ctrl-D",
                  markup=False)
    pending: list[str] = []
    while True:
        try:
            line = input(CONTINUE if pending else PROMPT)
        except EOFError:
            console.print()
            return
        except KeyboardInterrupt:  # Ctrl-C drops the statement being typed, like psql
            console.print()
            pending = []
            continue
        if not pending and line.strip().startswith("."):
            if _dot_command(console, line.strip(), query, describe):
                return
            continue
        pending.append(line)
        text = "\n".join(pending).strip()
        if not text or not text.endswith(";"):
            if not text:
                pending = []
            continue
        pending = []
        _run(console, lambda text=text: query(text))


def _dot_command(console: Console, line: str, query: Callable[[str], Result],
                 describe: Callable[[str | None], Result]) -> bool:
    """Run a dot command; True to leave."""
    name, _, argument = line.partition(" ")
    if name in (".quit", ".exit", ".q"):
        return True
    if name == ".help":
        console.print(HELP, markup=False)
    elif name == ".tables":
        _run(console, lambda: query("SELECT table_name, table_type FROM information_schema.tables "
                                    "WHERE table_catalog = current_database() ORDER BY table_name;"))
    elif name == ".describe":
        _run(console, lambda: describe(argument.strip() or None))
    else:
        console.print(f"unknown command {name}; .help lists them", markup=False)
    return False


def _run(console: Console, call: Callable[[], Result]) -> None:
    try:
        columns, rows = call()
    except Exception as error:  # a bad query is one line; the prompt goes on
        console.print(f"error: {' '.join(str(error).split())}", markup=False, style="red")
        return
    print_rows(console, columns, rows, TableFormat.table)
    sys.stdout.flush()
