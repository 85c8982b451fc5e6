"""Gap reasons: who is missing on which beat and shift, and why."""

from __future__ import annotations

from patrol.teams.gaps import find_gaps
from patrol.teams.rules import beats_served
from tests.teams.test_form import BEATS, GRIDS, MON, RULES, SLOTS, person, slot


def test_a_beat_slot_without_a_grid_worker_is_a_gap_naming_it() -> None:
    people = [person("o", "officer", beat="B1", when={(MON, "day")})]
    si = SLOTS.index(slot(MON, "day"))
    served = {p.person_id: beats_served(p, BEATS, GRIDS) for p in people}
    gaps = find_gaps(people, SLOTS, BEATS, [], {("B1", si): 1}, {"o": 0}, served, RULES)
    assert len(gaps) == 1
    gap = gaps[0]
    assert (gap.beat_id, gap.needed, gap.formed) == ("B1", 1, 0)
    assert "no grid worker for beat B1 in the roster" in gap.reason_en
    assert "网格员" in gap.reason_zh
