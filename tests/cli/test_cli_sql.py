"""`minutes ingest` of the seeds, then `minutes sql` in its formats, the data dictionary and reports."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest
from conftest import MINUTES
from prefect_harness import PrefectServer

pytestmark = pytest.mark.integration

SEEDS = Path(__file__).resolve().parents[2] / "minutes_etl" / "demo" / "seeds"
QUERY = "SELECT session_no, meeting_date, chair_name FROM meetings ORDER BY meeting_date"


@pytest.fixture(scope="module")
def env(prefect_server: PrefectServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data_dir = tmp_path_factory.mktemp("sql") / "data"
    env = prefect_server.client_env(MINUTES_DATA_DIR=str(data_dir))
    seeds = sorted(str(p) for p in SEEDS.glob("*.txt") if not p.name.endswith(".normalized.txt"))
    done = subprocess.run([str(MINUTES), "ingest", *seeds], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "parsed: 2" in done.stdout
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
