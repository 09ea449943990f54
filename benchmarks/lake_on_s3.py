"""Which way DuckDB should read a lake on S3 (docs/SCALING.md): measured, on a real S3 server.

    python -m benchmarks.lake_on_s3 [--docs 400] [--httpfs-python PATH]

Writes the same synthetic lake (tests/load's corpus) locally and to SeaweedFS on 127.0.0.1, then
times reading every table into DuckDB tables:

* local files, DuckDB read_parquet (the bare library: the floor);
* S3 through pyarrow.fs into Arrow tables that DuckDB 2.0.0 (the pinned one) scans: the route
  load/publish.py takes;
* S3 read by DuckDB 1.5.5 itself with the httpfs extension (`duckdb-extension-httpfs` 1.5.5, loaded
  from its installed file, offline), when `--httpfs-python` names a Python that has both, e.g.
  `python3 -m venv /tmp/duck155 && /tmp/duck155/bin/pip install duckdb==1.5.5 duckdb-extension-httpfs==1.5.5`;
* and the whole publish (load/publish.py) from the local lake and from the S3 lake, with the size
  of the resulting DuckDB file against the lake's.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from load.tables import DOCUMENT_TABLES

console = Console(stderr=True)

# Runs under the other Python (duckdb 1.5.5 + httpfs): reads the lake from S3, prints seconds and rows.
HTTPFS_READER = r"""
import json, sys, time, pathlib, duckdb, duckdb_extension_httpfs
config = json.load(sys.stdin)
extension = next(pathlib.Path(duckdb_extension_httpfs.__path__[0]).rglob("httpfs.duckdb_extension"))
connection = duckdb.connect()
connection.execute(f"LOAD '{extension}'")
connection.execute("CREATE SECRET lake (TYPE s3, KEY_ID $key, SECRET $secret, ENDPOINT $endpoint, "
                   "URL_STYLE 'path', USE_SSL false, REGION 'us-east-1')".replace("$key", repr(config["key"]))
                   .replace("$secret", repr(config["secret"])).replace("$endpoint", repr(config["endpoint"])))
started, rows = time.perf_counter(), {}
for table in config["tables"]:
    files = f"{config['url']}/{table}/*/*.parquet"
    connection.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet('{files}', filename = true, "
                       "hive_partitioning = false, union_by_name = true)")
    rows[table] = connection.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
print(json.dumps({"seconds": time.perf_counter() - started, "rows": rows, "duckdb": duckdb.__version__}))
"""


def _read_local(lake: Path) -> tuple[float, dict[str, int]]:
    import duckdb

    connection = duckdb.connect()
    started, rows = time.perf_counter(), {}
    for table in DOCUMENT_TABLES:
        files = f"{lake}/{table}/*/*.parquet"
        connection.execute(f"CREATE TABLE {table} AS SELECT * FROM read_parquet('{files}', filename = true, "
                           "hive_partitioning = false, union_by_name = true)")
        rows[table] = connection.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    return time.perf_counter() - started, rows


def _read_arrow(data_root: Path) -> tuple[float, dict[str, int]]:
    """The publish route: lake files through pyarrow.fs, one Arrow table per table, scanned by DuckDB."""
    from concurrent.futures import ThreadPoolExecutor

    import duckdb
    import pyarrow as pa

    from extract.datadir import DataDir
    from load.lake import lake_files, read_lake_file
    from load.publish import LAKE_READ_THREADS

    lake = DataDir(data_root).lake_store
    connection = duckdb.connect()
    started, rows = time.perf_counter(), {}
    with ThreadPoolExecutor(max_workers=LAKE_READ_THREADS) as pool:
        for table in DOCUMENT_TABLES:
            files = lake_files(lake, table)
            parts = list(pool.map(lambda path: read_lake_file(lake, str(path)), files))
            connection.register("lake_input", pa.concat_tables(parts, promote_options="default"))
            connection.execute(f"CREATE TABLE {table} AS SELECT * FROM lake_input")
            connection.unregister("lake_input")
            rows[table] = connection.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    return time.perf_counter() - started, rows


def _read_httpfs(python: str, server: Any, url: str) -> dict[str, Any]:
    config = {"key": server.access_key, "secret": server.secret_key,
              "endpoint": server.endpoint_url.removeprefix("http://"), "url": url,
              "tables": list(DOCUMENT_TABLES)}
    done = subprocess.run([python, "-c", HTTPFS_READER], input=json.dumps(config), capture_output=True,
                          text=True, timeout=600, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout)


def _timed_publish(data_root: Path) -> float:
    from extract.datadir import DataDir
    from load.publish import publish

    started = time.perf_counter()
    publish(DataDir(data_root), rebuild=True)
    return time.perf_counter() - started


def main(docs: Annotated[int, typer.Option(help="Documents in the lake")] = 400,
         httpfs_python: Annotated[str | None, typer.Option(
             help="A Python with duckdb 1.5.5 + duckdb-extension-httpfs 1.5.5")] = None) -> None:
    from load.lake import write_documents
    from tests.load.load_corpus import corpus
    from tests.scale.services import seaweedfs_s3

    load_before = os.getloadavg()[0]
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="minutes-bench-s3-") as scratch, \
            seaweedfs_s3(Path(scratch) / "s3") as server:
        local_root, s3_root = Path(scratch) / "local", Path(scratch) / "s3-data"
        console.log(f"writing a {docs}-document lake locally and to S3")
        write_documents(local_root / "lake", corpus(docs))
        env = server.env("bench")
        os.environ.update(env)
        try:
            from extract.datadir import DataDir

            write_documents(DataDir(s3_root).lake_store, corpus(docs))
            lake_bytes = sum(path.stat().st_size for path in (local_root / "lake").rglob("*.parquet"))
            console.log("reading it into DuckDB, three ways")
            results["local read_parquet"] = _read_local(local_root / "lake")
            results["S3 via pyarrow.fs → Arrow → DuckDB 2.0.0"] = _read_arrow(s3_root)
            if httpfs_python:
                httpfs = _read_httpfs(httpfs_python, server, f"{env['MINUTES_STORE_URL']}/lake")
                if "error" in httpfs:
                    console.log(f"httpfs route failed: {httpfs['error']}")
                else:
                    results[f"S3 via DuckDB {httpfs['duckdb']} httpfs"] = (httpfs["seconds"], httpfs["rows"])
            console.log("whole publish (rebuild) from each lake")
            publish_s3 = _timed_publish(s3_root)
        finally:
            for name in env:
                os.environ.pop(name, None)
        publish_local = _timed_publish(local_root)
        warehouse_bytes = (local_root / "warehouse.duckdb").stat().st_size
    table = Table(title=f"lake → DuckDB: {docs} documents, {lake_bytes / 2**20:.1f} MiB of Parquet, "
                        f"load average {load_before:.1f} → {os.getloadavg()[0]:.1f}", title_justify="left")
    for column in ("route", "seconds", "× local", "rows"):
        table.add_column(column, justify="left" if column == "route" else "right")
    floor = results["local read_parquet"][0]
    reference_rows = results["local read_parquet"][1]
    for route, (seconds, rows) in results.items():
        table.add_row(route, f"{seconds:.2f}", f"{seconds / floor:.2f}",
                      "same" if rows == reference_rows else f"DIFFERENT: {rows}")
    table.add_row("publish (rebuild), local lake", f"{publish_local:.2f}", "", "")
    table.add_row("publish (rebuild), lake on S3", f"{publish_s3:.2f}",
                  f"{publish_s3 / publish_local:.2f}", "")
    # At this size the DuckDB file's fixed part no longer dominates: its size over the lake's is the
    # factor docs/SCALING.md applies to the lake bytes per document measured on real PDFs.
    table.add_row(f"warehouse {warehouse_bytes / 2**20:.1f} MiB / lake", "",
                  f"{warehouse_bytes / lake_bytes:.2f}", "")
    Console().print(table)


if __name__ == "__main__":
    typer.run(main)
