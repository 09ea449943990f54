"""`minutes report`: a static site from the warehouse that opens from disk, offline.

    index.html                        overview: totals, charts (with their numbers), meetings, documents
    style.css
    charts/<name>.svg                 report/charts.py
    meetings/<doc_id>.html            one page per meeting; each paragraph and clause links to …
    evidence/<doc_id>/page-N.html     … its PDF page as an image, the paragraph's box drawn on it
    evidence/<doc_id>/page-N.png
    originals/<doc_id>.<ext>          the original bytes, copied from the raw store

Every value from a document goes through the templates' autoescaping. The site is built in a sibling
folder and swapped in at the end: a reader of the old site never sees half a new one.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from extract.datadir import DataDir
from extract.rawstore import RawStore
from report import charts
from report.evidence import Evidence, PageImage, copy_original, gather
from report.site_data import ReportData, Row, read_report_data

MARKER = ".minutes-report"  # names a folder this command built (and may replace)
BOX_MARGIN_POINTS = 2.0     # drawn boxes stand a little off the glyphs


class ReportError(RuntimeError):
    """The site could not be built; one line for the user."""


@dataclass
class SiteReport:
    out: Path
    meetings: int
    documents: int
    page_images: int
    charts: int
    seconds: float


@dataclass
class ChartView:
    name: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str | None = None


def build_report(data_dir: DataDir, out: Path | None = None) -> SiteReport:
    started = time.monotonic()
    out = (out or data_dir.root / "report").resolve()
    _check_replaceable(out)
    try:
        data = read_report_data(data_dir)
    except Exception as error:
        raise ReportError(str(error)) from error
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        page_images, chart_count = _write_site(staging, data, data_dir)
        (staging / MARKER).write_text(
            "built by `minutes report`; the whole folder is replaced by the next build\n", encoding="utf-8")
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return SiteReport(out, len(data.meetings), len(data.documents), page_images, chart_count,
                      round(time.monotonic() - started, 2))


def _check_replaceable(out: Path) -> None:
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise ReportError(f"{out} exists and is not a report built by `minutes report`: choose another --out")


def _swap(staging: Path, out: Path) -> None:
    """Put the new site in place of the old; the old one is removed only after the rename."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("report", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["show"] = _show
    return env


def _show(value: Any, missing: str = "—") -> str:
    if value is None:
        return missing
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def _write_site(site: Path, data: ReportData, data_dir: DataDir) -> tuple[int, int]:
    env = _environment()
    common = {"built_at": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "warehouse": str(data_dir.warehouse)}
    raw = RawStore(data_dir.raw_store)
    shutil.copyfile(Path(__file__).with_name("templates") / "style.css", site / "style.css")

    chart_dir = site / "charts"
    chart_dir.mkdir()
    views = []
    for chart, view in _chart_specs(data):
        (chart_dir / f"{chart.name}.svg").write_text(chart.svg, encoding="utf-8")
        views.append(view)

    meeting_ids = {detail.meeting["doc_id"] for detail in data.meetings}
    originals: dict[str, str] = {}
    page_images = 0
    (site / "meetings").mkdir()
    meeting_page = env.get_template("meeting.html")
    evidence_page = env.get_template("evidence.html")
    for detail in data.meetings:
        doc_id = detail.meeting["doc_id"]
        evidence = gather(raw, doc_id, site)
        if evidence.original:
            originals[doc_id] = evidence.original.relative_to(site).as_posix()
        boxes = _boxes(detail.paragraphs, evidence)
        for page in evidence.pages.values():
            _write(site / "evidence" / doc_id / f"page-{page.number}.html", evidence_page.render(
                root="../../", **common, doc_id=doc_id, title=detail.meeting.get("title"), page=page,
                page_count=len(evidence.pages), image=page.file.name, boxes=boxes.get(page.number, []),
                original=originals[doc_id]))
        page_images += len(evidence.pages)
        _write(site / "meetings" / f"{doc_id}.html", meeting_page.render(
            root="../", **common, doc_id=doc_id, m=detail.meeting, items=detail.agenda_items,
            decisions=detail.decisions, reviewed=detail.reviewed_documents, attendance=detail.attendance,
            distribution=detail.distribution, paragraphs=detail.paragraphs, pages=set(evidence.pages),
            boxed={box.seq for page_boxes in boxes.values() for box in page_boxes},
            original=originals.get(doc_id), problem=evidence.problem))
    for document in data.documents:  # quarantined documents: their original, to see why
        doc_id = document["doc_id"]
        if doc_id not in originals:
            copied = _copy_original(raw, doc_id, site)
            if copied:
                originals[doc_id] = copied
    _write(site / "index.html", env.get_template("index.html").render(
        root="", **common, totals=data.totals, charts=views, meetings=[d.meeting for d in data.meetings],
        documents=data.documents, meeting_ids=meeting_ids, originals=originals))
    return page_images, len(views)


def _copy_original(raw: RawStore, doc_id: str, site: Path) -> str | None:
    copied = copy_original(raw, doc_id, site / "originals")
    return copied.relative_to(site).as_posix() if copied else None


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class Box:
    seq: int
    text: str
    left: float    # percent of the page's width / height
    top: float
    width: float
    height: float


def _boxes(paragraphs: list[Row], evidence: Evidence) -> dict[int, list[Box]]:
    """The paragraphs' boxes per rendered page, in percent of the page (paragraphs without a box —
    TXT, HTML — have none)."""
    boxes: dict[int, list[Box]] = defaultdict(list)
    for p in paragraphs:
        page: PageImage | None = evidence.pages.get(p["page_start"]) if p["page_start"] else None
        if page is None or None in (p["x0"], p["top"], p["x1"], p["bottom"]):
            continue
        w, h, m = page.width_points, page.height_points, BOX_MARGIN_POINTS
        x0, top = max(p["x0"] - m, 0.0), max(p["top"] - m, 0.0)
        x1, bottom = min(p["x1"] + m, w), min(p["bottom"] + m, h)
        boxes[page.number].append(Box(p["seq"], p["text"], 100 * x0 / w, 100 * top / h,
                                      100 * (x1 - x0) / w, 100 * (bottom - top) / h))
    return boxes


def _chart_specs(data: ReportData) -> list[tuple[charts.Chart, ChartView]]:
    """Each chart and the table of its numbers."""
    specs = []

    months = data.meetings_per_month
    specs.append((
        charts.vertical_bars("meetings_per_month", "Meetings per month",
                             [r["month"] for r in months], [r["meetings"] for r in months],
                             ylabel="meetings"),
        ChartView("meetings_per_month", "Meetings per month", ["month", "meetings"],
                  [[r["month"], r["meetings"]] for r in months if r["meetings"]])))

    reviewed = data.reviewed_by_year
    years = sorted({r["year"] for r in reviewed})
    by_outcome: dict[str, list[int]] = {}
    for r in reviewed:
        label = r["outcome"] if r["action"] == "审议" else f"{r['action']} · {r['outcome']}"
        by_outcome.setdefault(label, [0] * len(years))[years.index(r["year"])] += r["documents"]
    specs.append((
        charts.stacked_bars("reviewed_by_year", "Reviewed regulations and plans, by outcome and year",
                            [str(y) for y in years], by_outcome, ylabel="documents"),
        ChartView("reviewed_by_year", "Reviewed documents by outcome and year",
                  ["year", "action", "outcome", "documents"],
                  [[r["year"], r["action"], r["outcome"], r["documents"]] for r in reviewed])))

    agencies = data.agency_followups
    specs.append((
        charts.horizontal_bars("agency_followups", "Agencies charged with follow-up (top 20)",
                               [r["lead_agency"] for r in agencies],
                               {"assignments": [r["assignments"] for r in agencies]}, xlabel="assignments"),
        ChartView("agency_followups", "Agencies charged with follow-up",
                  ["lead agency", "assignments", "meetings"],
                  [[r["lead_agency"], r["assignments"], r["meetings"]] for r in agencies])))

    attendance = data.attendance_by_organization
    organizations = list(dict.fromkeys(r["organization"] for r in attendance))
    by_role: dict[str, list[int]] = {}
    for r in attendance:
        by_role.setdefault(r["role"], [0] * len(organizations))[organizations.index(r["organization"])] += (
            r["attendances"])
    specs.append((
        charts.horizontal_bars("attendance_by_organization", "Attendance by organization (top 20)",
                               organizations, by_role, xlabel="attendances"),
        ChartView("attendance_by_organization", "Attendance by organization",
                  ["organization", "role", "attendances"],
                  [[r["organization"], r["role"], r["attendances"]] for r in attendance])))

    statuses = data.documents_by_status
    labels = [r["status"] if r["reason_code"] is None else f"quarantined: {r['reason_code']}"
              for r in statuses]
    specs.append((
        charts.horizontal_bars("documents_by_status", "Documents by status and quarantine reason", labels,
                               {"documents": [r["documents"] for r in statuses]}, xlabel="documents"),
        ChartView("documents_by_status", "Documents by status", ["status", "reason", "documents"],
                  [[r["status"], r["reason_code"], r["documents"]] for r in statuses])))

    failures = data.fetch_failures
    note = None
    if failures is None:
        note = "This warehouse has no fetch_failures table yet (a later version records failed downloads)."
    elif not failures:
        note = "No URL is failing: every download that failed has since succeeded."
    failures = failures or []
    specs.append((
        charts.horizontal_bars("fetch_failures", "Fetch failures by source and reason (URLs still failing)",
                               [f"{r['source']}: {r['reason_code']}" for r in failures],
                               {"URLs": [r["urls"] for r in failures]}, xlabel="URLs"),
        ChartView("fetch_failures", "Fetch failures", ["source", "reason", "URLs", "last seen"],
                  [[r["source"], r["reason_code"], r["urls"], r["last_seen"]] for r in failures], note)))
    return specs
