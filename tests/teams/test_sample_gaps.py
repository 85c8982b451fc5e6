"""Rule 5 of issue #13 on the bundled sample, with every fallback kind allowed: the
figures (gaps in total and on Sunday, fallback teams by kind) are printed, fallback teams
stand only where no 1+1+N team could be formed, and every gap says what was missing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from patrol.plan import Plan
from patrol.scenario.model import Person
from patrol.teams.rules import rest_pairs, rest_partners
from patrol.teams.tally import count_fallback_teams, count_gaps
from patrol.vocab import FALLBACK_KINDS, POLICE_ROLES

SUNDAY = 6


@pytest.fixture(scope="module")
def sample_plan() -> Plan:
    """The sample's week with ``[teams] fallback`` = every kind, in the issue's order."""
    from patrol.planner import PlanParams, plan_week
    from patrol.scenario.read import read_scenario
    from tests.conftest import SAMPLE

    scenario = read_scenario(Path(SAMPLE))
    teams = dataclasses.replace(scenario.settings.teams, fallback=FALLBACK_KINDS)
    scenario.settings = scenario.settings.replace(teams=teams)
    return plan_week(scenario, PlanParams(seed=0))


def _still_free(plan: Plan, beat: str, slot_key: str) -> tuple[bool, bool]:
    """Whether a police member, and a grid worker, of ``beat`` were still free in the slot
    when the teams were formed (available, in no team then — teams later dropped as idle
    included —, under their limit, not resting)."""
    tp, slots = plan.team_plan, plan.slots
    index = {s.key: i for i, s in enumerate(slots)}
    partner = rest_partners(rest_pairs(slots))
    formed = (*tp.teams, *plan.idle_teams)
    busy = {(m.person_id, index[t.slot.key]) for t in formed for m in t.members}
    load = dict(tp.load)
    for m in (m for t in plan.idle_teams for m in t.members):
        load[m.person_id] = load.get(m.person_id, 0) + 1
    si, slot = index[slot_key], slots[index[slot_key]]
    beat_of = plan.scenario.beat_of_grid()

    def free(p: Person) -> bool:
        pid = p.person_id
        return (
            p.is_available(slot.weekday, slot.shift)
            and (pid, si) not in busy
            and load.get(pid, 0) < p.max_shifts_per_week
            and not any((pid, sj) in busy for sj in partner[si])
        )

    people = plan.scenario.people
    police = [p for p in people if p.role in POLICE_ROLES and p.beat_id == beat and free(p)]
    grid = [
        p
        for p in people
        if p.role == "grid_worker" and beat_of.get(p.grid_id or "", beat) == beat and free(p)
    ]
    return bool(police), bool(grid)


def test_sample_gaps_and_fallback_teams(sample_plan: Plan) -> None:
    tp = sample_plan.team_plan
    gaps, used = count_gaps(tp), count_fallback_teams(tp)
    sunday = [g for g in tp.gaps if g.slot.weekday == SUNDAY]
    sunday_teams = [t for t in tp.teams if t.slot.weekday == SUNDAY]
    print(
        f"\nsample, fallback {list(FALLBACK_KINDS)}: staffing gaps {gaps['total']} "
        f"(per day {gaps['by_day']}), on Sunday {len(sunday)}; fallback teams by kind {used}; "
        f"Sunday teams {[t.kind for t in sunday_teams]}; teams {len(tp.teams)}, "
        f"routes by fallback teams {sum(r.team.kind != 'full' for r in sample_plan.routes)}"
    )
    assert gaps["total"] == len(tp.gaps) == sum(gaps["by_day"].values())
    from patrol.summary import plan_summary

    summary = plan_summary(sample_plan)  # summary.json counts them the same way
    assert summary["staffing_gaps"] == gaps["total"]
    assert summary["staffing_gaps_by_day"] == gaps["by_day"]
    assert summary["fallback_teams"] == used
    assert used["police_volunteers"] > 0 and sunday_teams  # Sunday is no longer empty
    assert used["red_armband"] == used["police_assistant"] == 0  # none in the sample's roster
    for t in tp.teams:  # a fallback team only where no full team could be formed
        if t.kind != "full":
            police_free, grid_free = _still_free(sample_plan, t.beat_id, t.slot.key)
            assert not (grid_free and (police_free or t.police is not None)), t.team_id
    for g in tp.gaps:
        assert "网格员" in g.reason_zh or "民警/辅警" in g.reason_zh, g.reason_zh
        assert "grid worker" in g.reason_en or "police" in g.reason_en, g.reason_en
        assert "后备小队" in g.reason_zh and "fallback" in g.reason_en
    assert any("周日" in g.reason_zh and "无可用警格" in g.reason_zh for g in sunday)
