"""The warehouse's SQL files (warehouse/): read once, split into `-- name: x` blocks.

SQL lives in warehouse/; the Python that runs it finds it here, for publish and query alike.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parents[1] / "warehouse"


class WarehouseError(RuntimeError):
    """A warehouse operation that could not be done; the message is one line for the user."""


@cache
def read_sql(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


@cache
def named_blocks(file_name: str) -> dict[str, str]:
    """`-- name: x` blocks of a warehouse/*.sql file: name → SQL up to the next `-- name:`."""
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in read_sql(file_name).splitlines():
        if line.startswith("-- name:"):
            current = blocks.setdefault(line.removeprefix("-- name:").strip(), [])
        elif current is not None:
            current.append(line)
    return {name: "\n".join(lines).strip() for name, lines in blocks.items()}


def one_line(error: BaseException) -> str:
    return " ".join(str(error).split())
