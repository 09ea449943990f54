"""The run summary as Prefect artifacts: what a person opening the flow run in the UI wants to see."""

from __future__ import annotations

from prefect.artifacts import create_markdown_artifact, create_table_artifact

from pipeline.summary import RunSummary

# Artifact keys (lowercase, dashes): the UI keeps a history of each key across runs.
DOCUMENTS_KEY = "minutes-documents"
SUMMARY_KEY = "minutes-run-summary"


def publish_artifacts(summary: RunSummary) -> None:
    if summary.documents:
        create_table_artifact(
            key=DOCUMENTS_KEY,
            description=f"Documents of this {summary.flow} run, with status and quarantine reason",
            table=[{"doc_id": doc.doc_id[:16], "title": doc.title or "", "status": doc.status,
                    "quarantine_reason": doc.quarantine_reason or "", "warnings": ", ".join(doc.warnings),
                    "url": doc.url or ""}
                   for doc in summary.documents],
        )
    create_markdown_artifact(key=SUMMARY_KEY, markdown=summary_markdown(summary),
                             description=f"{summary.flow} run summary")


def summary_markdown(summary: RunSummary) -> str:
    lines = [
        f"# {summary.flow} — {summary.status}",
        "",
        f"**{summary.headline()}**",
        "",
        f"Source: `{summary.source}` · warehouse: `{summary.warehouse}`",
        "",
        "| documents | count |",
        "|---|---:|",
        f"| discovered | {summary.discovered} |",
        f"| fetched | {summary.fetched} |",
        *([f"| already stored (asked again, same bytes) | {summary.already_stored} |"]
          if summary.already_stored else []),
        f"| fetch failures | {summary.fetch_failures} |",
        f"| extracted | {summary.extracted} |",
        f"| reused from cache | {summary.reused} |",
        f"| parsed | {summary.parsed} |",
        f"| quarantined | {summary.quarantined} |",
        *([f"| skipped (not documents) | {len(summary.skipped)} |"] if summary.skipped else []),
        "",
        "| stage | seconds |",
        "|---|---:|",
        *(f"| {stage} | {seconds:.1f} |" for stage, seconds in summary.timings.items()),
    ]
    if summary.warnings:
        lines += ["", "## Source warnings", "", *(f"- `{code}`" for code in summary.warnings)]
    if summary.skipped:
        lines += ["", "## Skipped files", "",
                  *(f"- `{item.path}`: {item.reason}" for item in summary.skipped)]
    return "\n".join(lines) + "\n"
