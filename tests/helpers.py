"""Plain helpers shared by test modules (a module, not a conftest: importing it sets nothing up).

Import as `from tests.helpers import ...` (pytest puts the repository root on sys.path: pyproject).
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from extract.furniture import strip_text_furniture
from extract.read import read_document
from transform.interpret import layer_hints
from transform.paragraphs import paragraphs_from_layer, paragraphs_from_text
from transform.record import Paragraph

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO_ROOT / "demo" / "seeds"
# The `minutes` console script of the environment running the tests.
MINUTES = Path(sys.executable).parent / "minutes"


def only_expected_keys(actual: Any, expected: Any) -> Any:
    """`actual` cut down to the keys `expected` has, at every depth (answer keys such as the
    seeds' JSON omit page numbers and other fields a record carries)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return {key: only_expected_keys(actual.get(key), value) for key, value in expected.items()}
    if isinstance(expected, list) and isinstance(actual, list) and len(actual) == len(expected):
        return [only_expected_keys(a, e) for a, e in zip(actual, expected, strict=True)]
    return actual


def read_paragraphs(data: bytes, suffix: str, *, ocr: bool = True) -> SimpleNamespace:
    """A document's bytes → its paragraphs, page count, furniture and own hints: the reading half of
    pipeline.document.process_document, for tests that look at the text rather than the record."""
    layer = read_document(data, suffix, ocr=ocr)
    return SimpleNamespace(paragraphs=paragraphs_from_layer(layer), page_count=layer.page_count,
                           furniture=layer.furniture, hints=layer_hints(layer))


def paragraphs_of_text(text: str) -> list[Paragraph]:
    """Plain extracted text (a TXT file's content) → paragraphs, as the TXT path reads it."""
    return paragraphs_from_text(strip_text_furniture(text.replace("\r\n", "\n").split("\n")))
