"""The DOCX of the second toolchain: deterministic, and written with the word processor's features
(justified body, distributed names in a borderless table, tab stops, PAGE field, line grid)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile

import docx
import pytest

from demo.corpus import seed_docs
from demo.docx_layout import render_docx

SEED = seed_docs()[0]


def _document_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()


def test_same_document_same_bytes() -> None:
    assert render_docx(SEED) == render_docx(SEED)


def test_word_processor_features_are_used() -> None:
    table = render_docx(SEED, "table")
    xml = _document_xml(table)
    assert 'w:jc w:val="both"' in xml                    # 两端对齐
    assert 'w:jc w:val="distribute"' in xml              # 分散对齐 names
    assert re.search(r'<w:tab [^>]*w:val="right"', xml)  # the 印发 date on a right tab stop
    assert 'w:instr=" PAGE "' in _footers(table)
    assert 'w:type="lines"' in xml and 'w:linePitch="579"' in xml
    read = docx.Document(io.BytesIO(table))
    names = [cell.text for cell in read.tables[0].rows[0].cells[1:]]
    assert names[:2] == ["李亚平", "王翔"]
    # Text carries every paragraph: the document is the answer key's content.
    body = "".join(p.text for p in read.paragraphs) + "".join(
        c.text for t in read.tables for r in t.rows for c in r.cells)
    for paragraph in SEED.paragraphs[:25]:
        assert paragraph.replace(" ", "") in body.replace("\t", "")


def test_flowing_names_are_padded_with_ideographic_spaces() -> None:
    read = docx.Document(io.BytesIO(render_docx(SEED, "flowing")))
    attendance = next(p.text for p in read.paragraphs if p.text.startswith("出席："))
    assert attendance.startswith("出席：李亚平\u3000王\u3000翔\u3000洪宗明")


def test_unknown_attendance_style_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown attendance style"):
        render_docx(SEED, "columns")


def test_the_nightly_path_imports_neither_python_docx_nor_the_office_toolchain() -> None:
    # `make run` stays light: the CLI and the demo site work without python-docx installed.
    code = ("import sys; sys.modules['docx'] = None\n"
            "import minutes_etl.cli, demo.site, demo.server\n"
            "assert 'demo.office' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def _footers(data: bytes) -> str:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return "".join(archive.read(name).decode() for name in archive.namelist() if "footer" in name)
