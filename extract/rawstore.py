"""Original bytes, content-addressed: raw/<sha256[:2]>/<sha256>.<ext> (docs/INTERFACE.md §3).

Written once, atomically, never modified or deleted: whatever the parser does later, the document
as published can be read again. Locally: temp file in the same folder, fsync, rename. On object
storage (extract/datadir.py): one PUT, which is visible whole or not at all.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from extract.datadir import Storage, is_storage_url, read_url

RAW_MISSING = "raw_missing"
RAW_CORRUPT = "raw_corrupt"


class RawDamaged(Exception):
    """A stored file is gone or no longer holds the bytes it was stored as."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.reason = f"{code}: {message}"


def read_verified(path: Path | str, sha256: str) -> bytes:
    """The bytes of a stored file (a local path or its s3:// URL, as read_raw takes), checked
    against the SHA-256 they were stored under: a file overwritten or damaged on disk is never
    read as the document (nor as a new one)."""
    try:
        data = read_raw(path)
    except FileNotFoundError:
        raise RawDamaged(RAW_MISSING, f"{path} is missing from the raw store") from None
    except OSError as error:
        raise RawDamaged(RAW_MISSING, f"{path} cannot be read: {error.strerror or error}") from None
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise RawDamaged(RAW_CORRUPT, f"{path} no longer matches its SHA-256 (now {actual[:12]}…, "
                                      f"{len(data)} bytes): damaged on disk")
    return data


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    path: Path | str  # a local path; on object storage the blob's s3:// URL
    size: int


class RawStore:
    def __init__(self, root: Path | Storage) -> None:
        self.storage = root if isinstance(root, Storage) else Storage.local(root)

    @property
    def root(self) -> Path:
        return Path(self.storage.base)

    def put(self, data: bytes, ext: str) -> StoredBlob:
        sha = hashlib.sha256(data).hexdigest()
        name = self._relative(sha, ext)
        if not self.storage.exists(name):  # same bytes, same name: already stored, never rewritten
            if self.storage.is_local:
                self._put_local(Path(self.storage.path(name)), sha, data)
            else:
                with self.storage.fs.open_output_stream(self.storage.path(name)) as stream:
                    stream.write(data)
        return StoredBlob(sha256=sha, path=self.path_for(sha, ext), size=len(data))

    def get(self, sha: str) -> bytes:
        return read_verified(self.storage.url(self._find(sha)) if not self.storage.is_local
                             else Path(self.storage.path(self._find(sha))), sha)

    def file_name(self, sha: str) -> str:
        """The stored file's name (`<sha>.<ext>`), whatever its extension; FileNotFoundError if none."""
        return self._find(sha).rsplit("/", 1)[-1]

    def path_for(self, sha: str, ext: str) -> Path | str:
        """Where a blob lives: a local path, or its s3:// URL on object storage."""
        name = self._relative(sha, ext)
        return Path(self.storage.path(name)) if self.storage.is_local else self.storage.url(name)

    def _find(self, sha: str) -> str:
        for path in self.storage.files(sha[:2]):
            file_name = path.rsplit("/", 1)[-1]
            if file_name.startswith(f"{sha}.") and not file_name.endswith(".part"):
                return self.storage.relative(path)
        raise FileNotFoundError(f"no raw blob {sha} under {self.storage.url_prefix}")

    @staticmethod
    def _relative(sha: str, ext: str) -> str:
        return f"{sha[:2]}/{sha}.{ext.lstrip('.').lower()}"

    @staticmethod
    def _put_local(path: Path, sha: str, data: bytes) -> None:
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


def read_raw(location: Path | str) -> bytes:
    """The bytes of a stored blob, by what StoredBlob.path / FetchedDocument.raw_path say."""
    text = str(location)
    return read_url(text) if is_storage_url(text) else Path(text).read_bytes()
