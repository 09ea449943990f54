"""The repository stands on its own: no file points to documents outside it."""

from __future__ import annotations

from tests.helpers import REPO_ROOT

NOT_OURS = {".venv", ".git", "data", "build", "test-artifacts", ".pytest_cache", ".ruff_cache", ".hypothesis"}
OUTSIDE = ("CON" + "TRACT", "../" + "shared")  # spelt apart: this file must not match itself


def test_no_file_cites_a_document_outside_the_repository() -> None:
    files = [path for pattern in ("*.py", "*.md", "*.sql", "*.yaml", "*.toml")
             for path in REPO_ROOT.rglob(pattern)
             if not NOT_OURS & set(path.relative_to(REPO_ROOT).parts)]
    assert len(files) > 50
    citing = [str(path.relative_to(REPO_ROOT)) for path in files
              if any(word in path.read_text(encoding="utf-8") for word in OUTSIDE)]
    assert citing == []


def test_the_interface_documents_exist_and_name_every_command() -> None:
    interface = (REPO_ROOT / "docs" / "INTERFACE.md").read_text(encoding="utf-8")
    for command in ("run", "backfill", "ingest", "parse", "sql", "status", "report", "export", "--version"):
        assert f"`minutes {command}" in interface, command
    sources = (REPO_ROOT / "docs" / "SOURCES.md").read_text(encoding="utf-8")
    for key in ("[sources.<name>]", "[defaults]", "platform =", "respect_robots"):
        assert key in sources, key
