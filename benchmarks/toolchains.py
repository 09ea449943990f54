"""Accuracy of the pipeline on the demo corpus as each rendering toolchain prints it.

    .venv/bin/python -m benchmarks.toolchains

For the reportlab toolchain (three layout families) and the LibreOffice one (DOCX written by
python-docx, needs `make office`), prints the share of paragraphs read exactly, and the documents
whose whole normalized text and whose record equal their answer keys. An accuracy figure, not a
speed one: no timing is compared.
"""

from __future__ import annotations

from collections.abc import Callable

from demo.corpus import DemoDoc, demo_docs, expected_with_hints
from demo.render import render_pdf
from pipeline.document import process_document
from transform.record import DocHints


def _cut_to(actual: object, expected: object) -> object:
    """`actual` reduced to the keys the answer key has (it leaves out pages and such)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return {key: _cut_to(actual.get(key), value) for key, value in expected.items()}
    if isinstance(expected, list) and isinstance(actual, list) and len(actual) == len(expected):
        return [_cut_to(a, e) for a, e in zip(actual, expected, strict=True)]
    return actual


def measure(docs: list[DemoDoc], pdf_of: Callable[[DemoDoc], bytes]) -> dict[str, int]:
    counts = {"paragraphs": 0, "exact_paragraphs": 0, "docs": len(docs), "exact_text": 0, "exact_record": 0}
    for doc in docs:
        hints = DocHints(title=doc.title, minutes_no=doc.minutes_no, published_at=doc.published_at)
        record = process_document(pdf_of(doc), ".pdf", hints)
        got = [paragraph.text for paragraph in record.paragraphs]
        counts["paragraphs"] += len(doc.paragraphs)
        counts["exact_paragraphs"] += sum(1 for text in doc.paragraphs if text in got)
        counts["exact_text"] += got == doc.paragraphs
        expected = expected_with_hints(doc)
        parsed = record.status == "parsed"
        counts["exact_record"] += parsed and _cut_to(record.to_json_dict(), expected) == expected
    return counts


def main() -> None:
    from demo.office import office_pdfs  # needs python-docx and LibreOffice

    docs = demo_docs()
    office = office_pdfs(docs)
    for name, pdf_of in (("reportlab", lambda doc: render_pdf(doc, doc.family)),
                         ("libreoffice", lambda doc: office[doc.slug])):
        c = measure(docs, pdf_of)
        print(f"{name:12} paragraphs exact {c['exact_paragraphs']}/{c['paragraphs']} "
              f"({c['exact_paragraphs'] / c['paragraphs']:.1%}); documents: text exact "
              f"{c['exact_text']}/{c['docs']}, record exact {c['exact_record']}/{c['docs']}")


if __name__ == "__main__":
    main()
