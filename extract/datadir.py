"""Where things live: the data directory and its layout (docs/INTERFACE.md §3; object storage:
docs/SCALING.md).

The manifest and the warehouse are always in the data directory; raw/ and lake/ are there too,
or on S3-compatible object storage: `MINUTES_STORE_URL=s3://bucket/prefix` puts both there
(credentials and endpoint from the usual `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
`AWS_ENDPOINT_URL`). Both go through pyarrow.fs (`Storage`): one code path for either place.

What differs, and why callers ask `is_local`: a local file is made atomic by writing a temp file
and renaming it; an S3 object is atomic by itself (a PUT, or a multipart upload, becomes visible
whole or not at all), but S3 has no rename, so there the object is written in place.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow.fs as pafs


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
    def raw_store(self) -> Storage:
        """Where the raw store is: `raw` beside the manifest, or under MINUTES_STORE_URL."""
        return store_root(self.root).child("raw")

    @property
    def lake_store(self) -> Storage:
        """Where the lake is: `lake` beside the warehouse, or under MINUTES_STORE_URL."""
        return store_root(self.root).child("lake")

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def manifest(self) -> Path:
        """Fetch state: everything seen on every source (SQLite, see extract/manifest.py)."""
        return self.root / "manifest.sqlite"


STORE_URL_ENV = "MINUTES_STORE_URL"
ENDPOINT_ENV = "AWS_ENDPOINT_URL"
REGION_ENV = "AWS_REGION"
S3_CONNECT_TIMEOUT = 10.0
S3_REQUEST_TIMEOUT = 60.0


class StoreConfigError(ValueError):
    """MINUTES_STORE_URL (or its AWS_* companions) cannot be used; one line for the user."""


@dataclass(frozen=True)
class Storage:
    """A folder on a pyarrow filesystem. `base` is the filesystem's own path (no scheme):
    `/abs/data/raw` locally, `bucket/prefix/raw` on S3; `url_prefix` what users read (`s3://…`)."""

    fs: pafs.FileSystem
    base: str
    url_prefix: str
    is_local: bool

    @classmethod
    def local(cls, folder: Path) -> Storage:
        folder = folder.resolve()
        return cls(pafs.LocalFileSystem(), str(folder), str(folder), is_local=True)

    def child(self, *parts: str) -> Storage:
        return Storage(self.fs, self.path(*parts), posixpath.join(self.url_prefix, *parts), self.is_local)

    def path(self, *parts: str) -> str:
        return posixpath.join(self.base, *parts)

    def url(self, *parts: str) -> str:
        return posixpath.join(self.url_prefix, *parts)

    def relative(self, path: str) -> str:
        """`path` (a filesystem path under `base`) relative to `base`."""
        return posixpath.relpath(path, self.base)

    def exists(self, *parts: str) -> bool:
        return self.fs.get_file_info(self.path(*parts)).type == pafs.FileType.File

    def read_bytes(self, *parts: str) -> bytes:
        with self.fs.open_input_stream(self.path(*parts)) as stream:
            return stream.read()

    def files(self, *parts: str) -> list[str]:
        """Every file below `parts` (recursively), as filesystem paths; none when the folder is missing."""
        selector = pafs.FileSelector(self.path(*parts), recursive=True, allow_not_found=True)
        return [info.path for info in self.fs.get_file_info(selector) if info.type == pafs.FileType.File]

    def delete(self, path: str) -> None:
        """Delete a file given by its filesystem path; a file already gone is fine."""
        with contextlib.suppress(FileNotFoundError):
            self.fs.delete_file(path)


def s3_filesystem() -> pafs.S3FileSystem:
    """An S3FileSystem from the AWS_* variables: the endpoint (scheme included) from AWS_ENDPOINT_URL."""
    endpoint = os.environ.get(ENDPOINT_ENV)
    options: dict[str, object] = {
        "region": os.environ.get(REGION_ENV) or "us-east-1",
        "connect_timeout": S3_CONNECT_TIMEOUT,
        "request_timeout": S3_REQUEST_TIMEOUT,
    }
    if endpoint:
        parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
        options.update(endpoint_override=parts.netloc, scheme=parts.scheme)
    key, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
    if key and secret:
        options.update(access_key=key, secret_key=secret)
    return pafs.S3FileSystem(**options)


def store_root(data_root: Path) -> Storage:
    """Where raw/ and lake/ go: MINUTES_STORE_URL when set, else the data directory itself."""
    url = (os.environ.get(STORE_URL_ENV) or "").strip()
    if not url:
        return Storage.local(data_root)
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise StoreConfigError(f"{STORE_URL_ENV} must be s3://bucket[/prefix], got {url!r}")
    base = posixpath.join(parts.netloc, parts.path.strip("/")).rstrip("/")
    return Storage(s3_filesystem(), base, f"s3://{base}", is_local=False)


def is_storage_url(location: str) -> bool:
    return location.startswith("s3://")


def read_url(url: str) -> bytes:
    """The bytes behind a storage URL (`s3://bucket/key` through the AWS_* variables). Dask workers
    receive these, never local paths, so they read from the store wherever they run."""
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ValueError(f"not a storage URL: {url!r}")
    with s3_filesystem().open_input_stream(parts.netloc + parts.path) as stream:
        return stream.read()
