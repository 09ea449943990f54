"""Reading the `minutes` commands' piped output in tests (a module, not a conftest)."""

from __future__ import annotations

import re


def count(output: str, name: str) -> int:
    """N of the summary's `name: N` line: matched whole, so `extracted: 40` is not `extracted: 4`."""
    found = re.search(rf"^{re.escape(name)}: (\d+)$", output, re.MULTILINE)
    assert found, f"no '{name}: N' line in:\n{output}"
    return int(found.group(1))
