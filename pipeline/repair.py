"""`minutes repair`: rebuild damaged state from what is never modified, the raw store and the lake.

The manifest (fetch state) is rebuilt from the raw store's files (each checked against the SHA-256
in its name) and what the lake's `documents` rows say of them (source, URL, title, dates); a file
the lake does not know is registered as source `local`. What only the old manifest knew is lost:
listing entries and HTTP validators, so the next run of a source reads its listing afresh and asks
for each entry again (bytes already stored are recognised and not stored twice). The damaged file
is kept beside the new one (`manifest.sqlite.damaged-<time>`), never deleted.

Damaged lake files are set aside (`lake/_damaged/`); `minutes backfill --reprocess --source all`
(or the next run, on its own) reloads their documents from the raw store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from extract.datadir import DataDir
from extract.local_files import LOCAL_SOURCE
from extract.manifest import Manifest, ManifestDamaged, check_manifest, utc_now
from extract.rawstore import RawDamaged, RawStore, read_verified
from load import lake


@dataclass
class RepairReport:
    manifest_damaged: str | None = None      # why, when it was
    manifest_kept_as: Path | None = None
    documents_registered: int = 0
    raw_files_unusable: list[str] = field(default_factory=list)  # "<path>: <reason>"
    lake_files_set_aside: list[str] = field(default_factory=list)


def repair(data_dir: DataDir, *, rebuild_manifest: bool = False) -> RepairReport:
    report = RepairReport()
    for path, why in lake.set_aside_damaged(data_dir.lake_store):
        report.lake_files_set_aside.append(f"{path}: {why}")
    try:
        check_manifest(data_dir.manifest)
    except ManifestDamaged as damaged:
        report.manifest_damaged = str(damaged)
        rebuild_manifest = True
    if rebuild_manifest:
        report.manifest_kept_as = _set_aside_manifest(data_dir.manifest)
        _rebuild_manifest(data_dir, report)
    return report


def _set_aside_manifest(manifest: Path) -> Path | None:
    if not manifest.exists():
        return None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = manifest.with_name(f"{manifest.name}.damaged-{stamp}")
    manifest.replace(kept)
    for suffix in ("-wal", "-shm"):  # SQLite's side files belong to the old database
        side = manifest.with_name(manifest.name + suffix)
        if side.exists():
            side.replace(kept.with_name(kept.name + suffix))
    return kept


def _rebuild_manifest(data_dir: DataDir, report: RepairReport) -> None:
    known = lake.document_index(data_dir.lake_store)
    now = utc_now()
    with Manifest(data_dir.manifest) as manifest:
        store = RawStore(data_dir.raw_store)
        for found in sorted(store.storage.files()):
            name = found.rsplit("/", 1)[-1]
            if name.startswith(".") or name.endswith(".part") or "." not in name:
                continue  # a killed write's temp file
            sha, ext = name.split(".", 1)
            path = store.path_for(sha, ext)
            try:
                data = read_verified(path, sha)
            except RawDamaged as damaged:
                report.raw_files_unusable.append(damaged.reason)
                continue
            row = known.get(sha, {})
            manifest.record_document(
                sha256=sha, ext=ext, size=len(data), raw_path=path,
                source=row.get("source") or LOCAL_SOURCE,
                url=row.get("url") or (path.as_uri() if isinstance(path, Path) else str(path)),
                detail_url=None, title=row.get("title"), minutes_no=None,
                published_at=row.get("published_at"), now=row.get("fetched_at") or now)
            report.documents_registered += 1
