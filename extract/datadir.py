"""Where things live: the data directory and its layout (docs/INTERFACE.md §3)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DataDir:
    root: Path

    @classmethod
    def from_env(cls, explicit: str | Path | None = None) -> DataDir:
        return cls(Path(explicit or os.environ.get("MINUTES_DATA_DIR") or "data").resolve())

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def lake(self) -> Path:
        return self.root / "lake"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def manifest(self) -> Path:
        """Fetch state: everything seen on every source (SQLite, see extract/manifest.py)."""
        return self.root / "manifest.sqlite"
