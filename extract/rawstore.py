"""Original bytes, content-addressed: data/raw/<sha256[:2]>/<sha256>.<ext> (docs/INTERFACE.md §3).

Written once, atomically (temp file in the same folder, fsync, rename), never modified or deleted:
whatever the parser does later, the document as published can be read again.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    path: Path
    size: int


class RawStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, data: bytes, ext: str) -> StoredBlob:
        sha = hashlib.sha256(data).hexdigest()
        path = self.path_for(sha, ext)
        if not path.exists():  # same bytes, same name: already stored, never rewritten
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{sha[:8]}-", suffix=".part")
            try:
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temp_name, path)
            except BaseException:
                Path(temp_name).unlink(missing_ok=True)
                raise
        return StoredBlob(sha256=sha, path=path, size=len(data))

    def get(self, sha: str) -> bytes:
        return self.find(sha).read_bytes()

    def find(self, sha: str) -> Path:
        """The stored file of a hash, whatever its extension."""
        for path in (self.root / sha[:2]).glob(f"{sha}.*"):
            if not path.name.endswith(".part"):
                return path
        raise FileNotFoundError(f"no raw blob {sha} under {self.root}")

    def path_for(self, sha: str, ext: str) -> Path:
        return self.root / sha[:2] / f"{sha}.{ext.lstrip('.').lower()}"
