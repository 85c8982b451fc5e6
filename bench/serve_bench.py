"""How fast the station page's Scenario page opens on a synthetic station.

Writes a synthetic scenario (``patrol synth``: 50 grids, 3,000 buildings by default),
starts ``patrol serve`` on it and opens the Scenario page in Debian's headless Chromium
several times, every request off the server refused. Prints, per opening, the seconds
until the grids are drawn on the map (the page "open") and until the roster table is
filled, the number of requests that tried to leave the server (must be 0), and the
machine's load (the 2-core machine is shared: figures under load are upper bounds).
Target: the Scenario page opens in under 2 s.

    python bench/serve_bench.py [--grids 50] [--buildings 3000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_port(port: int, proc: subprocess.Popen[bytes], timeout_s: float = 120) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout_s:
        if proc.poll() is not None:
            raise SystemExit("patrol serve ended early")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return time.perf_counter() - start
        except OSError:
            time.sleep(0.1)
    raise SystemExit("patrol serve did not answer")


def open_scenario_page(url: str, repeat: int) -> list[tuple[float, float, int]]:
    """(seconds to the grids drawn, seconds to the roster filled, requests off the
    server) for each of ``repeat`` fresh openings."""
    from playwright.sync_api import sync_playwright

    own = urlparse(url).netloc
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for _ in range(repeat):
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            blocked: list[str] = []

            def handle(route: object, blocked: list[str] = blocked) -> None:
                request = route.request  # type: ignore[attr-defined]
                if urlparse(request.url).netloc == own:
                    route.continue_()  # type: ignore[attr-defined]
                else:
                    blocked.append(request.url)
                    route.abort()  # type: ignore[attr-defined]

            page.route("**/*", handle)
            start = time.perf_counter()
            page.goto(url, wait_until="commit")
            page.wait_for_selector("path.grid", timeout=120_000)
            grids_s = time.perf_counter() - start
            page.wait_for_selector("#scn-roster td", timeout=120_000)
            roster_s = time.perf_counter() - start
            rows.append((grids_s, roster_s, len(blocked)))
            context.close()
        browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grids", type=int, default=50)
    parser.add_argument("--buildings", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        raise SystemExit(f"needs Debian's chromium at {CHROMIUM}")
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp:
        folder = Path(tmp) / "station"
        patrol = [sys.executable, "-m", "patrol.cli"]
        subprocess.run(
            [*patrol, "synth", str(folder), "--grids", str(args.grids),
             "--buildings", str(args.buildings), "--seed", "1"],
            check=True, capture_output=True,
        )  # fmt: skip
        port = _free_port()
        proc = subprocess.Popen(
            [*patrol, "serve", str(folder), "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            start_s = _wait_port(port, proc)
            rows = open_scenario_page(f"http://127.0.0.1:{port}/", args.repeat)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    load = os.getloadavg()[0]
    print(f"synthetic station: {args.grids} grids, {args.buildings} buildings")
    print(
        f"server answering after {start_s:.1f} s; load average {load:.1f} on {os.cpu_count()} cores"
    )
    for i, (grids_s, roster_s, blocked) in enumerate(rows, 1):
        print(f"  opening {i}: grids drawn {grids_s:.2f} s, roster filled {roster_s:.2f} s, "
              f"requests off the server {blocked}")  # fmt: skip
    first = rows[0][0]
    later = statistics.median(r[0] for r in rows[1:]) if len(rows) > 1 else first
    print(f"Scenario page open: first {first:.2f} s (reads and checks the scenario), "
          f"then median {later:.2f} s (target < 2 s); "
          f"requests off the server: {sum(r[2] for r in rows)}")  # fmt: skip


if __name__ == "__main__":
    main()
