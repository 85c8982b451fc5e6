"""The budget of one run, and the one rule by which the stages share it.

Two modes, one rule.

**Deterministic (the default).** Every limit is work, never the clock: CP-SAT stages
(team formation, task assignment) get *deterministic seconds* (``max_deterministic_time``,
one worker) and every routing solve gets a number of *iterations*
(:meth:`Budget.routing_limits`: :data:`ROUTING_ITERATIONS_PER_S` iterations a second of
its share, fewer for a large shift, ``--max-iterations N`` to set them). The same inputs,
seed and ``--time-limit`` give the same plan, byte for byte, on any machine and under
any load; how long that takes depends on the machine. A loose wall-clock guard
(:func:`wall_guard_s`) only stops a machine far slower than expected, with a warning.

**Wall clock (``--wall-clock``).** ``--time-limit S`` bounds the whole run: reading,
planning, the store, coverage, maps and sheets. The stages take their shares of ``S``
in this order (:data:`STAGE_SHARES`):

- *preparation* (reading, network, demand) is work that cannot be cut short: what it
  spent is taken from ``S`` first;
- the *outputs* (store, coverage, maps, sheets) cannot be cut short either: they are
  kept the seconds they are expected to take for the district on this machine as loaded
  now (:func:`outputs_estimate_s`: measured CPU seconds a task, divided by the share of
  a core the run got while preparing), at most :data:`OUTPUTS_MAX_SHARE` of ``S``;
- the *solvers* get the rest, shared as in deterministic mode, and each stage ends on
  the clock: :func:`share_budget` starts a :class:`Deadline` (the solvers' end, and the
  team stage's end), so the time spent *building* a model counts against its stage and
  every CP-SAT and routing solve gets at most what is left of it
  (:func:`wall_guard_s`, :meth:`Budget.routing_limits`).

In both modes the solver part is shared the same way:

- **Teams** get half, at most ``teams.time_limit_s`` of ``patrol.toml`` (default 10 s).
  Within it the first CP-SAT stage (most weighted teams) gets 40%; the fair-spread
  stages of police, grid workers and others a quarter, a third and all of what is left.
- **Assignment** gets 15% of the total, one pool for all rounds.
- **Routing** gets the rest, shared evenly by the shifts routed in every round, never
  less than :data:`MIN_ROUTING_SOLVE_S` a solve.

Without ``--time-limit`` the total is sized to the week: 0.07 s a task, from 20 s to
200 s. For ``S = 20`` and ``teams.time_limit_s = 10`` in deterministic mode: teams 10 s
(4 s for the first stage), assignment 3 s, routing 7 s.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

Stage = Literal["teams", "solvers"]

TEAMS_SHARE = 0.5
"""Share of the solver total that team formation may use (capped by ``teams.time_limit_s``)."""

ASSIGNMENT_SHARE = 0.15
"""Share of the solver total that task assignment may use, over all rounds together."""

OUTPUTS_SHARE = 0.35
"""Wall-clock mode, when the district's size is not known: share of ``--time-limit`` kept
for the store, coverage, maps and sheets."""

OUTPUTS_S_PER_TASK = 0.08
"""Wall-clock mode: CPU seconds the outputs (store, coverage, maps, sheets) take per
servable task of the week (measured by ``bench/outputs_cpu.py``: the sample, 97 tasks,
13.7 CPU s; CPU time does not depend on how loaded the machine is, so the wall-clock
estimate divides it by the share of a core the run gets, :func:`cpu_share`)."""

OUTPUTS_MIN_S = 6.0
"""Wall-clock mode: CPU seconds the outputs of any scenario take besides their tasks'
(the font subset, the overview, the store's fixed layers)."""

MIN_CPU_SHARE = 0.05
"""The least share of a core the outputs' estimate assumes (a machine this loaded
cannot keep any bound)."""

OUTPUTS_MAX_SHARE = 0.7
"""Wall-clock mode: the outputs are never kept more than this share of ``S`` (the
solvers keep the rest; a district too large for ``S`` then overruns, with a warning)."""

STAGE_SHARES = {
    "preparation": "what reading, the network and the demand spent (taken first)",
    "teams": f"{TEAMS_SHARE:.0%} of the solver part, at most teams.time_limit_s",
    "assignment": f"{ASSIGNMENT_SHARE:.0%} of the solver part",
    "routing": "the rest of the solver part",
    "outputs": f"{OUTPUTS_MIN_S:g} + {OUTPUTS_S_PER_TASK:g} CPU s a task over the share of a "
    f"core the run gets, at most {OUTPUTS_MAX_SHARE:.0%} of the whole run (store, coverage, "
    "maps, sheets)",
}
"""Every stage's share of a wall-clock run, in the words the CLI's help repeats."""

TEAM_FIRST_STAGE_SHARE = 0.4
"""Share of the team budget for the first CP-SAT stage (most weighted teams)."""

TEAM_FAIR_STAGE_PARTS = (4, 3, 1)
"""The fair-spread stages (police, grid workers, others) take 1/4, 1/3 and 1/1 of the
team budget left when they start."""

MIN_CPSAT_S = 0.05
"""A CP-SAT solve never gets less deterministic work than this."""

MIN_ROUTING_SOLVE_S = 0.2
"""A routing solve never gets less than this (a very small total may be exceeded)."""

MIN_SOLVER_S = 1.0
"""Wall-clock mode: the solvers get at least this, even when preparation used up ``S``."""

DEFAULT_TOTAL_S = (20.0, 200.0, 0.07)
"""Without a time limit: (least, most, seconds per task) of the total. Measured at 400
grids (2,818 tasks): 60 s of work left the assignment without any solution (nothing
planned); 200 s planned 97.3% of the weighted demand (bound 97.9%)."""

ROUTING_ITERATIONS_PER_S = 4000
"""Deterministic mode: PyVRP iterations a routing second buys for a shift of up to
:data:`ROUTING_REFERENCE_CLIENTS` tasks (measured on this project's 2-core machine:
10 tasks about 10,000 iterations a second, 32 tasks 2,500)."""

ROUTING_REFERENCE_CLIENTS = 20
"""Above this many tasks a shift gets proportionally fewer iterations a second (an
iteration's local search grows with the tasks), so the work stays near its seconds."""

MIN_ROUTING_ITERATIONS = 50
"""A deterministic routing solve never gets fewer iterations than this."""

_WALL_CLOCK: contextvars.ContextVar[bool] = contextvars.ContextVar("wall_clock", default=False)

_now: Callable[[], float] = time.monotonic
"""The clock deadlines are read on (a test replaces it with a fake one)."""

_cpu: Callable[[], float] = time.process_time
"""This process's CPU seconds (a test replaces it with a fake one)."""

_RUN_START: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar(
    "run_start", default=None
)


@dataclass(frozen=True)
class Deadline:
    """Wall-clock mode: when the solver part of the run ends, and when team formation
    must be done, in :data:`_now` seconds."""

    solvers_end: float
    teams_end: float

    def left_s(self, stage: Stage = "solvers") -> float:
        """Seconds left until the end of ``stage`` (teams: the team stage; solvers: all)."""
        end = self.teams_end if stage == "teams" else self.solvers_end
        return end - _now()


_DEADLINE: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "deadline", default=None
)


@dataclass(frozen=True)
class Budget:
    """Seconds of solver work for one run, shared by teams, assignment and routing.

    Build it with :func:`share_budget`; ``teams_s + assignment_s + routing_s`` is
    ``total_s``. ``max_iterations`` (when set) bounds each routing solve by that many
    iterations; ``wall_clock`` says whether the seconds are the clock's or work.
    """

    total_s: float
    teams_s: float
    assignment_s: float
    routing_s: float
    rounds: int = 3
    max_iterations: int | None = None
    wall_clock: bool = False

    def assignment_round_s(self, *, spent_s: float) -> float:
        """Seconds for an assignment round after ``spent_s`` in earlier ones."""
        return max(MIN_CPSAT_S, self.assignment_s - spent_s)

    def routing_solve_s(self, *, shifts: int) -> float:
        """Seconds for one routing solve when ``shifts`` shifts are routed in every round."""
        return max(MIN_ROUTING_SOLVE_S, self.routing_s / max(1, shifts) / max(1, self.rounds))

    def routing_limits(self, *, shifts: int, clients: int) -> tuple[float | None, int | None]:
        """(wall seconds, iterations) for one routing solve of ``clients`` tasks.

        Deterministic mode: no seconds, iterations only (``max_iterations``, else the
        solve's seconds at :data:`ROUTING_ITERATIONS_PER_S`, scaled down for large
        shifts). Wall-clock mode: the solve's seconds, and ``max_iterations`` if set.
        """
        seconds = self.routing_solve_s(shifts=shifts)
        if self.wall_clock:
            left = seconds_left("solvers")
            if left is not None:  # never past the solvers' end, however earlier stages ran
                seconds = max(MIN_ROUTING_SOLVE_S, min(seconds, left))
            return seconds, self.max_iterations
        if self.max_iterations is not None:
            return None, self.max_iterations
        return None, routing_iterations(seconds, clients=clients)


def routing_iterations(seconds: float, *, clients: int) -> int:
    """The iterations that stand for ``seconds`` of routing a shift of ``clients`` tasks."""
    scale = ROUTING_REFERENCE_CLIENTS / max(ROUTING_REFERENCE_CLIENTS, clients)
    return max(MIN_ROUTING_ITERATIONS, math.ceil(ROUTING_ITERATIONS_PER_S * seconds * scale))


def size_total(*, tasks: int) -> float:
    """The total budget when none is given: 0.07 s a task, from 20 s to 200 s."""
    least, most, per_task = DEFAULT_TOTAL_S
    return min(most, max(least, per_task * tasks))


def outputs_estimate_s(total_s: float, *, tasks: int | None, share: float = 1.0) -> float:
    """Wall-clock mode: the seconds kept for the outputs of a week of ``tasks`` servable
    tasks when the run gets ``share`` of a core: (:data:`OUTPUTS_MIN_S` +
    :data:`OUTPUTS_S_PER_TASK` a task) / ``share``, at most :data:`OUTPUTS_MAX_SHARE` of
    ``total_s``; :data:`OUTPUTS_SHARE` of it when the tasks are not known."""
    if tasks is None:
        return OUTPUTS_SHARE * total_s
    need = (OUTPUTS_MIN_S + OUTPUTS_S_PER_TASK * tasks) / max(MIN_CPU_SHARE, min(1.0, share))
    if need > OUTPUTS_MAX_SHARE * total_s:
        logging.getLogger("patrol").warning(
            "The time limit (%.0f s) is too short for this district on this machine as "
            "loaded now (%.2f of a core): its maps and sheets alone need about %.0f s; "
            "the run will take longer.",
            total_s,
            share,
            need,
        )
    return min(OUTPUTS_MAX_SHARE * total_s, need)


def cpu_share() -> float:
    """The share of a core this run got since it started (``clock_mode(wall_clock=True)``):
    its CPU seconds over the clock's, 1 when it just started or outside a run. The
    preparation (network, demand) runs on one core, as the outputs do."""
    start = _RUN_START.get()
    if start is None:
        return 1.0
    wall, cpu = _now() - start[0], _cpu() - start[1]
    return 1.0 if wall < 1.0 else max(MIN_CPU_SHARE, min(1.0, cpu / wall))


def solver_total_s(
    total_s: float,
    *,
    wall_clock: bool,
    spent_s: float = 0.0,
    tasks: int | None = None,
    share: float = 1.0,
) -> float:
    """The solvers' part of ``total_s``: all of it in deterministic mode; in wall-clock
    mode what is left after ``spent_s`` of preparation and the outputs' estimate."""
    if not wall_clock:
        return total_s
    outputs = outputs_estimate_s(total_s, tasks=tasks, share=share)
    return max(MIN_SOLVER_S, total_s - spent_s - outputs)


def share_budget(
    total_s: float,
    *,
    teams_cap_s: float,
    rounds: int = 3,
    max_iterations: int | None = None,
    wall_clock: bool = False,
    spent_s: float = 0.0,
    tasks: int | None = None,
) -> Budget:
    """Share ``total_s`` among the stages by the rule of this module.

    ``teams_cap_s`` is ``teams.time_limit_s`` of the settings; ``rounds`` the planner's
    assignment and routing rounds. With ``wall_clock`` ``total_s`` is the whole run,
    ``spent_s`` what the run spent before the solvers and ``tasks`` the week's servable
    tasks (the outputs are kept their expected time, see :func:`solver_total_s`); the
    solvers' clock starts now (:func:`start_deadline`).
    """
    if total_s <= 0:
        raise ValueError(f"the time limit must be positive, got {total_s!r} s.")
    share = cpu_share() if wall_clock else 1.0
    solvers = solver_total_s(
        total_s, wall_clock=wall_clock, spent_s=spent_s, tasks=tasks, share=share
    )
    teams = min(max(0.0, teams_cap_s), TEAMS_SHARE * solvers)
    assignment = ASSIGNMENT_SHARE * solvers
    if wall_clock and wall_clock_mode():  # the run's clock (planner: clock_mode)
        start_deadline(solvers_s=solvers, teams_s=teams)
    return Budget(
        total_s=solvers,
        teams_s=teams,
        assignment_s=assignment,
        routing_s=solvers - teams - assignment,
        rounds=rounds,
        max_iterations=max_iterations,
        wall_clock=wall_clock,
    )


def team_stage_s(teams_s: float, *, stage: int, spent_s: float = 0.0) -> float:
    """Seconds for team stage ``stage`` (0: most teams; 1-3: fair spread of police, grid
    workers, others) after ``spent_s`` of ``teams_s`` went to earlier stages."""
    if stage == 0:
        return TEAM_FIRST_STAGE_SHARE * teams_s
    return max(MIN_CPSAT_S, (teams_s - spent_s) / TEAM_FAIR_STAGE_PARTS[stage - 1])


@contextlib.contextmanager
def clock_mode(*, wall_clock: bool) -> Iterator[None]:
    """Within the block, CP-SAT solves stop on the clock (``wall_clock``) or on work.

    The planner enters it for the run, so the team and assignment models, which take
    plain seconds, learn the run's mode through :func:`wall_guard_s`. A deadline started
    inside (:func:`start_deadline`) ends with the block.
    """
    token = _WALL_CLOCK.set(wall_clock)
    deadline = _DEADLINE.set(None)
    start = _RUN_START.set((_now(), _cpu()) if wall_clock else None)
    try:
        yield
    finally:
        _RUN_START.reset(start)
        _DEADLINE.reset(deadline)
        _WALL_CLOCK.reset(token)


def start_deadline(*, solvers_s: float, teams_s: float) -> Deadline:
    """Start the solvers' clock: they end ``solvers_s`` from now, team formation (the
    first stage, model building included) ``teams_s`` from now. Lasts until the
    enclosing :func:`clock_mode` ends."""
    now = _now()
    deadline = Deadline(solvers_end=now + solvers_s, teams_end=now + teams_s)
    _DEADLINE.set(deadline)
    return deadline


def seconds_left(stage: Stage = "solvers") -> float | None:
    """Wall-clock mode: seconds left of ``stage`` (None without a deadline, and outside
    ``clock_mode(wall_clock=True)``)."""
    deadline = _DEADLINE.get()
    return None if deadline is None or not wall_clock_mode() else deadline.left_s(stage)


def wall_clock_mode() -> bool:
    """True inside ``clock_mode(wall_clock=True)``."""
    return _WALL_CLOCK.get()


def wall_guard_s(deterministic_s: float, *, stage: Stage = "solvers") -> float:
    """The wall-clock limit of a CP-SAT solve of ``deterministic_s`` seconds.

    Wall-clock mode: the share itself, but never past the end of ``stage`` (``teams``:
    team formation; ``solvers``: the whole solver part), so what building the model
    took is counted. Deterministic mode: a loose guard of ten times the share, at least
    10 s, that only stops a machine far slower than expected (the solve then warns that
    results may differ).
    """
    if wall_clock_mode():
        left = seconds_left(stage)
        limit = deterministic_s if left is None else min(deterministic_s, left)
        return max(MIN_CPSAT_S, limit)
    return max(10.0, 10.0 * deterministic_s)
