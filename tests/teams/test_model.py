"""The CP-SAT stages on a hand-built week: most teams, then the fair spread."""

from __future__ import annotations

from patrol.teams.model import solve_fair_spread, solve_most_teams
from patrol.vocab import POLICE_ROLES
from tests.teams.test_form import MON, SLOTS, TUE, person, slot

DAYS = [SLOTS.index(slot(d, "day")) for d in (MON, TUE)]
PEOPLE = [
    person("o1", "officer", beat="B1"),
    person("o2", "officer", beat="B1"),
    person("g", "grid_worker", grid="G1"),
]
ALLOWED = {(pi, si, "B1") for pi in range(3) for si in DAYS}
NEEDED = {("B1", si): 1 for si in DAYS}


def test_most_teams_staffs_every_needed_slot() -> None:
    chosen, status, bound, spent = solve_most_teams(
        PEOPLE, SLOTS, ALLOWED, NEEDED, {k: 1 for k in NEEDED}, 0, [], [], set(),
        budget=1.0, seed=0,
    )  # fmt: skip
    assert status == "OPTIMAL" and bound == 2 and spent >= 0
    assert {(pi, si) for pi, si, _b in chosen if pi == 2} == {(2, si) for si in DAYS}


def test_fair_spread_shares_the_shifts_between_alike_officers() -> None:
    start = {(0, si, "B1") for si in DAYS}
    caps = {("B1", si): 1 for si in DAYS}
    better, _spent = solve_fair_spread(
        PEOPLE, SLOTS, ALLOWED, start, caps, True, POLICE_ROLES, [], [], budget=1.0, seed=0
    )
    assert sorted(pi for pi, _si, _b in better) == [0, 1]
