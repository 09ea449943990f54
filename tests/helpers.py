"""Plain helpers shared by test modules (a module, not a conftest: importing it sets nothing up).

Import as `from tests.helpers import ...`; tests/conftest.py puts the repository root on sys.path.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO_ROOT / "minutes_etl" / "demo" / "seeds"
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
