"""Fixtures of the fetch tests: the faulty site (see fetch_site.py) served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from extract.datadir import DataDir
from tests.fetch.fetch_site import Served, Site, minutes_pdf, serve


@pytest.fixture(scope="session")
def site_pdfs() -> dict[str, bytes]:
    m57 = minutes_pdf(57)
    return {
        "m57.pdf": m57, "copy-of-m57.pdf": m57, "flaky.pdf": minutes_pdf(56), "slow.pdf": minutes_pdf(55),
        "stall.pdf": minutes_pdf(54), "truncated.pdf": minutes_pdf(52), "moved.pdf": minutes_pdf(50),
        "revised.pdf": minutes_pdf(47), "revised-v2.pdf": minutes_pdf(47, "（修订）"),
    }


@pytest.fixture
def served(tmp_path: Path, site_pdfs: dict[str, bytes]) -> Iterator[Served]:
    other = Site(pdfs=dict(site_pdfs))
    site = Site(pdfs=dict(site_pdfs))
    with serve(other) as other_url, serve(site) as base_url:
        site.redirect_target = f"{other_url}/minutes/files/m57.pdf"
        yield Served(site=site, base_url=base_url, other_site=other, data_dir=DataDir(tmp_path / "data"))

