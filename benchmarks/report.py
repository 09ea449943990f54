"""The benchmark's figures as one JSON document and one readable table, each figure beside its target.

Targets are printed, never asserted: the benchmark measures, people decide.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from benchmarks.stage_timings import Figure

MEMORY_FLAT_TOLERANCE = 1.25  # "flat": peak at N at most 25 % above the peak at N/4


@dataclass(frozen=True)
class Target:
    name: str
    path: str  # where the figure sits in the JSON, dotted
    text: str  # the target as people say it
    limit: float  # met when figure <= limit

    def check(self, value: float | None) -> str:
        if value is None:
            return "n/a"
        return "met" if value <= self.limit else "missed"


TARGETS = (
    Target("ingest / bare (wall time)", "ingest_over_bare", "≤ 0.8 on 2 cores (aim 0.6)", 0.8),
    Target("work besides pdfplumber", "outside_pdfplumber_share", "≤ 10 % of extraction", 0.10),
    Target("peak memory growth N/4 → N", "memory_growth", f"flat (≤ {MEMORY_FLAT_TOLERANCE}×)",
           MEMORY_FLAT_TOLERANCE),
    Target("minutes parse, one seed PDF", "parse_one_seed.seconds", "< 1.5 s", 1.5),
    Target("no-op nightly, Prefect server running", "nightly_noop.seconds", "< 5 s", 5.0),
    Target("fixed cost per run, server running", "nightly_noop.fixed_s", "< 5 s", 5.0),
)


def figure_json(figure: Figure, pages: int | None = None) -> dict[str, Any]:
    """A Figure as JSON, with pages/second when the page count is known."""
    out: dict[str, Any] = {"seconds": figure.seconds}
    if pages is not None:
        out["pages_per_s"] = pages / figure.seconds if figure.seconds else None
    out.update(figure.extra)
    if figure.note:
        out["note"] = figure.note
    return out


def lookup(results: dict[str, Any], path: str) -> Any:
    value: Any = results
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def with_targets(results: dict[str, Any]) -> dict[str, Any]:
    results["targets"] = [
        {"name": target.name, "figure": target.path, "value": lookup(results, target.path),
         "target": target.text, "status": target.check(lookup(results, target.path))}
        for target in TARGETS
    ]
    results["notes"] = sorted(_notes(results))
    return results


def _notes(node: Any, where: str = "") -> list[str]:
    """Every 'note' in the results: figures that could not be measured or should not be trusted, and why."""
    if not isinstance(node, dict):
        return []
    found = [f"{where}: {node['note']}"] if "note" in node else []
    for key, value in node.items():
        found += _notes(value, f"{where}.{key}" if where else key)
    return found


def write_json(results: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} pages/s"


def _mb(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} MB"


def _status(results: dict[str, Any], path: str) -> tuple[str, str]:
    for target in results["targets"]:
        if target["figure"] == path:
            colour = {"met": "green", "missed": "red"}.get(target["status"], "yellow")
            return target["target"], f"[{colour}]{target['status']}[/{colour}]"
    return "", ""


def print_table(results: dict[str, Any], console: Console) -> None:
    run, bare, ingest, stages = results["run"], results["bare"], results["ingest"], results["stages"]
    load_before, load_after = run["load_average"]
    table = Table(title=f"minutes-etl benchmark: {run['docs']} documents, {run['pages']} pages, "
                        f"{run['cpus']} cores, load average {load_before:.1f} → {load_after:.1f}",
                  title_justify="left")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("detail")
    table.add_column("target")
    table.add_column("")

    def row(figure: str, value: str, detail: str = "", path: str = "") -> None:
        table.add_row(figure, value, detail, *(_status(results, path) if path else ("", "")))

    row("bare pdfplumber chars, 1 core", _seconds(bare.get("seconds")), _rate(bare.get("pages_per_s")))
    row("minutes ingest (subprocess, wall)", _seconds(ingest.get("seconds")),
        f"{_rate(ingest.get('pages_per_s'))}, {ingest.get('cores_used', 0):.2f} cores busy")
    marginal, fixed = results.get("ingest_marginal_pages_per_s"), results.get("ingest_fixed_s")
    row("ingest, once running (from 2 sizes)", _rate(marginal), f"plus {_seconds(fixed)} paid once per run")
    ratio = results.get("ingest_over_bare")
    row("ingest / bare", "—" if ratio is None else f"{ratio:.2f}", "wall time", "ingest_over_bare")
    table.add_section()
    for name in ("fetch", "extract", "parse", "load"):
        stage = stages[name]
        # fetch is counted in documents and MB; the others in the pages they handle
        detail = (_rate(stage.get("pages_per_s")) if name != "fetch" else
                  f"{stage.get('documents', 0)} documents, {stage.get('mb', 0):.0f} MB crawled")
        row(f"stage {name} (in-process, 1 core)", _seconds(stage.get("seconds")), detail)
    ocr = results.get("ocr") or {}
    if ocr.get("seconds") is not None:
        row("OCR of a scan, per page", _seconds(ocr["seconds"]),
            f"bare engine {ocr['bare_engine_s_per_page']:.2f} s/page (×{ocr['pipeline_over_bare']:.2f}); "
            f"{ocr['engine']}")
    else:
        row("OCR of a scan, per page", "—", ocr.get("note", ""))
    share = results.get("outside_pdfplumber_share")
    row("work besides pdfplumber", "—" if share is None else f"{share:.1%}",
        "(extract + parse − bare) / extract", "outside_pdfplumber_share")
    table.add_section()
    for size in results["memory_by_size"]:
        row(f"peak memory, ingest of {size['docs']} docs", _mb(size.get("peak_tree_rss_mb")),
            f"process tree RSS; largest process {_mb(size.get('peak_process_rss_mb'))}")
    growth = results.get("memory_growth")
    row("peak memory growth", "—" if growth is None else f"{growth:.2f}×", "", "memory_growth")
    table.add_section()
    first_use = results["first_use_ingest_one_doc"]
    row("first use: minutes ingest of 1 doc", _seconds(first_use.get("seconds")),
        "starts the local Prefect server and creates its database; later runs reuse it")
    parse_one = results["parse_one_seed"]
    row("minutes parse, one seed PDF", _seconds(parse_one.get("seconds")), "median of runs, wall",
        "parse_one_seed.seconds")
    nightly = results["nightly_noop"]
    row("no-op nightly (minutes run, 2nd)", _seconds(nightly.get("seconds")),
        f"source {nightly.get('source', '?')}; flow {_seconds(nightly.get('flow_s'))}; "
        f"1st run {_seconds(nightly.get('first_run_s'))}", "nightly_noop.seconds")
    row("fixed cost per run, server running", _seconds(nightly.get("fixed_s")),
        "no-op wall − the flow's own time", "nightly_noop.fixed_s")
    row("no-op nightly that starts the server", _seconds(nightly.get("server_start_s")),
        f"after `minutes server stop`; fixed cost {_seconds(nightly.get('server_start_fixed_s'))}")
    console.print(table)
    for note in results["notes"]:
        console.print(f"[yellow]note[/yellow] {note}", soft_wrap=True)
