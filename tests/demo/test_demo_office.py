"""The second rendering toolchain end to end: every demo document written as DOCX (python-docx),
laid out by LibreOffice headless with other fonts, read back by the one pipeline, gives exactly
its answer key (normalized text and record), the seeds included.

The PDFs are cached per machine (keyed on the generator and the LibreOffice version): the first
run on a machine pays for one LibreOffice call over the corpus, later runs read the cache.
"""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from demo import office
from demo.corpus import demo_docs, expected_with_hints, seed_docs
from demo.docx_layout import attendance_style_for, render_docx
from pipeline.document import process_document
from tests.helpers import only_expected_keys
from transform.record import DocHints

pytestmark = pytest.mark.integration

DOCS = demo_docs()


@pytest.fixture(scope="module")
def office_pdfs() -> dict[str, bytes]:
    return office.office_pdfs(DOCS)


def test_every_demo_document_from_libreoffice_parses_to_its_answer_key(office_pdfs: dict[str, bytes]) -> None:
    mismatches = []
    for doc in DOCS:
        hints = DocHints(title=doc.title, minutes_no=doc.minutes_no, published_at=doc.published_at)
        record = process_document(office_pdfs[doc.slug], ".pdf", hints)
        assert record.status == "parsed", (doc.slug, record.quarantine_reason)
        got = record.to_json_dict()
        if [p["text"] for p in got["paragraphs"]] != doc.paragraphs:
            mismatches.append((doc.slug, "normalized text"))
        expected = expected_with_hints(doc)
        if only_expected_keys(got, expected) != expected:
            mismatches.append((doc.slug, "record"))
        assert all(p["page_start"] for p in got["paragraphs"])
    assert {doc.slug for doc in seed_docs()} <= set(office_pdfs)
    assert mismatches == []


def test_the_pdfs_are_libreoffice_layouts_with_other_fonts(office_pdfs: dict[str, bytes]) -> None:
    seed = seed_docs()[0]
    with pdfplumber.open(io.BytesIO(office_pdfs[seed.slug])) as pdf:
        assert "LibreOffice" in pdf.metadata.get("Producer", "")
        fonts = {char["fontname"].split("+")[-1] for page in pdf.pages for char in page.chars}
        footers = [page.extract_text().splitlines()[-1].replace(" ", "") for page in pdf.pages]
    assert any("WenQuanYi" in font for font in fonts)
    assert not any("AR PL" in font or "Sungti" in font or "STSong" in font for font in fonts)
    # `— N —` in the footer of every page.
    assert footers == [f"—{n}—" for n in range(1, len(footers) + 1)]
    # Both attendance settings occur in the corpus (a table in distributed alignment, padded text).
    assert {attendance_style_for(doc) for doc in DOCS} == {"table", "flowing"}


def test_cached_pdfs_are_read_without_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = seed_docs()[1]
    first = office.office_pdfs([doc], tmp_path)
    monkeypatch.setattr(office, "SOFFICE", "no-such-soffice-on-this-machine")
    with pytest.raises(office.OfficeError, match="not installed"):
        office.soffice_path()
    assert office.office_pdfs([doc], tmp_path) == first
    assert [path.name for path in tmp_path.iterdir()] == [f"{doc.slug}.pdf"]


def test_a_conversion_past_its_deadline_stops_libreoffice(tmp_path: Path) -> None:
    source = tmp_path / "slow.docx"
    source.write_bytes(render_docx(seed_docs()[0]))
    before = _soffice_processes()
    with pytest.raises(office.OfficeError, match=r"within 0\.5 s"):
        office.convert_to_pdf([source], tmp_path / "out", deadline=0.5)
    assert _soffice_processes() <= before  # the whole process group was killed
    assert not (tmp_path / "out" / "slow.pdf").exists()


def _soffice_processes() -> set[int]:
    """Our user's soffice.bin processes started with a private profile of this test run."""
    result = subprocess.run(["pgrep", "-u", str(os.getuid()), "-f", "minutes-office-profile-"],
                            capture_output=True, text=True, timeout=10, check=False)
    return {int(pid) for pid in result.stdout.split()}
