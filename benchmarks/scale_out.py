"""`make bench-scale`: the measured inputs of docs/SCALING.md, in one run on this machine.

    python -m benchmarks.scale_out [--docs 48] [--out FILE]

1. One core, in this process: bare pdfplumber (the floor) and the pipeline's process_document, on
   the benchmark's synthetic minutes PDFs (the demo's renderer and layouts).
2. The same documents on a real Dask cluster (scheduler and workers as separate processes on
   127.0.0.1) with 1 worker, then 2: the extract stage as a flow's Dask tasks run it (bytes in,
   records out, batches of BATCH documents), after a warm-up. Printed as documents/s and as ratios
   (2 workers / 1 worker; each / in-process), never as an assertion.
3. What a document costs in storage: raw bytes, lake Parquet bytes and DuckDB warehouse bytes, per
   document and per page, from the parsed records written and published locally.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from benchmarks.pdfset import cached_pdf_set
from benchmarks.report import write_json
from benchmarks.stage_timings import single_core_pass

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "minutes-bench-cache"
BATCH = 4  # documents per Dask task here: enough tasks (docs/BATCH) to keep two workers busy
console = Console(stderr=True)


def _load_average() -> float:
    return os.getloadavg()[0]


def _on_dask(workers: int, files: list[Path], workdir: Path) -> dict[str, Any]:
    """Documents/s of the extract stage on a fresh cluster of `workers` one-thread workers."""
    from distributed import Client

    from extract.stored_documents import PortableDocument
    from pipeline.stages import extract_portable
    from tests.scale.services import dask_cluster

    documents = [PortableDocument(path.stem, ".pdf", data=path.read_bytes()) for path in files]
    batches = [documents[start:start + BATCH] for start in range(0, len(documents), BATCH)]
    with dask_cluster(workers, {}, workdir / f"dask-{workers}") as cluster, \
            Client(cluster.address, timeout=60) as client:
        # Warm-up, untimed: every worker imports the pipeline and parses one document.
        warm = [client.submit(extract_portable, documents[:1], [None], pure=False, workers=[address])
                for address in client.scheduler_info()["workers"]]
        client.gather(warm)
        started = time.perf_counter()
        futures = [client.submit(extract_portable, batch, [None] * len(batch), pure=False)
                   for batch in batches]
        records = [record for batch in client.gather(futures) for record in batch]
        seconds = time.perf_counter() - started
    parsed = sum(record.status == "parsed" for record in records)
    return {"workers": workers, "seconds": seconds, "docs_per_s": len(records) / seconds, "parsed": parsed}


def _storage(parsed: Any, files: list[Path], pages_per_file: list[int], workdir: Path) -> dict[str, Any]:
    """Bytes per document and per page of raw/, lake/ and the warehouse, written as a run writes them.

    Marginal figures: what the second half of the documents adds, so that the fixed size of an
    empty DuckDB file (a few MB) and of Parquet footers does not count as per-document cost.
    """
    from extract.datadir import DataDir
    from load.lake import write_documents
    from load.publish import publish

    data_dir = DataDir(workdir / "data")
    half = len(files) // 2
    measured = []
    for start, upto in ((0, half), (half, len(files))):  # two runs: the second adds its batch
        write_documents(data_dir.lake, zip(parsed.metas[start:upto], parsed.records[start:upto], strict=True))
        publish(data_dir)
        measured.append({
            "raw": sum(path.stat().st_size for path in files[:upto]),
            "lake": sum(path.stat().st_size for path in data_dir.lake.rglob("*.parquet")),
            "warehouse": data_dir.warehouse.stat().st_size,
        })
    first, full = measured
    second_half_pages = sum(pages_per_file[half:])
    return {name: {"bytes": full[name], "per_doc": (full[name] - first[name]) / (len(files) - half),
                   "per_page": (full[name] - first[name]) / second_half_pages}
            for name in full}


def main(docs: Annotated[int, typer.Option(help="Documents to extract")] = 48,
         seed: Annotated[int, typer.Option(help="Corpus seed")] = 7,
         out: Annotated[Path | None, typer.Option(help="Write the figures as JSON here")] = None) -> None:
    load_before = _load_average()
    console.log(f"rendering or reusing {docs} PDFs")
    files = cached_pdf_set(docs, seed, DEFAULT_CACHE).files
    console.log("one core, in process: bare pdfplumber and process_document")
    single = single_core_pass(files)
    pages = int(single.bare.extra["pages"])
    in_process = single.extract.seconds + single.parse.seconds
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                    "platform": platform.platform()},
        "docs": len(files), "pages": pages,
        "bare_pdfplumber": {"seconds": single.bare.seconds, "pages_per_s": pages / single.bare.seconds},
        "in_process": {"seconds": in_process, "docs_per_s": len(files) / in_process,
                       "pages_per_s": pages / in_process, "extract_s": single.extract.seconds,
                       "parse_s": single.parse.seconds},
    }
    with tempfile.TemporaryDirectory(prefix="minutes-bench-scale-") as scratch:
        workdir = Path(scratch)
        for workers in (1, 2):
            console.log(f"Dask cluster with {workers} worker(s)")
            results[f"dask_{workers}"] = _on_dask(workers, files, workdir)
        console.log("storage per document")
        results["storage"] = _storage(single.parsed, files, single.bare.extra["pages_per_file"], workdir)
    results["ratio_2_over_1_workers"] = results["dask_2"]["docs_per_s"] / results["dask_1"]["docs_per_s"]
    results["load_average"] = [load_before, _load_average()]
    _print(results)
    if out:
        write_json(results, out)


def _print(results: dict[str, Any]) -> None:
    before, after = results["load_average"]
    table = Table(title=f"scale-out: {results['docs']} documents, {results['pages']} pages, "
                        f"{results['machine']['cpus']} cores, load average {before:.1f} → {after:.1f}",
                  title_justify="left")
    for column in ("figure", "seconds", "docs/s", "pages/s", "ratio"):
        table.add_column(column, justify="left" if column == "figure" else "right")
    pages, docs = results["pages"], results["docs"]
    bare, local = results["bare_pdfplumber"], results["in_process"]
    table.add_row("bare pdfplumber chars, 1 core", f"{bare['seconds']:.2f}", f"{docs / bare['seconds']:.2f}",
                  f"{bare['pages_per_s']:.1f}", "floor")
    table.add_row("process_document, 1 core in process", f"{local['seconds']:.2f}",
                  f"{local['docs_per_s']:.2f}", f"{local['pages_per_s']:.1f}",
                  f"{bare['seconds'] / local['seconds']:.2f}× floor")
    for workers in (1, 2):
        run = results[f"dask_{workers}"]
        table.add_row(f"extract on Dask, {workers} worker(s)", f"{run['seconds']:.2f}",
                      f"{run['docs_per_s']:.2f}", f"{pages / run['seconds']:.1f}",
                      f"{run['docs_per_s'] / local['docs_per_s']:.2f}× in process")
    table.add_row("Dask 2 workers / 1 worker", "", "", "", f"{results['ratio_2_over_1_workers']:.2f}")
    for name, size in results["storage"].items():
        table.add_row(f"{name}: bytes a document adds (per page)", "", "", "",
                      f"{size['per_doc'] / 1024:.1f} KiB ({size['per_page'] / 1024:.1f} KiB)")
    Console().print(table)


if __name__ == "__main__":
    typer.run(main)
