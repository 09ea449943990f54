"""A warehouse's content for comparing two runs: every table's rows, sorted, without the columns that
differ by run (when fetched, which run, which lake batch); the demo site's port, which each run picks
afresh, masked in URLs."""

from __future__ import annotations

import re
from typing import Any

from extract.datadir import DataDir
from load.query import connect_readonly
from load.tables import ALL_TABLES, RUNS

LOCAL_PORT = re.compile(r"(127\.0\.0\.1|localhost):\d+")
RUN_SPECIFIC = {"fetched_at", "run_id", "lake_batch", "started_at", "finished_at", "loaded_at", "notes"}


def warehouse_rows(data_dir: DataDir) -> dict[str, list[tuple[Any, ...]]]:
    with connect_readonly(data_dir) as connection:
        content = {}
        for table in ALL_TABLES:
            columns = [row[0] for row in connection.execute(f"DESCRIBE {table}").fetchall()
                       if row[0] not in RUN_SPECIFIC]
            if table == RUNS:  # what a run did, not when or under which id
                columns = [c for c in columns if c.startswith("docs_") or c in ("flow", "status")]
            rows = connection.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            content[table] = sorted((tuple(map(_mask_port, row)) for row in rows), key=repr)
    return content


def _mask_port(value: Any) -> Any:
    return LOCAL_PORT.sub(r"\1:PORT", value) if isinstance(value, str) else value
