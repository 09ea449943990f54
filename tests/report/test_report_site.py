"""`minutes report` on the demo warehouse: the site's pages, charts, evidence and links, from disk."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from extract.datadir import DataDir
from tests.helpers import MINUTES
from tests.report.site_links import broken_links, page_refs

pytestmark = pytest.mark.integration
CHARTS = {"meetings_per_month", "reviewed_by_year", "agency_followups", "attendance_by_organization",
          "documents_by_status", "fetch_failures"}


def report(data_dir: DataDir, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(MINUTES), "report", "--data-dir", str(data_dir.root), *args],
                          capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture(scope="module")
def site(demo_data_dir: DataDir) -> Path:
    done = report(demo_data_dir)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    print(done.stdout)  # the build's figures: meetings, page images, seconds
    out = demo_data_dir.root / "report"
    assert done.stdout.splitlines()[-1] == str(out / "index.html")
    return out


def _count(data_dir: DataDir, sql: str) -> int:
    with duckdb.connect(str(data_dir.warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchone()[0]


def test_every_link_and_image_of_the_site_resolves_inside_it(site: Path) -> None:
    assert broken_links(site) == []


def test_the_overview_has_every_chart_as_svg_with_its_text_drawn(site: Path) -> None:
    refs, _ = page_refs(site / "index.html")
    assert {Path(ref).stem for ref in refs if ref.startswith("charts/")} == CHARTS
    for name in CHARTS:
        svg = (site / "charts" / f"{name}.svg").read_text(encoding="utf-8")
        assert "<text" not in svg  # glyphs are outlines: no font needed to view the chart
        assert svg.count("<path") > 10
    # The numbers behind the agencies chart are there, with a CJK agency name.
    index = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<td>市[\u4e00-\u9fff]+局</td>", index)


def test_one_page_per_meeting_linked_from_the_overview(site: Path, demo_data_dir: DataDir) -> None:
    meetings = _count(demo_data_dir, "SELECT count(*) FROM meetings")
    pages = sorted((site / "meetings").glob("*.html"))
    assert len(pages) == meetings == 25
    refs, _ = page_refs(site / "index.html")
    assert {f"meetings/{page.name}" for page in pages} <= set(refs)


def test_a_meeting_page_shows_its_record_and_links_each_paragraph_to_its_box(
        site: Path, demo_data_dir: DataDir) -> None:
    with duckdb.connect(str(demo_data_dir.warehouse), read_only=True) as connection:
        doc_id, title = connection.execute(
            "SELECT doc_id, title FROM meetings WHERE session_no = 107").fetchone()
        lead_agencies = {r[0] for r in connection.execute(
            "SELECT lead_agency FROM reviewed_documents WHERE doc_id = ? AND lead_agency IS NOT NULL",
            [doc_id]).fetchall()}
        paragraphs = connection.execute(
            "SELECT seq, page_start FROM paragraphs WHERE doc_id = ? ORDER BY seq", [doc_id]).fetchall()
    page = site / "meetings" / f"{doc_id}.html"
    html = page.read_text(encoding="utf-8")
    assert f"<h1>{title}</h1>" in html and lead_agencies and all(a in html for a in lead_agencies)
    assert "李亚平" in html and "列席" in html and "原则同意" in html
    refs, _ = page_refs(page)
    for seq, page_start in paragraphs:
        assert f"../evidence/{doc_id}/page-{page_start}.html#p{seq}" in refs
    assert f"../originals/{doc_id}.pdf" in refs
    assert (site / "originals" / f"{doc_id}.pdf").read_bytes()[:5] == b"%PDF-"
    # The evidence page draws the box inside the page, over an image of it.
    evidence = (site / "evidence" / doc_id / "page-1.html").read_text(encoding="utf-8")
    box = re.search(r'id="p1" href="#p1"[^>]*style="left: ([\d.]+)%; top: ([\d.]+)%; width: ([\d.]+)%; '
                    r'height: ([\d.]+)%"', evidence)
    assert box, evidence[:2000]
    left, top, width, height = map(float, box.groups())
    assert left >= 0 and left + width <= 100 and top >= 0 and top + height <= 100 and width > 30
    assert (site / "evidence" / doc_id / "page-1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_quarantined_documents_are_listed_with_their_reason_and_original(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "no_text_layer:" in index
    assert index.count('class="quarantined"') == 1


def test_a_rebuild_replaces_the_site_and_a_foreign_folder_is_left_alone(
        site: Path, demo_data_dir: DataDir, tmp_path: Path) -> None:
    stale = site / "meetings" / "stale.html"
    stale.write_text("old", encoding="utf-8")
    again = report(demo_data_dir, "--out", str(site))
    assert again.returncode == 0, again.stderr
    assert not stale.exists() and (site / "index.html").is_file()

    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"\xff\xd8")
    refused = report(demo_data_dir, "--out", str(foreign))
    assert refused.returncode == 1
    assert refused.stderr.startswith("minutes: error: ") and refused.stderr.count("\n") == 1
    assert "is not a report built by `minutes report`" in refused.stderr
    assert [p.name for p in foreign.iterdir()] == ["holiday.jpg"]


def _copy(data_dir: DataDir, root: Path) -> DataDir:
    copy = DataDir(root)
    root.mkdir()
    shutil.copyfile(data_dir.warehouse, copy.warehouse)
    shutil.copytree(data_dir.raw, copy.raw)
    return copy


def test_fetch_failures_are_charted(demo_data_dir: DataDir, tmp_path: Path) -> None:
    copy = _copy(demo_data_dir, tmp_path / "data")
    with duckdb.connect(str(copy.warehouse)) as connection:
        connection.execute("""
            INSERT INTO fetch_failures (source, url, detail_url, title, reason_code, message, attempts,
                                        first_seen, last_seen)
            VALUES ('suzhou', 'http://127.0.0.1/a.shtml', 'http://127.0.0.1/a.shtml', '<b>第1次</b>',
                    'http_404', 'gone', 3, TIMESTAMP '2026-11-01 02:00', TIMESTAMP '2026-11-02 02:00'),
                   ('suzhou', 'http://127.0.0.1/b.pdf', NULL, NULL, 'http_404', 'gone', 1,
                    TIMESTAMP '2026-11-01 02:00', TIMESTAMP '2026-11-03 02:00')""")
    done = report(copy)
    assert done.returncode == 0, done.stderr
    index = (copy.root / "report" / "index.html").read_text(encoding="utf-8")
    assert "<td>suzhou</td><td>http_404</td><td class=\"num\">2</td>" in index
    assert "No URL is failing" not in index


def test_no_fetch_failures_and_an_older_warehouse_without_the_table(
        site: Path, demo_data_dir: DataDir, tmp_path: Path) -> None:
    assert "No URL is failing" in (site / "index.html").read_text(encoding="utf-8")
    older = _copy(demo_data_dir, tmp_path / "data")
    with duckdb.connect(str(older.warehouse)) as connection:  # as before migration 0004
        connection.execute("DROP TABLE fetch_failures")
    done = report(older)
    assert done.returncode == 0, done.stderr
    index = (older.root / "report" / "index.html").read_text(encoding="utf-8")
    assert "This warehouse has no fetch_failures table" in index


def test_a_missing_warehouse_is_one_line(tmp_path: Path) -> None:
    done = report(DataDir(tmp_path / "empty"))
    assert done.returncode == 1
    assert done.stderr.startswith("minutes: error: no warehouse at ") and done.stderr.count("\n") == 1
