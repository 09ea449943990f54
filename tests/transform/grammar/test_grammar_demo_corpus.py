"""Every synthetic minutes document of the demo corpus parses to its expected record."""

from __future__ import annotations

from demo.corpus import DemoDoc, expected_with_hints, synthetic_docs
from tests.helpers import only_expected_keys
from transform.grammar import parse_minutes
from transform.record import DocHints, Paragraph

DOCS = synthetic_docs(200)


def parsed(doc: DemoDoc, hints: DocHints) -> dict:
    paras = [Paragraph(seq=i, text=text) for i, text in enumerate(doc.paragraphs, 1)]
    return parse_minutes(paras, hints, doc.slug).to_json_dict()


def test_corpus_is_varied_enough_to_matter() -> None:
    kinds = {item["kind"] for doc in DOCS for item in doc.expected["agenda_items"]}
    assert len(kinds) == 9
    assert any(len(doc.expected["agenda_items"]) > 10 for doc in DOCS)


def test_every_synthetic_doc_parses_to_its_expected_record() -> None:
    mismatched = [doc.slug for doc in DOCS
                  if only_expected_keys(parsed(doc, DocHints()), doc.expected) != doc.expected]
    assert mismatched == []


def test_every_synthetic_doc_with_page_hints() -> None:
    mismatched = []
    for doc in DOCS:
        hints = DocHints(title=doc.title, minutes_no=doc.minutes_no, published_at=doc.published_at)
        expected = expected_with_hints(doc)
        if only_expected_keys(parsed(doc, hints), expected) != expected:
            mismatched.append(doc.slug)
    assert mismatched == []
