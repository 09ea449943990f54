"""Fixtures of the grammar tests (the text builders are in builders.py)."""

from __future__ import annotations

import pytest

from tests.transform.grammar.builders import Parse, paragraphs
from transform.grammar import parse_minutes
from transform.record import DocHints, MinutesRecord


@pytest.fixture
def parse() -> Parse:
    """parse(text, **hints): the record of a document given as normalized lines."""

    def _parse(text: str, **hints: object) -> MinutesRecord:
        return parse_minutes(paragraphs(text), DocHints(**hints), "test-doc")  # type: ignore[arg-type]

    return _parse
