"""Plan every station of a bureau on Dask: a local cluster of processes, or a scheduler.

Stations are independent problems, so this is a task farm on ``dask.distributed``:

- **One task per station.** The client ships plain data (:class:`StationJob`: paths,
  settings text, :class:`~patrol.planner.PlanParams`); the task reads the station's
  folder and builds every solver model inside the worker, because CP-SAT and OR-Tools
  routing models do not pickle. CP-SAT already runs on one worker thread
  (``num_workers = 1`` in ``teams/model.py`` and ``routing/assign.py``), and each Dask
  worker runs one task at a time, so parallel solves never oversubscribe the machine.
- **A failure stays a station's.** A bad input or a crash inside the task comes back as a
  failed :class:`StationResult` with the station's name and message; a worker that dies
  is reported the same way; the other stations finish.
- **Re-running skips what is unchanged.** Each station's plan store keeps
  ``bureau_key``, the SHA-256 of its input files' fingerprints, its settings text and
  the run's parameters (:func:`patrol.bureau.folder.station_key`); an equal key skips it.
- **Progress** tells stations done out of total, and the slowest station still running.

``patrol plan`` never comes here; Dask is imported only inside the functions that use it.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from patrol.bureau.folder import Bureau, Station, station_key, station_settings_text
from patrol.bureau.labels import both
from patrol.errors import PatrolError
from patrol.store.snapshot import input_files

if TYPE_CHECKING:
    from patrol.planner import PlanParams

Progress = Callable[[str], None]

STATIONS_DIR = "stations"
"""``OUT/stations/<station>/``: each station's plan folder, as ``patrol plan`` writes it."""

KEY_ENTRY = "bureau_key"
"""The store entry holding the key a station's plan was made under."""

POLL_S = 0.5
REPORT_EVERY_S = 15.0


@dataclass(frozen=True)
class StationJob:
    """What a worker needs to plan one station: plain, picklable data only."""

    name: str
    folder: str
    out: str
    settings_toml: str | None
    params: PlanParams
    key: str
    maps: bool = True
    sheets: bool = True
    size_bytes: int = 0
    """The station's input bytes: the larger stations are sent first (longest first
    leaves the shortest tail when the last stations finish)."""


@dataclass(frozen=True)
class StationResult:
    """How one station went: ``status`` planned / skipped / failed, with the message."""

    name: str
    status: str
    message: str = ""
    wall_s: float = 0.0
    cpu_s: float = 0.0
    peak_rss_mb: float = 0.0
    worker: str = ""


@dataclass
class BureauRun:
    """Every station's result (in the bureau's order), the workers and the wall time."""

    results: list[StationResult]
    workers: int
    address: str
    wall_s: float
    extra: dict[str, Any] = field(default_factory=dict)

    def failed(self) -> list[StationResult]:
        return [r for r in self.results if r.status == "failed"]


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, PatrolError):
        return str(exc).strip()
    return f"{type(exc).__name__}: {exc}".strip()


def read_station(job: StationJob) -> Any:
    """The station's scenario, read with the job's settings text when it has one (the
    folder is read through a private copy holding that text as ``patrol.toml``; the
    user's folder is never written)."""
    from patrol.scenario.read import read_scenario

    if job.settings_toml is None:
        return read_scenario(job.folder)
    with tempfile.TemporaryDirectory(prefix="patrol-bureau-") as tmp:
        copy = Path(tmp) / job.name
        shutil.copytree(job.folder, copy, symlinks=False)
        (copy / "patrol.toml").write_text(job.settings_toml, encoding="utf-8")
        scenario = read_scenario(copy)
    scenario.source = job.folder
    scenario.settings_toml = job.settings_toml
    return scenario


def plan_station(job: StationJob) -> StationResult:
    """Plan one station into ``job.out`` (runs on a worker); never raises."""
    from patrol.outputs import run_week
    from patrol.store.layers import write_layers

    start, cpu = time.perf_counter(), time.process_time()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    try:
        scenario = read_station(job)
        run_week(scenario, job.out, params=job.params, maps=job.maps, sheets=job.sheets)
        write_layers(Path(job.out), {}, bureau_key=job.key)  # KEY_ENTRY
        status, message = "planned", ""
    except Exception as exc:  # a station's failure is data, the farm goes on
        status, message = "failed", _error_text(exc)
    return StationResult(
        name=job.name,
        status=status,
        message=message,
        wall_s=time.perf_counter() - start,
        cpu_s=time.process_time() - cpu,
        peak_rss_mb=_peak_rss_mb(),
        worker=worker,
    )


def stored_key(out: Path) -> str | None:
    """The key the plan in ``out`` was made under (None: no plan, or not by a bureau run)."""
    from patrol.store.layers import read_meta

    gpkg = out / "plan.gpkg"
    if not gpkg.is_file():
        return None
    try:
        value = read_meta(gpkg, check=False).get(KEY_ENTRY)
    except Exception:  # an unreadable store is re-planned, never trusted
        return None
    return str(value) if value else None


def prepare_jobs(
    bureau: Bureau,
    out: Path,
    *,
    params: PlanParams,
    maps: bool = True,
    sheets: bool = True,
) -> tuple[list[StationJob], list[StationResult]]:
    """The stations to plan, and those settled before any planning: unchanged since their
    stored plan (skipped), or whose settings cannot be read (failed)."""
    jobs: list[StationJob] = []
    settled: list[StationResult] = []
    for station in bureau.stations:
        target = out / STATIONS_DIR / station.name
        try:
            text = station_settings_text(bureau, station)
            key = station_key(station, settings_toml=text, params=params)
        except Exception as exc:
            settled.append(StationResult(station.name, "failed", _error_text(exc)))
            continue
        if stored_key(target) == key:
            settled.append(StationResult(station.name, "skipped"))
            continue
        size = sum(p.stat().st_size for p in input_files(Path(station.folder)))
        jobs.append(
            StationJob(
                station.name, station.folder, str(target), text, params, key, maps, sheets, size
            )
        )
    return jobs, settled


def _quiet(_: str) -> None:
    return None


def start_client(*, workers: int, scheduler: str | None) -> tuple[Any, Any]:
    """A Dask client and the local cluster it runs on: on the scheduler at ``scheduler``
    (no local cluster), else on a new local cluster of ``workers`` single-threaded worker
    processes on the loopback address."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise PatrolError(both("no_dask")) from exc
    if scheduler:
        try:
            return Client(scheduler, timeout="10s"), None  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as exc:
            raise PatrolError(both("no_scheduler", address=scheduler, reason=exc)) from exc
    with dask.config.set({"distributed.scheduler.worker-saturation": 1.0}):
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # its HTTP server on a free loopback port
        )
    return Client(cluster), cluster  # type: ignore[no-untyped-call]


def close_client(client: Any, cluster: Any) -> None:
    """Close the client, then the local cluster it ran on, if any."""
    client.close()
    if cluster is not None:
        cluster.close()


def run_jobs(
    client: Any, jobs: Sequence[StationJob], *, total: int, done: int = 0, say: Progress = _quiet
) -> list[StationResult]:
    """Plan ``jobs`` on ``client``, one task each; results in the order they finish.

    ``total``/``done`` count the whole bureau for the progress lines (skipped stations are
    already done). A task that fails outside :func:`plan_station` (its worker died) is a
    failed result with the scheduler's message.
    """
    ordered = sorted(jobs, key=lambda j: (-j.size_bytes, j.name))
    futures = {
        client.submit(plan_station, job, key=f"station-{job.name}-{job.key[:12]}", pure=False): job
        for job in ordered
    }
    seen: dict[str, float] = {}
    results: list[StationResult] = []
    last = time.monotonic()
    while futures:
        finished = [f for f in futures if f.done()]
        for fut in finished:
            job = futures.pop(fut)
            results.append(_result_of(fut, job))
            say(_result_line(results[-1]))
        if finished or time.monotonic() - last > REPORT_EVERY_S:
            last = time.monotonic()
            say(_progress_line(client, futures, seen, done=done + len(results), total=total))
        if futures and not finished:
            time.sleep(POLL_S)
    return results


def _result_of(fut: Any, job: StationJob) -> StationResult:
    if fut.status == "finished":
        result: StationResult = fut.result()
        return result
    try:
        exc = fut.exception()
    except Exception as err:  # cancelled, or the scheduler went away
        exc = err
    return StationResult(job.name, "failed", _error_text(exc))


def _result_line(result: StationResult) -> str:
    if result.status == "failed":
        return both("failed", station=result.name, message=result.message)
    if result.status == "skipped":
        return both("skipped", station=result.name)
    return both("planned", station=result.name, seconds=result.wall_s)


def _progress_line(
    client: Any, futures: dict[Any, StationJob], seen: dict[str, float], *, done: int, total: int
) -> str:
    """``stations done d/t``, and the station running longest (first seen processing)."""
    line = both("progress", done=done, total=total)
    try:
        processing = {k for keys in client.processing().values() for k in keys}
    except Exception:  # progress is a courtesy; never stop the run for it
        processing = set()
    now = time.monotonic()
    for fut, job in futures.items():
        if fut.key in processing:
            seen.setdefault(job.name, now)
    running = [(seen[j.name], j.name) for j in futures.values() if j.name in seen]
    if running:
        since, name = min(running)
        line += "\n" + both("slowest", station=name, seconds=now - since)
    return line


def plan_stations(
    bureau: Bureau,
    out: str | Path,
    *,
    params: PlanParams | None = None,
    workers: int = 2,
    scheduler: str | None = None,
    maps: bool = True,
    sheets: bool = True,
    progress: Progress | None = None,
    client: Any = None,
) -> BureauRun:
    """Plan every station of ``bureau`` into ``out/stations/<station>/`` on Dask.

    ``client`` reuses a running Dask client (tests, notebooks); otherwise one is started
    with :func:`start_client` when some station needs planning, and closed at the end.
    Stations unchanged since their stored plan are skipped; failures are results, never
    exceptions.
    """
    from patrol.planner import PlanParams

    jobs, settled = prepare_jobs(
        bureau, Path(out), params=params or PlanParams(), maps=maps, sheets=sheets
    )
    with client_for(client, needed=bool(jobs), workers=workers, scheduler=scheduler) as used:
        return farm_jobs(bureau, jobs, settled, client=used, progress=progress)


@contextlib.contextmanager
def client_for(client: Any, *, needed: bool, workers: int, scheduler: str | None) -> Iterator[Any]:
    """``client`` when given; else, when ``needed``, a new one from :func:`start_client`
    closed (with its local cluster) at the end of the block; else ``None``."""
    if client is not None or not needed:
        yield client
        return
    own, cluster = start_client(workers=workers, scheduler=scheduler)
    try:
        yield own
    finally:
        close_client(own, cluster)


def farm_jobs(
    bureau: Bureau,
    jobs: list[StationJob],
    settled: list[StationResult],
    *,
    client: Any,
    progress: Progress | None = None,
) -> BureauRun:
    """Run the prepared ``jobs`` on ``client`` (none needed when there are no jobs) and
    put every station's result in the bureau's order."""
    say = progress or _quiet
    start = time.perf_counter()
    for result in settled:
        say(_result_line(result))
    address, n_workers = ("", 0) if client is None else _describe(client)
    planned: list[StationResult] = []
    if jobs:
        say(both("cluster", address=address, workers=n_workers))
        planned = run_jobs(client, jobs, total=len(bureau.stations), done=len(settled), say=say)
    by_name = {r.name: r for r in [*settled, *planned]}
    results = [by_name[s.name] for s in bureau.stations]
    return BureauRun(results, n_workers, address, time.perf_counter() - start)


def _describe(client: Any) -> tuple[str, int]:
    info = client.scheduler_info()
    return str(info.get("address", "")), len(info.get("workers", {}))


def station_folder(out: str | Path, station: Station | str) -> Path:
    """Where a station's plan folder lies in a bureau output folder."""
    name = station.name if isinstance(station, Station) else station
    return Path(out) / STATIONS_DIR / name
