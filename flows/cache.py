"""Parsed records cached per document, keyed by content hash × parser version.

Prefect's task cache works per task run, and our task runs are batches: a batch key would miss as
soon as one document of the batch differs. So the key here is per document — the SHA-256 of its
bytes (its doc_id) and PARSER_VERSION — stored through Prefect's own ResultStore, under the data
directory so the cache travels with the data it describes. Same bytes + same parser: never parsed
again; bump PARSER_VERSION and everything is parsed afresh.
"""

from __future__ import annotations

from prefect.filesystems import LocalFileSystem
from prefect.results import ResultStore

from minutes_etl.settings import DataDir
from transform.record import PARSER_VERSION, MinutesRecord


def cache_key(doc_id: str) -> str:
    return f"record-{PARSER_VERSION}-{doc_id}"


# Quarantines that may go away on their own (a slow machine, a bug of ours): not cached, tried again.
UNCACHED_REASONS = ("timeout", "parser_error")


class RecordCache:
    """Written after a record is loaded into the lake: "in the cache" means "extracted and loaded"."""

    def __init__(self, data_dir: DataDir) -> None:
        self.folder = data_dir.root / "cache"
        self.store = ResultStore(result_storage=LocalFileSystem(basepath=str(self.folder)),
                                 cache_result_in_memory=False)

    def has(self, doc_id: str) -> bool:
        return self.store.exists(cache_key(doc_id))

    def get(self, doc_id: str) -> MinutesRecord | None:
        key = cache_key(doc_id)
        if not self.store.exists(key):
            return None
        try:
            record = self.store.read(key).result
        except Exception:  # a torn or foreign file: parse again rather than fail the run
            return None
        return record if isinstance(record, MinutesRecord) else None

    def put(self, record: MinutesRecord) -> None:
        if (record.quarantine_reason or "").startswith(UNCACHED_REASONS):
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self.store.write(record, key=cache_key(record.doc_id))
