"""Damaged state on disk — lake files, the manifest, raw files — is detected, named, and repaired
from the raw store, and the warehouse comes back equal to what it was."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from extract.datadir import DataDir
from extract.manifest import Manifest, ManifestDamaged, check_manifest
from extract.rawstore import RawDamaged, RawStore, read_verified
from load.lake import damaged_files, lake_files, write_documents
from load.publish import WarehouseError, publish
from load.query import run_query
from tests.cli.output import count
from tests.fetch.fetch_site import minutes_pdf
from tests.helpers import MINUTES, SEEDS_DIR
from tests.load.load_corpus import corpus
from tests.prefect_harness import PrefectServer

pytestmark = pytest.mark.timeout(600)
SEEDS = sorted(p for p in SEEDS_DIR.glob("*.txt") if not p.name.endswith(".normalized.txt"))
SNAPSHOT = ("SELECT doc_id, status, quarantine_reason, url FROM documents",
            "SELECT doc_id, session_no, meeting_date, chair_name FROM meetings",
            "SELECT doc_id, seq, text FROM paragraphs",
            "SELECT doc_id, item_no, clause_no, text FROM decisions")


def _snapshot(data_dir: DataDir) -> list[list[tuple]]:
    return [sorted(run_query(data_dir, query)[1]) for query in SNAPSHOT]


def test_raw_reads_are_verified(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    blob = store.put(b"%PDF-1.4 minutes", "pdf")
    assert read_verified(blob.path, blob.sha256) == b"%PDF-1.4 minutes"
    blob.path.chmod(0o644)
    blob.path.write_bytes(b"garbage")
    with pytest.raises(RawDamaged, match=r"^raw_corrupt: .* no longer matches its SHA-256"):
        store.get(blob.sha256)
    blob.path.unlink()
    with pytest.raises(RawDamaged, match=r"^raw_missing: "):
        read_verified(blob.path, blob.sha256)


def test_a_zero_byte_lake_file_is_named_by_publish(tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "data")
    write_documents(data_dir.lake, corpus(3))
    publish(data_dir)
    documents_file = lake_files(data_dir.lake, "documents")[0]
    documents_file.write_bytes(b"")
    truncated = lake_files(data_dir.lake, "paragraphs")[0]
    truncated.write_bytes(truncated.read_bytes()[:100])
    assert {path for path, _ in damaged_files(data_dir.lake)} == {documents_file, truncated}
    with pytest.raises(WarehouseError, match=r"damaged lake file \S+\.parquet \(.+\) and 1 more") as failed:
        publish(data_dir, rebuild=True)
    named = str(failed.value)
    assert str(documents_file) in named or str(truncated) in named
    assert "\n" not in named and "Thrift" not in named


def test_random_bytes_in_the_manifest_are_reported_with_the_way_out(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.sqlite"
    manifest.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(ManifestDamaged, match="minutes repair"):
        check_manifest(manifest)
    with pytest.raises(ManifestDamaged, match="damaged"):
        Manifest(manifest)


def _minutes(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(MINUTES), *args], env=env, capture_output=True, text=True, timeout=300,
                          check=False)


@pytest.mark.integration
def test_damaged_lake_manifest_and_raw_files_are_detected_and_rebuilt(
        prefect_server: PrefectServer, tmp_path: Path) -> None:
    data_dir = DataDir(tmp_path / "data")
    env = prefect_server.client_env(MINUTES_DATA_DIR=str(data_dir.root))
    pdf = tmp_path / "m57.pdf"
    pdf.write_bytes(minutes_pdf(57))
    assert _minutes(env, "ingest", *map(str, SEEDS), str(pdf)).returncode == 0
    before = _snapshot(data_dir)
    assert len(before[0]) == 3

    # 1. A zero-byte documents file and a cut paragraphs file: named, set aside, rebuilt.
    zeroed = lake_files(data_dir.lake, "documents")[0]
    zeroed.write_bytes(b"")
    done = _minutes(env, "backfill", "--reprocess", "--source", "all")
    assert done.returncode == 1, done.stdout + done.stderr  # loud: the lake was damaged
    assert f"WARNING source: lake_damaged: {zeroed} (" in done.stdout
    assert (data_dir.lake / "_damaged" / "documents" / zeroed.parent.name / zeroed.name).exists()
    assert not damaged_files(data_dir.lake)
    assert _snapshot(data_dir) == before

    # 2. Random bytes in the manifest: the run stops with one line; repair rebuilds it.
    data_dir.manifest.write_bytes(bytes(range(256)) * 64)
    done = _minutes(env, "backfill", "--reprocess", "--source", "all")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "is damaged" in done.stderr and "minutes repair" in done.stderr
    repaired = _minutes(env, "repair")
    assert repaired.returncode == 0, repaired.stderr
    assert "manifest rebuilt: 3 documents from the raw store" in repaired.stdout
    assert list(data_dir.root.glob("manifest.sqlite.damaged-*"))  # kept, not deleted
    with Manifest(data_dir.manifest) as manifest:
        assert {row["source"] for row in manifest.documents()} == {"local"}
        assert {row["url"] for row in manifest.documents()} == {row[3] for row in before[0]}
    done = _minutes(env, "backfill", "--reprocess", "--source", "all")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _snapshot(data_dir) == before

    # 3. One raw file overwritten, one deleted, the record cache gone: those two fail, the third
    #    is read; no phantom document, the warehouse keeps the rows it had.
    raw_files = sorted(data_dir.raw.rglob("*.txt"))
    raw_files[0].chmod(0o644)
    raw_files[0].write_bytes("垃圾".encode() * 100)
    raw_files[1].unlink()
    shutil.rmtree(data_dir.root / "cache")
    done = _minutes(env, "backfill", "--reprocess", "--source", "all")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "WARNING source: raw_corrupt: " in done.stdout and "WARNING source: raw_missing: " in done.stdout
    assert count(done.stdout, "parsed") == 1
    assert _snapshot(data_dir) == before
