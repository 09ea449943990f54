"""Which Prefect API the flows of this process talk to (`minutes` picks one before running a flow)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings


def configured_api_url() -> str | None:
    """The API the user configured (environment, profile, prefect.toml); None: none, Prefect would
    start a temporary server of its own."""
    url = get_current_settings().api.url
    return str(url) if url else None


@contextmanager
def using_api(api_url: str) -> Iterator[None]:
    """Flows called inside the block report to `api_url`. Prefect read its settings at import, so
    the environment alone comes too late for this process (it serves the processes it starts)."""
    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        yield
