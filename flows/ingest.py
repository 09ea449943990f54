"""Ingest: local files or folders (PDF, HTML, TXT) through the same extract → load path."""

from __future__ import annotations

from pathlib import Path

from prefect import flow

from extract import crawl
from flows.pipeline import Run, run_flow
from flows.summary import RunSummary

INGESTIBLE = frozenset({".pdf", ".html", ".htm", ".shtml", ".txt"})


def expand_paths(paths: list[str]) -> list[Path]:
    """Files as given; folders walked for the document types `minutes parse` reads."""
    found: list[Path] = []
    for given in map(Path, paths):
        if given.is_dir():
            found.extend(sorted(p for p in given.rglob("*")
                                if p.is_file() and p.suffix.lower() in INGESTIBLE))
        elif given.is_file():
            found.append(given)
        else:
            raise FileNotFoundError(f"no such file or folder: {given}")
    return found


@flow(name="ingest", description="Load local files or folders through the same pipeline.")
def ingest(paths: list[str]) -> RunSummary:
    files = expand_paths(paths)

    def body(run: Run) -> None:
        run.summary.discovered = len(files)
        with run.stage("register"):
            documents = [crawl.register_local_file(path, run.data_dir) for path in files]
        run.summary.fetched = len(documents)
        run.process(documents)

    return run_flow("ingest", "local", body)
