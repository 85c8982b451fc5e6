"""Task -> team assignment (CP-SAT) on hand-built tasks and teams."""

from __future__ import annotations

import pytest

from patrol.demand import Task
from patrol.routing.assign import TeamSlot, assign_tasks


def task(
    tid: str, *, weight: float = 1.0, slots: tuple[str, ...] = ("d0", "d1"), **kw: object
) -> Task:
    """A task on beat B1 that may use the given shifts; its own spacing group by default."""
    fields: dict[str, object] = {
        "task_id": tid, "kind": "hotspot", "target_id": tid, "grid_id": "G1", "beat_id": "B1",
        "start_node": 0, "end_node": 0, "service_s": 600, "weight": weight,
        "slots": frozenset(slots), "group": f"hotspot:{tid}",
    }  # fmt: skip
    fields.update(kw)
    return Task(**fields)  # type: ignore[arg-type]


TEAMS = [TeamSlot("T0", "d0", 0, "B1", 1800), TeamSlot("T1", "d1", 1, "B1", 1800)]


def test_each_task_goes_to_one_team_within_its_capacity() -> None:
    tasks = [task(f"t{i}") for i in range(4)]
    result = assign_tasks(tasks, TEAMS, cost_s={t.task_id: 900 for t in tasks})
    assert result.status == "OPTIMAL"
    assert len(result.team_of) == 4
    per_team = [list(result.team_of.values()).count(m.team_id) for m in TEAMS]
    assert per_team == [2, 2]  # 2 x 900 s fill each 1800 s team
    assert result.placed_weight == pytest.approx(4.0)
    assert result.work_s >= 0.0


def test_when_time_is_short_the_heavier_task_wins() -> None:
    tasks = [task("light", weight=1.0, slots=("d0",)), task("heavy", weight=2.0, slots=("d0",))]
    result = assign_tasks(tasks, TEAMS[:1], cost_s={"light": 1500, "heavy": 1500})
    assert result.team_of == {"heavy": "T0"}


def test_a_forbidden_shift_and_another_beat_are_never_used() -> None:
    tasks = [task("a"), task("b", beat_id="B2")]
    result = assign_tasks(tasks, TEAMS, cost_s={"a": 60, "b": 60}, forbidden={("a", "d0")})
    assert result.team_of == {"a": "T1"}


def test_a_spacing_group_gets_one_task_a_day_counting_fixed_ones() -> None:
    tasks = [task("v1", group="visit:h"), task("v2", group="visit:h")]
    cost = {"v1": 60, "v2": 60}
    both = assign_tasks(tasks, TEAMS, cost_s=cost)
    assert sorted(both.team_of.values()) == ["T0", "T1"]
    fixed = assign_tasks(tasks[1:], TEAMS, cost_s=cost, fixed=[(tasks[0], TEAMS[0])])
    assert fixed.team_of == {"v2": "T1"}


def test_a_team_never_gets_a_task_it_refuses() -> None:
    """A red-armband team refuses the visit (issue #13 rule 5): it stays unplaced."""
    tasks = [task("visit", kind="visit", slots=("d0",)), task("sweep", kind="sweep", slots=("d0",))]
    red = TeamSlot("R", "d0", 0, "B1", 3600, refused=frozenset({"visit"}))
    result = assign_tasks(tasks, [red], cost_s={"visit": 600, "sweep": 600})
    assert result.team_of == {"sweep": "R"}
