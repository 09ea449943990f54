"""Property: whatever the order of loads, reloads, reprocessing and publishes, the warehouse holds
exactly the last version written of each document, and the lake one copy of it."""

from __future__ import annotations

from collections import Counter

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.datadir import DataDir
from load.lake import lake_files, write_documents
from load.publish import publish
from load.query import run_query
from load.rows import table_rows
from load.tables import DOCUMENT_TABLES
from tests.load.load_corpus import document

# (document index, parser version, years its meeting moves on reprocessing)
writes = st.tuples(st.integers(0, 7), st.sampled_from(["1.0.0", "1.1.0", "1.2.0"]), st.integers(0, 2))
steps = st.lists(
    st.tuples(st.lists(writes, min_size=1, max_size=6), st.integers(1, 4), st.booleans()),
    min_size=1, max_size=4,
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
def test_the_warehouse_holds_the_last_version_written_of_each_document(
        tmp_path_factory: pytest.TempPathFactory, steps: list) -> None:
    data_dir = DataDir(tmp_path_factory.mktemp("property") / "data")
    last: dict[int, tuple[str, int]] = {}
    for batch, batch_docs, publish_now in steps:
        items = [document(index, version=version, year_shift=shift) for index, version, shift in batch]
        write_documents(data_dir.lake, items, batch_docs=batch_docs)
        last.update({index: (version, shift) for index, version, shift in batch})
        if publish_now:
            publish(data_dir)
    publish(data_dir)

    expected: Counter[str] = Counter()
    versions = set()
    for index, (version, shift) in last.items():
        meta, record = document(index, version=version, year_shift=shift)
        versions.add((meta.doc_id, version))
        for table, rows in table_rows(meta, record).items():
            expected[table] += len(rows)
    counts = {table: run_query(data_dir, f"SELECT count(*) FROM {table}")[1][0][0]
              for table in DOCUMENT_TABLES}
    assert counts == {table: expected[table] for table in DOCUMENT_TABLES}
    assert set(run_query(data_dir, "SELECT doc_id, parser_version FROM documents")[1]) == versions
    lake_ids = [doc for path in lake_files(data_dir.lake, "documents")
                for doc in pq.ParquetFile(path).read(columns=["doc_id"]).column("doc_id").to_pylist()]
    assert len(lake_ids) == len(set(lake_ids)) == len(last)
