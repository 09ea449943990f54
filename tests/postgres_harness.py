"""A scratch PostgreSQL cluster on 127.0.0.1 for one test: `initdb` in a temporary folder, `pg_ctl`
on a free port, stopped and deleted at the end.

Debian's `postgresql` package (installed by `make postgres`) puts its binaries under
/usr/lib/postgresql/<major>/bin, off PATH. PostgreSQL refuses to run as root, so as root (CI) the
cluster belongs to the `postgres` user the package creates. About 4 s to start here.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PG_ROOT = Path("/usr/lib/postgresql")
START_TIMEOUT_S = 60
DATABASE = "prefect"


@dataclass(frozen=True)
class ScratchPostgres:
    port: int
    folder: Path

    @property
    def asyncpg_url(self) -> str:
        """The URL Prefect's server takes (PREFECT_API_DATABASE_CONNECTION_URL)."""
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{DATABASE}"


def pg_bin() -> Path:
    """The newest installed major version's binaries."""
    majors = sorted((p for p in PG_ROOT.glob("*/bin/initdb")), key=lambda p: int(p.parts[-3]))
    if not majors:
        raise RuntimeError("PostgreSQL is not installed: run `make postgres` (Debian package postgresql)")
    return majors[-1].parent


def _as_cluster_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(command: list[str], timeout: float = START_TIMEOUT_S) -> None:
    done = subprocess.run(_as_cluster_owner(command), capture_output=True, text=True, timeout=timeout,
                          check=False, cwd="/")
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


@contextmanager
def scratch_postgres() -> Iterator[ScratchPostgres]:
    binaries = pg_bin()
    folder = Path(tempfile.mkdtemp(prefix="minutes-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    port = _free_port()
    # Trust on 127.0.0.1 only, no fsync: a throw-away cluster that nothing but this test reaches.
    _run([str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync",
          "-E", "UTF8"])
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    started = False
    try:
        _run([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "postgres.log"), "-o", options,
              "-w", "-t", str(START_TIMEOUT_S), "start"], timeout=START_TIMEOUT_S + 10)
        started = True
        _run([str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", DATABASE])
        yield ScratchPostgres(port=port, folder=folder)
    finally:
        if started:
            _run([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "-t", "30", "stop"],
                 timeout=40)
        shutil.rmtree(folder, ignore_errors=True)
