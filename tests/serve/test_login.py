"""Access on another address than this PC's: refused without a password; with one, every
page and file needs the login (driven in the browser, and checked on raw requests)."""

from __future__ import annotations

import http.client
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factory import write_tiny_scenario
from tests.serve.conftest import (
    Server,
    assert_clean,
    free_port,
    open_app,
    start_server,
    stop_server,
)

pytestmark = pytest.mark.browser
PASSWORD = "zhenganli-2026"


EVIL = "<img src=x onerror=alert(1)>网格一"


@pytest.fixture(scope="module")
def scenario(workdir: Path) -> Path:
    """The tiny scenario with a grid name that would be markup if not escaped."""
    from tests.factory import tiny_layers

    layers = tiny_layers()
    layers["grids"].loc[0, "name"] = EVIL
    return write_tiny_scenario(workdir / "tiny", layers=layers)


def _patrol(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "patrol.cli", *args],
        input=stdin, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_another_host_without_password_refuses_to_start(scenario: Path) -> None:
    done = _patrol("serve", str(scenario), "--host", "0.0.0.0", "--port", str(free_port()))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "--password-file" in done.stderr


@pytest.fixture(scope="module")
def server(scenario: Path) -> Iterator[Server]:
    secret = scenario.parent / "password.hash"
    done = _patrol("serve", "--set-password", "--password-file", str(secret), stdin=PASSWORD)
    assert done.returncode == 0, done.stderr
    stored = secret.read_text()
    assert PASSWORD not in stored and stored.startswith("scrypt$")
    args = [str(scenario), "--host", "0.0.0.0", "--password-file", str(secret)]
    srv = start_server(args, scenario.parent / "serve.log", port=free_port())
    yield srv
    stop_server(srv)


def _status(server: Server, path: str) -> int:
    conn = http.client.HTTPConnection(server.url.removeprefix("http://"), timeout=30)
    conn.request("GET", path)
    status = conn.getresponse().status
    conn.close()
    return status


def test_every_route_needs_the_login(server: Server) -> None:
    assert _status(server, "/") == 302
    assert _status(server, "/plan") == 302
    assert _status(server, "/files/scenario/patrol.toml") == 302
    assert _status(server, "/_dash-layout") == 401
    assert _status(server, "/login") == 200


def test_login_in_the_browser(browser: Any, server: Server) -> None:
    opened = open_app(browser, server, "/", wait="input[type=password]")
    page = opened.page
    page.fill("input[type=password]", "wrong-password")
    page.click("button[type=submit]")
    page.wait_for_selector("text=密码不对")
    opened.errors.clear()  # the 401 of the wrong password is logged as a console error
    page.fill("input[type=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("path.grid", timeout=60_000)
    page.hover("path.grid-G1")
    tip = page.wait_for_selector(".leaflet-tooltip")
    assert EVIL in tip.inner_text()  # shown as text
    assert page.locator(".leaflet-tooltip img").count() == 0
    assert_clean(opened)
    page.context.close()
