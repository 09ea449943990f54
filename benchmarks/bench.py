"""`make bench`: minutes-etl against bare pdfplumber, on the same synthetic PDFs, in one run.

    python -m benchmarks.bench [--docs N] [--seed S] [--out FILE]

Measures (issue 8): bare pdfplumber chars on one core (the floor); `minutes ingest` end to end
(wall time, pages/s, peak memory of the process tree) at N/4 and N documents; each stage as a
plain function in-process (fetch, extract, parse, load); `minutes parse` of one seed PDF; and a
nightly run that finds nothing new. Prints a table and writes the same figures as JSON.

Every `minutes` run gets a fresh data dir but shares one Prefect home, created by a first run
reported on its own: a user's Prefect database exists after the first day, so migrating it
is no part of a run's start-up.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from benchmarks import cli_runs
from benchmarks import stage_timings as stages
from benchmarks.bench_site import bench_site
from benchmarks.ocr_timings import ocr_pages
from benchmarks.pdfset import PdfSet, cached_pdf_set, subset
from benchmarks.report import figure_json, print_table, with_targets, write_json
from benchmarks.stage_timings import Figure, attempt

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "minutes-bench-cache"
SEED_FAMILY = "word_embedded"
TABLE_WIDTH = 130

progress = Console(stderr=True)


def _say(message: str) -> None:
    progress.log(message)


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    return numerator / denominator if numerator is not None and denominator else None


def _seed_pdf(workdir: Path) -> Path:
    """The first seed document rendered in the word_embedded layout, as users' PDFs look."""
    from demo import corpus
    from demo.render import render_pdf

    path = workdir / "seed.pdf"
    path.write_bytes(render_pdf(corpus.seed_docs()[0], SEED_FAMILY))
    return path


def _discarded(_: object) -> Figure:
    return Figure()


def _first_of_each_family(pdf_set: PdfSet) -> list[Path]:
    firsts: dict[str, Path] = {}
    for path in pdf_set.files:
        firsts.setdefault(path.stem.split("_", 1)[1], path)
    return list(firsts.values())


def _memory_row(docs: int, pages: int, figure: Figure) -> dict[str, Any]:
    return {"docs": docs, "pages": pages, "seconds": figure.seconds,
            "peak_tree_rss_mb": figure.extra.get("peak_tree_rss_mb") if figure.available else None,
            "peak_process_rss_mb": figure.extra.get("peak_process_rss_mb") if figure.available else None,
            "cores_used": figure.extra.get("cores_used") if figure.available else None,
            **({"note": figure.note} if figure.note else {})}


def _split_fixed_cost(sizes: list[dict[str, Any]]) -> tuple[float | None, float | None]:
    """Ingest time = fixed + pages / rate, solved from the two sizes: (rate, fixed seconds)."""
    small, full = sizes
    if small["seconds"] is None or full["seconds"] is None or full["pages"] <= small["pages"]:
        return None, None
    extra_s = full["seconds"] - small["seconds"]
    if extra_s <= 0:
        return None, None
    rate = (full["pages"] - small["pages"]) / extra_s
    return rate, small["seconds"] - small["pages"] / rate


def run_benchmark(
    docs: int, seed: int, cache_dir: Path, workdir: Path, nightly_source: str
) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    _say(f"rendering or reusing {docs} PDFs (seed {seed}) under {cache_dir}")
    pdf_set: PdfSet = cached_pdf_set(docs, seed, cache_dir)
    files = pdf_set.files

    _say("warming up on one document of each family (untimed)")
    attempt(lambda: _discarded(stages.single_core_pass(_first_of_each_family(pdf_set))))
    _say("one core, per document in turn: bare pdfplumber chars, then extract, then parse")
    single = stages.single_core_pass(files)
    bare, extract, parse, parsed = single.bare, single.extract, single.parse, single.parsed
    pages_per_file: list[int] = bare.extra.pop("pages_per_file")
    pages = sum(pages_per_file)
    _say("stage load: lake + warehouse")
    load = (attempt(lambda: stages.load(parsed, workdir / "load-data")) if parsed
            else Figure(note="needs the parsed records of the extract stage"))
    _say("stage fetch: crawl the PDFs served on 127.0.0.1")
    fetch = attempt(lambda: stages.fetch(bench_site(pdf_set, seed), workdir / "fetch-data"))

    prefect_home = workdir / "prefect-home"
    _say("first use of the Prefect home (creates its database; reported apart, not in the targets)")
    first_use = attempt(lambda: cli_runs.first_use(files[0], workdir, prefect_home))
    small_count = max(1, docs // 4)
    _say(f"minutes ingest of {small_count} documents (memory at N/4)")
    small_dir = subset(pdf_set, small_count, workdir / f"subset-{small_count}")
    ingest_small = attempt(
        lambda: cli_runs.ingest(small_dir, workdir / "ingest-small", prefect_home))
    _say(f"minutes ingest of {docs} documents")
    ingest = attempt(
        lambda: cli_runs.ingest(pdf_set.directory, workdir / "ingest-full", prefect_home))

    _say("minutes parse of one seed PDF")
    parse_one = attempt(lambda: cli_runs.parse_one(_seed_pdf(workdir), workdir, prefect_home))
    _say("OCR of the demo's scan, pipeline and bare engine")
    ocr = attempt(ocr_pages)
    _say(f"nightly twice on one data dir (source {nightly_source}); the second is timed")
    nightly = attempt(lambda: cli_runs.nightly_noop(nightly_source, workdir, prefect_home))

    outside = None
    if extract.available and parse.available and bare.available:
        outside = (extract.seconds + parse.seconds - bare.seconds) / extract.seconds
    memory = [_memory_row(small_count, sum(pages_per_file[:small_count]), ingest_small),
              _memory_row(docs, pages, ingest)]
    marginal_rate, fixed_s = _split_fixed_cost(memory)
    results: dict[str, Any] = {
        "run": {
            "command": " ".join([Path(sys.executable).name, "-m", "benchmarks.bench", *sys.argv[1:]]),
            "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "docs": docs, "seed": seed, "pages": pages, "families": pdf_set.families,
            "cpus": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine(),
            # Other work on the machine skews every figure: the 1-minute load average, before and after.
            "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        },
        "bare": figure_json(bare, pages),
        "ingest": figure_json(ingest, pages),
        "ingest_over_bare": _ratio(ingest.seconds, bare.seconds),
        # From the two ingest sizes: pages/s once running, and the start-up/finish cost paid once.
        "ingest_marginal_pages_per_s": marginal_rate,
        "ingest_fixed_s": fixed_s,
        "stages": {
            "fetch": {**figure_json(fetch), "what": "crawl: listing → detail → PDF"},
            "extract": figure_json(extract, pages),
            "parse": figure_json(parse, pages),
            "load": figure_json(load, pages),
        },
        "outside_pdfplumber_share": outside,
        "outside_pdfplumber_formula":
            "(extract + parse stage seconds - bare chars seconds) / extract seconds",
        "memory_by_size": memory,
        "memory_growth": _ratio(memory[1]["peak_tree_rss_mb"], memory[0]["peak_tree_rss_mb"]),
        "first_use_ingest_one_doc": figure_json(first_use),
        "parse_one_seed": figure_json(parse_one),
        "nightly_noop": figure_json(nightly),
        "ocr": {**figure_json(ocr), "what": "seconds per scanned page, pipeline; bare engine beside it"},
    }
    return with_targets(results)


def main(
    docs: Annotated[int, typer.Option(min=1, help="Distinct minutes PDFs (about 7 pages each).")] = 200,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic corpus.")] = 8,
    out: Annotated[Path, typer.Option(help="Where to write the figures as JSON.")] = Path(
        "bench-results/bench.json"),
    cache_dir: Annotated[Path, typer.Option(help="Where rendered PDFs are kept.")] = DEFAULT_CACHE,
    nightly_source: Annotated[str, typer.Option(help="Source of the no-op nightly run.")] = "demo",
    keep: Annotated[bool, typer.Option(help="Keep the working data dirs (printed) for inspection.")] = False,
) -> None:
    """Measure minutes-etl against bare pdfplumber and print the figures beside their targets."""
    workdir = Path(tempfile.mkdtemp(prefix="minutes-bench-"))
    try:
        try:
            results = run_benchmark(docs, seed, cache_dir, workdir, nightly_source)
        except ImportError as missing:  # no corpus, nothing to measure on: say so in one line
            progress.print(f"cannot render the benchmark's PDFs: {missing}")
            raise typer.Exit(1) from None
        write_json(results, out)
        # Wide enough for the table even when the output is not a terminal (CI logs, pipes).
        print_table(results, Console(width=max(TABLE_WIDTH, shutil.get_terminal_size().columns)))
        progress.print(f"figures written to {out}")
    finally:
        cli_runs.stop_server(workdir / "prefect-home")  # the background Prefect server of the runs
        if keep:
            progress.print(f"working data kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    typer.run(main)
