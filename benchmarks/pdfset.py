"""The benchmark's input: N distinct synthetic minutes PDFs, spread over the demo's layout families.

Rendering 200 documents takes a while, so the set is cached under a key made of N, the seed and
a hash of the corpus code: reruns reuse it, and a change to the renderer makes a fresh set.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_MANIFEST = "pdfset.json"  # written last: its presence means the set is complete
# The demo modules whose code decides the PDFs' bytes.
_CORPUS_SOURCES = ("corpus.py", "phrases.py", "render.py")


@dataclass(frozen=True)
class PdfSet:
    directory: Path
    files: list[Path]
    families: dict[str, int]  # family name → number of documents


def _corpus_code_hash() -> str:
    """Hash of the demo corpus sources, so cached PDFs are rebuilt when the renderer changes."""
    from demo import corpus

    digest = hashlib.sha256(corpus.CORPUS_VERSION.encode())
    for name in _CORPUS_SOURCES:
        source = Path(corpus.__file__).with_name(name)
        digest.update(source.read_bytes() if source.exists() else b"")
    return digest.hexdigest()[:12]


def _family_of(doc: Any, index: int, families: list[str]) -> str:
    """The document's own family when the corpus assigns one, else round-robin over all families."""
    own = getattr(doc, "family", None)
    return own if isinstance(own, str) and own in families else families[index % len(families)]


def _render_one(job: tuple[Any, str, Path]) -> None:
    from demo.render import render_pdf

    doc, family, path = job
    path.write_bytes(render_pdf(doc, family))


def cached_pdf_set(n: int, seed: int, cache_root: Path, workers: int | None = None) -> PdfSet:
    """N distinct minutes PDFs under `cache_root`, rendered on first use (in parallel) and reused after."""
    from demo import corpus

    target = cache_root / f"pdfs-n{n}-seed{seed}-{_corpus_code_hash()}"
    if (target / _MANIFEST).exists():
        return _load(target)
    families = list(corpus.FAMILIES)
    docs = corpus.synthetic_docs(n, seed)
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    jobs = []
    for index, doc in enumerate(docs):
        family = _family_of(doc, index, families)
        jobs.append((doc, family, partial / f"{index:04d}_{family}.pdf"))
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        list(pool.map(_render_one, jobs, chunksize=4))
    counts: dict[str, int] = {}
    for _, family, _ in jobs:
        counts[family] = counts.get(family, 0) + 1
    (partial / _MANIFEST).write_text(json.dumps({"n": n, "seed": seed, "families": counts}))
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return _load(target)


def _load(directory: Path) -> PdfSet:
    manifest = json.loads((directory / _MANIFEST).read_text())
    return PdfSet(directory, sorted(directory.glob("*.pdf")), manifest["families"])


def subset(pdf_set: PdfSet, count: int, directory: Path) -> Path:
    """A folder holding the first `count` PDFs of the set (hard links where possible)."""
    directory.mkdir(parents=True, exist_ok=True)
    for source in pdf_set.files[:count]:
        link = directory / source.name
        if not link.exists():
            try:
                os.link(source, link)
            except OSError:  # another file system
                shutil.copyfile(source, link)
    return directory
