"""`minutes ingest` of the seeds, then `minutes sql` in its formats, the data dictionary and reports."""

from __future__ import annotations

import csv
import io
import json
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from tests.cli.output import count
from tests.helpers import MINUTES
from tests.prefect_harness import PrefectServer

pytestmark = pytest.mark.integration

SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"
QUERY = "SELECT session_no, meeting_date, chair_name FROM meetings ORDER BY meeting_date"


@pytest.fixture(scope="module")
def env(prefect_server: PrefectServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data_dir = tmp_path_factory.mktemp("sql") / "data"
    env = prefect_server.client_env(MINUTES_DATA_DIR=str(data_dir))
    seeds = sorted(str(p) for p in SEEDS.glob("*.txt") if not p.name.endswith(".normalized.txt"))
    done = subprocess.run([str(MINUTES), "ingest", *seeds], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert count(done.stdout, "parsed") == 2
    return env


def sql(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(MINUTES), "sql", *args], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


def test_sql_csv(env: dict[str, str]) -> None:
    done = sql(env, QUERY, "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == ["session_no", "meeting_date", "chair_name"]
    assert rows[1] == ["107", "2020-08-10", "李亚平"]
    assert len(rows) == 3


def test_sql_json(env: dict[str, str]) -> None:
    done = sql(env, QUERY, "--format", "json")
    assert done.returncode == 0, done.stderr
    records = json.loads(done.stdout)
    assert records[0] == {"session_no": 107, "meeting_date": "2020-08-10", "chair_name": "李亚平"}
    assert len(records) == 2


def test_sql_table_piped_is_tab_separated(env: dict[str, str]) -> None:
    done = sql(env, QUERY)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "session_no\tmeeting_date\tchair_name"
    assert lines[1] == "107\t2020-08-10\t李亚平"


def test_sql_describe_and_report(env: dict[str, str]) -> None:
    described = sql(env, "--describe", "meetings", "--format", "json")
    assert described.returncode == 0, described.stderr
    columns = {row["column"] for row in json.loads(described.stdout)}
    assert {"doc_id", "meeting_date", "chair_name", "chair_title"} <= columns
    report = sql(env, "--report", "meetings_per_month", "--format", "csv")
    assert report.returncode == 0, report.stderr
    assert report.stdout.splitlines()[0].startswith("month,meetings")


@pytest.mark.parametrize(("args", "status"), [
    (("DELETE FROM meetings",), 1),          # the warehouse is read-only here
    (("SELEC nonsense",), 1),                # bad SQL
    (("--report", "no_such_report"), 2),     # usage
])
def test_sql_errors_are_one_line(env: dict[str, str], args: tuple[str, ...], status: int) -> None:
    done = sql(env, *args)
    assert done.returncode == status
    assert "Traceback" not in done.stderr
    if status == 1:
        assert len(done.stderr.strip().splitlines()) == 1


# Values of every shape a query can return: a list holding a comma, a struct, a decimal, intervals,
# and text with a tab, a newline and a backslash.
SHAPES = ("SELECT ['a,b', 'c'] AS tags, {'k': 1, 'when': DATE '2024-01-02'} AS info, "
          "1.50::DECIMAL(5, 2) AS amount, INTERVAL 1 DAY AS one_day, "
          "INTERVAL 90 MINUTE + INTERVAL 1500 MILLISECOND AS span, "
          "'x' || chr(9) || 'y' || chr(10) || 'z\\w' AS text")


def test_sql_csv_writes_nested_values_as_json(env: dict[str, str]) -> None:
    done = sql(env, SHAPES, "--format", "csv")
    assert done.returncode == 0, done.stderr
    header, row = list(csv.reader(io.StringIO(done.stdout)))
    assert header == ["tags", "info", "amount", "one_day", "span", "text"]
    assert json.loads(row[0]) == ["a,b", "c"]
    assert json.loads(row[1]) == {"k": 1, "when": "2024-01-02"}
    assert row[2:] == ["1.50", "P1D", "PT1H30M1.5S", "x\ty\nz\\w"]  # CSV quotes what it must


def test_sql_json_writes_decimals_as_numbers_and_intervals_as_iso_durations(env: dict[str, str]) -> None:
    done = sql(env, SHAPES, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [{"tags": ["a,b", "c"], "info": {"k": 1, "when": "2024-01-02"},
                                        "amount": 1.5, "one_day": "P1D", "span": "PT1H30M1.5S",
                                        "text": "x\ty\nz\\w"}]


def test_sql_piped_table_escapes_tabs_and_newlines(env: dict[str, str]) -> None:
    done = sql(env, SHAPES)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2  # the header and one row: a value's newline does not break the row
    cells = lines[1].split("\t")
    assert cells == ['["a,b", "c"]', '{"k": 1, "when": "2024-01-02"}', "1.50", "P1D", "PT1H30M1.5S",
                     "x\\ty\\nz\\\\w"]


def test_sql_and_status_take_data_dir_after_the_command(env: dict[str, str]) -> None:
    """`minutes sql … --data-dir D` as well as `minutes --data-dir D sql …`; the command's own wins
    over the environment."""
    elsewhere = {**env, "MINUTES_DATA_DIR": str(Path(env["MINUTES_DATA_DIR"]).parent / "no-such-data")}
    data_dir = env["MINUTES_DATA_DIR"]
    for args in (["sql", QUERY, "--data-dir", data_dir, "--format", "csv"],
                 ["--data-dir", data_dir, "sql", QUERY, "--format", "csv"]):
        done = subprocess.run([str(MINUTES), *args], env=elsewhere, capture_output=True, text=True,
                              timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[1] == "107,2020-08-10,李亚平"
    status = subprocess.run([str(MINUTES), "status", "--data-dir", data_dir], env=elsewhere,
                            capture_output=True, text=True, timeout=60, check=False)
    assert status.returncode == 0, status.stderr
    missing = sql(elsewhere, QUERY)  # and without it, the environment's (empty) data directory
    assert missing.returncode == 1 and "no warehouse" in missing.stderr


def test_status_reads_a_warehouse_published_before_its_newest_views(
        env: dict[str, str], tmp_path: Path) -> None:
    """An upgrade: `minutes status` before the next run's publish, on a warehouse without the views
    a newer version added, still prints every section it can."""
    older = tmp_path / "older"
    older.mkdir()
    shutil.copy(Path(env["MINUTES_DATA_DIR"]) / "warehouse.duckdb", older / "warehouse.duckdb")
    with duckdb.connect(str(older / "warehouse.duckdb")) as db:
        db.execute("DROP VIEW current_meetings")
        db.execute("DROP VIEW superseded_documents")
    status = subprocess.run([str(MINUTES), "status", "--data-dir", str(older)], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert status.returncode == 0, status.stderr
    assert "not in this warehouse yet" in status.stdout and "# Last runs" in status.stdout


def test_sigterm_stops_a_long_query_at_once(env: dict[str, str]) -> None:
    """What `docker stop` or systemd sends: the default action, not a handler that would wait for
    DuckDB's C call to return."""
    query = "SELECT sum(a.range * b.range) FROM range(200000) a, range(200000) b"
    running = subprocess.Popen([str(MINUTES), "sql", query], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(3)  # inside the query by now
        assert running.poll() is None
        running.send_signal(signal.SIGTERM)
        running.communicate(timeout=10)
    finally:
        if running.poll() is None:
            running.kill()
            running.communicate(timeout=10)
    assert running.returncode == -signal.SIGTERM
