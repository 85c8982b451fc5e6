"""Routing problem data: integers only, no geometry, no solver import.

A :class:`RoutingProblem` is what the planner hands to :func:`patrol.routing.solvers.solve`: a
square travel-time matrix in whole seconds (and optionally a separate cost matrix), the
teams as :class:`Vehicle` records (start post, end post, shift window) and the stops to
make as :class:`Visit` records (location, service time, window, allowed teams, and a
penalty when the visit is optional).

Everything is an integer so that every engine sees exactly the same numbers, and
:func:`to_integer_matrix` is the one place where real-valued seconds become integers. It
rounds *up*: a route that fits its windows with rounded-up travel times also fits them in
real time.

:func:`evaluate` is the independent checker. It schedules given visit sequences (earliest
start, waiting allowed), reports every broken rule in plain words, and returns the same
:class:`Solution` type as the solvers, so a hand-edited plan can be checked the same way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from patrol.errors import InputError, ProblemLog

__all__ = [
    "UNBOUNDED_S",
    "UNREACHABLE_S",
    "Route",
    "RoutingProblem",
    "ScheduledVisit",
    "Solution",
    "Vehicle",
    "Visit",
    "evaluate",
    "required_drop_penalty",
    "to_integer_matrix",
]

IntMatrix = npt.NDArray[np.int64]

UNBOUNDED_S = 1_000_000_000
"""Default latest start of a visit: about 31 years, i.e. no window."""

UNREACHABLE_S = 1_000_000_000
"""Travel time :func:`to_integer_matrix` gives to an infinite (unreachable) entry."""

_WHERE = "routing problem"


@dataclass(frozen=True)
class Vehicle:
    """One team for one shift: where it starts and ends, and its shift window.

    The team leaves ``start`` no earlier than ``earliest_s`` and must be back at ``end``
    no later than ``latest_s``. ``capacity`` 0 means unlimited; ``fixed_cost`` is charged
    once when the vehicle is used, which makes solvers use fewer vehicles.
    ``max_distance`` bounds the route's sum over the ``distance`` (cost) matrix, 0 means
    unlimited: with a matrix of metres walked, it is a team's walking limit.
    """

    start: int
    end: int
    earliest_s: int
    latest_s: int
    capacity: int = 0
    fixed_cost: int = 0
    name: str = ""
    max_distance: int = 0


@dataclass(frozen=True)
class Visit:
    """One stop to make: where, how long, when service may start, and who may do it.

    ``earliest_s``/``latest_s`` bound the *start* of service; arriving early means
    waiting. ``allowed_vehicles`` None lets any vehicle serve it. ``penalty`` None makes
    the visit required; an integer makes it optional, and dropping it costs that penalty
    (the prize of serving it).
    """

    location: int
    service_s: int = 0
    earliest_s: int = 0
    latest_s: int = UNBOUNDED_S
    demand: int = 0
    allowed_vehicles: tuple[int, ...] | None = None
    penalty: int | None = None
    name: str = ""

    @property
    def required(self) -> bool:
        """True when the visit has no penalty, i.e. must be served."""
        return self.penalty is None


def _as_int_matrix(values: Any, name: str, log: ProblemLog) -> IntMatrix | None:
    array = np.asarray(values)
    if array.ndim != 2 or array.shape[0] != array.shape[1]:
        log.error(
            _WHERE,
            f"{name} must be a square 2-D matrix, got shape {array.shape}.",
            "Pass an n_loc x n_loc matrix.",
            field=name,
        )
        return None
    if array.dtype.kind not in "iub":
        log.error(
            _WHERE,
            f"{name} must hold integers, got dtype {array.dtype}.",
            "Convert seconds with patrol.routing.problem.to_integer_matrix(), which rounds up.",
            field=name,
        )
        return None
    out = np.array(array, dtype=np.int64)
    if out.size and out.min() < 0:
        log.error(
            _WHERE,
            f"{name} has negative entries (min {out.min()}).",
            "Travel times and costs must be >= 0.",
            field=name,
        )
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class RoutingProblem:
    """Integer routing data shared by every engine.

    Objective (minimised): the cost-matrix length of all routes, plus the fixed cost of
    every vehicle used, plus the penalty of every optional visit left out. Constraints:
    each vehicle starts at ``start`` and ends at ``end`` inside its shift window; each
    served visit starts service inside its window after travelling along ``duration_s``
    and serving the previous stops; loads stay within capacity; a route's distance
    stays within its vehicle's ``max_distance``; a visit goes only on an
    allowed vehicle; every required visit is served exactly once.

    Parameters
    ----------
    duration_s
        Travel times in whole seconds, ``n_loc x n_loc``; row = from, column = to.
    distance
        Cost matrix of the same shape (metres, or any integer cost). ``None`` uses
        ``duration_s``.
    vehicles, visits
        Location indices refer to the matrix rows.
    """

    duration_s: IntMatrix
    distance: IntMatrix | None = None
    vehicles: tuple[Vehicle, ...] = ()
    visits: tuple[Visit, ...] = ()

    def __post_init__(self) -> None:
        log = ProblemLog()
        duration = _as_int_matrix(self.duration_s, "duration_s", log)
        distance = duration
        if self.distance is not None:
            distance = _as_int_matrix(self.distance, "distance", log)
            if duration is not None and distance is not None and distance.shape != duration.shape:
                log.error(
                    _WHERE,
                    f"distance has shape {distance.shape} but duration_s has {duration.shape}.",
                    "Give both matrices the same locations.",
                    field="distance",
                )
        object.__setattr__(self, "duration_s", duration)
        object.__setattr__(self, "distance", distance)
        object.__setattr__(self, "vehicles", tuple(self.vehicles))
        object.__setattr__(self, "visits", tuple(self.visits))
        n_loc = duration.shape[0] if duration is not None else 0
        if not self.vehicles:
            log.error(
                _WHERE, "the problem has no vehicle.", "Add at least one Vehicle.", field="vehicles"
            )
        for i, veh in enumerate(self.vehicles):
            self._check_vehicle(i, veh, n_loc, log)
        for i, visit in enumerate(self.visits):
            self._check_visit(i, visit, n_loc, log)
        log.raise_if_errors()

    def _check_vehicle(self, i: int, veh: Vehicle, n_loc: int, log: ProblemLog) -> None:
        where = f"vehicle {i}" + (f" ({veh.name})" if veh.name else "")
        for attr in ("start", "end"):
            loc = getattr(veh, attr)
            if not 0 <= loc < n_loc:
                log.error(
                    _WHERE,
                    f"{attr} location {loc} is outside 0..{n_loc - 1}.",
                    "Use a row index of the matrix.",
                    feature=where,
                    field=attr,
                )
        _check_window(log, where, "shift window", veh.earliest_s, veh.latest_s)
        if veh.capacity < 0 or veh.fixed_cost < 0 or veh.max_distance < 0:
            log.error(_WHERE, "capacity, fixed_cost and max_distance must be >= 0.", feature=where)

    def _check_visit(self, i: int, visit: Visit, n_loc: int, log: ProblemLog) -> None:
        where = f"visit {i}" + (f" ({visit.name})" if visit.name else "")
        if not 0 <= visit.location < n_loc:
            log.error(
                _WHERE,
                f"location {visit.location} is outside 0..{n_loc - 1}.",
                "Use a row index of the matrix.",
                feature=where,
                field="location",
            )
        _check_window(log, where, "window", visit.earliest_s, visit.latest_s)
        if visit.service_s < 0 or visit.demand < 0:
            log.error(_WHERE, "service_s and demand must be >= 0.", feature=where)
        if visit.penalty is not None and visit.penalty < 0:
            log.error(
                _WHERE,
                f"penalty {visit.penalty} is negative.",
                "Use None for a required visit, or a penalty >= 0.",
                feature=where,
                field="penalty",
            )
        allowed = visit.allowed_vehicles
        if allowed is not None:
            if len(allowed) == 0:
                log.error(
                    _WHERE,
                    "allowed_vehicles is empty, so no vehicle may serve it.",
                    "Use None to allow every vehicle.",
                    feature=where,
                    field="allowed_vehicles",
                )
            bad = [v for v in allowed if not 0 <= v < len(self.vehicles)]
            if bad:
                log.error(
                    _WHERE,
                    f"allowed_vehicles {bad} are not vehicle indices 0..{len(self.vehicles) - 1}.",
                    feature=where,
                    field="allowed_vehicles",
                )

    @property
    def cost_matrix(self) -> IntMatrix:
        """The matrix the objective sums (``distance``, else ``duration_s``)."""
        return self.distance if self.distance is not None else self.duration_s

    @property
    def n_locations(self) -> int:
        """Number of rows of the matrices."""
        return int(self.duration_s.shape[0])

    def replace(self, **changes: Any) -> RoutingProblem:
        """Return a copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def allows(self, visit: int, vehicle: int) -> bool:
        """True when ``vehicle`` may serve ``visit``."""
        allowed = self.visits[visit].allowed_vehicles
        return allowed is None or vehicle in allowed


def required_drop_penalty(problem: RoutingProblem) -> int:
    """A drop penalty above any plan's total cost, for engines that model required visits
    as optional ones: they then always return a plan and serve required visits first.
    """
    bound = int(problem.cost_matrix.max(initial=0)) * (
        len(problem.visits) + 2 * len(problem.vehicles)
    )
    bound += sum(v.fixed_cost for v in problem.vehicles)
    bound += sum(v.penalty or 0 for v in problem.visits)
    return min(10 * bound + 1, 2**40 // max(1, len(problem.visits)))


def to_integer_matrix(seconds: Any, *, scale: float = 1) -> IntMatrix:
    """Turn real-valued seconds (or any cost) into solver integers, rounding up.

    Rounding up keeps a route that is feasible in integers feasible in real time.
    ``scale`` multiplies first (``scale=1000`` keeps milliseconds). Float noise below
    1e-9 is ignored, so 2.0000000000001 stays 2. Infinite entries (unreachable pairs)
    become :data:`UNREACHABLE_S`.
    """
    array = np.asarray(seconds, dtype=np.float64) * scale
    if np.isnan(array).any():
        raise InputError(
            "the matrix has NaN entries; give a travel time for every pair.", file=_WHERE
        )
    if (array < 0).any():
        raise InputError("the matrix has negative entries; travel times must be >= 0.", file=_WHERE)
    finite = np.isfinite(array)
    out = np.full(array.shape, UNREACHABLE_S, dtype=np.int64)
    out[finite] = np.ceil(np.round(array[finite], 9)).astype(np.int64)
    return out


@dataclass(frozen=True)
class ScheduledVisit:
    """When a vehicle reaches a visit, starts serving it, and leaves."""

    visit: int
    arrival_s: int
    start_s: int
    departure_s: int


@dataclass(frozen=True)
class Route:
    """One used vehicle's tour: leave start at ``start_s``, be back at ``end_s``."""

    vehicle: int
    visits: tuple[ScheduledVisit, ...]
    start_s: int
    end_s: int
    distance: int
    duration_s: int

    @property
    def visit_indices(self) -> tuple[int, ...]:
        """The visits in the order served."""
        return tuple(s.visit for s in self.visits)


@dataclass(frozen=True)
class Solution:
    """Routes, dropped visits and their price, as checked by :func:`evaluate`.

    ``cost`` is the whole objective: route distance + fixed costs of used vehicles +
    ``penalty`` (the penalties of dropped optional visits). ``feasible`` is False when
    ``violations`` is not empty (a required visit missing, a window or shift broken...).
    """

    routes: tuple[Route, ...]
    dropped: tuple[int, ...]
    cost: int
    penalty: int
    feasible: bool
    violations: tuple[str, ...]
    engine: str = ""
    seconds: float = 0.0
    status: str = ""

    @property
    def distance(self) -> int:
        """Total route distance (cost matrix), without fixed costs or penalties."""
        return sum(r.distance for r in self.routes)

    @property
    def n_vehicles(self) -> int:
        """Number of vehicles used."""
        return len(self.routes)

    def sequences(self, n_vehicles: int) -> list[list[int]]:
        """Visit sequences per vehicle index, as :func:`evaluate` takes them."""
        out: list[list[int]] = [[] for _ in range(n_vehicles)]
        for route in self.routes:
            out[route.vehicle] = list(route.visit_indices)
        return out


@dataclass
class _Tally:
    seen: dict[int, int] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)


def _label(problem: RoutingProblem, visit: int) -> str:
    name = problem.visits[visit].name
    return f"visit {visit} ({name})" if name else f"visit {visit}"


def _schedule_route(
    problem: RoutingProblem, vehicle: int, sequence: Sequence[int], tally: _Tally
) -> Route:
    veh = problem.vehicles[vehicle]
    vname = f"vehicle {vehicle}" + (f" ({veh.name})" if veh.name else "")
    dur, cost = problem.duration_s, problem.cost_matrix
    time = veh.earliest_s
    here = veh.start
    distance = 0
    load = 0
    stops: list[ScheduledVisit] = []
    for idx in sequence:
        if not 0 <= idx < len(problem.visits):
            tally.violations.append(f"{vname}: visit index {idx} does not exist.")
            continue
        tally.seen[idx] = tally.seen.get(idx, 0) + 1
        visit = problem.visits[idx]
        if not problem.allows(idx, vehicle):
            tally.violations.append(
                f"{_label(problem, idx)} is on {vname} but only vehicles "
                f"{list(visit.allowed_vehicles or ())} may serve it."
            )
        arrival = time + int(dur[here, visit.location])
        start = max(arrival, visit.earliest_s)
        if start > visit.latest_s:
            tally.violations.append(
                f"{_label(problem, idx)} on {vname} starts at {start} s, "
                f"after its window closes at {visit.latest_s} s."
            )
        distance += int(cost[here, visit.location])
        load += visit.demand
        time = start + visit.service_s
        stops.append(ScheduledVisit(idx, arrival, start, time))
        here = visit.location
    if not stops:
        return Route(vehicle, (), veh.earliest_s, veh.earliest_s, 0, 0)
    end = time + int(dur[here, veh.end])
    distance += int(cost[here, veh.end])
    if end > veh.latest_s:
        tally.violations.append(
            f"{vname} returns at {end} s, after its shift ends at {veh.latest_s} s."
        )
    if veh.capacity > 0 and load > veh.capacity:
        tally.violations.append(f"{vname} carries {load}, over its capacity {veh.capacity}.")
    if veh.max_distance > 0 and distance > veh.max_distance:
        tally.violations.append(
            f"{vname} goes {distance}, over its max_distance {veh.max_distance}."
        )
    # Leave as late as possible without delaying the first service: no idle wait at start.
    start_s = veh.earliest_s + (stops[0].start_s - stops[0].arrival_s)
    return Route(vehicle, tuple(stops), start_s, end, distance, end - start_s)


def evaluate(
    problem: RoutingProblem,
    routes: Sequence[Sequence[int]],
    *,
    engine: str = "evaluate",
    seconds: float = 0.0,
    status: str = "",
) -> Solution:
    """Schedule and check visit sequences, one per vehicle, and price them.

    Service starts as early as allowed (waiting when early). Every broken rule becomes a
    sentence in ``violations``: a window missed, a shift overrun, capacity exceeded, a
    visit on a vehicle not allowed to serve it, a visit served twice, a required visit
    missing. Engines return their sequences through here so timings come from one place.

    Parameters
    ----------
    routes
        ``routes[v]`` is the ordered list of visit indices served by vehicle ``v``;
        it may be shorter than the fleet (missing vehicles stay unused).
    """
    if len(routes) > len(problem.vehicles):
        raise InputError(
            f"{len(routes)} routes given for {len(problem.vehicles)} vehicles.", file=_WHERE
        )
    tally = _Tally()
    used: list[Route] = []
    for vehicle, sequence in enumerate(routes):
        route = _schedule_route(problem, vehicle, list(sequence), tally)
        if route.visits:
            used.append(route)
    for idx, count in sorted(tally.seen.items()):
        if count > 1:
            tally.violations.append(f"{_label(problem, idx)} is served {count} times.")
    dropped = tuple(i for i in range(len(problem.visits)) if i not in tally.seen)
    penalty = 0
    for idx in dropped:
        visit = problem.visits[idx]
        if visit.penalty is None:
            tally.violations.append(f"required {_label(problem, idx)} is not served.")
        else:
            penalty += visit.penalty
    fixed = sum(problem.vehicles[r.vehicle].fixed_cost for r in used)
    cost = sum(r.distance for r in used) + fixed + penalty
    return Solution(
        routes=tuple(used),
        dropped=dropped,
        cost=cost,
        penalty=penalty,
        feasible=not tally.violations,
        violations=tuple(tally.violations),
        engine=engine,
        seconds=seconds,
        status=status,
    )


def _check_window(log: ProblemLog, where: str, what: str, earliest_s: int, latest_s: int) -> None:
    """An error when the time window ``[earliest_s, latest_s]`` is empty."""
    if earliest_s > latest_s:
        log.error(
            _WHERE,
            f"{what} [{earliest_s}, {latest_s}] is empty.",
            "Make earliest_s <= latest_s.",
            feature=where,
            field="earliest_s",
        )
