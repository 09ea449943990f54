"""The second rendering toolchain, part 2: DOCX → PDF by LibreOffice headless, cached per machine.

LibreOffice takes seconds to start and about a second a document, so every conversion is one
`soffice --convert-to pdf` call over many files, with a private user profile (a shared one locks
and leaks settings between runs) and a deadline. The PDFs are cached under a key made of the
generator's sources and the LibreOffice version: tests pay for the conversion once per machine.
Only tests and maintainers use this; `minutes run` never needs LibreOffice.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from demo.corpus import CORPUS_VERSION, DemoDoc
from demo.docx_layout import render_docx

SOFFICE = "soffice"
_GENERATOR_SOURCES = ("corpus.py", "phrases.py", "docx_layout.py", "office.py")
# A cold LibreOffice start plus about a second a document, with room for a loaded machine.
_START_SECONDS, _PER_DOC_SECONDS = 60.0, 10.0


class OfficeError(RuntimeError):
    """LibreOffice is missing, failed, or ran past its deadline."""


def soffice_path() -> str:
    found = shutil.which(SOFFICE)
    if found is None:
        raise OfficeError("LibreOffice (soffice) is not installed: `make office` installs it "
                          "(Debian libreoffice-writer-nogui)")
    return found


def office_version() -> str:
    """The LibreOffice build: its line breaking and font handling are part of the output."""
    result = subprocess.run([soffice_path(), "--version"], capture_output=True, text=True, timeout=60,
                            check=False)
    return " ".join(result.stdout.split()) or "unknown"


def convert_to_pdf(docx_files: list[Path], out_dir: Path, *, deadline: float | None = None) -> list[Path]:
    """Convert DOCX files in one LibreOffice call; returns the PDFs in the same order."""
    if not docx_files:
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    seconds = deadline or _START_SECONDS + _PER_DOC_SECONDS * len(docx_files)
    with tempfile.TemporaryDirectory(prefix="minutes-office-profile-") as profile:
        command = [soffice_path(), f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out_dir),
                   *map(str, docx_files)]
        # A session of its own: on the deadline the whole group goes (soffice runs soffice.bin).
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
        try:
            stdout, stderr = process.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise OfficeError(f"LibreOffice did not convert {len(docx_files)} documents within "
                              f"{seconds:g} s") from None
    pdfs = [out_dir / (path.stem + ".pdf") for path in docx_files]
    missing = [pdf.name for pdf in pdfs if not pdf.is_file()]
    if process.returncode != 0 or missing:
        detail = " ".join((stderr or stdout).split())[:300]
        raise OfficeError(f"LibreOffice exit {process.returncode}, missing {missing[:3]}: {detail}")
    return pdfs


def generator_version() -> str:
    digest = hashlib.sha256(CORPUS_VERSION.encode())
    for name in _GENERATOR_SOURCES:
        digest.update(Path(__file__).with_name(name).read_bytes())
    digest.update(office_version().encode())
    return digest.hexdigest()[:12]


def cache_dir() -> Path:
    """$MINUTES_OFFICE_CACHE, else ~/.cache/minutes-etl/office-pdf-<generator version>."""
    configured = os.environ.get("MINUTES_OFFICE_CACHE")
    if configured:
        return Path(configured)
    return Path.home() / ".cache" / "minutes-etl" / f"office-pdf-{generator_version()}"


def office_pdfs(docs: Iterable[DemoDoc], cache: Path | None = None) -> dict[str, bytes]:
    """slug → the document rendered by the second toolchain. Converts what the cache lacks in one
    LibreOffice call; each PDF is written to a temporary name and renamed, never left half."""
    docs = list(docs)
    cache = cache or cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    todo = [doc for doc in docs if not (cache / f"{doc.slug}.pdf").is_file()]
    if todo:
        with tempfile.TemporaryDirectory(prefix="minutes-office-") as work:
            sources = []
            for doc in todo:
                path = Path(work) / f"{doc.slug}.docx"
                path.write_bytes(render_docx(doc))
                sources.append(path)
            for pdf in convert_to_pdf(sources, Path(work) / "pdf"):
                partial = cache / f".{pdf.name}.partial"
                shutil.copyfile(pdf, partial)
                partial.replace(cache / pdf.name)
    return {doc.slug: (cache / f"{doc.slug}.pdf").read_bytes() for doc in docs}
