"""Make the project's packages importable ahead of the test folders that share their names."""

from __future__ import annotations

import sys
from pathlib import Path

# why: this folder and its parents have no __init__.py, and pytest puts `tests/` on sys.path
# ahead of the editable install's finder, so `tests/transform` and `tests/extract` would shadow
# the `transform` and `extract` packages as namespace packages.
REPO_ROOT = Path(__file__).resolve().parents[3]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
