"""The `minutes` command line (CONTRACT §2).

Start-up cost matters: Prefect is imported lazily, only by the commands that run a flow, and its
environment (start-up timeout, quiet logging) is set before that import. `minutes parse` never
imports Prefect at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from minutes_etl.settings import DataDir

if TYPE_CHECKING:
    from flows.summary import RunSummary

app = typer.Typer(
    name="minutes",
    help="Chinese city-government executive meeting minutes → Parquet lake → DuckDB warehouse.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # errors are one line on stderr, never a traceback
    rich_markup_mode=None,
)
stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)

# Prefect settings this command needs unless the user chose otherwise (read at Prefect import).
PREFECT_DEFAULTS = {
    # The ephemeral API server takes 11-30 s to start on a small machine; Prefect waits 20 s by default.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
}


class CommandError(Exception):
    """The command could not do its job: one line on stderr, exit status 1."""


class TextFormat(StrEnum):
    json = "json"
    text = "text"


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class _State:
    verbose = False


@app.callback()
def global_options(
    data_dir: Annotated[Path | None, typer.Option(
        "--data-dir", envvar="MINUTES_DATA_DIR", file_okay=False,
        help="Data directory (raw store, lake, warehouse). Default ./data")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's own logs.")] = False,
) -> None:
    # The flows read the data directory from the environment, in this process or a worker's.
    os.environ["MINUTES_DATA_DIR"] = str(DataDir.from_env(data_dir).root)
    _State.verbose = verbose


# --- flows ----------------------------------------------------------------------------------------


@app.command()
def run(source: Annotated[str | None, typer.Option(
        "--source", help="Source name (demo, suzhou) or listing URL; default $MINUTES_SOURCE, "
                         "then demo.")] = None) -> None:
    """The nightly job: discover what the source published, fetch what is new, extract, parse, load."""
    _check_source(source)
    _run_flow("nightly", lambda flows: flows.nightly.nightly(source=source))


@app.command()
def backfill(
    source: Annotated[str | None, typer.Option("--source", help="Source name or listing URL.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="First publication date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Last publication date (YYYY-MM-DD).")] = None,
    reprocess: Annotated[bool, typer.Option(
        "--reprocess", help="Re-extract documents from the raw store without fetching.")] = False,
) -> None:
    """Everything published in the window; --reprocess re-extracts the raw store without refetching."""
    for name, value in (("--since", since), ("--until", until)):
        if value is not None:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise typer.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)",
                                         param_hint=name) from None
    _check_source(source)
    _run_flow("backfill", lambda flows: flows.backfill.backfill(
        source=source, since=since, until=until, reprocess=reprocess))


@app.command()
def ingest(paths: Annotated[list[Path], typer.Argument(
        exists=True, metavar="PATH...", help="Files or folders of .pdf, .html, .txt documents.")]) -> None:
    """Load local files or folders (PDF, HTML, TXT) through the same pipeline."""
    _run_flow("ingest", lambda flows: flows.ingest.ingest(paths=[str(p.resolve()) for p in paths]))


def _check_source(source: str | None) -> None:
    """A misspelt source is a usage error: say so now, not after Prefect has started."""
    from extract.sources import LISTING_URL, source_names

    if source is not None and source not in source_names() and not LISTING_URL.match(source):
        raise typer.BadParameter(f"unknown source {source!r}: use one of {', '.join(source_names())} "
                                 "or a listing URL ending in index.shtml", param_hint="--source")


def _run_flow(label: str, call: Callable[[Any], RunSummary]) -> None:
    flows = _import_flows()
    with _progress_view(label) as reporter, flows.progress.reporting_to(reporter):
        try:
            summary = call(flows)
        except Exception as error:
            raise CommandError(f"{label} failed: {_one_line(error)}") from error
    _print_summary(summary)
    if summary.is_loud:
        raise CommandError(f"{label}: the source looks wrong ({'; '.join(summary.warnings)})")


STAGE_LABELS = {"discover": "reading listings", "fetch": "fetching", "extract": "extracting",
                "load": "loading"}


@contextmanager
def _progress_view(label: str) -> Iterator[Any]:
    """Progress bars on a terminal (stderr, so stdout stays the summary); nothing when piped."""
    if not stderr.is_terminal:
        yield _SilentReporter()
        return
    columns = (SpinnerColumn(), TextColumn("{task.description:<18}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=False) as progress:
        yield _BarReporter(progress, progress.add_task(f"{label}: starting Prefect", total=None))


class _SilentReporter:
    def start(self, stage: str, total: int | None) -> None:
        pass

    def advance(self, stage: str, done: int = 1) -> None:
        pass


class _BarReporter:
    """One bar per stage; the start-up spinner gives way to the first stage."""

    def __init__(self, progress: Progress, starting: TaskID) -> None:
        self.progress = progress
        self.starting: TaskID | None = starting
        self.bars: dict[str, TaskID] = {}

    def start(self, stage: str, total: int | None) -> None:
        if self.starting is not None:
            self.progress.remove_task(self.starting)
            self.starting = None
        if stage in self.bars:
            self.progress.update(self.bars[stage], total=total, completed=0)
        else:
            self.bars[stage] = self.progress.add_task(STAGE_LABELS.get(stage, stage), total=total)

    def advance(self, stage: str, done: int = 1) -> None:
        if stage not in self.bars:
            self.start(stage, None)
        self.progress.advance(self.bars[stage], done)


def _import_flows() -> Any:
    """Import Prefect (through the flows) with this command's environment, and quiet its console logs."""
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    import logging
    from types import SimpleNamespace

    import flows.backfill
    import flows.ingest
    import flows.nightly
    import flows.progress

    if not _State.verbose:
        # Prefect's console handler sits on the root logger; its API handler (the UI's logs) stays.
        for handler in logging.getLogger().handlers:
            if type(handler).__name__ == "PrefectConsoleHandler":
                handler.setLevel(logging.CRITICAL + 1)
    return SimpleNamespace(nightly=flows.nightly, backfill=flows.backfill, ingest=flows.ingest,
                           progress=flows.progress)


def _print_summary(summary: RunSummary) -> None:
    counts = [("discovered", summary.discovered), ("fetched", summary.fetched),
              ("fetch failures", summary.fetch_failures), ("extracted", summary.extracted),
              ("reused from cache", summary.reused), ("parsed", summary.parsed),
              ("quarantined", summary.quarantined)]
    seconds = (summary.finished_at - summary.started_at).total_seconds() if summary.finished_at else 0.0
    if stdout.is_terminal:
        table = Table(title=f"minutes {summary.flow} — {summary.status}", show_header=True)
        table.add_column("documents")
        table.add_column("count", justify="right")
        for name, count in counts:
            table.add_row(name, str(count))
        stdout.print(table)
    else:
        stdout.print(f"{summary.flow} {summary.status}")
        for name, count in counts:
            stdout.print(f"{name}: {count}")
    stdout.print(summary.headline())
    for doc in summary.documents:
        if doc.status == "quarantined":
            name = doc.title or doc.url or ""
            stdout.print(f"quarantined {doc.doc_id[:12]} {name}: {doc.quarantine_reason}", markup=False)
    for code in summary.warnings:
        stdout.print(f"WARNING source: {code}")
    stages = ", ".join(f"{stage} {spent:.1f} s" for stage, spent in summary.timings.items())
    stdout.print(f"stages: {stages}", markup=False)
    stdout.print(f"source: {summary.source} · {seconds:.1f} s · warehouse: {summary.warehouse}", markup=False)


# --- parse ----------------------------------------------------------------------------------------


@app.command()
def parse(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, metavar="PATH",
                                         help="A .pdf, .html/.htm/.shtml detail page or .txt file.")],
    output: Annotated[TextFormat, typer.Option("--format", help="json: the record; text: normalized "
                                               "text, one paragraph per line.")] = TextFormat.json,
) -> None:
    """Parse one document and print it; touches no warehouse."""
    from transform.pipeline import process_document  # no Prefect anywhere on this path

    record = process_document(path.read_bytes(), path.suffix.lower(), None)
    if record.status != "parsed":
        raise CommandError(f"{path}: {record.quarantine_reason}")
    if output is TextFormat.json:
        sys.stdout.write(json.dumps(record.to_json_dict(), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write("".join(paragraph.text + "\n" for paragraph in record.paragraphs))


# --- warehouse ------------------------------------------------------------------------------------


@app.command()
def sql(
    query: Annotated[str | None, typer.Argument(
        metavar="QUERY", help="Read-only SQL; with --describe, a table name.")] = None,
    output: Annotated[TableFormat, typer.Option("--format", help="Output format.")] = TableFormat.table,
    describe: Annotated[bool, typer.Option(
        "--describe", help="Print the data dictionary (of the table named as QUERY, or all).")] = False,
    report: Annotated[str | None, typer.Option("--report", help="Run a named report query.")] = None,
) -> None:
    """Ad hoc read-only SQL on the warehouse (or --describe [TABLE], --report NAME)."""
    from load import warehouse

    data_dir = DataDir.from_env()
    if describe:
        columns, rows = _describe(warehouse, query)
    elif report is not None:
        reports = warehouse.report_queries()
        if report not in reports:
            raise typer.BadParameter(f"unknown report {report!r}; reports: {', '.join(sorted(reports))}",
                                     param_hint="--report")
        columns, rows = _query(warehouse, data_dir, reports[report])
    elif query:
        columns, rows = _query(warehouse, data_dir, query)
    else:
        raise typer.BadParameter("give a QUERY, --describe [TABLE] or --report NAME", param_hint="QUERY")
    _print_rows(columns, rows, output)


@app.command()
def status() -> None:
    """Documents, meetings, last runs, quarantined documents."""
    from load import warehouse

    data_dir = DataDir.from_env()
    for title, query in status_queries():
        columns, rows = _query(warehouse, data_dir, query)
        stdout.print(f"\n[bold]{title}[/bold]" if stdout.is_terminal else f"# {title}")
        _print_rows(columns, rows, TableFormat.table)


STATUS_SQL = Path(__file__).with_name("status.sql")


def status_queries() -> list[tuple[str, str]]:
    """(section title, SQL) pairs from status.sql, split on its `-- section:` lines."""
    sections: list[tuple[str, str]] = []
    for chunk in STATUS_SQL.read_text(encoding="utf-8").split("\n-- section:")[1:]:
        title, _, query = chunk.partition("\n")
        sections.append((title.strip(), query.strip()))
    return sections


def _describe(warehouse: Any, table: str | None) -> tuple[list[str], Sequence[Sequence[Any]]]:
    """The data dictionary as rows: one per column of each table, view and macro."""
    try:
        entries = warehouse.describe(table)
    except warehouse.WarehouseError as unknown:
        raise typer.BadParameter(_one_line(unknown), param_hint="TABLE") from None
    columns = ["table", "kind", "column", "type", "key", "meaning", "example"]
    rows = [(entry.name, entry.kind, column.name, column.type, "yes" if column.name in entry.key else "",
             column.meaning, column.example)
            for entry in entries for column in entry.columns]
    return columns, rows


def _query(warehouse: Any, data_dir: DataDir, query: str) -> tuple[list[str], Sequence[Sequence[Any]]]:
    try:
        return warehouse.run_query(data_dir, query)
    except Exception as error:  # a bad query, a missing or locked warehouse: the user's next step is clear
        raise CommandError(_one_line(error)) from error


def _print_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], output: TableFormat) -> None:
    if output is TableFormat.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([["" if v is None else _plain(v) for v in row] for row in rows])
    elif output is TableFormat.json:
        records = [dict(zip(columns, map(_plain, row), strict=True)) for row in rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    elif not stdout.is_terminal:  # piped: plain tab-separated lines, nothing cut to fit a width
        for line in [columns, *rows]:
            sys.stdout.write("\t".join("" if v is None else str(_plain(v)) for v in line) + "\n")
    else:
        table = Table(*columns, show_lines=False)
        for row in rows:
            table.add_row(*("" if v is None else str(_plain(v)) for v in row))
        stdout.print(table)
        stdout.print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")


def _plain(value: Any) -> Any:
    """JSON/CSV-friendly scalars: dates and times as ISO strings, the rest as is."""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def main() -> None:
    """Console-script entry point: usage errors exit 2 (click), failures 1, always one line."""
    try:
        app()
    except CommandError as error:
        stderr.print(f"minutes: error: {error}", markup=False)
        sys.exit(1)
    except KeyboardInterrupt:
        stderr.print("minutes: interrupted", markup=False)
        sys.exit(130)
    except Exception as error:  # a bug of ours: still one line, the cause named
        stderr.print(f"minutes: error: {type(error).__name__}: {_one_line(error)}", markup=False)
        sys.exit(1)
