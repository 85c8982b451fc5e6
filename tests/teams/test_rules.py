"""Who may serve where and when: beats served, rest pairs, alike groups, duty spread."""

from __future__ import annotations

from patrol.teams.rules import alike_groups, beats_served, rest_pairs, rest_partners, spread_duty
from tests.teams.test_form import BEATS, GRIDS, MON, SLOTS, TUE, person, slot


def test_beats_served_follow_role_beat_and_grid() -> None:
    assert beats_served(person("o", "officer", beat="B1"), BEATS, GRIDS) == ("B1",)
    assert beats_served(person("o", "officer", beat="B9"), BEATS, GRIDS) == ()
    assert beats_served(person("g", "grid_worker", grid="G2"), BEATS, GRIDS) == ("B2",)
    assert beats_served(person("g", "grid_worker"), BEATS, GRIDS) == BEATS
    assert beats_served(person("v", "volunteer"), BEATS, GRIDS) == BEATS
    assert beats_served(person("v", "volunteer", beat="B2"), BEATS, GRIDS) == ("B2",)


def test_a_night_is_paired_with_the_next_morning() -> None:
    pairs = rest_pairs(SLOTS)
    night, morning = SLOTS.index(slot(MON, "night")), SLOTS.index(slot(TUE, "day"))
    assert (night, morning) in pairs
    assert all(SLOTS[i].night for i, _j in pairs)
    assert morning in rest_partners(pairs)[night] and night in rest_partners(pairs)[morning]


def test_alike_people_are_grouped_in_roster_order() -> None:
    people = [person("a", "volunteer"), person("b", "officer", beat="B1"), person("c", "volunteer")]
    assert alike_groups(people, {0, 1, 2}) == [[0, 2]]
    assert alike_groups(people, {0, 1}) == []


def test_spread_is_min_max_mean_per_role() -> None:
    people = [person("a", "volunteer"), person("c", "volunteer"), person("o", "officer")]
    spread = spread_duty(people, {"a": 1, "c": 3, "o": 2})
    assert spread == {
        "officer": {"min": 2.0, "max": 2.0, "mean": 2.0},
        "volunteer": {"min": 1.0, "max": 3.0, "mean": 2.0},
    }
