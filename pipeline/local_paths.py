"""Local files as documents (`minutes ingest`): which to take.

Nothing is dropped silently: a file named on the command line is always taken (what cannot be
read is quarantined `unsupported_type` by the pipeline, its bytes kept in the raw store); a file met
while walking a folder is taken when it is a document type the pipeline reads, or a PDF whatever its
name, and otherwise listed as skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from extract.sniff import READABLE_SUFFIXES, SNIFF_BYTES, is_pdf


@dataclass(frozen=True)
class SkippedFile:
    path: Path
    reason: str  # one line: "not a document type (.docx)", "unreadable: …"


@dataclass
class LocalFiles:
    files: list[Path] = field(default_factory=list)  # to ingest, in the order given (folders sorted)
    skipped: list[SkippedFile] = field(default_factory=list)  # met in a folder and left there


def expand_paths(paths: list[str]) -> LocalFiles:
    """Files as given, whatever their type; folders walked for the document types `minutes parse`
    reads (and PDFs by their bytes), everything else there counted as skipped."""
    found = LocalFiles()
    for given in map(Path, paths):
        if given.is_dir():
            folder = given.resolve()
            for path in sorted(p for p in given.rglob("*") if p.is_file()):
                reason = _leaves(path, folder) or _why_not_a_document(path)
                if reason is None:
                    found.files.append(path)
                else:
                    found.skipped.append(SkippedFile(path, reason))
        elif given.is_file():
            found.files.append(given)
        else:
            raise FileNotFoundError(f"no such file or folder: {given}")
    return found


def _leaves(path: Path, folder: Path) -> str | None:
    """A symlink met in a folder that points outside it is not followed: ingesting a folder must
    never copy a system file (`x.txt -> /etc/shadow`) into the raw store. A file named on the
    command line is the user's explicit choice and is taken wherever it points."""
    target = path.resolve()
    if target.is_relative_to(folder):
        return None
    return f"a symlink leaving the folder ({target}): not followed"


def _why_not_a_document(path: Path) -> str | None:
    """None for a document to ingest; else why the walk leaves this file out."""
    if path.suffix.lower() in READABLE_SUFFIXES:
        return None
    try:
        with path.open("rb") as file:
            head = file.read(SNIFF_BYTES)
    except OSError as error:
        return f"unreadable: {error.strerror or error}"
    if is_pdf(head):
        return None
    return f"not a document type ({path.suffix.lower() or 'no suffix'})"
