"""The `minutes` command line (docs/INTERFACE.md §2).

Start-up cost matters: Prefect is imported lazily, only by the commands that run a flow, and its
environment (start-up timeout, quiet logging) is set before that import. `minutes parse` never
imports Prefect at all.
"""

from __future__ import annotations

import json
import os
import signal
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

# typer 0.29 (pinned) vendors click: its exception classes are these, not the `click` package's.
from typer._click import exceptions as click_errors
from typer.core import TyperGroup

from extract.datadir import DataDir
from minutes_etl.output import TableFormat, print_rows
from pipeline.params import (
    ALL_SOURCES,
    LOCAL_SOURCE,
    SOURCE_ENV,
    STORED_ONLY_SOURCES,
    check_fetchable,
    date_window,
)
from pipeline.progress import SilentReporter

if TYPE_CHECKING:
    from pipeline.summary import RunSummary

class _Commands(TyperGroup):
    """The command group, with one rule for a reader that stops reading (`minutes sql … | head -2`):
    exit 0, quietly. The command did its job as far as anyone wanted it; click would exit 1 without a
    word, which breaks `set -o pipefail` scripts."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _quiet_stdout()
            raise SystemExit(0) from None
        except KeyboardInterrupt as stop:  # here, before typer turns it into a silent exit 130
            _exit_interrupted(stop)
        except Exception as error:
            stop = _interruption(error)
            if stop is None:
                raise
            _exit_interrupted(stop)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Usage errors as one line on stderr, exit 2 (click prints usage, a hint and the error on
        three); `minutes` alone still prints the help."""
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click_errors.NoArgsIsHelpError as error:
            error.show()
            sys.exit(error.exit_code)
        except click_errors.UsageError as error:
            where = f"minutes {error.ctx.command_path.partition(' ')[2]}".rstrip() if error.ctx else "minutes"
            stderr.print(f"minutes: usage error: {' '.join(error.format_message().split())} "
                         f"(see `{where} --help`)", markup=False)
            sys.exit(error.exit_code)
        except click_errors.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except typer.Abort:
            stderr.print("minutes: aborted", markup=False)
            sys.exit(1)
        if isinstance(code, int) and code:
            sys.exit(code)
        return code


class Terminated(KeyboardInterrupt):
    """SIGTERM (systemd, docker stop, kill): unwinds like Ctrl-C, so the run stops its extraction
    workers and the command exits 143 instead of dying with its workers left running."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def _interruption(error: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C or SIGTERM behind `error`: a library may wrap it (pydantic during Prefect's set-up)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _exit_interrupted(stop: KeyboardInterrupt) -> None:
    terminated = isinstance(stop, Terminated)
    stderr.print("minutes: terminated" if terminated else "minutes: interrupted", markup=False)
    sys.exit(128 + (signal.SIGTERM if terminated else signal.SIGINT))


def _quiet_stdout() -> None:
    """Send what is left in stdout's buffer to /dev/null: flushing it at exit would fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


app = typer.Typer(
    name="minutes",
    cls=_Commands,
    help="Chinese city-government executive meeting minutes → Parquet lake → DuckDB warehouse.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # errors are one line on stderr, never a traceback
    rich_markup_mode=None,
)
# emoji=False: text from documents and servers (`:x:` in /etc/passwd's `root:x:0`) prints as it is.
stdout = Console(highlight=False, soft_wrap=True, emoji=False)
stderr = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

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


class _State:
    verbose = False


# --data-dir is global (`minutes --data-dir D sql …`) and also taken after the command
# (`minutes sql … --data-dir D`); the command's own wins. Click parses the command's options after
# the global callback ran, so the env var the command's option falls back to is already the global one.
DataDirOption = Annotated[Path | None, typer.Option(
    "--data-dir", envvar="MINUTES_DATA_DIR", file_okay=False,
    help="Data directory (raw store, lake, warehouse). Default ./data")]

NoOcrOption = Annotated[bool, typer.Option(
    "--no-ocr", help="Do not read scanned pages by OCR: scans stay quarantined no_text_layer.")]


def version_text() -> str:
    from importlib.metadata import version

    from transform.record import PARSER_VERSION

    return f"minutes {version('minutes-etl')} (parser {PARSER_VERSION})"


def _print_version(value: bool) -> None:
    if value:
        sys.stdout.write(version_text() + "\n")
        raise typer.Exit()


@app.callback()
def global_options(
    data_dir: DataDirOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's own logs.")] = False,
    version: Annotated[bool, typer.Option(
        "--version", is_eager=True, callback=_print_version,
        help="Print the version and the parser version, and exit.")] = False,
) -> None:
    _use_data_dir(data_dir)
    _State.verbose = verbose


def _use_data_dir(data_dir: Path | None) -> None:
    # The flows read the data directory from the environment, in this process or a worker's.
    os.environ["MINUTES_DATA_DIR"] = str(DataDir.from_env(data_dir).root)


# --- flows ----------------------------------------------------------------------------------------

RefetchOption = Annotated[bool, typer.Option(
    "--refetch", help="Download attachments again even when they are stored and nothing says they "
                      "changed (by default a stored attachment is asked for again only with the "
                      "server's validators, or when its detail page changed).")]


@app.command()
def run(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Option(
        "--source", envvar=SOURCE_ENV, help="Source name (`minutes sources` lists them) or the URL of a "
                                            "listing page of any supported platform; "
                                            "default $MINUTES_SOURCE, then demo.")] = None,
    refetch: RefetchOption = False,
    no_ocr: NoOcrOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """The nightly job: discover what the source published, fetch what is new, extract, parse, load."""
    _use_data_dir(data_dir)
    _check_source(ctx, source, reprocess=False)
    _run_flow("nightly", lambda flows: flows.nightly.nightly(source=source, refetch=refetch,
                                                            ocr=not no_ocr))


@app.command()
def backfill(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Option(
        "--source", envvar=SOURCE_ENV,
        help=f"Source name or listing URL; default $MINUTES_SOURCE, then demo (one source). With "
             f"--reprocess also {LOCAL_SOURCE!r} (the files `minutes ingest` stored) or {ALL_SOURCES!r} "
             "(every stored document, whatever its source).")] = None,
    since: Annotated[str | None, typer.Option("--since", help="First publication date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Last publication date (YYYY-MM-DD).")] = None,
    reprocess: Annotated[bool, typer.Option(
        "--reprocess", help="Re-extract documents from the raw store without fetching; "
                            "with --since/--until, documents without a publication date are left out."
    )] = False,
    refetch: RefetchOption = False,
    no_ocr: NoOcrOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Everything published in the window; --reprocess re-extracts the raw store without refetching."""
    _use_data_dir(data_dir)
    try:
        date_window(since, until)  # the flow checks again: a deployment run skips this command
    except ValueError as bad:
        raise typer.BadParameter(str(bad), param_hint="--since/--until") from None
    _check_source(ctx, source, reprocess=reprocess)
    _run_flow("backfill", lambda flows: flows.backfill.backfill(
        source=source, since=since, until=until, reprocess=reprocess, refetch=refetch,
        ocr=not no_ocr))


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(
        exists=True, metavar="PATH...",
        help="Files or folders. A file named here is ingested whatever its type (a PDF is known by "
             "its bytes; what cannot be read is kept and quarantined unsupported_type); in a folder, "
             ".pdf/.html/.htm/.shtml/.txt files and PDFs are taken, other files listed as skipped.")],
    no_ocr: NoOcrOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Load local files or folders (PDF, HTML, TXT) through the same pipeline."""
    _use_data_dir(data_dir)
    _run_flow("ingest", lambda flows: flows.ingest.ingest(paths=[str(p.resolve()) for p in paths],
                                                          ocr=not no_ocr))


def _check_source(ctx: typer.Context, source: str | None, *, reprocess: bool) -> None:
    """A misspelt source is a usage error, from --source or $MINUTES_SOURCE alike (typer reads the
    variable into the option): say so now, not after Prefect has started."""
    from extract.sources import unknown_source_message

    if source is None:
        return
    origin = ctx.get_parameter_source("source")
    from_env = origin is not None and origin.name == "ENVIRONMENT"
    hint = f"--source (from ${SOURCE_ENV})" if from_env else "--source"
    try:
        check_fetchable(source, reprocess=reprocess)  # `local`, `all`: with --reprocess only
    except ValueError as bad:
        raise typer.BadParameter(str(bad), param_hint=hint) from None
    unknown = None if source in STORED_ONLY_SOURCES else unknown_source_message(source)
    if unknown:
        raise typer.BadParameter(unknown, param_hint=hint)


# --- sources --------------------------------------------------------------------------------------

sources_app = typer.Typer(help="Configured sources; `check` one.", no_args_is_help=False,
                          rich_markup_mode=None)
app.add_typer(sources_app, name="sources")


@sources_app.callback(invoke_without_command=True)
def sources(ctx: typer.Context, data_dir: DataDirOption = None) -> None:
    """List configured sources (extract/sources.toml): name, platform, listing URL."""
    if ctx.invoked_subcommand is not None:
        return
    from extract.sources import configured_sources

    rows = [(name, settings.get("platform") or "recognised from the page",
             str(settings.get("listing", "")).replace("{base_url}", "http://127.0.0.1:<port>"),
             "off" if settings.get("respect_robots") is False else "honoured")
            for name, settings in configured_sources().items()]
    print_rows(stdout, ["source", "platform", "listing", "robots.txt"], rows, TableFormat.table)


@sources_app.command("check")
def sources_check(
    name: Annotated[str, typer.Argument(metavar="NAME|URL", help="A configured source or a listing URL.")],
    entries: Annotated[int, typer.Option("--entries", min=1, max=50,
                                         help="How many listing entries to show.")] = 5,
    data_dir: DataDirOption = None,  # accepted like every command's; the check stores nothing
) -> None:
    """The recognised platform family, the first listing entries with dates and the first detail
    page's attachment; reads a few pages, stores nothing."""
    from extract.http import FetchError
    from extract.platforms import UnknownPlatform
    from extract.source_check import check_source
    from extract.sources import served_source, unknown_source_message

    unknown = unknown_source_message(name)
    if unknown:
        raise typer.BadParameter(unknown, param_hint="NAME|URL")
    with served_source(name) as source:  # the demo is served on 127.0.0.1 while it is checked
        try:
            report = check_source(source, entries=entries)
        except (FetchError, UnknownPlatform) as failure:
            raise CommandError(f"{name}: {_one_line(failure)}") from failure
    _print_check(report)


def _print_check(report: Any) -> None:
    how = "pinned in sources.toml" if report.pinned else f"recognised, confidence {report.confidence:.2f}"
    out = [f"source: {report.source}", f"listing: {report.listing_url}",
           f"platform: {report.platform} ({how})", f"robots.txt: {report.robots}"]
    out += [f"listing request: {key}" for key in report.requests]
    total = f", {report.total} in all" if report.total is not None else ""
    more = "; more pages follow" if report.has_more else ""
    out.append(f"entries: {len(report.entries)} shown{total}{more}")
    for entry in report.entries:
        day = entry.listed_date.isoformat() if entry.listed_date else "----------"
        out.append(f"  {day}  {entry.title or '(no title)'}  {entry.url}")
    detail = report.detail
    if detail is not None:
        out.append(f"first detail page: {detail.url}")
        if detail.error:
            out.append(f"  error: {detail.error}")
        else:
            published = detail.published_at.isoformat(sep=" ") if detail.published_at else "unknown"
            out += [f"  title: {detail.title or '(none)'}", f"  published: {published}",
                    f"  minutes number: {detail.minutes_no or '(none)'}",
                    f"  article paragraphs: {detail.article_paragraphs}"]
        if not detail.attachments and not detail.error:
            out.append("  attachment: none (the article text would be the document)")
        for attachment in detail.attachments:
            kind = "PDF" if attachment.is_pdf else (attachment.error
                                                    or f"not a PDF ({attachment.content_type})")
            out.append(f"  attachment: {kind}  {attachment.filename or ''}  {attachment.url}")
    for line in out:
        stdout.print(line, markup=False)


def _check_extraction_settings() -> None:
    """Bad MINUTES_EXTRACT_* values fail the command at once, not after the server and flow started."""
    from extract.isolation import check_settings

    try:
        check_settings()
    except ValueError as bad:
        raise CommandError(str(bad)) from None


def _run_flow(label: str, call: Callable[[Any], RunSummary]) -> None:
    _check_extraction_settings()
    # Only around runs: elsewhere (a long `minutes sql` inside DuckDB) a Python handler would wait for
    # the C call to return, where the default action stops the command at once.
    signal.signal(signal.SIGTERM, _terminate)
    flows = _import_flows()
    with _progress_view(label) as reporter, flows.progress.reporting_to(reporter), _prefect_api(flows):
        try:
            summary = call(flows)
        except Exception as error:
            if _interruption(error):
                raise
            raise CommandError(f"{label} failed: {_one_line(error)}") from error
    _print_summary(summary)
    if summary.is_loud:
        raise CommandError(f"{label} completed with warnings ({'; '.join(summary.warnings)})")


STAGE_LABELS = {"discover": "reading listings", "fetch": "fetching", "extract": "extracting",
                "load": "loading"}


@contextmanager
def _progress_view(label: str) -> Iterator[Any]:
    """Progress bars on a terminal (stderr, so stdout stays the summary); nothing when piped."""
    if not stderr.is_terminal:
        yield SilentReporter()
        return
    columns = (SpinnerColumn(), TextColumn("{task.description:<18}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=False) as progress:
        yield _BarReporter(progress, progress.add_task(f"{label}: starting Prefect", total=None))


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


@contextmanager
def _prefect_api(flows: Any) -> Iterator[None]:
    """The Prefect API the flow reports to: the one the user configured (PREFECT_API_URL, a profile),
    else the local background server, started on first use (minutes_etl/prefect_server.py), else
    with MINUTES_PREFECT_SERVER=ephemeral Prefect's temporary server inside this command."""
    from minutes_etl import prefect_server

    try:
        background = prefect_server.mode() == "background"
    except prefect_server.ServerError as bad:
        raise CommandError(str(bad)) from None
    if flows.api.configured_api_url() is not None or not background:
        yield
        return
    try:
        record, started = prefect_server.ensure_running()
    except prefect_server.ServerError as failed:
        raise CommandError(str(failed)) from None
    if started and stderr.is_terminal:
        stderr.print(f"started a local Prefect server at {record.api_url} for this and later commands "
                     "(`minutes server stop` stops it)", markup=False)
    os.environ["PREFECT_API_URL"] = record.api_url  # for the processes the flow starts (pool workers)
    with flows.api.using_api(record.api_url):
        yield


def _import_flows() -> Any:
    """Import Prefect (through the flows) with this command's environment, and quiet its console logs."""
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    import logging
    from types import SimpleNamespace

    import flows.api
    import flows.backfill
    import flows.ingest
    import flows.nightly
    import pipeline.progress
    from flows.console import set_console_level

    if not _State.verbose:
        set_console_level(logging.CRITICAL + 1)  # the UI's logs (Prefect's API handler) stay
    return SimpleNamespace(nightly=flows.nightly, backfill=flows.backfill, ingest=flows.ingest,
                           progress=pipeline.progress, api=flows.api)


MAX_SKIPPED_LISTED = 50  # a folder full of other files must not bury the summary


def _print_summary(summary: RunSummary) -> None:
    counts = [("discovered", summary.discovered), ("fetched", summary.fetched),
              ("fetch failures", summary.fetch_failures), ("extracted", summary.extracted),
              ("reused from cache", summary.reused), ("parsed", summary.parsed),
              ("quarantined", summary.quarantined)]
    if summary.already_stored:  # asked again (--refetch, a changed page): same bytes as stored
        counts.insert(2, ("already stored", summary.already_stored))
    if summary.skipped or summary.flow == "ingest":
        counts.append(("skipped", len(summary.skipped)))  # files in a folder that are not documents
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
    for skipped in summary.skipped[:MAX_SKIPPED_LISTED]:
        stdout.print(f"skipped {skipped.path}: {skipped.reason}", markup=False)
    if len(summary.skipped) > MAX_SKIPPED_LISTED:
        stdout.print(f"skipped … and {len(summary.skipped) - MAX_SKIPPED_LISTED} more files "
                     "(the run's Prefect artifact lists them all)")
    for code in summary.warnings:
        # Warnings quote servers (reason phrases), titles and paths: never read as Rich markup.
        stdout.print(f"WARNING source: {code}", markup=False)
    stages = ", ".join(f"{stage} {spent:.1f} s" for stage, spent in summary.timings.items())
    stdout.print(f"stages: {stages}", markup=False)
    stdout.print(f"source: {summary.source} · {seconds:.1f} s · warehouse: {summary.warehouse}", markup=False)


# --- the local Prefect server ---------------------------------------------------------------------

server_app = typer.Typer(help="The local Prefect server run and backfill use when no PREFECT_API_URL is "
                              "set: started in the background on first use, then reused.",
                         no_args_is_help=True)
app.add_typer(server_app, name="server")


@server_app.command("start")
def server_start() -> None:
    """Start the local Prefect server (or find it running) and print its API URL."""
    from minutes_etl import prefect_server

    try:
        record, _ = prefect_server.ensure_running()
    except prefect_server.ServerError as failed:
        raise CommandError(str(failed)) from None
    stdout.print(record.api_url, markup=False)


@server_app.command("status")
def server_status() -> None:
    """Print the local Prefect server's API URL and pid, or say it is not running (exit 1)."""
    from minutes_etl import prefect_server

    record = prefect_server.running()
    if record is None:
        raise CommandError(f"no local Prefect server is running (state in {prefect_server.state_dir()})")
    stdout.print(f"{record.api_url} pid {record.pid} prefect {record.prefect_version}", markup=False)


@server_app.command("stop")
def server_stop(
    force: Annotated[bool, typer.Option("--force", help="Stop it even while flow runs are running on it.")]
    = False,
) -> None:
    """Stop the local Prefect server (its database stays for the next start); refused while flow
    runs are running on it, unless --force."""
    from minutes_etl import prefect_server

    try:
        record = prefect_server.stop(force=force)
    except prefect_server.ServerError as failed:
        raise CommandError(str(failed)) from None
    stdout.print("no local Prefect server was running" if record is None
                 else f"stopped the local Prefect server (pid {record.pid})", markup=False)


# --- parse ----------------------------------------------------------------------------------------


@app.command()
def parse(
    # Not typer's exists=/dir_okay= checks: they make a missing file a usage error (exit 2), and a
    # bad input to parse is a failure (exit 1, docs/INTERFACE.md §2).
    path: Annotated[Path, typer.Argument(metavar="PATH",
                                         help="A .pdf, .html/.htm/.shtml detail page or .txt file.")],
    output: Annotated[TextFormat, typer.Option(
        "--format", help="json: the record (a quarantined document prints its record too, and "
                         "exits 1); text: normalized text, one paragraph per line.")] = TextFormat.json,
    no_ocr: NoOcrOption = False,
    data_dir: Annotated[Path | None, typer.Option(
        "--data-dir", hidden=True, help="Not for parse: it touches no data directory.")] = None,
) -> None:
    """Parse one document and print it; touches no warehouse."""
    if data_dir is not None:  # named after the command (before it, it is the global option: ignored)
        raise typer.BadParameter("parse reads the file given and touches no data directory; "
                                 "leave --data-dir out", param_hint="--data-dir")
    # No Prefect anywhere on this path: the plain pipeline core; the document is read in the
    # capped extraction worker (time and memory limits, docs/SAFETY.md).
    from pipeline.document import process_document_within_limits

    _check_extraction_settings()
    data = _read_document(path)
    record = process_document_within_limits(data, path.suffix.lower(), None, ocr=not no_ocr)
    if output is TextFormat.json:
        sys.stdout.write(json.dumps(record.to_json_dict(), ensure_ascii=False, indent=1) + "\n")
    elif record.status == "parsed":
        sys.stdout.write("".join(paragraph.text + "\n" for paragraph in record.paragraphs))
    if record.status != "parsed":
        sys.stdout.flush()  # the record first, then the one-line error
        raise CommandError(f"{path}: {record.quarantine_reason}")


def _read_document(path: Path) -> bytes:
    if path.is_dir():
        raise CommandError(f"{path}: is a folder; parse reads one file (minutes ingest takes folders)")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except OSError as error:
        raise CommandError(f"{path}: cannot read: {error.strerror or _one_line(error)}") from None


# --- warehouse ------------------------------------------------------------------------------------


@app.command()
def sql(
    query: Annotated[str | None, typer.Argument(
        metavar="QUERY", help="Read-only SQL; with --describe, a table name.")] = None,
    output: Annotated[TableFormat, typer.Option(
        "--format", help="table: a table on a terminal, tab-separated lines when piped (tab, newline, "
                         "carriage return and backslash in values written \\t \\n \\r \\\\; floats "
                         "rounded to 4 decimals); csv (no byte-order mark on stdout: `minutes export` "
                         "writes CSV files for Excel); json. Lists and structs are JSON in csv and "
                         "table cells; in json, decimals are numbers, intervals ISO-8601 durations "
                         "(P1DT2H).")] = TableFormat.table,
    describe: Annotated[bool, typer.Option(
        "--describe", help="Print the data dictionary (of the table named as QUERY, or all).")] = False,
    report: Annotated[str | None, typer.Option("--report", help="Run a named report query.")] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Ad hoc read-only SQL on the warehouse (or --describe [TABLE], --report NAME).

    Without a QUERY, on a terminal: a read-only SQL prompt with line editing and history.

    A QUERY that starts with "-" (a SQL comment) goes after "--", the end of the options:

    \b
      minutes sql -- "-- meetings per chair
      SELECT chair_name, count(*) FROM meetings GROUP BY 1"
    """
    from load import query as warehouse_query

    _use_data_dir(data_dir)
    location = DataDir.from_env()
    if query is not None and not describe and not query.strip():
        raise typer.BadParameter("the query is empty", param_hint="QUERY")
    if describe:
        try:
            columns, rows = warehouse_query.dictionary_rows(query)
        except warehouse_query.WarehouseError as unknown:
            raise typer.BadParameter(_one_line(unknown), param_hint="TABLE") from None
    elif report is not None:
        reports = warehouse_query.report_queries()
        if report not in reports:
            raise typer.BadParameter(f"unknown report {report!r}; reports: {', '.join(sorted(reports))}",
                                     param_hint="--report")
        columns, rows = _query(location, reports[report])
    elif query:
        columns, rows = _query(location, query)
    elif sys.stdin.isatty() and stdout.is_terminal:
        from minutes_etl.shell import run_shell

        try:  # a missing warehouse: say so before the prompt
            warehouse_query.connect_readonly(location).close()
        except warehouse_query.WarehouseError as error:
            raise CommandError(_one_line(error)) from error
        run_shell(stdout, lambda text: warehouse_query.run_query(location, text),
                  warehouse_query.dictionary_rows)
        return
    else:
        raise typer.BadParameter("give a QUERY, --describe [TABLE] or --report NAME (on a terminal, no "
                                 "QUERY opens a SQL prompt)", param_hint="QUERY")
    print_rows(stdout, columns, rows, output)


@app.command()
def report(
    out: Annotated[Path | None, typer.Option(
        "--out", file_okay=False, help="Folder of the site (replaced by each build). Default DATA_DIR/report")
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """A static HTML site from the warehouse: charts, one page per meeting, each paragraph linked to
    its page (an image, the paragraph's box drawn) and the original file. Opens offline: index.html."""
    from report.static_site import ReportError, build_report

    _use_data_dir(data_dir)
    try:
        built = build_report(DataDir.from_env(), out)
    except ReportError as error:
        raise CommandError(_one_line(error)) from error
    stdout.print(f"report: {built.meetings} meetings, {built.documents} documents, {built.page_images} "
                 f"page images, {built.charts} charts in {built.seconds:.1f} s", markup=False)
    stdout.print(str(built.out / "index.html"), markup=False)


class ExportFormatOption(StrEnum):
    xlsx = "xlsx"
    csv = "csv"
    parquet = "parquet"


@app.command()
def export(
    tables: Annotated[list[str] | None, typer.Argument(
        metavar="TABLE", help="Tables (or views) to export; default every table.")] = None,
    output: Annotated[ExportFormatOption, typer.Option(
        "--format", help="xlsx: one workbook, a sheet per table; csv: a file per table, UTF-8 with a "
                         "byte-order mark (Excel reads the Chinese right); parquet: a file per table."
    )] = ExportFormatOption.xlsx,
    out: Annotated[Path | None, typer.Option(
        "--out", help="xlsx: the workbook's path (or a folder for warehouse.xlsx); csv, parquet: a folder. "
                      "Default DATA_DIR/export/")] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Warehouse tables to files: xlsx, CSV (with a BOM, for Excel) or Parquet."""
    from report.export import ExportError, ExportFormat, UnknownTable
    from report.export import export as export_tables

    _use_data_dir(data_dir)
    try:
        written = export_tables(DataDir.from_env(), ExportFormat(output.value), out, tables or [])
    except UnknownTable as unknown:
        raise typer.BadParameter(_one_line(unknown), param_hint="TABLE") from None
    except ExportError as error:
        raise CommandError(_one_line(error)) from error
    except Exception as error:  # a missing or unreadable warehouse
        raise CommandError(_one_line(error)) from error
    for item in written:
        stdout.print(f"{item.table}: {item.rows} rows → {item.path}", markup=False)


@app.command()
def status(data_dir: DataDirOption = None) -> None:
    """Documents, meetings, last runs, quarantined documents."""
    from load import query as warehouse_query

    _use_data_dir(data_dir)
    for title, query in warehouse_query.named_queries("status.sql").items():
        try:
            columns, rows = _query(DataDir.from_env(), query)
        except CommandError as error:
            if "Catalog Error" not in str(error):
                raise
            # A warehouse published by an older version lacks a newer view: the next run adds it.
            columns, rows = ["note"], [("not in this warehouse yet: the next run's publish adds it",)]
        stdout.print(f"\n[bold]{title}[/bold]" if stdout.is_terminal else f"# {title}")
        print_rows(stdout, columns, rows, TableFormat.table)


@app.command()
def repair(
    manifest: Annotated[bool, typer.Option(
        "--manifest", help="Rebuild the manifest even when it passes its check.")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Check the manifest and the lake; rebuild a damaged manifest from the raw store and the lake,
    set damaged lake files aside (see docs/SAFETY.md)."""
    from pipeline.repair import repair as repair_state

    _use_data_dir(data_dir)
    report = repair_state(DataDir.from_env(), rebuild_manifest=manifest)
    for line in report.lake_files_set_aside:
        stdout.print(f"lake file set aside: {line}", markup=False)
    if report.manifest_damaged:
        stdout.print(report.manifest_damaged, markup=False)
    if report.manifest_damaged or manifest:
        kept = f"; the old file kept as {report.manifest_kept_as}" if report.manifest_kept_as else ""
        stdout.print(f"manifest rebuilt: {report.documents_registered} documents from the raw store{kept}",
                     markup=False)
    else:
        stdout.print("manifest ok")
    for line in report.raw_files_unusable:
        stdout.print(f"raw file not registered: {line}", markup=False)
    if report.lake_files_set_aside:
        stdout.print("next: minutes backfill --reprocess --source all (reloads their documents)")
    else:
        stdout.print("lake ok")


def _query(data_dir: DataDir, query: str) -> tuple[list[str], Sequence[Sequence[Any]]]:
    from load import query as warehouse_query

    try:
        return warehouse_query.run_query(data_dir, query)
    except Exception as error:  # a bad query, a missing or locked warehouse: the user's next step is clear
        raise CommandError(_one_line(error)) from error


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def main() -> None:
    """Console-script entry point: usage errors exit 2 (click), failures 1, always one line;
    Ctrl-C exits 130, SIGTERM during a run 143."""
    try:
        app()
    except CommandError as error:
        stderr.print(f"minutes: error: {error}", markup=False)
        sys.exit(1)
    except KeyboardInterrupt as stop:
        _exit_interrupted(stop)
    except Exception as error:  # a bug of ours: still one line, the cause named
        stop = _interruption(error)
        if stop is not None:
            _exit_interrupted(stop)
        stderr.print(f"minutes: error: {type(error).__name__}: {_one_line(error)}", markup=False)
        sys.exit(1)
