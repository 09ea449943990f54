"""`minutes backfill --source <column URL>` and `minutes sources check <column URL>` for a loopback
site of every platform family: static TRS pages, the suzhou JSON-API shell, Hanweb jpaas with
dataproxy paging by POST and downfile.jsp attachments, Guangdong gkmlpt. No configuration: the family
is recognised from the column page. The first backfill loads every meeting the site publishes; a
second one downloads no attachment again (counted in the server's log)."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli.output import count
from tests.helpers import MINUTES
from tests.prefect_harness import PrefectServer
from tests.sources.frozen_site import FAMILIES, FrozenSite, Request, load_site, serving

pytestmark = pytest.mark.integration


@dataclass
class Runs:
    site: FrozenSite
    env: dict[str, str]
    data_dir: Path
    check: subprocess.CompletedProcess[str]
    check_log: list[Request]
    check_made_data_dir: bool
    first: subprocess.CompletedProcess[str]
    first_log: list[Request]
    second: subprocess.CompletedProcess[str]
    second_log: list[Request]


def _minutes(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(MINUTES), *args], env=env, capture_output=True, text=True, timeout=300,
                          check=False)


@pytest.fixture(scope="module", params=FAMILIES)
def runs(request: pytest.FixtureRequest, prefect_server: PrefectServer,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    site = load_site(request.param)
    if site.family == "hanweb_jpaas":
        site.refuse_methods = {"GET"}  # this one answers the page's own POST only
    data_dir = tmp_path_factory.mktemp(site.family) / "data"
    env = prefect_server.client_env()
    env.pop("MINUTES_DATA_DIR", None)
    env.pop("MINUTES_SOURCE", None)
    with serving(site):
        check = _minutes(["sources", "check", site.listing_url, "--data-dir", str(data_dir)], env)
        check_log = site.requests()
        check_made_data_dir = data_dir.exists()
        backfill = ["backfill", "--source", site.listing_url, "--data-dir", str(data_dir)]
        first = _minutes(backfill, env)
        first_log = site.requests()[len(check_log):]
        second = _minutes(backfill, env)
        second_log = site.requests()[len(check_log) + len(first_log):]
    yield Runs(site, env, data_dir, check, check_log, check_made_data_dir, first, first_log, second,
               second_log)


def _sql(runs: Runs, query: str) -> list[dict[str, object]]:
    done = _minutes(["sql", "--data-dir", str(runs.data_dir), query, "--format", "json"], runs.env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_sources_check_prints_the_family_and_first_entries_and_stores_nothing(runs: Runs) -> None:
    done = runs.check
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"platform: {runs.site.family} (recognised" in done.stdout
    newest = runs.site.documents[0]  # listings run newest first
    assert f"  {newest.published_at:%Y-%m-%d}  {newest.title}  " in done.stdout
    for doc in runs.site.documents[1:]:
        assert f"{doc.published_at:%Y-%m-%d}  {doc.title}" in done.stdout
    assert "  attachment: PDF  " in done.stdout
    assert not runs.check_made_data_dir  # nothing stored, not even a manifest
    # A few pages: no detail page beyond the first, one attachment peeked at.
    assert sum(1 for r in runs.check_log if r.attachment) == 1


def test_backfill_loads_every_meeting_of_the_site(runs: Runs) -> None:
    done = runs.first
    assert done.returncode == 0, done.stdout + done.stderr
    documents = runs.site.documents
    assert count(done.stdout, "fetched") == len(documents)
    assert count(done.stdout, "parsed") == len(documents) and count(done.stdout, "quarantined") == 0
    rows = _sql(runs, "SELECT d.status, d.url, m.title, m.meeting_date, m.session_no FROM documents d "
                      "JOIN meetings m USING (doc_id) ORDER BY m.meeting_date DESC")
    assert [row["meeting_date"] for row in rows] == [str(doc.meeting_date) for doc in documents]
    assert [row["title"] for row in rows] == [doc.title for doc in documents]
    assert all(row["status"] == "parsed" for row in rows)
    # Every attachment downloaded once; the API and the robots.txt asked as the family does.
    downloads = Counter((r.path, tuple(sorted(r.params.items())))
                        for r in runs.first_log if r.attachment and r.status == 200)
    assert len(downloads) >= len(documents) and set(downloads.values()) == {1}
    assert [r.path for r in runs.first_log].count("/robots.txt") <= 1
    if runs.site.family == "hanweb_jpaas":
        proxy = [(r.method, r.status) for r in runs.first_log if r.path.endswith("dataproxy.jsp")]
        assert proxy == [("POST", 200)]
        assert all(r.path == "/module/download/downfile.jsp" for r in runs.first_log if r.attachment)


def test_second_backfill_downloads_no_attachment_again(runs: Runs) -> None:
    done = runs.second
    assert done.returncode == 0, done.stdout + done.stderr
    assert count(done.stdout, "fetched") == 0
    assert [r for r in runs.second_log if r.attachment and r.status == 200] == []
    assert _sql(runs, "SELECT count(*) AS n FROM meetings") == [{"n": len(runs.site.documents)}]
