"""The greedy start: feasible, heaviest beat-slots first, alike people in roster order."""

from __future__ import annotations

from patrol.teams.greedy import fill_greedily, greedy_week, symmetrize_duty
from patrol.vocab import OTHER_ROLES
from tests.teams.test_form import MON, SLOTS, person, slot

DAY = SLOTS.index(slot(MON, "day"))
NIGHT = SLOTS.index(slot(MON, "night"))
PEOPLE = [
    person("o", "officer", beat="B1"),
    person("g", "grid_worker", grid="G1"),
    person("v1", "volunteer"),
    person("v2", "volunteer"),
]
ALLOWED = {(pi, si, "B1") for pi in range(4) for si in (DAY, NIGHT)}


def test_the_heaviest_beat_slot_is_staffed_first() -> None:
    one = [person("o", "officer", beat="B1", max_shifts=1), *PEOPLE[1:]]
    needed = {("B1", DAY): 1, ("B1", NIGHT): 1}
    week = greedy_week(
        one, SLOTS, ALLOWED, needed, {("B1", DAY): 1.0, ("B1", NIGHT): 5.0}, 1, [], []
    )
    assert {si for pi, si, _b in week if pi == 0} == {NIGHT}
    assert {(pi, si) for pi, si, _b in week} == {(0, NIGHT), (1, NIGHT), (2, NIGHT)}


def test_fill_greedily_respects_caps_and_roles() -> None:
    filled = fill_greedily(PEOPLE, SLOTS, ALLOWED, {("B1", DAY): 2}, OTHER_ROLES, [], [])
    assert filled == {(2, DAY, "B1"), (3, DAY, "B1")}


def test_symmetrize_gives_the_earlier_alike_person_the_longer_week() -> None:
    chosen = {(3, DAY, "B1"), (3, NIGHT, "B1"), (2, DAY, "B1")}
    out = symmetrize_duty(chosen, [[2, 3]])
    assert sum(pi == 2 for pi, _si, _b in out) == 2
    assert len(out) == 3
