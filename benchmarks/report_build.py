"""`minutes report` against the bare libraries it spends its time in, on the same warehouse, in one run.

    python -m benchmarks.report_build --data-dir DATA_DIR     (a warehouse with its raw store: `make run`)

Prints: the whole build (in-process), the bare floor of its page images (pypdfium2 renders every
page of every parsed PDF and Pillow writes it, nothing else), and their ratio; the rest of the build
is the warehouse queries, the charts and the HTML pages.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Annotated

import pypdfium2
import typer

from extract.datadir import DataDir
from extract.rawstore import RawStore
from load import query
from report.evidence import GREYSCALE, PNG_COMPRESS_LEVEL, RENDER_SCALE
from report.static_site import build_report


def bare_render(data_dir: DataDir, out: Path) -> tuple[float, int]:
    """Seconds to render and save every page of the meetings' PDFs, and the page count."""
    _, rows = query.run_query(data_dir, "SELECT doc_id FROM meetings")
    raw, pages = RawStore(data_dir.raw), 0
    started = time.perf_counter()
    for (doc_id,) in rows:
        path = raw.find(doc_id)
        if path.suffix != ".pdf":
            continue
        document = pypdfium2.PdfDocument(str(path))
        for index in range(len(document)):
            image = document[index].render(scale=RENDER_SCALE, grayscale=GREYSCALE).to_pil()
            image.save(out / f"{doc_id}-{index}.png", format="PNG", compress_level=PNG_COMPRESS_LEVEL)
            pages += 1
        document.close()
    return time.perf_counter() - started, pages


def main(data_dir: Annotated[Path, typer.Option("--data-dir", file_okay=False)] = Path("data")) -> None:
    location = DataDir(data_dir.resolve())
    with tempfile.TemporaryDirectory(prefix="minutes-bench-report-") as work:
        started = time.perf_counter()
        built = build_report(location, Path(work) / "site")
        whole = time.perf_counter() - started
        floor, pages = bare_render(location, Path(work))
    print(f"report build        {whole:7.2f} s  ({built.meetings} meetings, {built.page_images} page images, "
          f"{built.charts} charts)")
    print(f"bare page rendering {floor:7.2f} s  ({pages} pages, pypdfium2 + Pillow)")
    print(f"build / bare        {whole / floor:7.2f}×" if floor else "build / bare: no PDF pages")


if __name__ == "__main__":
    typer.run(main)
