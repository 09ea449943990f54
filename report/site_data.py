"""What the report shows, read from the warehouse through load's read-only query helper.

The SQL is warehouse/report_site.sql; this module only runs it and groups rows per document.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from extract.datadir import DataDir
from load import query

Row = dict[str, Any]
FETCH_FAILURES = "fetch_failures"  # added by a later migration: older warehouses have none


@dataclass
class MeetingDetail:
    meeting: Row
    agenda_items: list[Row] = field(default_factory=list)
    decisions: dict[int, list[Row]] = field(default_factory=dict)   # item_no -> clauses
    reviewed_documents: list[Row] = field(default_factory=list)
    attendance: list[Row] = field(default_factory=list)
    distribution: list[Row] = field(default_factory=list)
    paragraphs: list[Row] = field(default_factory=list)


@dataclass
class ReportData:
    totals: Row
    meetings_per_month: list[Row]
    reviewed_by_year: list[Row]
    agency_followups: list[Row]
    attendance_by_organization: list[Row]
    documents_by_status: list[Row]
    fetch_failures: list[Row] | None       # None: the warehouse has no fetch_failures table
    documents: list[Row]
    meetings: list[MeetingDetail]


def read_report_data(data_dir: DataDir) -> ReportData:
    queries = query.named_queries("report_site.sql")

    def rows(name: str) -> list[Row]:
        columns, values = query.run_query(data_dir, queries[name])
        return [dict(zip(columns, row, strict=True)) for row in values]

    present = {row["table_name"] for row in rows("tables_present")}
    details = {row["doc_id"]: MeetingDetail(row) for row in rows("meetings")}
    for name in ("agenda_items", "reviewed_documents", "attendance", "distribution", "paragraphs"):
        for row in rows(name):
            if row["doc_id"] in details:
                getattr(details[row["doc_id"]], name).append(row)
    clauses: dict[str, dict[int, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for row in rows("decisions"):
        clauses[row["doc_id"]][row["item_no"]].append(row)
    for doc_id, detail in details.items():
        detail.decisions = dict(clauses.get(doc_id, {}))
    return ReportData(
        totals=rows("totals")[0],
        meetings_per_month=rows("meetings_per_month"),
        reviewed_by_year=rows("reviewed_by_year"),
        agency_followups=rows("agency_followups"),
        attendance_by_organization=rows("attendance_by_organization"),
        documents_by_status=rows("documents_by_status"),
        fetch_failures=rows("fetch_failures") if FETCH_FAILURES in present else None,
        documents=rows("documents"),
        meetings=list(details.values()),
    )
