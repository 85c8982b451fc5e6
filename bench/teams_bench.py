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

from patrol.config import Settings, TeamSettings
from patrol.scenario import Person, ShiftSlot, week_slots
from patrol.teams import check_teams, form_teams

BEATS = ("B1", "B2", "B3", "B4", "B5")
SHIFTS = ("day", "afternoon", "night")


def roster(seed: int = 7) -> tuple[list[Person], dict[str, str]]:
    """Per beat: 1 officer, 2 auxiliaries, 2 grid workers (own grids), 7 others."""
    rng = random.Random(seed)
    every = [(d, s) for d in range(7) for s in SHIFTS]

    def avail(p: float) -> frozenset[tuple[int, str]]:
        return frozenset(k for k in every if rng.random() < p)

    people: list[Person] = []
    beat_of_grid: dict[str, str] = {}
    for b in BEATS:
        people.append(Person(f"{b}-off", "officer", "officer", b, None, avail(0.6), 5))
        for i in (1, 2):
            people.append(Person(f"{b}-aux{i}", "aux", "auxiliary", b, None, avail(0.6), 5))
        for i in (1, 2):
            grid = f"{b}-G{i}"
            beat_of_grid[grid] = b
            people.append(Person(f"{b}-gw{i}", "gw", "grid_worker", None, grid, avail(0.5), 5))
        for i in range(7):
            role = ("volunteer", "cadre", "elder")[i % 3]
            beat = b if i < 4 else None
            people.append(Person(f"{b}-o{i}", "o", role, beat, None, avail(0.35), 4))
    return people, beat_of_grid


def run(
    name: str,
    people: list[Person],
    slots: list[ShiftSlot],
    beat_of_grid: dict[str, str],
    settings: TeamSettings,
    **kw: object,
) -> None:
    t0 = time.perf_counter()
    plan = form_teams(
        people, slots, beat_of_grid=beat_of_grid, beats=BEATS, settings=settings, **kw
    )  # type: ignore[arg-type]
    wall = time.perf_counter() - t0
    problems = check_teams(
        plan, people, slots, beat_of_grid=beat_of_grid, settings=settings, need=kw.get("need")
    )  # type: ignore[arg-type]
    gap = (plan.bound - plan.objective) / max(plan.bound, 1e-9)
    print(
        f"{name:<28} {wall:6.2f} s  {plan.status:<8} objective {plan.objective:8.2f}  "
        f"bound {plan.bound:8.2f}  gap {gap:6.2%}  teams {len(plan.teams):3d}  "
        f"gaps {len(plan.gaps):3d}  short {len(plan.short_teams):3d}  "
        f"violations {len(problems)}"
    )
    for role, s in plan.spread.items():
        print(f"    {role:<12} min {s['min']:.0f} max {s['max']:.0f} mean {s['mean']:.2f}")


def main() -> int:
    people, beat_of_grid = roster()
    slots = week_slots(Settings(week_start=dt.date(2026, 11, 30)))
    assert len(slots) == 21
    rng = random.Random(3)
    need2 = {(b, s.key): rng.choice((1, 2, 2, 3)) for b in BEATS for s in slots}
    weight = {(b, s.key): round(rng.uniform(0.5, 5.0), 2) for b in BEATS for s in slots}
    for limit in (1.0, 10.0):
        st = TeamSettings(time_limit_s=limit)
        run(f"need 1, {limit:g} s", people, slots, beat_of_grid, st)
        run(
            f"need 1-3 weighted, {limit:g} s",
            people,
            slots,
            beat_of_grid,
            st,
            need=need2,
            weight=weight,
        )
        run(
            f"need 1-3, min_others 2, {limit:g} s",
            people,
            slots,
            beat_of_grid,
            TeamSettings(time_limit_s=limit, min_others=2),
            need=need2,
            weight=weight,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
