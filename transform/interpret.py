"""A document's text layer → its minutes record: paragraphs, then the grammar.

The one function of transform/ the pipeline calls. What the publisher's page said (hints) fills
in where the document is silent; what the document's own web page or masthead says comes next.
"""

from __future__ import annotations

import dataclasses

from extract.document_number import find_minutes_no
from extract.textlayer import TextLayer
from transform.grammar import parse_minutes
from transform.paragraphs import paragraphs_from_layer
from transform.record import DocHints, Furniture, MinutesRecord


def interpret(layer: TextLayer, hints: DocHints | None, doc_id: str) -> MinutesRecord:
    """Parse one text layer. Raises Quarantine (`not_minutes`) for a document that is not minutes."""
    record = parse_minutes(paragraphs_from_layer(layer), merge_hints(layer_hints(layer), hints), doc_id)
    record.page_count = layer.page_count
    # the layer's furniture first, then what the grammar set apart (a web page's header lines)
    record.furniture = [*(Furniture(line.page, line.kind, line.text) for line in layer.furniture),
                        *record.furniture]
    return record


def layer_hints(layer: TextLayer) -> DocHints:
    """What the document itself carries besides its text: its web page's title, number and date,
    or its masthead's number (`〔2024〕7号`)."""
    masthead = " ".join(line.text for line in layer.furniture if line.kind == "masthead")
    number = layer.hints.document_number or masthead
    return DocHints(title=layer.hints.title, minutes_no=find_minutes_no(number) if number else None,
                    published_at=layer.hints.published_at)


def merge_hints(from_document: DocHints, from_source: DocHints | None) -> DocHints:
    """What the crawler saw on the publisher's page wins over what the file itself carries."""
    if from_source is None:
        return from_document
    merged = {
        field.name: getattr(from_source, field.name) or getattr(from_document, field.name)
        for field in dataclasses.fields(DocHints)
    }
    return DocHints(**merged)
