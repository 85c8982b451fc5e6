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


def open_scenario_page(url: str, repeat: int) -> list[tuple[float, float, int, float]]:
    """(seconds to the grids drawn, seconds to the roster filled, requests off the
    server, seconds the page's main thread worked until the grids were drawn: a figure
    that load on the machine does not inflate) for each of ``repeat`` fresh openings."""
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
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            start = time.perf_counter()
            page.goto(url, wait_until="commit")
            page.wait_for_selector("path.grid", timeout=120_000)
            grids_s = time.perf_counter() - start
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            page.wait_for_selector("#scn-roster td", timeout=120_000)
            roster_s = time.perf_counter() - start
            rows.append((grids_s, roster_s, len(blocked), float(metrics.get("TaskDuration", 0))))
            context.close()
        browser.close()
    return rows


def server_seconds(folder: Path, repeat: int = 3) -> tuple[float, float, float]:
    """In this process: seconds to open and check the draft (once per server), then the
    best wall and CPU seconds of building the Scenario page's content (every opening)."""
    import dash_leaflet  # noqa: F401

    from patrol.serve import page_scenario
    from patrol.serve.station import ServeConfig, Station

    start = time.perf_counter()
    station = Station(ServeConfig(scenario=folder, out=folder.with_name("out")))
    station.check()
    check_s = time.perf_counter() - start
    best_wall, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        page_scenario.layout(station, "zh")
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return check_s, best_wall, best_cpu


def open_floor(url: str, repeat: int) -> float:
    """Median seconds until the Print page (a line of text before any plan) is drawn: what
    Dash itself costs on this machine now, the floor under the Scenario page's figure."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for _ in range(repeat):
            context = browser.new_context()
            page = context.new_page()
            start = time.perf_counter()
            page.goto(url + "print", wait_until="commit")
            page.wait_for_selector("#page p", timeout=120_000)
            times.append(time.perf_counter() - start)
            context.close()
        browser.close()
    return statistics.median(times)


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
        check_s, layout_s, layout_cpu_s = server_seconds(folder)
        port = _free_port()
        proc = subprocess.Popen(
            [*patrol, "serve", str(folder), "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            start_s = _wait_port(port, proc)
            rows = open_scenario_page(f"http://127.0.0.1:{port}/", args.repeat)
            floor_s = open_floor(f"http://127.0.0.1:{port}/", args.repeat)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    load = os.getloadavg()[0]
    print(f"synthetic station: {args.grids} grids, {args.buildings} buildings")
    print(
        f"server answering after {start_s:.1f} s; load average {load:.1f} on {os.cpu_count()} cores"
    )
    for i, (grids_s, roster_s, blocked, busy_s) in enumerate(rows, 1):
        print(f"  opening {i}: grids drawn {grids_s:.2f} s (browser main thread busy "
              f"{busy_s:.2f} s), roster filled {roster_s:.2f} s, requests off the server "
              f"{blocked}")  # fmt: skip
    print(f"server side: draft read and checked in {check_s:.2f} s (once); the page's content "
          f"built in {layout_s:.2f} s ({layout_cpu_s:.2f} s CPU) per opening")  # fmt: skip
    first = rows[0][0]
    later = statistics.median(r[0] for r in rows[1:]) if len(rows) > 1 else first
    busy = statistics.median(r[3] for r in rows)
    print(f"Scenario page open: first {first:.2f} s (reads and checks the scenario), "
          f"then median {later:.2f} s (target < 2 s); browser main thread busy {busy:.2f} s "
          f"(median); requests off the server: {sum(r[2] for r in rows)}")  # fmt: skip
    print(f"Dash's own floor now (a page of one line): {floor_s:.2f} s, so the Scenario page "
          f"adds {later - floor_s:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
