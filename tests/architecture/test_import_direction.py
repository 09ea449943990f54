"""The stages depend one way: extract → transform → load, then pipeline/, flows/ and the CLI on top.

Read from the source (ast), not by importing: a function-local import counts like a top-level one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
OUR_PACKAGES = ("demo", "extract", "transform", "load", "pipeline", "flows", "minutes_etl", "report",
                "benchmarks")
# What each package may import of ours. transform reads extract's hand-over only: the text layer,
# the quarantine codes, the document-number and publication-date rules; it never calls back into
# reading.
ALLOWED: dict[str, set[str]] = {
    "demo": {"demo"},
    "extract": {"extract", "demo"},
    "transform": {"transform", "extract.textlayer", "extract.errors", "extract.document_number",
                  "extract.publication_date"},
    "load": {"load", "transform.record", "extract.datadir"},
    "pipeline": {"pipeline", "extract", "transform", "load"},
    "flows": {"flows", "pipeline", "extract", "transform", "load"},
    # report reads the warehouse through load's query helpers and copies originals from the raw store.
    "report": {"report", "load", "extract.datadir", "extract.rawstore", "extract.sniff"},
}
PRACTICALLY_PREFECT = ("prefect",)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _allowed(module: str, rules: set[str]) -> bool:
    return any(module == rule or module.startswith(rule + ".") for rule in rules)


def _package_files(package: str) -> list[Path]:
    return sorted((REPO_ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_stage_imports_only_what_lies_below_it(package: str) -> None:
    wrong = [
        f"{path.relative_to(REPO_ROOT)}:{line} imports {module}"
        for path in _package_files(package)
        for line, module in _imports(path)
        if module.split(".")[0] in OUR_PACKAGES and not _allowed(module, ALLOWED[package])
    ]
    assert not wrong, "upward or sideways imports:\n" + "\n".join(wrong)


@pytest.mark.parametrize("package", ["demo", "extract", "transform", "load", "pipeline"])
def test_prefect_stays_in_the_orchestration_layer(package: str) -> None:
    wrong = [
        f"{path.relative_to(REPO_ROOT)}:{line} imports {module}"
        for path in _package_files(package)
        for line, module in _imports(path)
        if module.split(".")[0] in PRACTICALLY_PREFECT
    ]
    assert not wrong, "Prefect below flows/:\n" + "\n".join(wrong)


def test_no_two_modules_share_a_name() -> None:
    """A newcomer finds a module by its name: no two alike across the packages (tests aside)."""
    seen: dict[str, Path] = {}
    clashes = []
    for package in OUR_PACKAGES:
        for path in _package_files(package):
            if path.name in {"__init__.py", "__main__.py"}:
                continue
            if path.name in seen:
                clashes.append(f"{seen[path.name].relative_to(REPO_ROOT)} and {path.relative_to(REPO_ROOT)}")
            seen.setdefault(path.name, path)
    assert not clashes, "modules with the same name:\n" + "\n".join(clashes)


def test_the_rule_catches_an_upward_import(tmp_path: Path) -> None:
    """The checker itself: an extract module importing the CLI is reported."""
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from minutes_etl.cli import app\n", encoding="utf-8")
    imported = [name for _, name in _imports(module)]
    assert imported == ["minutes_etl.cli"]
    assert not _allowed(imported[0], ALLOWED["extract"])
