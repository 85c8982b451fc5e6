"""Benchmark for :func:`patrol.teams.form_teams`: 60 people in 5 beats, 21 slots.

Run ``python bench/teams_bench.py``. Prints, per case, the wall time, CP-SAT status,
objective (weighted teams formed) against the bound, teams, gaps, short teams and the
duty spread per role. Availability is random with a fixed seed, so the figures repeat.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time

from patrol.scenario.model import Person, ShiftSlot, week_slots
from patrol.settings import Settings, TeamSettings
from patrol.teams.checks import check_teams
from patrol.teams.form import form_teams

SHIFTS = ("day", "afternoon", "night")


def roster(n_beats: int = 5, seed: int = 7) -> tuple[list[Person], dict[str, str]]:
    """Per beat 12 people: 1 officer, 2 auxiliaries, 3 grid workers (the third of every
    other beat has no grid and may serve any beat), 6 others (4 of the beat, 2 floating).
    Police are free on ~60% of slots, grid workers ~50%, others ~35%."""
    rng = random.Random(seed)
    every = [(d, s) for d in range(7) for s in SHIFTS]

    def avail(p: float) -> frozenset[tuple[int, str]]:
        return frozenset(k for k in every if rng.random() < p)

    people: list[Person] = []
    beat_of_grid: dict[str, str] = {}
    for n in range(1, n_beats + 1):
        b = f"B{n}"
        people.append(Person(f"{b}-off", "officer", "officer", b, None, avail(0.6), 5))
        for i in (1, 2):
            people.append(Person(f"{b}-aux{i}", "aux", "auxiliary", b, None, avail(0.6), 5))
        for i in (1, 2, 3):
            grid = f"{b}-G{i}"
            beat_of_grid[grid] = b
            own = None if (i == 3 and n % 2 == 0) else grid
            people.append(Person(f"{b}-gw{i}", "gw", "grid_worker", None, own, avail(0.5), 5))
        for i in range(6):
            role = ("volunteer", "cadre", "elder")[i % 3]
            beat = b if i < 4 else None
            people.append(Person(f"{b}-o{i}", "o", role, beat, None, avail(0.35), 4))
    return people, beat_of_grid


def run(
    name: str,
    people: list[Person],
    slots: list[ShiftSlot],
    beat_of_grid: dict[str, str],
    beats: list[str],
    settings: TeamSettings,
    need: dict[tuple[str, str], int] | None = None,
    weight: dict[tuple[str, str], float] | None = None,
) -> None:
    t0 = time.perf_counter()
    plan = form_teams(
        people,
        slots,
        beat_of_grid=beat_of_grid,
        beats=beats,
        settings=settings,
        need=need,
        weight=weight,
    )
    wall = time.perf_counter() - t0
    problems = check_teams(
        plan, people, slots, beat_of_grid=beat_of_grid, settings=settings, need=need
    )
    gap = (plan.bound - plan.objective) / max(plan.bound, 1e-9)
    print(
        f"{name:<34} {wall:6.2f} s  {plan.status:<8} {plan.objective:8.2f} / "
        f"{plan.bound:8.2f} ({gap:6.2%})  teams {len(plan.teams):4d}  "
        f"gaps {len(plan.gaps):4d}  short {len(plan.short_teams):3d}  "
        f"violations {len(problems)}"
    )
    print(
        "    spread "
        + ", ".join(
            f"{r} {s['min']:.0f}-{s['max']:.0f} (mean {s['mean']:.2f})"
            for r, s in plan.spread.items()
        )
    )


def main() -> int:
    slots = week_slots(Settings(week_start=dt.date(2026, 11, 30)))
    assert len(slots) == 21
    rng = random.Random(3)
    print(
        "case                               wall   status   objective / bound, teams, gaps, "
        "short, checker violations"
    )
    for n_beats in (5, 25):
        people, beat_of_grid = roster(n_beats)
        beats = [f"B{n}" for n in range(1, n_beats + 1)]
        need = {(b, s.key): rng.choice((1, 2, 2, 3)) for b in beats for s in slots}
        weight = {(b, s.key): round(rng.uniform(0.5, 5.0), 2) for b in beats for s in slots}
        tag = f"{len(people)} people/{n_beats} beats"
        for limit in (1.0, 10.0):
            st = TeamSettings(time_limit_s=limit)
            run(f"{tag}, need 1, {limit:g} s", people, slots, beat_of_grid, beats, st)
            run(
                f"{tag}, need 1-3 w, {limit:g} s",
                people,
                slots,
                beat_of_grid,
                beats,
                st,
                need=need,
                weight=weight,
            )
            run(
                f"{tag}, need 1-3 w, N>=2, {limit:g} s",
                people,
                slots,
                beat_of_grid,
                beats,
                TeamSettings(time_limit_s=limit, min_others=2),
                need=need,
                weight=weight,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
