"""Usage errors (exit 2) found before anything starts: the same message whether a value came from an
option or from the environment, and `local`/`all` sources only where they mean something."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from tests.helpers import MINUTES

UNKNOWN_SOURCE = "unknown source 'nope': use one of demo, suzhou or the http(s) URL of a listing page"


def minutes(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "MINUTES_SOURCE"}
    return subprocess.run([str(MINUTES), *args], env={**environment, **env}, capture_output=True,
                          text=True, timeout=120, check=False)


def usage_error(done: subprocess.CompletedProcess[str]) -> tuple[str, str]:
    """(parameter, message) of the one-line `minutes: usage error: Invalid value for P: M (see …)`;
    exit status 2, nothing else on stderr."""
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    found = re.fullmatch(r"minutes: usage error: Invalid value for (.+?): (.+) "
                         r"\(see `minutes[ a-z]*--help`\)", done.stderr.strip())
    assert found, done.stderr
    return found.group(1), found.group(2)


@pytest.mark.parametrize("command", ["run", "backfill"])
def test_an_unknown_source_is_the_same_usage_error_from_the_option_or_the_environment(command: str) -> None:
    from_option = usage_error(minutes(command, "--source", "nope"))
    from_env = usage_error(minutes(command, MINUTES_SOURCE="nope"))
    assert from_option == ("--source", UNKNOWN_SOURCE)
    assert from_env == ("--source (from $MINUTES_SOURCE)", UNKNOWN_SOURCE)


@pytest.mark.parametrize(("args", "env"), [
    (("run", "--source", "local"), {}),
    (("backfill", "--source", "local"), {}),  # fetching: only --reprocess reads stored documents
    (("backfill", "--source", "all"), {}),
    (("backfill",), {"MINUTES_SOURCE": "local"}),
])
def test_stored_only_sources_need_reprocess(args: tuple[str, ...], env: dict[str, str]) -> None:
    _, message = usage_error(minutes(*args, **env))
    assert "has nothing to fetch" in message and "backfill --reprocess" in message


@pytest.mark.parametrize("query", ["", " ", " \n\t"])
def test_an_empty_query_is_a_usage_error(query: str) -> None:
    assert usage_error(minutes("sql", query)) == ("QUERY", "the query is empty")
