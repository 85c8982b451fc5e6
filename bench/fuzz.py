"""Fuzz the loader, the settings, the CLI options and the planner (issue #19).

Each case is a small valid synthetic scenario with one thing broken or odd: a property of
a feature of a layer, a cell of a table, a geometry, the bytes of a file, a key of
``patrol.toml`` or an option of the command line. Every case must end in one of two
ways, within 60 s: accepted, or rejected with an InputError whose every problem names
the file and says how to fix it. What validate accepts is then planned with tiny limits
(every ``--plan-every``-th accepted case) and must plan. Anything else is counted: a
traceback, a hang, or a poor message.

    python bench/fuzz.py [--cases 10000] [--seed 0] [--workers 2] [--plan-every 5]

It prints the figures: cases, accepted, rejected, tracebacks, hangs, poor messages, plans
and plan tracebacks, and the first few failures with their mutation.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

HANG_S = 60
NASTY: list[Any] = [
    None,
    "",
    " ",
    [],
    [1, 2],
    ["G1"],
    {},
    {"a": 1},
    math.nan,
    math.inf,
    -math.inf,
    -1,
    0,
    1e308,
    2**63 - 1,
    2**64,
    True,
    "x" * 5000,
    "=HYPERLINK(1)",
    "<script>alert(1)</script>",
    "1e999",
    "nan",
    "周一",
    "\u0000",
    "2026-13-45",
    "2026-11-01T20:30:00+08:00",
    "G1",
    "B1",
    "绿",
    "red",
    -0.0,
    0.5,
    "1,5",
    "١٢",
]
TOML_KEYS = [
    "station",
    "week_start",
    "language",
    "input_crs",
    "seed",
    "travel.mode",
    "travel.speed_kmh",
    "travel.detour_factor",
    "travel.snap_tolerance_m",
    "travel.max_snap_distance_m",
    "demand.sweeps_per_week",
    "demand.incident_lookback_days",
    "demand.sweep_dwell_min",
    "demand.max_sweep_length_m",
    "demand.hotspot_radius_m",
    "demand.hotspot_min_incidents",
    "demand.visit_min",
    "demand.sweep_scope",
    "teams.min_others",
    "teams.max_shifts_per_week",
    "teams.rest_after_night",
    "teams.time_limit_s",
    "coverage.radius_m",
    "coverage.camera_range_m",
    "bogus",
    "teams.bogus",
]
TOML_VALUES = [
    "nan",
    "inf",
    "-inf",
    "-1",
    "0",
    "1e6",
    "1e308",
    "true",
    '"x"',
    "[1, 2]",
    "{}",
    '"9999-12-27"',
    '"2026-11-30"',
    "4294967296",
    "9223372036854775807",
    "0.001",
    '"all"',
    '"GCJ-02"',
    '"EPSG:3857"',
    '"en"',
    "3",
    "[[[[[[1]]]]]]",
]
CLI_VALUES = {
    "--time-limit": ["inf", "nan", "-1", "0", "1e308", "x", "0.5"],
    "--seed": ["-1", "9223372036854775807", "4294967296", "x", "3"],
    "--max-iterations": ["-1", "0", "1e9", "x", "10"],
    "--lang": ["fr", "en", "zh"],
    "--engine": ["foo", "ortools", "pyvrp"],
}


@dataclass(frozen=True)
class Case:
    """One generated input: its number and a word saying what was changed."""

    number: int
    kind: str
    what: str


@dataclass
class Outcome:
    """What validate (and plan) did with one case."""

    case: Case
    result: str  # accepted, rejected, traceback, hang, poor_message
    planned: str = ""  # "", ok, traceback, hang
    detail: str = ""


class _Hang(Exception):
    pass


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    def _alarm(signum: int, frame: Any) -> None:
        raise _Hang

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# --- the base scenario and the mutations ----------------------------------------------------


def write_base(folder: Path) -> Path:
    """The valid scenario every case starts from (small, so a case takes well under 1 s)."""
    from patrol.scenario.synth import write_synthetic_scenario

    return write_synthetic_scenario(
        folder, grids=4, buildings=24, focus_households=6, incidents=20, cameras=6, seed=3
    )


def _mutate_geojson(path: Path, rng: random.Random) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    features = data["features"]
    feature = rng.choice(features)
    choice = rng.randrange(9)
    if choice <= 2:
        key = rng.choice([*feature["properties"], "extra"])
        value = rng.choice(NASTY)
        feature["properties"][key] = value
        what = f"{key}={value!r:.40}"
    elif choice == 3:
        key = rng.choice(list(feature["properties"]))
        for f in features if rng.random() < 0.5 else [feature]:
            f["properties"].pop(key, None)
        what = f"without {key}"
    elif choice == 4:
        feature["properties"] = None
        what = "properties null"
    elif choice == 5:
        feature["geometry"] = rng.choice([None, {"type": "Point", "coordinates": []}])
        what = "no geometry"
    elif choice == 6:
        what = _mutate_coordinates(feature, rng)
    elif choice == 7:
        data["crs"] = {"type": "name", "properties": {"name": rng.choice(["EPSG:3857", "x"])}}
        what = "crs declared"
    else:
        features.append(json.loads(json.dumps(feature)))
        what = "feature duplicated"
    path.write_text(json.dumps(data, ensure_ascii=False, allow_nan=True), encoding="utf-8")
    return what


def _mutate_coordinates(feature: dict[str, Any], rng: random.Random) -> str:
    value = rng.choice([math.nan, math.inf, 95.0, 200.0, 1e7, -1e-9, 0.0, 39.1, 117.2])
    geometry = feature["geometry"]
    coords = geometry["coordinates"]
    if geometry["type"] == "Point":
        coords[rng.randrange(2)] = value
    elif geometry["type"] == "LineString":
        coords[rng.randrange(len(coords))][rng.randrange(2)] = value
    elif geometry["type"] == "Polygon":
        if rng.random() < 0.3:
            geometry["coordinates"] = [[*coords[0][:2], coords[0][0]]]  # too few points
            return "degenerate polygon"
        coords[0][rng.randrange(len(coords[0]))][rng.randrange(2)] = value
    else:
        return "geometry kept"
    return f"coordinate {value}"


def _mutate_csv(path: Path, rng: random.Random) -> str:
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    choice = rng.randrange(6)
    col = rng.choice(list(table.columns))
    if choice <= 2 and len(table):
        row = rng.randrange(len(table))
        value = rng.choice(NASTY)
        table.loc[table.index[row], col] = "" if value is None else str(value)
        what = f"{col}[{row}]={value!s:.40}"
    elif choice == 3:
        table = table.drop(columns=[col])
        what = f"without {col}"
    elif choice == 4:
        table = table.rename(columns={col: rng.choice(["", " ", col.upper(), "重复"])})
        what = f"renamed {col}"
    else:
        table = pd.concat([table, table.iloc[:1]])
        what = "row duplicated"
    encoding = rng.choice(["utf-8", "utf-8-sig", "gb18030", "utf-16"])
    try:
        table.to_csv(path, index=False, encoding=encoding)
    except UnicodeEncodeError:
        table.to_csv(path, index=False, encoding="utf-8")
    return f"{what} ({encoding})"


def _mutate_bytes(path: Path, rng: random.Random) -> str:
    raw = path.read_bytes()
    choice = rng.randrange(5)
    if choice == 0:
        path.write_bytes(b"")
        return "empty file"
    if choice == 1:
        path.write_bytes(raw[: rng.randrange(max(1, len(raw)))])
        return "truncated"
    if choice == 2:
        path.write_bytes(bytes(rng.randrange(256) for _ in range(200)))
        return "random bytes"
    if choice == 3:
        vrt = "<OGRVRTDataSource><OGRVRTLayer name='x'><SrcDataSource>/etc/passwd"
        path.write_text(vrt + "</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>")
        return "VRT"
    twin = path.with_name(path.stem + (".json" if path.suffix != ".json" else ".geojson"))
    shutil.copy(path, twin)
    return "a second file for the layer"


def _mutate_toml(path: Path, rng: random.Random) -> str:
    text = path.read_text(encoding="utf-8")
    key, value = rng.choice(TOML_KEYS), rng.choice(TOML_VALUES)
    if rng.random() < 0.1:
        name = rng.choice(["all", "Mon", "周一", "白班", "a,b", ""])
        text = text.replace('name = "night"', f'name = "{name}"')
        return f"shift named {name!r}"
    if rng.random() < 0.05:
        return _toml_special(path, rng)
    section, _, name = key.rpartition(".")
    lines = [line for line in text.splitlines() if not line.startswith(f"{name} =")]
    if section:
        lines += [f"[{section}]", f"{name} = {value}"]
    else:
        lines.insert(0, f"{name} = {value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"{key} = {value}"


def _toml_special(path: Path, rng: random.Random) -> str:
    choice = rng.randrange(3)
    path.unlink()
    if choice == 0:
        path.mkdir()
        return "patrol.toml is a folder"
    if choice == 1:
        import os

        os.mkfifo(path)
        return "patrol.toml is a named pipe"
    path.write_text("x = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    return "deep TOML array"


def mutate(folder: Path, rng: random.Random, number: int, *, cli: bool = True) -> Case:
    """Break or change one thing of the scenario in ``folder`` (or, with ``cli``, choose
    command-line options instead)."""
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name != "patrol.toml")
    roll = rng.random()
    if roll < 0.08 and cli:
        return Case(number, "cli", json.dumps(_cli_options(rng)))
    if roll < 0.22:
        return Case(number, "patrol.toml", _mutate_toml(folder / "patrol.toml", rng))
    path = rng.choice(files)
    if roll < 0.30:
        return Case(number, path.name, _mutate_bytes(path, rng))
    if path.suffix == ".csv":
        return Case(number, path.name, _mutate_csv(path, rng))
    return Case(number, path.name, _mutate_geojson(path, rng))


def _cli_options(rng: random.Random) -> list[str]:
    option = rng.choice(list(CLI_VALUES))
    return [option, rng.choice(CLI_VALUES[option])]


# --- running one case -----------------------------------------------------------------------


def _poor_message(problems: list[Any]) -> str:
    """Why the rejection message is poor ('' when every error names its file and a fix)."""
    errors = [p for p in problems if p.severity == "error"] or problems
    for p in errors:
        if not p.file or not p.fix.strip() or not p.message.strip():
            return f"problem without file, message or fix: {p}"
    return ""


def run_validate(folder: Path, case: Case) -> tuple[Outcome, Any]:
    """Validate one case: the outcome and the scenario when accepted."""
    from patrol.errors import InputError
    from patrol.scenario.read import read_scenario

    try:
        with _deadline(HANG_S):
            scenario = read_scenario(folder)
    except InputError as exc:
        poor = _poor_message(exc.problems)
        return Outcome(case, "poor_message" if poor else "rejected", detail=poor), None
    except _Hang:
        return Outcome(case, "hang"), None
    except Exception:
        return Outcome(case, "traceback", detail=traceback.format_exc(limit=6)), None
    return Outcome(case, "accepted"), scenario


def run_plan(scenario: Any, outcome: Outcome) -> None:
    """Plan an accepted scenario with tiny limits; a failure is written into ``outcome``."""
    from patrol.planner import PlanParams, plan_week

    try:
        with _deadline(HANG_S):
            plan_week(scenario, PlanParams(time_limit_s=0.3, max_iterations=10, seed=1))
        outcome.planned = "ok"
    except _Hang:
        outcome.planned = "hang"
    except Exception:
        outcome.planned, outcome.detail = "traceback", traceback.format_exc(limit=8)


def run_cli(folder: Path, case: Case, out: Path) -> Outcome:
    """``patrol plan`` with the options of a CLI case, in its own process (a solver stuck
    in C code ignores the alarm): exit 0, or 2 with a message, within :data:`HANG_S`."""
    options = json.loads(case.what)
    argv = ["plan", str(folder), "--out", str(out), *options]
    if "--time-limit" not in options:
        argv += ["--time-limit", "0.5"]
    if "--max-iterations" not in options:
        argv += ["--max-iterations", "10"]
    command = [sys.executable, "-c", "import sys; from patrol.cli import main; sys.exit(main())"]
    try:
        done = subprocess.run(
            [*command, *argv], capture_output=True, text=True, timeout=HANG_S, check=False
        )
    except subprocess.TimeoutExpired:
        return Outcome(case, "hang", detail=f"patrol {' '.join(argv)} ran over {HANG_S} s")
    message = done.stderr
    if "Traceback" in message:
        return Outcome(case, "traceback", detail=message[-1500:])
    if done.returncode == 0:
        return Outcome(case, "accepted", planned="ok")
    good = done.returncode == 2 and (
        ("error" in message and "Fix" in message)  # --lang en
        or ("错误" in message and "改正" in message)  # Chinese, the default
        or "usage:" in message
    )
    return Outcome(case, "rejected" if good else "poor_message", detail=message[-600:])


def run_case(
    base: Path, number: int, seed: int, *, plan: bool, work: Path, cli: bool = True
) -> Outcome:
    """Copy the base scenario, change one thing, validate (and maybe plan) it."""
    rng = random.Random(seed * 1_000_003 + number)
    folder = work / f"case{number}"
    shutil.copytree(base, folder)
    try:
        case = mutate(folder, rng, number, cli=cli)
        if case.kind == "cli":
            return run_cli(folder, case, work / f"out{number}")
        outcome, scenario = run_validate(folder, case)
        if scenario is not None and plan:
            run_plan(scenario, outcome)
        return outcome
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(work / f"out{number}", ignore_errors=True)


# --- the whole run --------------------------------------------------------------------------


def _worker(args: tuple[Path, list[int], int, int, Path, bool]) -> list[Outcome]:
    import logging
    import warnings

    logging.getLogger("patrol").setLevel(logging.ERROR)
    warnings.simplefilter("ignore")
    base, numbers, seed, plan_every, work, cli = args
    return [
        run_case(base, n, seed, plan=plan_every > 0 and n % plan_every == 0, work=work, cli=cli)
        for n in numbers
    ]


def fuzz(
    cases: int,
    *,
    seed: int = 0,
    workers: int = 1,
    plan_every: int = 5,
    cli: bool = True,
    progress: Callable[[list[Outcome]], None] | None = None,
) -> list[Outcome]:
    """Run ``cases`` generated cases (numbered 0..cases-1, so a seed repeats exactly);
    ``cli`` False leaves out the command-line cases (each runs a whole ``patrol plan``);
    ``progress`` is called with the outcomes so far after each chunk of cases."""
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = write_base(work / "base")
        size = 50
        jobs = [
            (base, list(range(i, min(i + size, cases))), seed, plan_every, work, cli)
            for i in range(0, cases, size)
        ]
        if workers <= 1:
            chunks: Iterator[list[Outcome]] = map(_worker, jobs)
            for chunk in chunks:
                outcomes += chunk
                if progress:
                    progress(outcomes)
        else:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for chunk in pool.imap_unordered(_worker, jobs):
                    outcomes += chunk
                    if progress:
                        progress(outcomes)
    return sorted(outcomes, key=lambda o: o.case.number)


def figures(outcomes: list[Outcome]) -> dict[str, int]:
    """The counts the issue asks for."""
    results = Counter(o.result for o in outcomes)
    planned = Counter(o.planned for o in outcomes if o.planned)
    return {
        "cases": len(outcomes),
        "accepted": results["accepted"],
        "rejected": results["rejected"],
        "tracebacks": results["traceback"],
        "hangs": results["hang"],
        "poor_messages": results["poor_message"],
        "planned": sum(planned.values()),
        "plan_tracebacks": planned["traceback"],
        "plan_hangs": planned["hang"],
    }


def failures(outcomes: list[Outcome]) -> list[Outcome]:
    """The outcomes that break the rule: tracebacks, hangs and poor messages."""
    bad = ("traceback", "hang", "poor_message")
    return [o for o in outcomes if o.result in bad or o.planned in ("traceback", "hang")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--plan-every", type=int, default=5)
    args = parser.parse_args()
    start = time.perf_counter()

    shown: set[int] = set()

    def report(done: list[Outcome]) -> None:
        line = ", ".join(f"{k} {v}" for k, v in figures(done).items())
        print(f"[{time.perf_counter() - start:.0f} s] {line}", flush=True)
        for o in failures(done):
            if o.case.number not in shown and len(shown) < 30:
                shown.add(o.case.number)
                print(f"  #{o.case.number} {o.case.kind}: {o.case.what} -> {o.result}/{o.planned}")
                print("    " + o.detail.strip().replace("\n", "\n    ")[-1200:], flush=True)

    outcomes = fuzz(
        args.cases,
        seed=args.seed,
        workers=args.workers,
        plan_every=args.plan_every,
        progress=report,
    )
    for key, value in figures(outcomes).items():
        print(f"{key:>16}: {value}")
    kinds = Counter(o.case.kind for o in outcomes)
    print("     cases by file: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print(f"         seconds: {time.perf_counter() - start:.0f}")
    for o in failures(outcomes)[:15]:
        print(f"\n#{o.case.number} {o.case.kind}: {o.case.what} -> {o.result}/{o.planned}")
        print(o.detail[-1500:])


if __name__ == "__main__":
    main()
