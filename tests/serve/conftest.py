"""Helpers for the station page's tests: a ``patrol serve`` process per module, and pages
in Debian's headless Chromium that may reach only that server.

Every request to another address is aborted and recorded; :func:`assert_clean` fails a
test on any of them, and on console or page errors. ``PATROL_SCREENSHOTS=1`` copies the
README's screenshots into ``docs/img/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "zhenganli"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running ``patrol serve`` and what it printed."""

    proc: subprocess.Popen[str]
    url: str
    log: Path


def start_server(args: list[str], log: Path, *, port: int, timeout_s: float = 90) -> Server:
    """Start ``patrol serve ARGS --port PORT`` and wait until it answers."""
    cmd = [sys.executable, "-m", "patrol.cli", "serve", *args, "--port", str(port)]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, text=True)
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"patrol serve ended: {log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return Server(proc=proc, url=f"http://127.0.0.1:{port}", log=log)
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"patrol serve did not answer in {timeout_s} s: {log.read_text()}")


def stop_server(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Opened:
    """A page of the app, with what it tried to fetch elsewhere and the errors it logged."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def open_app(browser: Any, server: Server, path: str = "/", *, wait: str | None = None) -> Opened:
    """Open ``path`` of the app in a new page; every request off the app's own address is
    aborted and recorded."""
    own = urlparse(server.url).netloc
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    opened = Opened(page=page)

    def handle(route: Any) -> None:
        if urlparse(route.request.url).netloc == own:
            route.continue_()
        else:
            opened.blocked.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.goto(server.url + path, wait_until="load")
    if wait:
        page.wait_for_selector(wait, timeout=60_000)
    return opened


def assert_clean(opened: Opened) -> None:
    assert opened.blocked == [], f"the page tried to fetch {opened.blocked}"
    assert opened.errors == [], f"console errors: {opened.errors}"


_INSIDE_JS = """(sel) => {
  const path = document.querySelector(sel);
  if (!path) return null;
  const box = path.getBBox(), m = path.getScreenCTM();
  for (let i = 1; i < 24; i++) for (let j = 1; j < 24; j++) {
    const x = box.x + box.width * i / 24, y = box.y + box.height * j / 24;
    if (!path.isPointInFill(new DOMPoint(x, y))) continue;
    const p = new DOMPoint(x, y).matrixTransform(m);
    if (document.elementFromPoint(p.x, p.y) === path) return [p.x, p.y];
  }
  return null;
}"""


def click_inside(page: Any, selector: str) -> None:
    """Click a point inside the SVG shape ``selector`` where nothing lies on top of it."""
    point = page.evaluate(_INSIDE_JS, selector)
    assert point is not None, f"no free point inside {selector}"
    page.mouse.click(point[0], point[1])


def screenshot(page: Any, name: str, tmp: Path) -> Path:
    """Save a screenshot (into ``docs/img/`` too with ``PATROL_SCREENSHOTS=1``)."""
    target = tmp / name
    page.screenshot(path=str(target))
    if os.environ.get("PATROL_SCREENSHOTS") == "1":
        (REPO / "docs" / "img").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, REPO / "docs" / "img" / name)
    return target


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    """A folder of the module's own for the server's scenario and plan (not pytest's
    numbered temporary folders, which a concurrent pytest run may clean away while a long
    module still uses them)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="patrol-serve-test-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
