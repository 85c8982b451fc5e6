"""Cordeau's periodic VRP files as a :class:`~patrol.weekly.problem.WeekProblem`.

Instance ``pNN.txt`` (type m n t; per day D Q; per customer i x y d q f a patterns) and
its published solution ``pNN.res`` (cost, then ``day vehicle duration load 0 i.. 0`` per
route); the format is in ``bench/data/pvrp/FORMAT.md``. Task ``k`` is customer ``k+1``;
place 0 is the depot. Costs are Euclidean distances in double precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from patrol.errors import InputError
from patrol.weekly.problem import Schedule, WeekProblem, WeekTask, WeekVehicle

__all__ = ["Reference", "decode_pattern", "read_cordeau", "read_reference"]


def decode_pattern(code: int, days: int) -> frozenset[int]:
    """The days (0-based) of a pattern code: the most significant of ``days`` bits is
    day 0 (with 5 days, 16 is the first day and 1 the last)."""
    return frozenset(d for d in range(days) if code & (1 << (days - 1 - d)))


def read_cordeau(path: str | Path) -> WeekProblem:
    """Read a Cordeau PVRP instance (type 1) into a :class:`WeekProblem`."""
    path = Path(path)
    tokens = path.read_text().split()
    try:
        values = [float(x) for x in tokens]
    except ValueError as exc:
        raise InputError(f"{path}: not a Cordeau instance ({exc}).", file=str(path)) from exc
    kind, m, n, t = (int(values[i]) for i in range(4))
    if kind != 1:
        raise InputError(f"{path}: problem type {kind}, only 1 (PVRP) is read.", file=str(path))
    pos = 4
    limits = []
    for _ in range(t):
        limits.append((values[pos], values[pos + 1]))
        pos += 2
    xy = np.zeros((n + 1, 2))
    tasks = []
    for _ in range(n + 1):
        i = int(values[pos])
        xy[i] = values[pos + 1 : pos + 3]
        service, demand, freq, a = (
            values[pos + 3],
            values[pos + 4],
            int(values[pos + 5]),
            int(values[pos + 6]),
        )
        codes = [int(c) for c in values[pos + 7 : pos + 7 + a]]
        pos += 7 + a
        if i == 0:
            continue
        patterns = tuple(dict.fromkeys(decode_pattern(c, t) for c in codes))
        tasks.append(
            WeekTask(
                place=i, service=service, demand=demand, frequency=freq, patterns=patterns,
                name=str(i),
            )
        )  # fmt: skip
    travel = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    vehicles = tuple(
        WeekVehicle(
            day=d, duration_limit=limits[d][0], capacity=limits[d][1], name=f"d{d + 1}v{k + 1}"
        )
        for d in range(t)
        for k in range(m)
    )
    return WeekProblem(
        days=tuple(f"day {d + 1}" for d in range(t)),
        shifts=("all",),
        vehicles=vehicles,
        tasks=tuple(tasks),
        travel=travel,
    )


@dataclass(frozen=True)
class Reference:
    """A published solution: its stated cost and its routes as a :class:`Schedule`."""

    cost: float
    schedule: Schedule


def read_reference(path: str | Path, problem: WeekProblem) -> Reference:
    """Read a ``pNN.res`` solution for ``problem``: routes of day d go on that day's
    vehicles in order. Customer numbers that do not exist are kept (as indices past the
    tasks) so that the checker reports them."""
    lines = [ln.split() for ln in Path(path).read_text().splitlines() if ln.strip()]
    cost = float(lines[0][0])
    by_day: dict[int, list[int]] = {}
    for v, veh in enumerate(problem.vehicles):
        by_day.setdefault(veh.day, []).append(v)
    routes: list[tuple[int, ...]] = [() for _ in problem.vehicles]
    for fields in lines[1:]:
        day = int(fields[0]) - 1
        stops = [int(x) - 1 for x in fields[4:] if int(x) != 0]
        free = by_day.get(day, [])
        if not free:
            raise InputError(f"{path}: more routes on day {day + 1} than vehicles.", file=str(path))
        routes[free.pop(0)] = tuple(stops)
    return Reference(cost, Schedule(tuple(routes)))
