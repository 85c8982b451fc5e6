"""Shared fixtures. Outbound network is blocked for the whole suite (loopback allowed)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.factory import write_tiny_scenario
from tests.postgis import postgis_url  # noqa: F401  (a fixture: the PostGIS server)

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "zhenganli"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_local(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        return host in ("localhost", "::1") or host.startswith("127.") or host == ""
    return isinstance(address, str | bytes)  # AF_UNIX paths


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_local(address):
        raise RuntimeError(
            f"Test tried to reach the network: {address!r}. patrol must work offline."
        )
    return _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _is_local(address):
        raise RuntimeError(f"Test tried to reach the network: {address!r}.")
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    """A valid two-beat, four-grid scenario on a 3x3 street lattice (see tests/factory.py)."""
    return write_tiny_scenario(tmp_path / "tiny")


@pytest.fixture
def sample_dir() -> Iterator[Path]:
    """The bundled 政安里 sample (data/zhenganli)."""
    if not SAMPLE.exists():
        pytest.fail(f"bundled sample missing at {SAMPLE}")
    yield SAMPLE
