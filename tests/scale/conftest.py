"""One real SeaweedFS S3 server for the scale tests (each test keeps its objects under a prefix of
its own); Dask clusters are started by the test that needs them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.scale.services import S3Server, seaweedfs_s3


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    with seaweedfs_s3(tmp_path_factory.mktemp("s3")) as server:
        yield server


@pytest.fixture
def s3_env(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """MINUTES_STORE_URL under a fresh prefix, and the AWS_* variables, in this process's environment."""
    env = s3_server.env(f"test-{uuid.uuid4().hex[:10]}")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env
