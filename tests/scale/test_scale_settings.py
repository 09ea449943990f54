"""Where raw/ and lake/ go, from MINUTES_STORE_URL (no server needed: nothing is read or written)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.datadir import DataDir, StoreConfigError


def test_without_a_store_url_raw_and_lake_stay_in_the_data_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MINUTES_STORE_URL", raising=False)
    data_dir = DataDir(tmp_path)
    assert data_dir.raw_store.is_local and Path(data_dir.raw_store.base) == tmp_path / "raw"
    assert Path(data_dir.lake_store.base) == data_dir.lake


def test_a_store_url_puts_raw_and_lake_under_its_prefix(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINUTES_STORE_URL", "s3://minutes/prod/city/")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    data_dir = DataDir(tmp_path)
    assert not data_dir.lake_store.is_local
    assert data_dir.raw_store.url("ab", "x.pdf") == "s3://minutes/prod/city/raw/ab/x.pdf"
    assert data_dir.lake_store.path("documents") == "minutes/prod/city/lake/documents"
    assert data_dir.warehouse == tmp_path / "warehouse.duckdb"  # the warehouse stays local


@pytest.mark.parametrize("url", ["/srv/minutes", "file:///srv/minutes", "s3://", "gs://bucket/prefix"])
def test_a_store_url_that_is_not_s3_is_a_clear_error(url: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MINUTES_STORE_URL", url)
    with pytest.raises(StoreConfigError, match=r"MINUTES_STORE_URL must be s3://bucket\[/prefix\]"):
        _ = DataDir(tmp_path).raw_store
