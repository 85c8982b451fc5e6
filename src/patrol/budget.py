"""The solver budget of one run, and the one rule by which the stages share it.

``--time-limit S`` is the whole solver budget: team formation, task assignment and
routing share ``S`` seconds by the rule below, written only here.

- **Teams** get half of ``S``, at most ``teams.time_limit_s`` of ``patrol.toml``
  (default 10 s): that setting is the cap of the team share, no longer a budget of its
  own. Within the share, the first CP-SAT stage (most weighted teams) gets 40%; the
  fair-spread stages of police, grid workers and others then get a quarter, a third and
  all of what is left.
- **Assignment** gets 15% of ``S``, one pool for all rounds: each round may use what the
  earlier rounds left (the first round the whole pool).
- **Routing** gets the rest, shared evenly by the shifts routed in every round, never
  less than :data:`MIN_ROUTING_SOLVE_S` a solve.

Without ``--time-limit`` the total is sized to the week: 0.04 s a task, from 20 s to
60 s. The CP-SAT shares are deterministic work (``max_deterministic_time``, one worker),
so the same inputs, seed and total give the same teams and assignment on any machine; a
wall-clock guard of four times a share (at least 2 s) only stops a very slow machine.
With ``--max-iterations N`` every routing solve stops after ``N`` iterations instead of
its seconds, and the whole plan repeats exactly.

For ``S = 20`` and ``teams.time_limit_s = 10``: teams 10 s (4 s for the first stage),
assignment 3 s, routing 7 s.
"""

from __future__ import annotations

from dataclasses import dataclass

TEAMS_SHARE = 0.5
"""Share of the total that team formation may use (capped by ``teams.time_limit_s``)."""

ASSIGNMENT_SHARE = 0.15
"""Share of the total that task assignment may use, over all rounds together."""

TEAM_FIRST_STAGE_SHARE = 0.4
"""Share of the team budget for the first CP-SAT stage (most weighted teams)."""

TEAM_FAIR_STAGE_PARTS = (4, 3, 1)
"""The fair-spread stages (police, grid workers, others) take 1/4, 1/3 and 1/1 of the
team budget left when they start."""

MIN_CPSAT_S = 0.05
"""A CP-SAT solve never gets less deterministic work than this."""

MIN_ROUTING_SOLVE_S = 0.2
"""A routing solve never gets less than this (a very small total may be exceeded)."""

DEFAULT_TOTAL_S = (20.0, 60.0, 0.04)
"""Without a time limit: (least, most, seconds per task) of the total."""


@dataclass(frozen=True)
class Budget:
    """Seconds of solver work for one run, shared by teams, assignment and routing.

    Build it with :func:`share_budget`; ``teams_s + assignment_s + routing_s`` is
    ``total_s``. ``max_iterations`` (when set) bounds each routing solve by work instead
    of seconds.
    """

    total_s: float
    teams_s: float
    assignment_s: float
    routing_s: float
    rounds: int = 3
    max_iterations: int | None = None

    def assignment_round_s(self, *, spent_s: float) -> float:
        """Deterministic seconds for an assignment round after ``spent_s`` in earlier ones."""
        return max(MIN_CPSAT_S, self.assignment_s - spent_s)

    def routing_solve_s(self, *, shifts: int) -> float:
        """Seconds for one routing solve when ``shifts`` shifts are routed in every round."""
        return max(MIN_ROUTING_SOLVE_S, self.routing_s / max(1, shifts) / max(1, self.rounds))


def size_total(*, tasks: int) -> float:
    """The total budget when none is given: 0.04 s a task, from 20 s to 60 s."""
    least, most, per_task = DEFAULT_TOTAL_S
    return min(most, max(least, per_task * tasks))


def share_budget(
    total_s: float,
    *,
    teams_cap_s: float,
    rounds: int = 3,
    max_iterations: int | None = None,
) -> Budget:
    """Share ``total_s`` among the stages by the rule of this module.

    ``teams_cap_s`` is ``teams.time_limit_s`` of the settings; ``rounds`` the planner's
    assignment and routing rounds.
    """
    if total_s <= 0:
        raise ValueError(f"the time limit must be positive, got {total_s!r} s.")
    teams = min(max(0.0, teams_cap_s), TEAMS_SHARE * total_s)
    assignment = ASSIGNMENT_SHARE * total_s
    return Budget(
        total_s=total_s,
        teams_s=teams,
        assignment_s=assignment,
        routing_s=total_s - teams - assignment,
        rounds=rounds,
        max_iterations=max_iterations,
    )


def team_stage_s(teams_s: float, *, stage: int, spent_s: float = 0.0) -> float:
    """Deterministic seconds for team stage ``stage`` (0: most teams; 1-3: fair spread of
    police, grid workers, others) after ``spent_s`` of ``teams_s`` went to earlier stages."""
    if stage == 0:
        return TEAM_FIRST_STAGE_SHARE * teams_s
    return max(MIN_CPSAT_S, (teams_s - spent_s) / TEAM_FAIR_STAGE_PARTS[stage - 1])


def wall_guard_s(deterministic_s: float) -> float:
    """The wall-clock limit that guards a CP-SAT solve of ``deterministic_s`` work."""
    return max(2.0, 4.0 * deterministic_s)
