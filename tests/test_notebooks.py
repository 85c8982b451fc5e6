"""The notebooks run top to bottom, offline, with no edits (as a new user runs them)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

# run first in the kernel: any connection off this machine fails loudly
BLOCK_NETWORK = """
import socket as _socket
_connect = _socket.socket.connect
def _guard(self, address):
    host = address[0] if isinstance(address, tuple) else ""
    if isinstance(address, tuple) and not (host in ("localhost", "::1", "")
                                           or str(host).startswith("127.")):
        raise RuntimeError(f"notebook tried to reach the network: {address!r}")
    return _connect(self, address)
_socket.socket.connect = _guard
"""


@pytest.mark.slow
@pytest.mark.parametrize("name", ["01_walkthrough.ipynb", "02_real_city.ipynb"])
def test_notebook_runs(name: str) -> None:
    path = NOTEBOOKS / name
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        f"{name} is committed with outputs; clear them"
    )
    nb.cells.insert(0, nbformat.v4.new_code_cell(BLOCK_NETWORK))
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.execute()
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors
