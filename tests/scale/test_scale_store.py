"""Raw store and lake on a real S3 server (SeaweedFS on 127.0.0.1): bytes kept and read back by URL,
access keys enforced, and the lake's commit rule without a rename — a writer killed mid-batch leaves
no partial batch visible, and the next writer finishes the job."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pyarrow.fs as pafs
import pytest

from extract.datadir import DataDir, s3_filesystem
from extract.rawstore import RawStore, read_raw
from extract.stored_documents import FetchedDocument, portable
from load.lake import batch_of, lake_files
from load.publish import publish
from load.query import run_query
from load.tables import DOCUMENT_TABLES
from tests.scale.warehouse_rows import warehouse_rows

REPO_ROOT = Path(__file__).resolve().parents[2]
LOADER = "tests.load.loader_proc"  # the crash-test loader of tests/load, run from the repository root
pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


def test_raw_store_on_s3_keeps_the_bytes_and_hands_out_urls(s3_env: dict[str, str], tmp_path: Path) -> None:
    data = b"%PDF-1.4\n" + os.urandom(2048)
    store = RawStore(DataDir(tmp_path).raw_store)
    blob = store.put(data, ".PDF")
    sha = hashlib.sha256(data).hexdigest()
    assert blob.path == f"{s3_env['MINUTES_STORE_URL']}/raw/{sha[:2]}/{sha}.pdf"
    assert read_raw(blob.path) == data == store.get(sha)
    assert store.put(data, "pdf") == blob  # same bytes: stored once, same place
    assert not (tmp_path / "raw").exists()  # nothing local

    document = FetchedDocument(doc_id=sha, raw_path=blob.path, suffix=".pdf", source="s", url="http://x/a.pdf",
                               detail_url=None, title=None, minutes_no=None, published_at=None,
                               fetched_at=dt.datetime(2026, 1, 1), byte_size=len(data))
    handed = portable(document)  # what a Dask worker receives: the URL, not the bytes
    assert (handed.url, handed.data) == (blob.path, None)
    assert handed.read() == data


def test_the_s3_server_enforces_its_access_keys(s3_env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    blob = RawStore(DataDir(tmp_path).raw_store).put(b"kept", "txt")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    with pytest.raises(OSError):
        read_raw(blob.path)


def _loader(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", LOADER, str(data_dir), *args], cwd=REPO_ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _uncommitted(data_dir: Path) -> set[str]:
    lake = DataDir(data_dir).lake_store
    committed = {batch_of(path) for path in lake_files(lake, "documents")}
    return {batch_of(path) for table in DOCUMENT_TABLES for path in lake_files(lake, table)} - committed


def test_a_lake_writer_killed_mid_batch_on_s3_leaves_no_partial_batch(
        s3_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    count = 30
    killed_dir, reference_dir = tmp_path / "s3-run", tmp_path / "local-run"
    # Stopped in its second batch with the data files on S3 and the `documents` file (the commit) not.
    loader = _loader(killed_dir, "--count", str(count), "--batch", "10", "--pause-at", "lake-commit",
                     "--pause-step", "1")
    assert loader.stdout is not None
    for line in loader.stdout:
        if line.strip() == "paused lake-commit 1":
            break
    else:
        pytest.fail(f"loader ended early: {loader.communicate(timeout=30)[1]}")
    loader.send_signal(signal.SIGKILL)
    loader.communicate(timeout=30)

    lake = DataDir(killed_dir).lake_store
    assert not lake.is_local and lake.url_prefix.startswith("s3://")
    uncommitted = _uncommitted(killed_dir)
    assert uncommitted, "the killed batch's data files should be on S3"
    objects = [PurePosixPath(path).name for path in lake.files()]
    assert not any(name.startswith(".") for name in objects)  # no temp objects: S3 writes in place

    publish(DataDir(killed_dir))  # reads only committed batches
    assert run_query(DataDir(killed_dir), "SELECT count(*) FROM documents")[1] == [(10,)]
    batches = run_query(DataDir(killed_dir), "SELECT DISTINCT lake_batch FROM documents")[1]
    visible = {row[0] for row in batches}
    assert not visible & uncommitted

    rerun = _loader(killed_dir, "--count", str(count), "--batch", "10")
    _, errors = rerun.communicate(timeout=200)
    assert rerun.returncode == 0, errors
    assert _uncommitted(killed_dir) == set()  # swept away by the next writer
    assert not (killed_dir / "lake").exists() and (killed_dir / "warehouse.duckdb").exists()

    monkeypatch.delenv("MINUTES_STORE_URL")  # the same load into a local lake, for comparison
    reference = _loader(reference_dir, "--count", str(count), "--batch", "10")
    _, errors = reference.communicate(timeout=200)
    assert reference.returncode == 0, errors
    assert (reference_dir / "lake").is_dir()
    assert warehouse_rows(DataDir(killed_dir)) == warehouse_rows(DataDir(reference_dir))


def test_s3_filesystem_takes_endpoint_and_keys_from_the_environment(s3_env: dict[str, str]) -> None:
    fs = s3_filesystem()
    assert fs.get_file_info(s3_env["MINUTES_STORE_URL"].removeprefix("s3://").split("/")[0]).type == \
        pafs.FileType.Directory
