"""A throwaway PostgreSQL + PostGIS server for the station store and the bureau store tests.

The server is Debian's (``apt-get install postgresql postgresql-15-postgis-3``, which
``.ci/run`` does): ``initdb`` in a temporary folder, started on a unix socket in that
folder only (no TCP port), as the ``postgres`` user when the tests run as root (the
server refuses to run as root), and stopped at the end of the session. Where the
binaries or PostGIS are absent the PostGIS tests skip and say what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

INSTALL = "apt-get install postgresql postgresql-15-postgis-3"


def _pg_bin() -> Path | None:
    """The folder of Debian's newest PostgreSQL server binaries, if any."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def _has_postgis(bindir: Path) -> bool:
    version = bindir.parent.name
    return Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists()


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL as 'postgres'")
    return [runuser, "-u", "postgres", "--", *cmd]


@pytest.fixture(scope="session")
def postgis_url() -> Iterator[str]:
    """A URL to a fresh database of a throwaway PostgreSQL server with PostGIS."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip(f"PostgreSQL server binaries not found: {INSTALL}")
    if not _has_postgis(bindir):
        pytest.skip(f"PostGIS is not installed for PostgreSQL {bindir.parent.name}: {INSTALL}")
    root = Path(tempfile.mkdtemp(prefix="patrol-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    run = dict(check=True, capture_output=True, timeout=120)
    try:
        subprocess.run(
            _as_server_user(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                ]
            ),
            **run,
        )
        options = f"-k {sock} -c listen_addresses='' -c fsync=off -p 5439"
        subprocess.run(
            _as_server_user(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-w",
                    "-l",
                    str(root / "log"),
                    "start",
                ]
            ),
            **run,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"could not start a throwaway PostgreSQL server: {exc}")
    subprocess.run(
        _as_server_user(
            [
                str(bindir.parent / "bin" / "psql") if (bindir / "psql").exists() else "psql",
                "-h",
                str(sock),
                "-p",
                "5439",
                "-U",
                "postgres",
                "-c",
                "CREATE DATABASE patrol",
            ]
        ),
        **run,
    )
    try:
        yield f"postgresql://postgres@/patrol?host={sock}&port=5439"
    finally:
        subprocess.run(
            _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)
